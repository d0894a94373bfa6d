import type { Component } from './component';
import { Problems } from './errors';

/** Traffic between nodes that a pod network needs let through, for firewalls in front of the nodes. */
export type PodNetworkTraffic =
  | 'calico-ipip'
  | 'calico-vxlan'
  /** Calico's BGP sessions between nodes. */
  | 'calico-bgp'
  /** calico-node to Typha, which the Tigera operator runs. */
  | 'calico-typha'
  /** WireGuard encryption of pod traffic (Calico). */
  | 'wireguard'
  /** Kube-OVN's Geneve tunnels. */
  | 'geneve'
  /** Kube-OVN's OVN northbound and southbound databases and their Raft ports on the control planes. */
  | 'ovn-databases'
  | 'cilium-health'
  | 'cilium-vxlan'
  | 'hubble';

/** What the nodes must do for a member of the pod network. */
export interface PodNetworkNodeNeeds {
  /** The pod range the nodes must use exactly: the member's pool is the cluster's pod CIDR. */
  readonly podCidr?: string;
  /** Ranges (by property) the nodes' own pod CIDRs must stay apart from, and the range they use `instead` by default. */
  readonly avoidPodCidrs?: { readonly ranges: Readonly<Record<string, string>>; readonly instead: string };
  /** The Service range the nodes must use exactly. */
  readonly serviceCidr?: string;
  /** The host operating system the member is set up for. */
  readonly nodeOs?: 'talos' | 'generic';
  /** Kernel modules the Talos machine config must load. */
  readonly kernelModules: readonly string[];
  /** The member replaces kube-proxy: the nodes must not run it. */
  readonly replacesKubeProxy: boolean;
  /** The member assigns pod addresses from each node's own /24 rather than from a shared pool. */
  readonly nodeCidrIpam: boolean;
  readonly traffic: readonly PodNetworkTraffic[];
}

/** A CNI as the rest of the platform sees it. */
export interface PodNetworkMember {
  readonly component: Component;
  /** The product, for messages: `Kube-OVN`. */
  readonly product: string;
  /** `ipam`: it gives pods their addresses; `chained`: it runs behind the member that does. */
  readonly part: 'ipam' | 'chained';
  /** For an `ipam` member a CNI may chain behind: whether it leaves NetworkPolicy and Services to that CNI. */
  readonly chaining?: { readonly wanted: boolean };
  readonly nodes: PodNetworkNodeNeeds;
  /** Whether it enforces NetworkPolicy itself (Kube-OVN leaves it to the Cilium chained behind it). */
  readonly enforcesNetworkPolicy: boolean;
  /** Names of the LoadBalancer address pools it assigns from. */
  readonly loadBalancerPools: readonly string[];
}

/**
 * The pod network of a platform: the CNIs that register as its members (at most one that gives pods their addresses,
 * and one chained behind it where that one allows), and the components waiting for it.
 */
export class PodNetwork {
  private readonly members: PodNetworkMember[] = [];
  private readonly waiting: Array<(member: PodNetworkMember) => void> = [];

  /** The member that gives pods their addresses. */
  get ipam(): PodNetworkMember | undefined {
    return this.members.find((m) => m.part === 'ipam');
  }

  /** The member chained behind the IPAM member. */
  get chained(): PodNetworkMember | undefined {
    return this.members.find((m) => m.part === 'chained');
  }

  /** The CNI the nodes defer to: the IPAM member, else a chained one. */
  get cni(): PodNetworkMember | undefined {
    return this.ipam ?? this.chained;
  }

  /** Every member, the IPAM member first. */
  get all(): readonly PodNetworkMember[] {
    return [this.ipam, this.chained].filter((m): m is PodNetworkMember => m !== undefined);
  }

  /** Adds a CNI; refuses a second one that cannot run beside the first. */
  register(member: PodNetworkMember): void {
    const clash = this.members.find((other) => !compatible(other, member));
    if (clash) {
      const [name, other] = [member.component.constructor.name, clash.component.constructor.name];
      Problems.of(member.component)
        .add('component', name, `conflicts with ${other} at ${clash.component.node.path}`, `choose one of ${name} and ${other}`)
        .throwIfAny();
    }
    this.members.push(member);
    for (const then of this.waiting) then(member);
  }

  /**
   * Calls `then` with every member: now with those registered, later with each that registers. A component whose
   * pods need the pod network orders itself after each member this way, whichever is created first.
   */
  whenProvided(then: (member: PodNetworkMember) => void): void {
    this.all.forEach(then);
    this.waiting.push(then);
  }
}

function compatible(a: PodNetworkMember, b: PodNetworkMember): boolean {
  if (a.part === b.part) return false;
  const ipam = a.part === 'ipam' ? a : b;
  return ipam.chaining?.wanted === true;
}
