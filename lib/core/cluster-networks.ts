import { contains, IpPrefix, networkOf, parseIp } from './addresses';

/** Address ranges that belong to the cluster itself. */
export interface ClusterNetworks {
  /** Pod ranges. */
  readonly pods?: readonly string[];
  /** Service (ClusterIP) ranges. */
  readonly services?: readonly string[];
  /**
   * Ranges that connect nodes to pods, such as Kube-OVN's join network: never an external client, but the source of
   * the API server's and kubelets' traffic to pods, so they are not pod ranges either.
   */
  readonly join?: readonly string[];
  /** Node addresses (each a /32 or /128), with any control-plane VIP: hosts, never external clients. */
  readonly nodes?: readonly string[];
  /** Addresses the API server answers on (control-plane nodes and a VIP), each a /32 or /128; also listed in `nodes`. */
  readonly apiServers?: readonly string[];
}

/**
 * What counts as cluster-internal while no pod range is known: every private (RFC 1918), carrier-grade NAT,
 * link-local and unique-local range.
 */
export const PRIVATE_RANGES: readonly string[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '169.254.0.0/16',
  'fc00::/7',
  'fe80::/10',
];

/** The cluster's ranges as known at synthesis. */
export interface ResolvedClusterNetworks {
  readonly pods: readonly string[];
  readonly services: readonly string[];
  readonly join: readonly string[];
  readonly nodes: readonly string[];
  readonly apiServers: readonly string[];
  /** The ranges no external peer may cover: pods, services, join and nodes, with PRIVATE_RANGES while no pod range is known. */
  readonly internal: readonly string[];
  /** Whether `internal` includes PRIVATE_RANGES because no pod range was declared. */
  readonly assumed: boolean;
  /** The ranges pods may have: the pod ranges, or PRIVATE_RANGES while they are unknown. */
  readonly podSources: readonly string[];
}

/**
 * The platform's registry of cluster-internal address ranges. CNIs and node clusters declare theirs when they are
 * constructed, as functions: their values may depend on constructs created later, so they are read at synthesis.
 */
export class ClusterNetworkRegistry {
  private readonly declarations: Array<() => ClusterNetworks> = [];
  private readonly checks: Array<() => void> = [];
  /** The last resolution and the declarations it was made from: every tenant's policies ask for the same one. */
  private last?: { readonly key: string; readonly resolved: ResolvedClusterNetworks };

  constructor(explicit: ClusterNetworks = {}) {
    this.declare(() => explicit);
  }

  declare(networks: () => ClusterNetworks): void {
    this.declarations.push(networks);
  }

  /** Adds a check that needs the final ranges; `check()` runs it before rendering. */
  whenResolved(check: () => void): void {
    this.checks.push(check);
  }

  /** Runs every check, each throwing its ConfigurationError, before anything is rendered. */
  check(): void {
    for (const check of this.checks) check();
  }

  /** Every declaration, read now; call it only while rendering. */
  resolve(): ResolvedClusterNetworks {
    const all = this.declarations.map((d) => d());
    const key = JSON.stringify(all);
    if (this.last?.key !== key) this.last = { key, resolved: resolveAll(all) };
    return this.last.resolved;
  }
}

/** The ranges of every declaration together, each in network form and once. */
function resolveAll(all: readonly ClusterNetworks[]): ResolvedClusterNetworks {
  const pods = unique(all.flatMap((n) => n.pods ?? []));
  const services = unique(all.flatMap((n) => n.services ?? []));
  const join = unique(all.flatMap((n) => n.join ?? []));
  const apiServers = unique(all.flatMap((n) => n.apiServers ?? []));
  const nodes = unique([...all.flatMap((n) => n.nodes ?? []), ...apiServers]);
  const assumed = pods.length === 0;
  const internal = unique([...(assumed ? PRIVATE_RANGES : []), ...pods, ...services, ...join, ...nodes]);
  return { pods, services, join, nodes, apiServers, internal, assumed, podSources: assumed ? [...PRIVATE_RANGES] : pods };
}

/** The single-address range of an address: `/32` or `/128`. */
export function hostRange(ip: IpPrefix): string {
  return `${ip.address}/${ip.family === 4 ? 32 : 128}`;
}

/** The single-address range of an optional address, or nothing for a DNS name or no value. */
export function hostsOf(address: string | undefined): string[] {
  const ip = parseIp(address);
  return ip && !address!.includes('/') ? [hostRange(ip)] : [];
}

/** Valid ranges in network form, without those that another one covers. */
function unique(ranges: readonly string[]): string[] {
  const networks = [
    ...new Set(
      ranges
        .map(parseIp)
        .filter((ip) => ip !== undefined)
        .map((ip) => networkOf(ip!)),
    ),
  ].map((text) => ({ text, ip: parseIp(text)! }));
  return networks.filter((a) => !networks.some((b) => b !== a && contains(b.ip, a.ip))).map((n) => n.text);
}
