import { ApiObject } from 'cdk8s';
import { Problems } from '../../lib/core/errors';
import { MANAGED_BY } from '../../lib/core/labels';
import { isDnsLabel, isLabelKey } from '../../lib/core/names';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { checkQuantity } from '../../lib/core/quantity';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';
import {
  KubeVirtEvictionStrategy,
  KubeVirtFeatureGate,
  KubeVirtHandlerResources,
  KubeVirtMediatedDevice,
  KubeVirtMigrations,
  KubeVirtPciHostDevice,
  KubeVirtProps,
  KubeVirtUninstallStrategy,
  KubeVirtWorkloadUpdateMethod,
} from './kubevirt-props';
import { operatorChart } from './operator-chart';
import { KUBEVIRT_RUNTIME_KINDS } from './runtime-kinds';

export * from './kubevirt-props';

/** The feature gates Cozystack enables (packages/system/kubevirt/templates/kubevirt-cr.yaml). */
export const KUBEVIRT_DEFAULT_FEATURE_GATES: readonly KubeVirtFeatureGate[] = [
  'HotplugVolumes',
  'ExpandDisks',
  'LiveMigration',
  'AutoResourceLimitsGate',
  'CPUManager',
  'GPU',
  'VMExport',
];
const EVICTION_STRATEGIES: readonly KubeVirtEvictionStrategy[] = ['LiveMigrate', 'LiveMigrateIfPossible', 'External', 'None'];
const UPDATE_METHODS: readonly KubeVirtWorkloadUpdateMethod[] = ['LiveMigrate', 'Evict'];
const UNINSTALL_STRATEGIES: readonly KubeVirtUninstallStrategy[] = ['BlockUninstallIfWorkloadsExist', 'RemoveWorkloads'];
const GATE = /^[A-Z][A-Za-z0-9]*$/;
const PCI_SELECTOR = /^[0-9A-Fa-f]{4}:[0-9A-Fa-f]{4}$/;

/**
 * KubeVirt: virt-operator installed from a chart, and the `KubeVirt` CR that makes it deploy virt-api,
 * virt-controller and virt-handler, configured as Cozystack runs it. virt-operator registers the workload CRDs
 * (VirtualMachine, instancetypes, …) only once the CR is reconciled, so the deployment waits for the CR to be
 * Available and for those CRDs before any VM.
 */
export class KubeVirt extends ChartComponent {
  /** Name of the `KubeVirt` CR; virt-operator reconciles only one per cluster. */
  static readonly CR_NAME = 'kubevirt';

  readonly featureGates: readonly KubeVirtFeatureGate[];
  readonly disabledFeatureGates: readonly KubeVirtFeatureGate[];
  readonly useEmulation: boolean;
  readonly cpuAllocationRatio: number;
  readonly evictionStrategy: KubeVirtEvictionStrategy;
  readonly workloadUpdateMethods: readonly KubeVirtWorkloadUpdateMethod[];
  readonly migrations: KubeVirtMigrations;
  readonly commonInstancetypes: boolean;
  readonly serialConsoleLog: boolean;
  readonly handlerResources: Required<KubeVirtHandlerResources>;
  readonly pciHostDevices: readonly KubeVirtPciHostDevice[];
  readonly mediatedDevices: readonly KubeVirtMediatedDevice[];
  readonly uninstallStrategy: KubeVirtUninstallStrategy;
  /** The `KubeVirt` CR; anything that depends on it waits until it reports Available. */
  readonly cr: ApiObject;

  constructor(platform: Platform, props: KubeVirtProps = {}) {
    checkProps(platform.layer('virtualization'), 'kubevirt', 'KubeVirtProps', props);
    const version = props.version ?? versions.kubevirt.app;
    super(platform, 'virtualization', 'kubevirt', {
      namespace: props.namespace ?? 'kubevirt',
      releaseName: 'kubevirt-operator',
      source: operatorChart(platform, 'kubevirt', 'KubeVirt', props.chart, version, 'kubevirt-operator.yaml'),
      version,
      values: props.values,
      // virt-handler is a privileged DaemonSet in this namespace.
      podSecurity: 'privileged',
    });
    this.featureGates = props.featureGates ?? KUBEVIRT_DEFAULT_FEATURE_GATES;
    this.disabledFeatureGates = props.disabledFeatureGates ?? [];
    this.useEmulation = props.useEmulation ?? false;
    this.cpuAllocationRatio = props.cpuAllocationRatio ?? platform.allocationRatio.cpu;
    this.evictionStrategy = props.evictionStrategy ?? 'LiveMigrateIfPossible';
    this.workloadUpdateMethods = props.workloadUpdateMethods ?? ['LiveMigrate', 'Evict'];
    this.migrations = props.migrations ?? {};
    this.commonInstancetypes = props.commonInstancetypes ?? true;
    this.serialConsoleLog = props.serialConsoleLog ?? false;
    this.handlerResources = { cpuRequest: '100m', memoryRequest: '128Mi', memoryLimit: '2Gi', ...props.handlerResources };
    this.pciHostDevices = props.pciHostDevices ?? [];
    this.mediatedDevices = props.mediatedDevices ?? [];
    this.uninstallStrategy = props.uninstallStrategy ?? 'BlockUninstallIfWorkloadsExist';
    this.check(props);

    this.cr = new ApiObject(this, 'kubevirt', {
      apiVersion: 'kubevirt.io/v1',
      kind: 'KubeVirt',
      metadata: { name: KubeVirt.CR_NAME, namespace: this.namespace, labels: { ...MANAGED_BY } },
      spec: this.spec(),
    });
    this.cr.node.addDependency(this.release);
    platform.readiness.waitForCondition(this.cr, 'Available');
    platform.readiness.servedAtRuntime(this, KUBEVIRT_RUNTIME_KINDS);
  }

  private spec(): Record<string, unknown> {
    const m = this.migrations;
    const migrations = {
      bandwidthPerMigration: m.bandwidthPerMigration,
      parallelMigrationsPerCluster: m.parallelMigrationsPerCluster,
      parallelOutboundMigrationsPerNode: m.parallelOutboundMigrationsPerNode,
      completionTimeoutPerGiB: m.completionTimeoutPerGiB,
      progressTimeout: m.progressTimeout,
      allowAutoConverge: m.allowAutoConverge,
      allowPostCopy: m.allowPostCopy,
      network: m.network,
      disableTLS: m.disableTls,
    };
    const hasMigrations = Object.values(migrations).some((v) => v !== undefined);
    const handler = this.handlerResources;
    const handlerPatch = {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'virt-handler',
                resources: {
                  requests: { cpu: handler.cpuRequest, memory: handler.memoryRequest },
                  limits: { memory: handler.memoryLimit },
                },
              },
            ],
          },
        },
      },
    };
    const hostDevices = this.pciHostDevices.length > 0 || this.mediatedDevices.length > 0;
    return {
      certificateRotateStrategy: {},
      configuration: {
        commonInstancetypesDeployment: { enabled: this.commonInstancetypes },
        developerConfiguration: {
          featureGates: [...this.featureGates],
          disabledFeatureGates: this.disabledFeatureGates.length > 0 ? [...this.disabledFeatureGates] : undefined,
          useEmulation: this.useEmulation || undefined,
          cpuAllocationRatio: this.cpuAllocationRatio,
        },
        evictionStrategy: this.evictionStrategy,
        migrations: hasMigrations ? migrations : undefined,
        permittedHostDevices: hostDevices
          ? {
              pciHostDevices: this.pciHostDevices.length > 0 ? this.pciHostDevices.map((d) => ({ ...d })) : undefined,
              mediatedDevices: this.mediatedDevices.length > 0 ? this.mediatedDevices.map((d) => ({ ...d })) : undefined,
            }
          : undefined,
        virtualMachineOptions: this.serialConsoleLog ? undefined : { disableSerialConsoleLog: {} },
        vmRolloutStrategy: 'LiveUpdate',
      },
      workloadUpdateStrategy: {
        workloadUpdateMethods: [...this.workloadUpdateMethods],
        batchEvictionInterval: '1m',
        batchEvictionSize: 10,
      },
      customizeComponents: {
        patches: [{ resourceName: 'virt-handler', resourceType: 'DaemonSet', type: 'strategic', patch: JSON.stringify(handlerPatch) }],
      },
      imagePullPolicy: 'IfNotPresent',
      uninstallStrategy: this.uninstallStrategy,
    };
  }

  private check(props: KubeVirtProps): void {
    const problems = Problems.of(this);
    const gates = (property: string, list: readonly string[]) => {
      for (const gate of list)
        problems.check(
          typeof gate === 'string' && GATE.test(gate),
          property,
          gate,
          'must be a feature gate name in PascalCase such as "HotplugVolumes"',
        );
    };
    gates('featureGates', this.featureGates);
    gates('disabledFeatureGates', this.disabledFeatureGates);
    for (const gate of this.disabledFeatureGates.filter((g) => this.featureGates.includes(g))) {
      problems.add(
        'disabledFeatureGates',
        gate,
        'is also in featureGates; KubeVirt refuses a CR that names a gate in both lists',
        'remove it from one of them',
      );
    }
    problems.check(
      Number.isInteger(this.cpuAllocationRatio) && this.cpuAllocationRatio >= 1,
      'cpuAllocationRatio',
      this.cpuAllocationRatio,
      'must be a whole number ≥ 1 (KubeVirt takes an integer)',
      props.cpuAllocationRatio === undefined ? 'set cpuAllocationRatio, or a whole platform allocationRatio.cpu' : undefined,
    );
    problems.check(
      EVICTION_STRATEGIES.includes(this.evictionStrategy),
      'evictionStrategy',
      this.evictionStrategy,
      `must be one of ${EVICTION_STRATEGIES.join(', ')}`,
    );
    for (const method of this.workloadUpdateMethods) {
      problems.check(UPDATE_METHODS.includes(method), 'workloadUpdateMethods', method, `must be one of ${UPDATE_METHODS.join(', ')}`);
    }
    problems.check(
      UNINSTALL_STRATEGIES.includes(this.uninstallStrategy),
      'uninstallStrategy',
      this.uninstallStrategy,
      `must be one of ${UNINSTALL_STRATEGIES.join(', ')}`,
    );
    const m = this.migrations;
    if (m.bandwidthPerMigration !== undefined) checkQuantity(problems, 'migrations.bandwidthPerMigration', m.bandwidthPerMigration, '64Mi');
    for (const key of [
      'parallelMigrationsPerCluster',
      'parallelOutboundMigrationsPerNode',
      'completionTimeoutPerGiB',
      'progressTimeout',
    ] as const) {
      const value = m[key];
      if (value !== undefined)
        problems.check(Number.isInteger(value) && value >= 1, `migrations.${key}`, value, 'must be a whole number ≥ 1');
    }
    if (m.network !== undefined)
      problems.check(
        isDnsLabel(m.network),
        'migrations.network',
        m.network,
        'must be the name of a NetworkAttachmentDefinition in the KubeVirt namespace',
      );
    const h = this.handlerResources;
    checkQuantity(problems, 'handlerResources.cpuRequest', h.cpuRequest, '100m');
    checkQuantity(problems, 'handlerResources.memoryRequest', h.memoryRequest, '128Mi');
    checkQuantity(problems, 'handlerResources.memoryLimit', h.memoryLimit, '2Gi');
    this.pciHostDevices.forEach((d, i) => {
      problems.check(
        PCI_SELECTOR.test(d.pciVendorSelector),
        `pciHostDevices[${i}].pciVendorSelector`,
        d.pciVendorSelector,
        'must be "vendor:device" in hex, e.g. "10DE:2335"',
      );
      problems.check(
        isLabelKey(d.resourceName, 'required'),
        `pciHostDevices[${i}].resourceName`,
        d.resourceName,
        'must be an extended resource name such as "nvidia.com/A100"',
      );
    });
    this.mediatedDevices.forEach((d, i) => {
      problems.check(
        typeof d.mdevNameSelector === 'string' && d.mdevNameSelector.trim() !== '',
        `mediatedDevices[${i}].mdevNameSelector`,
        d.mdevNameSelector,
        'must name an mdev type such as "NVIDIA L40S-24Q"',
      );
      problems.check(
        isLabelKey(d.resourceName, 'required'),
        `mediatedDevices[${i}].resourceName`,
        d.resourceName,
        'must be an extended resource name such as "nvidia.com/L40S-24Q"',
      );
    });
    problems.throwIfAny();
  }
}
