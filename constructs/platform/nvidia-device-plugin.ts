import { Problems } from '../../lib/core/errors';
import { isDnsSubdomain } from '../../lib/core/names';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { HelmChartSource } from '../../lib/releases/chart';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';
import { checkNodeSelector } from './gpu-node-selector';

export interface NvidiaDevicePluginProps {
  /** @default 'nvidia-device-plugin' */
  readonly namespace?: string;
  /** Chart to install. @default versions.nvidiaDevicePlugin.chart */
  readonly chart?: HelmChartSource;
  /**
   * RuntimeClass of the plugin pods, for nodes where the NVIDIA container runtime is not containerd's default
   * (K3s registers one named "nvidia"). @default - the node's default runtime (Olares makes nvidia the default)
   */
  readonly runtimeClassName?: string;
  /** Nodes that run the plugin. @default { 'nvidia.com/gpu.present': 'true' } (the label the chart's own affinity accepts) */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Chart values merged over kubestrata's (`mergeValues`: maps merge, lists and scalars replace, `null` removes a key). @default {} */
  readonly values?: Record<string, unknown>;
}

/**
 * NVIDIA's device plugin: advertises each GPU as one `nvidia.com/gpu`, so a workload gets whole GPUs exclusively.
 * For sharing a GPU between workloads use `Hami` instead; the two cannot run together.
 */
export class NvidiaDevicePlugin extends ChartComponent {
  readonly runtimeClassName?: string;
  readonly nodeSelector: Readonly<Record<string, string>>;

  constructor(platform: Platform, props: NvidiaDevicePluginProps = {}) {
    checkProps(platform.layer('platform'), 'nvidia-device-plugin', 'NvidiaDevicePluginProps', props);
    const chart = props.chart ?? versions.nvidiaDevicePlugin.chart;
    const nodeSelector = props.nodeSelector ?? { 'nvidia.com/gpu.present': 'true' };
    super(platform, 'platform', 'nvidia-device-plugin', {
      namespace: props.namespace ?? 'nvidia-device-plugin',
      releaseName: 'nvidia-device-plugin',
      source: chart,
      version: chart.version,
      // The plugin mounts the kubelet's device-plugins directory from the host.
      podSecurity: 'privileged',
      defaults: {
        nodeSelector: { ...nodeSelector },
        runtimeClassName: props.runtimeClassName,
        failOnInitError: true,
      },
      values: props.values,
    });
    this.runtimeClassName = props.runtimeClassName;
    this.nodeSelector = nodeSelector;
    const problems = Problems.of(this);
    if (this.runtimeClassName !== undefined)
      problems.check(isDnsSubdomain(this.runtimeClassName), 'runtimeClassName', this.runtimeClassName, 'must be a RuntimeClass name');
    checkNodeSelector(problems, 'nodeSelector', this.nodeSelector);
    problems.throwIfAny();
  }
}
