import { HelmChartSource } from '../../lib/releases/chart';

/** How pod traffic between nodes is carried (the Installation's `encapsulation`). */
export type CalicoEncapsulation = 'IPIP' | 'IPIPCrossSubnet' | 'VXLAN' | 'VXLANCrossSubnet' | 'None';
export const CALICO_ENCAPSULATIONS: readonly CalicoEncapsulation[] = ['IPIP', 'IPIPCrossSubnet', 'VXLAN', 'VXLANCrossSubnet', 'None'];

/** The Linux dataplane Felix programs. */
export type CalicoDataplane = 'Iptables' | 'Nftables';
export const CALICO_DATAPLANES: readonly CalicoDataplane[] = ['Iptables', 'Nftables'];

/** What Felix does with traffic from a pod to its own node, after the pod's egress policy. */
export type CalicoEndpointToHostAction = 'Accept' | 'Drop' | 'Return';

export type CalicoLogSeverity = 'Debug' | 'Info' | 'Warning' | 'Error' | 'Fatal';

/** How calico-node finds the address of its node (the Installation's `nodeAddressAutodetectionV4`). */
export type CalicoNodeAddressDetection =
  /** The node's InternalIP from the Kubernetes API. */
  | { readonly method: 'kubernetes' }
  /** The source address used to reach a destination (an IP or a DNS name). */
  | { readonly method: 'canReach'; readonly destination: string }
  /** The first address of an interface whose name matches the regular expression. */
  | { readonly method: 'interface'; readonly pattern: string }
  /** The first address of an interface whose name does not match the regular expression. */
  | { readonly method: 'skipInterface'; readonly pattern: string }
  /** The first address within one of the CIDRs. */
  | { readonly method: 'cidrs'; readonly cidrs: readonly string[] }
  /** The first address of the first interface that looks like a NIC. */
  | { readonly method: 'firstFound' };

/** An IP pool besides the pod network, such as a pool for one rack or for fixed addresses. */
export interface CalicoIpPool {
  readonly cidr: string;
  /** @default the Calico encapsulation */
  readonly encapsulation?: CalicoEncapsulation;
  /** Masquerade traffic leaving the pool to addresses outside every pool. @default true */
  readonly natOutgoing?: boolean;
  /** Prefix length of the per-node blocks. @default the Calico blockSize */
  readonly blockSize?: number;
  /** Calico selector of the nodes that allocate from the pool. @default 'all()' */
  readonly nodeSelector?: string;
  /** Stop new allocations from the pool. @default false */
  readonly disabled?: boolean;
}

/** An extra IP pool with its defaults applied. */
export type ResolvedCalicoIpPool = Required<CalicoIpPool>;

/** Cluster-wide Felix settings (the FelixConfiguration `default`). */
export interface CalicoFelixSettings {
  /** @default 'Accept' (as Olares and the operator's calico-node) */
  readonly workloadToHostAction?: CalicoEndpointToHostAction;
  /** @default false */
  readonly ipv6?: boolean;
  /**
   * Overrides of Felix's kernel feature detection.
   * @default { SNATFullyRandom: false, MASQFullyRandom: false } (the Olares patch)
   */
  readonly featureDetectOverride?: Readonly<Record<string, boolean>>;
  /** Encrypt pod traffic between nodes with WireGuard. @default false */
  readonly wireguard?: boolean;
  /** Serve Felix metrics on port 9091. @default false */
  readonly prometheusMetrics?: boolean;
  /** @default 'Info' */
  readonly logSeverity?: CalicoLogSeverity;
}

export interface CalicoProps {
  /** Namespace of the Tigera operator (Calico itself runs in `calico-system`). @default 'tigera-operator' */
  readonly namespace?: string;
  /** Chart to install. @default versions.calico.chart */
  readonly chart?: HelmChartSource;
  /** Chart values merged over kubestrata's (`mergeValues`: maps merge, lists and scalars replace, `null` removes a key). @default {} */
  readonly values?: Record<string, unknown>;
  /** The pod network; it must equal the cluster's pod CIDR (K3s `--cluster-cidr`). @default '10.233.64.0/18' (Olares) */
  readonly podCidr?: string;
  /** Prefix length of the address block each node takes from the pod network. @default 24 (Olares) */
  readonly blockSize?: number;
  /** @default 'IPIP' (Olares) */
  readonly encapsulation?: CalicoEncapsulation;
  /** Masquerade pod traffic that leaves the pod network. @default true */
  readonly natOutgoing?: boolean;
  /** Run BIRD and exchange routes over BGP; IPIP needs it. @default true (Olares) */
  readonly bgp?: boolean;
  /** MTU of pod interfaces. @default - detected from the node interfaces */
  readonly mtu?: number;
  /** @default 'Iptables' */
  readonly dataplane?: CalicoDataplane;
  /** @default { method: 'kubernetes' } (Olares detects the address that reaches the node IP) */
  readonly nodeAddressDetection?: CalicoNodeAddressDetection;
  /** Let pods forward IP packets, which K3s requires of its CNI. @default true when the platform delivers through K3s, else false */
  readonly containerIpForwarding?: boolean;
  /** Run the Calico API server that serves projectcalico.org/v3 to kubectl. @default false */
  readonly apiServer?: boolean;
  /** Where the operator reaches the Kubernetes API when no kube-proxy serves the `kubernetes` Service. @default - the `kubernetes` Service */
  readonly kubernetesServiceEndpoint?: { readonly host: string; readonly port: number };
  /** IP pools besides the pod network, by name. @default {} */
  readonly ipPools?: Readonly<Record<string, CalicoIpPool>>;
  /** @default the Olares settings, see CalicoFelixSettings */
  readonly felix?: CalicoFelixSettings;
}
