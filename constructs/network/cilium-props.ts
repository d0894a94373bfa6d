import { HelmChartSource } from '../../lib/releases/chart';
import { NodeOs } from './kube-ovn-props';

/** How Cilium attaches to pods. */
export type CiliumMode =
  /** Cilium is the CNI and does pod IPAM (from the nodes' pod CIDRs). */
  | 'standalone'
  /** Kube-OVN is the CNI; Cilium runs as a generic-veth chained plugin behind it (Cozystack). */
  | 'kube-ovn-chained';
export const CILIUM_MODES: readonly CiliumMode[] = ['standalone', 'kube-ovn-chained'];

/** Where Cilium reaches the Kubernetes API without kube-proxy. */
export interface CiliumApiServer {
  readonly host: string;
  readonly port: number;
}

/** Addresses Cilium's LB-IPAM may give Services of type LoadBalancer (a CiliumLoadBalancerIPPool). */
export interface CiliumLoadBalancerIpPool {
  /** CIDRs (`10.0.10.0/24`) or ranges (`10.0.10.100-10.0.10.200`). */
  readonly blocks: readonly string[];
  /** Only Services with these labels get addresses from the pool. @default - every Service */
  readonly serviceSelector?: Readonly<Record<string, string>>;
}

export interface CiliumProps {
  /** Namespace of Cilium's pods; may be kube-system, where upstream installs it. @default 'cilium' */
  readonly namespace?: string;
  /** Chart to install. @default versions.cilium.chart */
  readonly chart?: HelmChartSource;
  /** Chart values merged over kubestrata's (`mergeValues`: maps merge, lists and scalars replace, `null` removes a key). @default {} */
  readonly values?: Record<string, unknown>;
  /** @default 'kube-ovn-chained' when the platform has a KubeOvn, else 'standalone' */
  readonly mode?: CiliumMode;
  /** Replace kube-proxy: Cilium balances Services in eBPF; the nodes must run without kube-proxy. @default true (Cozystack) */
  readonly kubeProxyReplacement?: boolean;
  /** @default the KubeOvn's nodeOs when chained, else 'talos' when the platform delivers through Flux and 'generic' through K3s */
  readonly nodeOs?: NodeOs;
  /**
   * The Kubernetes API endpoint Cilium uses while it is itself what serves the `kubernetes` Service.
   * @default { host: 'localhost', port: 7445 } on Talos (KubePrism); required on generic nodes with kubeProxyReplacement
   */
  readonly apiServer?: CiliumApiServer;
  /** Enforce host policies in eBPF. @default true (Cozystack) */
  readonly hostFirewall?: boolean;
  /** Hubble flow observability. @default false (Cozystack) */
  readonly hubble?: boolean;
  /** @default 1 (Cozystack) @maximum 100 */
  readonly operatorReplicas?: number;
  /** Devices that carry the eBPF datapath. @default ['ovn0', 'genev_sys_6081'] when chained (Cozystack), else detected */
  readonly devices?: readonly string[];
  /** MTU of Cilium's own devices. @default - detected */
  readonly mtu?: number;
  /**
   * LB-IPAM pools by name. Cilium registers their kind at run time, so no schema validates them at synth time;
   * they cannot be combined with MetalLB, which assigns the same Services.
   * @default {}
   */
  readonly loadBalancerIpPools?: Readonly<Record<string, CiliumLoadBalancerIpPool>>;
}
