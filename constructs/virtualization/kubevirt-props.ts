import { Quantity } from '../../lib/core/quantity';
import { HelmChartSource } from '../../lib/releases/chart';

/**
 * A KubeVirt feature gate. The names listed are the gates of the 1.8 line that platforms commonly set; the set
 * changes between releases, so any other PascalCase name is accepted for a `version` override.
 */
export type KubeVirtFeatureGate =
  | 'HotplugVolumes'
  | 'DeclarativeHotplugVolumes'
  | 'ExpandDisks'
  | 'LiveMigration'
  | 'AutoResourceLimitsGate'
  | 'CPUManager'
  | 'GPU'
  | 'HostDevices'
  | 'VMExport'
  | 'Snapshot'
  | 'HostDisk'
  | 'Sidecar'
  | 'DownwardMetrics'
  | 'NUMA'
  | 'AlignCPUs'
  | 'VSOCK'
  | 'Root'
  | 'KubevirtSeccompProfile'
  | 'PersistentReservation'
  | 'MultiArchitecture'
  | 'ImageVolume'
  | 'VideoConfig'
  | 'PanicDevices'
  | 'ObjectGraph'
  | 'DecentralizedLiveMigration'
  | 'GPUsWithDRA'
  | 'HostDevicesWithDRA'
  | 'WorkloadEncryptionSEV'
  | 'SecureExecution'
  | 'NodeRestriction'
  | 'DisableMDEVConfiguration'
  | 'VirtIOFSConfigVolumesGate'
  | 'VirtIOFSStorageVolumeGate'
  | 'PasstIPStackMigration'
  | 'ExperimentalIgnitionSupport'
  | (string & {});

/** What happens to a VM when its node is drained. */
export type KubeVirtEvictionStrategy =
  /** Migrate; block the drain if the VM cannot migrate. */
  | 'LiveMigrate'
  /** Migrate when possible, otherwise shut the VM down (as Cozystack). */
  | 'LiveMigrateIfPossible'
  /** Leave it to an external controller (Cluster API workers). */
  | 'External'
  /** Shut the VM down. */
  | 'None';

/** How running VMs move to new virt-launcher pods after a KubeVirt upgrade. */
export type KubeVirtWorkloadUpdateMethod = 'LiveMigrate' | 'Evict';

/** Whether deleting the `KubeVirt` CR may delete running VMs. */
export type KubeVirtUninstallStrategy = 'BlockUninstallIfWorkloadsExist' | 'RemoveWorkloads';

/** Cluster-wide live-migration settings (`spec.configuration.migrations`). Unset entries keep KubeVirt's defaults. */
export interface KubeVirtMigrations {
  /** Bandwidth each migration may use per second, e.g. `"64Mi"`. @default - unlimited */
  readonly bandwidthPerMigration?: Quantity;
  /** Migrations running at once in the cluster. @default - KubeVirt's default (5) */
  readonly parallelMigrationsPerCluster?: number;
  /** Migrations leaving one node at once. @default - KubeVirt's default (2) */
  readonly parallelOutboundMigrationsPerNode?: number;
  /** Seconds per GiB of guest memory before a migration is cancelled. @default - KubeVirt's default (150) */
  readonly completionTimeoutPerGiB?: number;
  /** Seconds without progress before a migration is cancelled. @default - KubeVirt's default (150) */
  readonly progressTimeout?: number;
  /** Slow the guest down so that a busy VM converges. @default false */
  readonly allowAutoConverge?: boolean;
  /** Switch to post-copy when pre-copy does not converge; a network failure then loses the VM. @default false */
  readonly allowPostCopy?: boolean;
  /** A NetworkAttachmentDefinition in the KubeVirt namespace to migrate over. @default - the pod network */
  readonly network?: string;
  /** Opt-out of TLS between the source and target virt-handler. @default false */
  readonly disableTls?: boolean;
}

/** A PCI device (GPU passthrough) that VMs may request by resource name. */
export interface KubeVirtPciHostDevice {
  /** `vendor:device`, e.g. `"10DE:2335"`. */
  readonly pciVendorSelector: string;
  /** The extended resource VMs request, e.g. `"nvidia.com/GH100_H200_SXM_141GB"`. */
  readonly resourceName: string;
  /** A device plugin other than KubeVirt's publishes the resource (NVIDIA's sandbox device plugin). @default false */
  readonly externalResourceProvider?: boolean;
}

/** A mediated device (vGPU) that VMs may request by resource name. */
export interface KubeVirtMediatedDevice {
  /** The mdev type name, e.g. `"NVIDIA L40S-24Q"`. */
  readonly mdevNameSelector: string;
  readonly resourceName: string;
  /** @default false */
  readonly externalResourceProvider?: boolean;
}

/** Resources of the virt-handler DaemonSet, which virt-operator owns and Cozystack patches. */
export interface KubeVirtHandlerResources {
  /** @default '100m' */
  readonly cpuRequest?: Quantity;
  /** @default '128Mi' */
  readonly memoryRequest?: Quantity;
  /** @default '2Gi' */
  readonly memoryLimit?: Quantity;
}

export interface KubeVirtProps {
  /**
   * The chart that installs virt-operator `version` (its CRD, RBAC and Deployment, without the Namespace). Required:
   * KubeVirt publishes its operator as the release manifest `kubevirt-operator.yaml`, not as a Helm chart, so a
   * platform wraps that manifest in a chart it hosts (Cozystack's packages/system/kubevirt-operator does exactly this).
   */
  readonly chart?: HelmChartSource;
  /** virt-operator version the chart installs; the CR and VMs are validated against it. @default versions.kubevirt.app */
  readonly version?: string;
  /** Namespace of virt-operator and the `KubeVirt` CR. @default 'kubevirt' */
  readonly namespace?: string;
  /** Chart values merged over kubestrata's (`mergeValues`: maps merge, lists and scalars replace, `null` removes a key). @default {} */
  readonly values?: Record<string, unknown>;
  /**
   * Feature gates to enable.
   * @default ['HotplugVolumes', 'ExpandDisks', 'LiveMigration', 'AutoResourceLimitsGate', 'CPUManager', 'GPU', 'VMExport'] (as Cozystack)
   */
  readonly featureGates?: readonly KubeVirtFeatureGate[];
  /** Feature gates to switch off, e.g. Beta gates that are on by default. @default [] */
  readonly disabledFeatureGates?: readonly KubeVirtFeatureGate[];
  /** Run guests in software emulation, for nodes without /dev/kvm (nested clouds, CI). Slow. @default false */
  readonly useEmulation?: boolean;
  /** vCPUs per requested CPU core of a virt-launcher pod. @default platform.allocationRatio.cpu */
  readonly cpuAllocationRatio?: number;
  /** @default 'LiveMigrateIfPossible' (as Cozystack) */
  readonly evictionStrategy?: KubeVirtEvictionStrategy;
  /** @default ['LiveMigrate', 'Evict'] (as Cozystack, batches of 10 every minute) */
  readonly workloadUpdateMethods?: readonly KubeVirtWorkloadUpdateMethod[];
  /** @default {} */
  readonly migrations?: KubeVirtMigrations;
  /**
   * Let virt-operator deploy the common instancetypes and preferences (`u1.medium`, `ubuntu`, …) that VMs refer to.
   * Cozystack turns this off because it ships its own copies of them.
   * @default true
   */
  readonly commonInstancetypes?: boolean;
  /** Keep a log of each VM's serial console in its virt-launcher pod. @default false (as Cozystack) */
  readonly serialConsoleLog?: boolean;
  /** @default { cpuRequest: '100m', memoryRequest: '128Mi', memoryLimit: '2Gi' } (as Cozystack) */
  readonly handlerResources?: KubeVirtHandlerResources;
  /** PCI devices VMs may pass through. Needs the HostDevices feature gate. @default [] */
  readonly pciHostDevices?: readonly KubeVirtPciHostDevice[];
  /** Mediated devices (vGPU) VMs may use. @default [] */
  readonly mediatedDevices?: readonly KubeVirtMediatedDevice[];
  /** Opt-out of the protection that keeps the CR from being deleted while VMs exist. @default 'BlockUninstallIfWorkloadsExist' */
  readonly uninstallStrategy?: KubeVirtUninstallStrategy;
}
