import { overlaps, parseIp } from '../../lib/core/addresses';
import { Component } from '../../lib/core/component';
import { Problems } from '../../lib/core/errors';
import { Platform } from '../../lib/core/platform';
import { PodNetwork, PodNetworkMember } from '../../lib/core/pod-network';
import { CoreDns } from '../network/core-dns';
import { MetalLb } from '../network/metal-lb';
import { Linstor } from '../storage/linstor';
import { LocalPath } from '../storage/local-path';

/** The parts of a platform that decide how its nodes must be set up. */
export interface PlatformNetwork {
  readonly podNetwork: PodNetwork;
  readonly metalLb?: MetalLb;
  /** Extra server blocks for the CoreDNS K3s deploys: K3s must keep its coredns. */
  readonly coreDns?: CoreDns;
  readonly linstor?: Linstor;
  /** The K3s local-path StorageClass the platform relies on: K3s must keep its local-storage. */
  readonly localPath?: LocalPath;
  /** The CNI the platform installs (Kube-OVN before Cilium chained behind it): the nodes must not start their own. */
  readonly cni?: Component;
  /** The component that replaces kube-proxy: the nodes must not run it. */
  readonly kubeProxyReplacement?: Component;
  /** The component that enforces NetworkPolicy: the nodes must not run a policy controller of their own. */
  readonly networkPolicyEnforcer?: Component;
}

export function platformNetwork(platform: Platform): PlatformNetwork {
  const find = platform.registry.find.bind(platform.registry);
  const podNetwork = platform.podNetwork;
  return {
    podNetwork,
    metalLb: find(MetalLb),
    coreDns: find(CoreDns),
    linstor: find(Linstor),
    localPath: find(LocalPath),
    cni: podNetwork.cni?.component,
    kubeProxyReplacement: podNetwork.all.find((member) => member.nodes.replacesKubeProxy)?.component,
    networkPolicyEnforcer: podNetwork.all.find((member) => member.enforcesNetworkPolicy)?.component,
  };
}

/** Where a component is, for messages that name both sides. */
export function describe(component: Component): string {
  return `${component.constructor.name} at ${component.node.path}`;
}

/** The pod network the nodes should use when none is given: the one the platform's CNI expects. */
export function defaultPodCidr(network: PlatformNetwork, fallback: string): string {
  const ipam = network.podNetwork.ipam?.nodes;
  if (ipam?.podCidr) return ipam.podCidr;
  if (ipam?.avoidPodCidrs && overlapsAny(fallback, Object.values(ipam.avoidPodCidrs.ranges))) return ipam.avoidPodCidrs.instead;
  return fallback;
}

/** The Service network the nodes should use when none is given. */
export function defaultServiceCidr(network: PlatformNetwork, fallback: string): string {
  return network.podNetwork.ipam?.nodes.serviceCidr ?? fallback;
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
  const { ipam, chained } = network.podNetwork;
  if (ipam) return ipam.nodes.nodeCidrIpam ? describe(ipam.component) : undefined;
  return chained ? undefined : ownFlannel;
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
  const { ipam, chained } = network.podNetwork;
  if (ipam) checkIpamNeeds(problems, ipam, nodes);
  for (const member of [chained, ipam]) {
    const component = member?.component;
    const nodeOs = member?.nodes.nodeOs;
    if (component && nodeOs && nodeOs !== nodes.nodeOs) {
      problems.add(
        `${component.constructor.name}.nodeOs`,
        nodeOs,
        `is set up for ${nodeOs === 'talos' ? 'Talos' : 'general-purpose Linux'} hosts at ${component.node.path}, but the nodes run ${nodes.distribution}`,
        `create ${component.constructor.name} with nodeOs: ${JSON.stringify(nodes.nodeOs)}`,
      );
    }
  }
  const ipamOwner = nodeCidrIpam(network, nodes.ownFlannel);
  if (ipamOwner && nodes.maxPods > NODE_CIDR_PODS) {
    problems.add(
      nodes.maxPodsProperty,
      nodes.maxPods,
      `exceeds the ${NODE_CIDR_PODS} pod addresses of the /24 each node gets, from which ${ipamOwner} assigns them; further pods would get no address`,
      `use at most ${NODE_CIDR_PODS}, or a CNI that allocates from a shared pool (Kube-OVN, Calico)`,
    );
  }
  const linstor = network.linstor;
  if (linstor && linstor.talos !== (nodes.nodeOs === 'talos')) {
    problems.add(
      'Linstor.talos',
      linstor.talos,
      `${linstor.talos ? 'expects Talos' : 'makes the satellites load DRBD themselves, as on general-purpose Linux'} at ${linstor.node.path}, but the nodes run ${nodes.distribution}`,
      `create Linstor with talos: ${nodes.nodeOs === 'talos'}`,
    );
  }
}

/** The pod and Service ranges the CNI that gives pods their addresses asks of the nodes. */
function checkIpamNeeds(problems: Problems, ipam: PodNetworkMember, nodes: NodeNetworkSettings): void {
  const { podCidr, avoidPodCidrs, serviceCidr } = ipam.nodes;
  const product = ipam.product;
  if (podCidr && (nodes.podCidrs.length !== 1 || nodes.podCidrs[0] !== podCidr)) {
    problems.add(
      nodes.podProperty,
      nodes.podCidrs.join(','),
      `is not the pod network ${podCidr} of ${describe(ipam.component)}; ${product}'s IP pool must be the cluster's pod CIDR`,
      `remove ${nodes.podProperty} to follow ${product}, or set ${product}'s podCidr to the same range`,
    );
  }
  for (const cidr of avoidPodCidrs ? nodes.podCidrs : []) {
    const clash = Object.entries(avoidPodCidrs!.ranges).find(([, range]) => overlapsAny(cidr, [range]));
    if (clash) {
      problems.add(
        nodes.podProperty,
        cidr,
        `overlaps ${clash[0]} ${clash[1]} of ${describe(ipam.component)}, which does pod IPAM; the nodes' own pod CIDRs must stay apart from it`,
        `remove ${nodes.podProperty} to use ${avoidPodCidrs!.instead}`,
      );
    }
  }
  if (serviceCidr && (nodes.serviceCidrs.length !== 1 || nodes.serviceCidrs[0] !== serviceCidr)) {
    problems.add(
      nodes.serviceProperty,
      nodes.serviceCidrs.join(','),
      `is not the Service network ${serviceCidr} of ${describe(ipam.component)}; both must be the API server's Service CIDR`,
      `remove ${nodes.serviceProperty} to follow ${product}, or set the same range on both`,
    );
  }
}

/** The CNI and kube-proxy settings a node distribution (`K3s`, `Talos`) asks for, beside the platform's pod network. */
export interface NodeCniSettings {
  /** The distribution, as messages name it. */
  readonly distribution: 'K3s' | 'Talos';
  /** The `cni` prop as given. */
  readonly cni: string | undefined;
  /** Whether the nodes run the distribution's own Flannel, after defaults. */
  readonly runsFlannel: boolean;
  /** The `kubeProxy` prop as given. */
  readonly kubeProxy: boolean | undefined;
}

/** A node Flannel beside the platform's CNI, and kube-proxy beside (or without) a replacement, are errors. */
export function checkNodeCni(problems: Problems, network: PlatformNetwork, node: NodeCniSettings): void {
  const { cni, kubeProxyReplacement: replacement } = network;
  if (node.cni === 'flannel' && cni) {
    problems.add(
      'cni',
      'flannel',
      `makes ${node.distribution === 'K3s' ? 'K3s run' : 'Talos start'} Flannel, but the platform installs ${describe(cni)}; two CNIs on one node conflict`,
      'remove cni; it defaults to "none" when the platform installs a CNI',
    );
  }
  if (node.kubeProxy === true && replacement) {
    problems.add(
      'kubeProxy',
      true,
      `runs kube-proxy, but ${describe(replacement)} replaces it; both would program the Service rules`,
      'remove kubeProxy, or turn off kube-proxy replacement in Cilium',
    );
  }
  const other = cni ? describe(cni) : node.runsFlannel ? `${node.distribution}'s Flannel` : undefined;
  if (node.kubeProxy === false && !replacement && other) {
    problems.add(
      'kubeProxy',
      false,
      `turns kube-proxy off, but ${other} does not replace it; Services would not work`,
      'remove kubeProxy, or add Cilium with kube-proxy replacement',
    );
  }
}
