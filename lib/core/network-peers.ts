import { Lazy } from 'cdk8s';
import { IConstruct } from 'constructs';
import { contains, parseIp } from './addresses';
import { Problems } from './errors';
import { Platform } from './platform';

const EVERYWHERE = ['0.0.0.0/0', '::/0'];

/** A NetworkPolicy peer for every pod of one namespace. */
export function namespacePeer(namespace: string): Record<string, unknown> {
  return { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } };
}

/** Pods inside the cluster that a workload of another namespace is declared to reach, such as an object store. */
export interface ClusterEndpoint {
  readonly namespace: string;
  /** Labels of the pods. */
  readonly pods: Readonly<Record<string, string>>;
  /** The pods' port (NetworkPolicies see the pod port, not the Service port). */
  readonly port: number;
}

/** A NetworkPolicy peer for the pods of a `ClusterEndpoint`. */
export function endpointPeer(endpoint: ClusterEndpoint): Record<string, unknown> {
  return { ...namespacePeer(endpoint.namespace), podSelector: { matchLabels: { ...endpoint.pods } } };
}

/** Explicit client ranges and the property that set them, for messages. */
export interface ExternalSources {
  readonly property: string;
  readonly ranges: readonly string[];
}

/**
 * NetworkPolicy peers for addresses outside the cluster: `0.0.0.0/0` and `::/0` (or the given source ranges), each
 * with the platform's internal ranges of its family in `except`, so that no pod or Service address matches.
 * Resolved at synthesis, when every CNI and node cluster has declared its ranges. A source range inside an internal
 * range is refused then; one that covers internal ranges keeps them in `except`.
 */
export function externalPeers(scope: IConstruct, sources?: ExternalSources): unknown {
  const networks = Platform.of(scope).clusterNetworks;
  const peers = () => {
    const { internal, assumed } = networks.resolve();
    const problems = Problems.of(scope);
    const result = (sources?.ranges ?? EVERYWHERE).map((cidr) => {
      const range = parseIp(cidr);
      const inside = range && internal.find((r) => contains(parseIp(r)!, range));
      if (inside !== undefined) {
        problems.add(
          sources!.property,
          cidr,
          `lies inside the cluster-internal range ${inside}${assumed ? ' (private ranges count as internal while the platform knows no pod range)' : ''}, so it would admit pods`,
          assumed
            ? "declare the cluster's ranges with PlatformProps.clusterNetworks { pods, services } (or create the CNI and node cluster constructs), or use a public range"
            : 'list only client ranges outside the pod and service ranges',
        );
      }
      const except = range ? internal.filter((r) => parseIp(r)!.family === range.family && contains(range, parseIp(r)!)) : [];
      return { ipBlock: { cidr, except: except.length > 0 ? except : undefined } };
    });
    problems.throwIfAny();
    return result;
  };
  if (sources) networks.whenResolved(peers);
  return Lazy.any({ produce: peers });
}

/**
 * NetworkPolicy peers for every address outside the pod ranges: nodes, the API server (webhooks, aggregated APIs)
 * and addresses outside the cluster. While the pod ranges are unknown, every private range counts as a pod range.
 */
export function nonPodPeers(scope: IConstruct): unknown {
  const platform = Platform.of(scope);
  return Lazy.any({ produce: () => exceptRanges(platform.clusterNetworks.resolve().podSources) });
}

function exceptRanges(ranges: readonly string[]): unknown[] {
  return EVERYWHERE.map((cidr) => {
    const family = parseIp(cidr)!.family;
    const except = ranges.filter((r) => parseIp(r)!.family === family);
    return { ipBlock: { cidr, except: except.length > 0 ? except : undefined } };
  });
}

/**
 * NetworkPolicy peers for the hosts that reach pods: the node addresses and the ranges nodes use to reach pods (such
 * as Kube-OVN's join network). While no node address is known, every address outside the pod ranges (`nonPodPeers`).
 */
export function hostPeers(scope: IConstruct): unknown {
  const platform = Platform.of(scope);
  return Lazy.any({
    produce: () => {
      const { nodes, join, podSources } = platform.clusterNetworks.resolve();
      return nodes.length > 0 ? [...nodes, ...join].map((cidr) => ({ ipBlock: { cidr } })) : exceptRanges(podSources);
    },
  });
}

/**
 * An egress rule to the API server: to the control-plane addresses on 6443 (NetworkPolicies see the endpoint behind
 * the `kubernetes` Service), or, while none is known, to every address outside the pod ranges on 443 and 6443.
 */
export function apiServerEgress(scope: IConstruct): unknown {
  const platform = Platform.of(scope);
  return Lazy.any({
    produce: () => {
      const { apiServers, podSources } = platform.clusterNetworks.resolve();
      return apiServers.length > 0
        ? [{ to: apiServers.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: 'TCP', port: 6443 }] }]
        : [
            {
              to: exceptRanges(podSources),
              ports: [
                { protocol: 'TCP', port: 443 },
                { protocol: 'TCP', port: 6443 },
              ],
            },
          ];
    },
  });
}
