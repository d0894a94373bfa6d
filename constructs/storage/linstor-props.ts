import { HelmChartSource } from '../../lib/releases/chart';
import { ReclaimPolicy } from './storage-classes';

/** How a LINSTOR storage pool keeps volumes on a node. */
export type LinstorPoolType =
  /** Thin volumes in an LVM thin pool: snapshots and overprovisioning. */
  | 'lvmThin'
  /** Thick LVM logical volumes in a volume group. */
  | 'lvm'
  /** ZFS zvols in a zpool (as Cozystack prepares its `data` pool). */
  | 'zfs'
  /** Sparse ZFS zvols in a zpool. */
  | 'zfsThin';
export const LINSTOR_POOL_TYPES: readonly LinstorPoolType[] = ['lvmThin', 'lvm', 'zfs', 'zfsThin'];

interface LinstorPoolBase {
  /** LINSTOR name of the pool; StorageClasses refer to it. @default - its key in `storagePools` */
  readonly name?: string;
  /** Labels of the nodes that provide the pool. @default - every satellite */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Empty block devices the operator turns into the volume group or zpool, e.g. `['/dev/vdc']`. @default - the volume group or zpool already exists on the nodes */
  readonly devices?: readonly string[];
}

export interface LinstorLvmThinPool extends LinstorPoolBase {
  readonly type: 'lvmThin';
  /** @default - the pool name */
  readonly volumeGroup?: string;
  /** Thin pool logical volume, without the volume group. @default 'thinpool' */
  readonly thinPool?: string;
}

export interface LinstorLvmPool extends LinstorPoolBase {
  readonly type: 'lvm';
  /** @default - the pool name */
  readonly volumeGroup?: string;
}

export interface LinstorZfsPool extends LinstorPoolBase {
  readonly type: 'zfs' | 'zfsThin';
  /** @default - the pool name */
  readonly zpool?: string;
}

/** One storage pool on a set of nodes (a `LinstorSatelliteConfiguration`). */
export type LinstorStoragePool = LinstorLvmThinPool | LinstorLvmPool | LinstorZfsPool;

interface LinstorClassBase {
  /** StorageClass name. */
  readonly name?: string;
  /** LINSTOR storage pool the volumes are placed in. @default 'data' */
  readonly storagePool?: string;
  /** Annotates the class as the cluster's default. @default false */
  readonly default?: boolean;
  /** @default 'Delete' */
  readonly reclaimPolicy?: ReclaimPolicy;
}

/** The `local` class: one copy on the node where the pod runs, no DRBD (as Cozystack). */
export interface LinstorLocalClass extends LinstorClassBase {
  /** @default 'local' */
  readonly name?: string;
}

/** The `replicated` class: DRBD-replicated volumes, reachable from any node (as Cozystack). */
export interface LinstorReplicatedClass extends LinstorClassBase {
  /** @default 'replicated' */
  readonly name?: string;
  /** Copies of each volume. @default 3 @maximum 100 */
  readonly placementCount?: number;
  /**
   * More DRBD options of the volumes, by option path below `DrbdOptions/`, e.g. `{ 'Net/max-buffers': '8000' }`.
   * They are merged over Cozystack's quorum settings (auto-quorum suspend-io, on-no-data-accessible suspend-io,
   * on-suspended-primary-outdated force-secondary, rr-conflict retry-connect).
   * @default {}
   */
  readonly drbdOptions?: Readonly<Record<string, string>>;
}

export interface LinstorProps {
  /** Namespace of the operator, the controller and the CSI driver. @default 'piraeus-datastore' */
  readonly namespace?: string;
  /** Chart to install. @default versions.piraeusOperator.chart */
  readonly chart?: HelmChartSource;
  /** Chart values merged over kubestrata's (`mergeValues`: maps merge, lists and scalars replace, `null` removes a key). @default {} */
  readonly values?: Record<string, unknown>;
  /**
   * Storage pools, by key. Without pools the classes still name the pool `data`, which an administrator
   * creates with the `linstor` CLI, as Cozystack leaves it to them.
   * @default {}
   */
  readonly storagePools?: Readonly<Record<string, LinstorStoragePool>>;
  /**
   * The nodes run Talos Linux, which ships DRBD as a system extension: the satellites drop the DRBD module
   * loader and the systemd mounts, and keep LVM metadata under /var (Cozystack's `talos.enabled`).
   * @default false
   */
  readonly talos?: boolean;
  /** cert-manager issued TLS between controller and satellites and on the LINSTOR API. @default true */
  readonly tls?: boolean;
  /** Satellites (and DRBD) use the node network, as Piraeus recommends. @default true */
  readonly hostNetwork?: boolean;
  /** Labels of the nodes that run LINSTOR; volumes can only be used there. @default - every node */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Controller properties merged over Cozystack's DRBD network options (verify-alg, connect-int, ping-int, ping-timeout, timeout). @default {} */
  readonly properties?: Readonly<Record<string, string>>;
  /** The `local` StorageClass; `false` for none. @default {} */
  readonly localClass?: LinstorLocalClass | false;
  /** The `replicated` StorageClass; `false` for none. @default {} */
  readonly replicatedClass?: LinstorReplicatedClass | false;
}
