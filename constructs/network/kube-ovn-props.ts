import { HelmChartSource } from '../../lib/releases/chart';

/** The node operating system, which decides where OVS keeps its state and who loads the kernel modules. */
export type NodeOs =
  /** Talos: read-only /etc, kernel modules loaded by the machine config, API through KubePrism on localhost:7445. */
  | 'talos'
  /** A general-purpose Linux host (K3s, kubeadm). */
  | 'generic';

/** Optional Kube-OVN features (the chart's `func` and `networking` switches). */
export interface KubeOvnFeatures {
  /** TLS between the OVN databases and their clients. @default true (Cozystack) */
  readonly ssl?: boolean;
  /** IPsec between nodes. @default false */
  readonly ipsec?: boolean;
  /** VPC NAT gateways (EIP, SNAT, DNAT for custom VPCs). @default true */
  readonly natGateway?: boolean;
  /** Keep the IP of a KubeVirt VM across restarts and migrations. @default true */
  readonly keepVmIp?: boolean;
  /** Prometheus metrics of the Kube-OVN daemons. @default true */
  readonly metrics?: boolean;
}

export interface KubeOvnProps {
  /** Namespace of Kube-OVN's own pods; may be kube-system, where upstream installs it. @default 'kube-ovn' */
  readonly namespace?: string;
  /** Chart to install. @default versions.kubeOvn.chart */
  readonly chart?: HelmChartSource;
  /** Chart values merged over kubestrata's (`mergeValues`: maps merge, lists and scalars replace, `null` removes a key). @default {} */
  readonly values?: Record<string, unknown>;
  /** The default subnet `ovn-default`; it must not overlap the nodes' own pod CIDR. @default '10.244.0.0/16' (Cozystack) */
  readonly podCidr?: string;
  /** @default the first address of podCidr */
  readonly podGateway?: string;
  /** The `join` subnet between nodes and pods. @default '100.64.0.0/16' (Cozystack) */
  readonly joinCidr?: string;
  /** The cluster's Service CIDR, exactly as the API server has it. @default '10.96.0.0/16' (Cozystack) */
  readonly serviceCidr?: string;
  /**
   * Cilium runs chained behind Kube-OVN and enforces NetworkPolicy and balances Services (kube-proxy replacement),
   * as in Cozystack; the platform must then have a `Cilium`. With false, Kube-OVN does both itself.
   * @default true
   */
  readonly cilium?: boolean;
  /** @default see KubeOvnFeatures */
  readonly features?: KubeOvnFeatures;
  /** @default 'talos' when the platform delivers through Flux (Cozystack), 'generic' through K3s */
  readonly nodeOs?: NodeOs;
  /**
   * Label of the nodes that run the OVN databases, `key` or `key=value`.
   * @default 'node-role.kubernetes.io/control-plane' ('…=true' on K3s, which sets that value)
   */
  readonly masterNodesLabel?: string;
  /** Internal IPs of the OVN database nodes, instead of finding them by label. @default - found by masterNodesLabel */
  readonly masterNodes?: readonly string[];
  /** MTU of the subnets created through this Kube-OVN (the default subnet takes the MTU kube-ovn-cni detects). @default - detected */
  readonly mtu?: number;
}
