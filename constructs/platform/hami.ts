import { Problems } from '../../lib/core/errors';
import { isDnsSubdomain } from '../../lib/core/names';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { HelmChartSource } from '../../lib/releases/chart';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';
import { checkNodeSelector } from './gpu-node-selector';
import { NvidiaDevicePlugin } from './nvidia-device-plugin';

/** How the HAMi scheduler places GPU workloads: pack them together, or spread them out. */
export type HamiSchedulerPolicy = 'binpack' | 'spread';

export interface HamiProps {
  /** @default 'hami-system' */
  readonly namespace?: string;
  /** Chart to install. @default versions.hami.chart */
  readonly chart?: HelmChartSource;
  /** Workloads that may share one GPU. @default 30 (as Olares; HAMi's own default is 10) @maximum 100 */
  readonly splitCount?: number;
  /** Factor over the real GPU memory that shared workloads may reserve; above 1 overcommits. @default 1 */
  readonly memoryScaling?: number;
  /** Choice between nodes. @default 'binpack' (as Olares) */
  readonly nodePolicy?: HamiSchedulerPolicy;
  /** Choice between the GPUs of a node. @default 'spread' (as Olares) */
  readonly gpuPolicy?: HamiSchedulerPolicy;
  /** Nodes that run HAMi's device plugin. @default { gpu: 'on' } (HAMi's label, which Cozystack's GPU node pools carry) */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** RuntimeClass of the NVIDIA container runtime that GPU pods run with. @default 'nvidia' (as Olares and Cozystack) */
  readonly runtimeClassName?: string;
  /** Let the chart create that RuntimeClass; off when K3s or the GPU operator already has. @default true (as Olares) */
  readonly createRuntimeClass?: boolean;
  /** Chart values merged over kubestrata's (`mergeValues`: maps merge, lists and scalars replace, `null` removes a key). @default {} */
  readonly values?: Record<string, unknown>;
}

const POLICIES: readonly HamiSchedulerPolicy[] = ['binpack', 'spread'];

/**
 * HAMi, the GPU sharing layer Olares runs: a scheduler extender and its own device plugin that advertise
 * `nvidia.com/gpu` plus `nvidia.com/gpumem` and `nvidia.com/gpucores`, so several workloads share one GPU with
 * memory and compute limits (see `gpuResources`). It replaces NVIDIA's device plugin, which is an error to add too.
 */
export class Hami extends ChartComponent {
  static conflicts() {
    return [NvidiaDevicePlugin];
  }

  readonly splitCount: number;
  readonly memoryScaling: number;
  readonly nodePolicy: HamiSchedulerPolicy;
  readonly gpuPolicy: HamiSchedulerPolicy;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly runtimeClassName: string;
  readonly createRuntimeClass: boolean;
  /** The scheduler HAMi's webhook assigns to GPU pods. */
  readonly schedulerName = 'hami-scheduler';

  constructor(platform: Platform, props: HamiProps = {}) {
    checkProps(platform.layer('platform'), 'hami', 'HamiProps', props);
    const chart = props.chart ?? versions.hami.chart;
    const settings = {
      splitCount: props.splitCount ?? 30,
      memoryScaling: props.memoryScaling ?? 1,
      nodePolicy: props.nodePolicy ?? 'binpack',
      gpuPolicy: props.gpuPolicy ?? 'spread',
      nodeSelector: props.nodeSelector ?? { gpu: 'on' },
      runtimeClassName: props.runtimeClassName ?? 'nvidia',
      createRuntimeClass: props.createRuntimeClass ?? true,
    };
    super(platform, 'platform', 'hami', {
      namespace: props.namespace ?? 'hami-system',
      releaseName: 'hami',
      source: chart,
      version: chart.version,
      // The device plugin is privileged and mounts host paths.
      podSecurity: 'privileged',
      defaults: {
        scheduler: {
          // The chart's default image registry is a mirror in mainland China; Cozystack points it at registry.k8s.io.
          kubeScheduler: { image: { registry: 'registry.k8s.io', repository: 'kube-scheduler' } },
          defaultSchedulerPolicy: { nodeSchedulerPolicy: settings.nodePolicy, gpuSchedulerPolicy: settings.gpuPolicy },
        },
        devicePlugin: {
          deviceSplitCount: settings.splitCount,
          deviceMemoryScaling: settings.memoryScaling,
          nvidiaNodeSelector: { ...settings.nodeSelector },
          runtimeClassName: settings.runtimeClassName,
          createRuntimeClass: settings.createRuntimeClass,
          // Restarting the plugin restarts the GPU workloads of the node; HAMi and Cozystack roll it by hand.
          updateStrategy: { type: 'OnDelete' },
        },
      },
      values: props.values,
    });
    this.splitCount = settings.splitCount;
    this.memoryScaling = settings.memoryScaling;
    this.nodePolicy = settings.nodePolicy;
    this.gpuPolicy = settings.gpuPolicy;
    this.nodeSelector = settings.nodeSelector;
    this.runtimeClassName = settings.runtimeClassName;
    this.createRuntimeClass = settings.createRuntimeClass;
    this.check();
  }

  private check(): void {
    const problems = Problems.of(this);
    problems.check(
      Number.isInteger(this.splitCount) && this.splitCount >= 1 && this.splitCount <= 100,
      'splitCount',
      this.splitCount,
      'must be a whole number from 1 to 100',
    );
    problems.check(
      typeof this.memoryScaling === 'number' && this.memoryScaling > 0 && this.memoryScaling <= 10,
      'memoryScaling',
      this.memoryScaling,
      'must be a number above 0 and at most 10 (1 = no overcommit)',
    );
    problems.check(POLICIES.includes(this.nodePolicy), 'nodePolicy', this.nodePolicy, `must be one of ${POLICIES.join(', ')}`);
    problems.check(POLICIES.includes(this.gpuPolicy), 'gpuPolicy', this.gpuPolicy, `must be one of ${POLICIES.join(', ')}`);
    checkNodeSelector(problems, 'nodeSelector', this.nodeSelector);
    problems.check(isDnsSubdomain(this.runtimeClassName), 'runtimeClassName', this.runtimeClassName, 'must be a RuntimeClass name');
    problems.throwIfAny();
  }
}
