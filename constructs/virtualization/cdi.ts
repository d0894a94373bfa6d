import { ApiObject } from 'cdk8s';
import { Problems } from '../../lib/core/errors';
import { MANAGED_BY } from '../../lib/core/labels';
import { isDnsSubdomain } from '../../lib/core/names';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { checkQuantity, parseQuantity, Quantity } from '../../lib/core/quantity';
import { StorageClassInput } from '../../lib/core/storage-class';
import { HelmChartSource } from '../../lib/releases/chart';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';
import { useStorageClass } from '../storage/storage-classes';
import { operatorChart } from './operator-chart';
import { CDI_RUNTIME_KINDS } from './runtime-kinds';

/** How CDI copies a PVC when a disk is cloned from another disk or a golden image. */
export type CdiCloneStrategy =
  /** Host-assisted copy through a pod: works with any storage, slowest. */
  | 'copy'
  /** A VolumeSnapshot, then a PVC from it. */
  | 'snapshot'
  /** The CSI driver's own clone (as Cozystack on LINSTOR). */
  | 'csi-clone';

/** Whether deleting the `CDI` CR may delete existing DataVolumes. */
export type CdiUninstallStrategy = 'BlockUninstallIfWorkloadsExist' | 'RemoveWorkloads';

/** A CDI feature gate (`spec.config.featureGates`). */
export type CdiFeatureGate =
  'HonorWaitForFirstConsumer' | 'ExpandDisks' | 'DataVolumeClaimAdoption' | 'WebhookPvcRendering' | (string & {});

/** Requests and limits of the importer, uploader and cloner pods CDI starts in tenant namespaces. */
export interface CdiPodResources {
  /** @default '100m' */
  readonly cpuRequest?: Quantity;
  /** @default '60M' */
  readonly memoryRequest?: Quantity;
  /** @default '750m' */
  readonly cpuLimit?: Quantity;
  /** @default '600M' */
  readonly memoryLimit?: Quantity;
}

export interface CdiProps {
  /**
   * The chart that installs cdi-operator `version` (its CRD, RBAC and Deployment, without the Namespace). Required:
   * CDI publishes its operator as the release manifest `cdi-operator.yaml`, not as a Helm chart.
   */
  readonly chart?: HelmChartSource;
  /** cdi-operator version the chart installs. @default versions.cdi.app */
  readonly version?: string;
  /** Namespace of cdi-operator and its components. @default 'cdi' */
  readonly namespace?: string;
  /** Chart values merged over kubestrata's (`mergeValues`: maps merge, lists and scalars replace, `null` removes a key). @default {} */
  readonly values?: Record<string, unknown>;
  /** @default ['HonorWaitForFirstConsumer', 'ExpandDisks'] (as Cozystack) */
  readonly featureGates?: readonly CdiFeatureGate[];
  /** Force one clone strategy; Cozystack forces 'csi-clone' on LINSTOR. @default - CDI picks one per StorageProfile */
  readonly cloneStrategy?: CdiCloneStrategy;
  /** @default CDI's own values, as Cozystack restates them: 100m/60M requests, 750m/600M limits */
  readonly podResources?: CdiPodResources;
  /** Public https URL of cdi-uploadproxy that `virtctl image-upload` uses. @default - the in-cluster Service */
  readonly uploadProxyUrl?: string;
  /** StorageClass of the scratch space used while converting images. @default - the class of the target PVC */
  readonly scratchSpaceStorageClass?: StorageClassInput;
  /** Opt-out of the protection that keeps the CR from being deleted while DataVolumes exist. @default 'BlockUninstallIfWorkloadsExist' */
  readonly uninstallStrategy?: CdiUninstallStrategy;
}

const CLONE_STRATEGIES: readonly CdiCloneStrategy[] = ['copy', 'snapshot', 'csi-clone'];
const UNINSTALL_STRATEGIES: readonly CdiUninstallStrategy[] = ['BlockUninstallIfWorkloadsExist', 'RemoveWorkloads'];
const GATE = /^[A-Z][A-Za-z0-9]*$/;

/**
 * The Containerized Data Importer: cdi-operator installed from a chart, and the cluster-scoped `CDI` CR, configured
 * as Cozystack runs it. cdi-operator registers DataVolume, DataSource, DataImportCron, … at run time, so the
 * deployment waits for the CR to be Available and for those CRDs before any disk or image.
 */
export class Cdi extends ChartComponent {
  /** Name of the cluster-scoped `CDI` CR. */
  static readonly CR_NAME = 'cdi';

  readonly featureGates: readonly CdiFeatureGate[];
  readonly cloneStrategy?: CdiCloneStrategy;
  readonly podResources: Required<CdiPodResources>;
  readonly uploadProxyUrl?: string;
  readonly scratchSpaceStorageClass?: string;
  readonly uninstallStrategy: CdiUninstallStrategy;
  /** The `CDI` CR; anything that depends on it waits until it reports Available. */
  readonly cr: ApiObject;

  constructor(platform: Platform, props: CdiProps = {}) {
    checkProps(platform.layer('virtualization'), 'cdi', 'CdiProps', props);
    const version = props.version ?? versions.cdi.app;
    super(platform, 'virtualization', 'cdi', {
      namespace: props.namespace ?? 'cdi',
      releaseName: 'cdi-operator',
      source: operatorChart(platform, 'cdi', 'CDI', props.chart, version, 'cdi-operator.yaml'),
      version,
      values: props.values,
    });
    this.featureGates = props.featureGates ?? ['HonorWaitForFirstConsumer', 'ExpandDisks'];
    this.cloneStrategy = props.cloneStrategy;
    this.podResources = { cpuRequest: '100m', memoryRequest: '60M', cpuLimit: '750m', memoryLimit: '600M', ...props.podResources };
    this.uploadProxyUrl = props.uploadProxyUrl;
    this.scratchSpaceStorageClass = useStorageClass(this, props.scratchSpaceStorageClass);
    this.uninstallStrategy = props.uninstallStrategy ?? 'BlockUninstallIfWorkloadsExist';
    this.check();

    const r = this.podResources;
    this.cr = new ApiObject(this, 'cdi', {
      apiVersion: 'cdi.kubevirt.io/v1beta1',
      kind: 'CDI',
      metadata: { name: Cdi.CR_NAME, labels: { ...MANAGED_BY } },
      spec: {
        cloneStrategyOverride: this.cloneStrategy,
        config: {
          featureGates: [...this.featureGates],
          podResourceRequirements: {
            requests: { cpu: r.cpuRequest, memory: r.memoryRequest },
            limits: { cpu: r.cpuLimit, memory: r.memoryLimit },
          },
          uploadProxyURLOverride: this.uploadProxyUrl,
          scratchSpaceStorageClass: this.scratchSpaceStorageClass,
        },
        imagePullPolicy: 'IfNotPresent',
        infra: {
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
        },
        workload: { nodeSelector: { 'kubernetes.io/os': 'linux' } },
        uninstallStrategy: this.uninstallStrategy,
      },
    });
    this.cr.node.addDependency(this.release);
    platform.readiness.waitForCondition(this.cr, 'Available');
    platform.readiness.servedAtRuntime(this, CDI_RUNTIME_KINDS);
  }

  private check(): void {
    const problems = Problems.of(this);
    for (const gate of this.featureGates) {
      problems.check(
        typeof gate === 'string' && GATE.test(gate),
        'featureGates',
        gate,
        'must be a feature gate name in PascalCase such as "HonorWaitForFirstConsumer"',
      );
    }
    if (this.cloneStrategy !== undefined) {
      problems.check(
        CLONE_STRATEGIES.includes(this.cloneStrategy),
        'cloneStrategy',
        this.cloneStrategy,
        `must be one of ${CLONE_STRATEGIES.join(', ')}`,
      );
    }
    const r = this.podResources;
    checkQuantity(problems, 'podResources.cpuRequest', r.cpuRequest, '100m');
    checkQuantity(problems, 'podResources.memoryRequest', r.memoryRequest, '60M');
    checkQuantity(problems, 'podResources.cpuLimit', r.cpuLimit, '750m');
    checkQuantity(problems, 'podResources.memoryLimit', r.memoryLimit, '600M');
    for (const [request, limit, name] of [
      [r.cpuRequest, r.cpuLimit, 'cpu'],
      [r.memoryRequest, r.memoryLimit, 'memory'],
    ] as const) {
      const [req, lim] = [parseQuantity(request), parseQuantity(limit)];
      if (req !== undefined && lim !== undefined) {
        problems.check(
          req <= lim,
          `podResources.${name}Request`,
          request,
          `exceeds podResources.${name}Limit (${limit}); Kubernetes rejects such pods`,
        );
      }
    }
    if (this.uploadProxyUrl !== undefined) {
      problems.check(
        /^https:\/\/[^\s/]+(\/\S*)?$/.test(this.uploadProxyUrl),
        'uploadProxyUrl',
        this.uploadProxyUrl,
        'must be an https:// URL',
        'write it like "https://cdi-uploadproxy.example.com"',
      );
    }
    if (this.scratchSpaceStorageClass !== undefined) {
      problems.check(
        isDnsSubdomain(this.scratchSpaceStorageClass),
        'scratchSpaceStorageClass',
        this.scratchSpaceStorageClass,
        'must be a StorageClass name',
      );
    }
    problems.check(
      UNINSTALL_STRATEGIES.includes(this.uninstallStrategy),
      'uninstallStrategy',
      this.uninstallStrategy,
      `must be one of ${UNINSTALL_STRATEGIES.join(', ')}`,
    );
    problems.throwIfAny();
  }
}
