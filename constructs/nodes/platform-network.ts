import { Component } from '../../lib/core/component';
import { Problems } from '../../lib/core/errors';
import { Platform } from '../../lib/core/platform';
import { Calico } from '../network/calico';
import { Cilium } from '../network/cilium';
import { CoreDns } from '../network/core-dns';
import { KubeOvn } from '../network/kube-ovn';
import { MetalLb } from '../network/metal-lb';
import { Linstor } from '../storage/linstor';
import { LocalPath } from '../storage/local-path';
import { overlaps, parseIp } from '../../lib/core/addresses';

/** The components of a platform that decide how its nodes must be set up. */
export interface PlatformNetwork {
  readonly calico?: Calico;
  readonly cilium?: Cilium;
  readonly kubeOvn?: KubeOvn;
  readonly metalLb?: MetalLb;
  /** Extra server blocks for the CoreDNS K3s deploys: K3s must keep its coredns. */
  readonly coreDns?: CoreDns;
  readonly linstor?: Linstor;
  /** The K3s local-path StorageClass the platform relies on: K3s must keep its local-storage. */
  readonly localPath?: LocalPath;
  /** The CNI the platform installs (Kube-OVN before Cilium chained behind it): the nodes must not start their own. */
  readonly cni?: Calico | KubeOvn | Cilium;
  /** The component that replaces kube-proxy: the nodes must not run it. */
  readonly kubeProxyReplacement?: Cilium;
}

export function platformNetwork(platform: Platform): PlatformNetwork {
  const find = platform.registry.find.bind(platform.registry);
  const calico = find(Calico);
  const cilium = find(Cilium);
  const kubeOvn = find(KubeOvn);
  return {
    calico,
    cilium,
    kubeOvn,
    metalLb: find(MetalLb),
    coreDns: find(CoreDns),
    linstor: find(Linstor),
    localPath: find(LocalPath),
    cni: calico ?? kubeOvn ?? cilium,
    kubeProxyReplacement: cilium?.kubeProxyReplacement ? cilium : undefined,
  };
}

/** Where a component is, for messages that name both sides. */
export function describe(component: Component): string {
  return `${component.constructor.name} at ${component.node.path}`;
}

/** The pod network the nodes should use when none is given: the one the platform's CNI expects. */
export function defaultPodCidr(network: PlatformNetwork, fallback: string): string {
  if (network.calico) return network.calico.podCidr;
  // Cozystack's CI: node pod CIDRs apart from Kube-OVN's pod, join (100.64/16) and Kilo (100.66/16) ranges.
  if (network.kubeOvn && overlapsAny(fallback, [network.kubeOvn.podCidr, network.kubeOvn.joinCidr])) return '100.65.0.0/16';
  return fallback;
}

/** The Service network the nodes should use when none is given. */
export function defaultServiceCidr(network: PlatformNetwork, fallback: string): string {
  return network.kubeOvn?.serviceCidr ?? fallback;
}

function overlapsAny(cidr: string, others: readonly string[]): boolean {
  const a = parseIp(cidr);
  return a !== undefined && others.some((o) => parseIp(o) !== undefined && overlaps(a, parseIp(o)!));
}

/** Pod addresses of one node when they come from its /24 (kube-controller-manager's default mask): all but the network, broadcast and gateway addresses. */
export const NODE_CIDR_PODS = 253;

/**
 * Who assigns pod addresses from each node's own /24 rather than from a shared pool: the distribution's Flannel, or
 * Cilium with Kubernetes IPAM. Undefined when Kube-OVN or Calico allocate from their pools.
 */
export function nodeCidrIpam(network: PlatformNetwork, ownFlannel: string | undefined): string | undefined {
  if (network.kubeOvn || network.calico) return undefined;
  if (network.cilium) return network.cilium.mode === 'standalone' ? describe(network.cilium) : undefined;
  return ownFlannel;
}

/** What the shared checks need to know of a node cluster. */
export interface NodeNetworkSettings {
  /** `Talos` or `K3s`, for messages. */
  readonly distribution: string;
  readonly nodeOs: 'talos' | 'generic';
  readonly podProperty: string;
  readonly podCidrs: readonly string[];
  readonly serviceProperty: string;
  readonly serviceCidrs: readonly string[];
  /** The kubelet's maxPods, and whether it was given explicitly. */
  readonly maxPods: number;
  readonly maxPodsProperty: string;
  /** The distribution's own Flannel, when it runs it (e.g. "Talos's Flannel"). */
  readonly ownFlannel?: string;
}

/** Checks that the nodes' pod and Service networks and operating system match the platform's network and storage. */
export function checkNodeNetwork(problems: Problems, network: PlatformNetwork, nodes: NodeNetworkSettings): void {
  const { calico, kubeOvn } = network;
  if (calico && (nodes.podCidrs.length !== 1 || nodes.podCidrs[0] !== calico.podCidr)) {
    problems.add(nodes.podProperty, nodes.podCidrs.join(','), `is not the pod network ${calico.podCidr} of ${describe(calico)}; Calico's IP pool must be the cluster's pod CIDR`, `remove ${nodes.podProperty} to follow Calico, or set Calico's podCidr to the same range`);
  }
  if (kubeOvn) {
    for (const cidr of nodes.podCidrs) {
      const clash = [['podCidr', kubeOvn.podCidr], ['joinCidr', kubeOvn.joinCidr]].find(([, range]) => overlapsAny(cidr, [range]));
      if (clash) {
        problems.add(nodes.podProperty, cidr, `overlaps ${clash[0]} ${clash[1]} of ${describe(kubeOvn)}, which does pod IPAM; the nodes' own pod CIDRs must stay apart from it`, `remove ${nodes.podProperty} to use 100.65.0.0/16`);
      }
    }
    if (nodes.serviceCidrs.length !== 1 || nodes.serviceCidrs[0] !== kubeOvn.serviceCidr) {
      problems.add(nodes.serviceProperty, nodes.serviceCidrs.join(','), `is not the Service network ${kubeOvn.serviceCidr} of ${describe(kubeOvn)}; both must be the API server's Service CIDR`, `remove ${nodes.serviceProperty} to follow Kube-OVN, or set the same range on both`);
    }
  }
  for (const component of [network.cilium, kubeOvn]) {
    if (component && component.nodeOs !== nodes.nodeOs) {
      problems.add(`${component.constructor.name}.nodeOs`, component.nodeOs, `is set up for ${component.nodeOs === 'talos' ? 'Talos' : 'general-purpose Linux'} hosts at ${component.node.path}, but the nodes run ${nodes.distribution}`, `create ${component.constructor.name} with nodeOs: ${JSON.stringify(nodes.nodeOs)}`);
    }
  }
  const ipam = nodeCidrIpam(network, nodes.ownFlannel);
  if (ipam && nodes.maxPods > NODE_CIDR_PODS) {
    problems.add(nodes.maxPodsProperty, nodes.maxPods, `exceeds the ${NODE_CIDR_PODS} pod addresses of the /24 each node gets, from which ${ipam} assigns them; further pods would get no address`, `use at most ${NODE_CIDR_PODS}, or a CNI that allocates from a shared pool (Kube-OVN, Calico)`);
  }
  const linstor = network.linstor;
  if (linstor && linstor.talos !== (nodes.nodeOs === 'talos')) {
    problems.add('Linstor.talos', linstor.talos, `${linstor.talos ? 'expects Talos' : 'makes the satellites load DRBD themselves, as on general-purpose Linux'} at ${linstor.node.path}, but the nodes run ${nodes.distribution}`, `create Linstor with talos: ${nodes.nodeOs === 'talos'}`);
  }
}
