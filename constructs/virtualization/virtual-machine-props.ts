import { Quantity } from '../../lib/core/quantity';
import { SecretRef } from '../../lib/core/secrets';
import { VmDisk } from './vm-disk';

/** The power policy of a VM (`spec.runStrategy`). */
export type VmRunStrategy =
  /** Keep the VM running; restart it whenever it stops. */
  | 'Always'
  /** Keep it stopped. */
  | 'Halted'
  /** Start and stop it only on request (virtctl start/stop). */
  | 'Manual'
  /** Restart it only when it fails, not when the guest shuts down. */
  | 'RerunOnFailure'
  /** Run it once to completion. */
  | 'Once';

/** Bus a disk is attached on. */
export type VmDiskBus = 'virtio' | 'sata' | 'scsi';

/** A disk attached to a VM; the order of the list is the boot order. */
export interface VmDiskAttachment {
  readonly disk: VmDisk;
  /** @default - the preference's bus, else virtio (sata for an optical disk) */
  readonly bus?: VmDiskBus;
}

/** Explicit sizing instead of an instancetype. */
export interface VmResources {
  /** Virtual CPU cores. @maximum 1024 */
  readonly cpu: number;
  /** Guest memory, e.g. `"4Gi"`. */
  readonly memory: Quantity;
  /** CPU sockets the cores are spread over. @default 1 @maximum 1024 */
  readonly sockets?: number;
}

export interface VirtualMachineProps {
  /**
   * A `VirtualMachineClusterInstancetype` that sizes the VM. Ignored when `resources` is given.
   * @default 'u1.medium' (as Cozystack: 1 vCPU, 4Gi)
   */
  readonly instancetype?: string;
  /** A `VirtualMachineClusterPreference` (OS profile: disk bus, firmware, clock). @default 'ubuntu' (as Cozystack) */
  readonly preference?: string;
  /** Explicit CPU and memory instead of an instancetype. @default - the instancetype */
  readonly resources?: VmResources;
  /** Disks by reference, in boot order. A VM needs at least one. @maxItems 256 */
  readonly disks: readonly (VmDisk | VmDiskAttachment)[];
  /** Cloud-init NoCloud user data from a Secret with the key `userdata` (and optionally `networkdata`). @default - none */
  readonly cloudInit?: SecretRef;
  /**
   * Kube-OVN subnets the VM gets an extra NIC on, by the name of their NetworkAttachmentDefinition in the tenant
   * namespace (bridge binding, as Cozystack's VPC subnets). The first NIC is always the pod network (masquerade).
   * @default []
   */
  readonly subnets?: readonly string[];
  /** @default 'Always' (as Cozystack) */
  readonly runStrategy?: VmRunStrategy;
  /** Publish `externalPorts` through a Service of type LoadBalancer. @default false */
  readonly external?: boolean;
  /** TCP ports of the guest reachable from outside when `external`. @default [22] (as Cozystack) @maxItems 1000 */
  readonly externalPorts?: readonly number[];
  /** Client CIDRs allowed to reach the external ports. @default - any address */
  readonly externalSourceRanges?: readonly string[];
  /** Let the guest reach addresses outside the cluster (package mirrors, APIs). @default true (as Cozystack, which allows world egress) */
  readonly internetAccess?: boolean;
}
