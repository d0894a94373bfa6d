import { contains, isCidr, isIpv4, parseIp } from '../core/addresses';
import { Problems } from '../core/errors';

/**
 * Which CNI enforces the policies. They agree on Kubernetes NetworkPolicy (networking.k8s.io/v1) except for what an
 * `ipBlock` matches and how node traffic is seen:
 * - `calico`: an ipBlock matches any address in it, pod addresses included; connections from processes on a node to
 *   the pods on that node are always allowed (docs.tigera.io/calico/latest/network-policy/hosts/protect-hosts:
 *   "Calico allows all connections from processes running on the host to guest workloads on the host").
 * - `kube-ovn` (enforcing itself, `cilium: false`): policies become OVN ACLs that match ipBlocks as address sets on
 *   the packet's IP (github.com/kubeovn/kube-ovn, "Support NetworkPolicy by OVN ACL", v0.5.0), so pod addresses match
 *   too. Medium confidence: taken from how the ACLs are built, not from a sentence of the docs.
 * - `cilium`: an ipBlock never matches a cluster pod, only addresses Cilium does not manage
 *   (docs.cilium.io/en/stable/security/policy/caveats: CIDR policies select endpoints "not managed by Cilium"); nodes
 *   are the `host`/`remote-node` identities, which a NetworkPolicy cannot name, and match an ipBlock only with
 *   `policy-cidr-match-mode: nodes` (cilium/cilium#28421). Traffic from a node to its own pods is allowed
 *   (the agent's `allow-localhost` default).
 * Local-node traffic to a pod is allowed by every engine, as the NetworkPolicy API reference states for ingress, and a
 * rule without peers matches every source or destination (pods, nodes, outside addresses) under every engine.
 */
export type PolicyEngine = 'calico' | 'cilium' | 'kube-ovn';
export const POLICY_ENGINES: readonly PolicyEngine[] = ['calico', 'cilium', 'kube-ovn'];

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** A port a container declares; named ports in policies resolve against these. */
export interface ContainerPort {
  readonly port: number;
  readonly name?: string;
  /** @default 'TCP' */
  readonly protocol?: Protocol;
}

/** A pod: what policies select by (namespace, labels) and match by (address, named ports). */
export interface PodEndpoint {
  readonly kind: 'pod';
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ip: string;
  readonly ports?: readonly ContainerPort[];
  /** Node the pod runs on; traffic from that node is local. @default - a node of no other endpoint */
  readonly node?: string;
}

/** A cluster node (its kubelet, host-network pods, the API server on a control-plane node). */
export interface NodeEndpoint {
  readonly kind: 'node';
  readonly name: string;
  readonly ip: string;
}

/** An address outside the cluster. */
export interface ExternalEndpoint {
  readonly kind: 'external';
  readonly name: string;
  readonly ip: string;
}

export type Endpoint = PodEndpoint | NodeEndpoint | ExternalEndpoint;

export interface Connection {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: Protocol;
}

export interface ReachabilityOptions {
  readonly engine: PolicyEngine;
  /** Cilium only: `'nodes'` lets ipBlocks match node addresses (`policy-cidr-match-mode`). @default - ipBlocks never match nodes */
  readonly policyCidrMatchMode?: 'nodes';
}

/** Why one side let a connection through or not. */
export interface SideVerdict {
  readonly allowed: boolean;
  /** Whether any policy selecting the pod has this policy type; false for non-pods and local-node traffic. */
  readonly isolated: boolean;
  /** `<namespace>/<name>` of the policies whose rules admit the connection. */
  readonly allowedBy: readonly string[];
}

export interface Verdict {
  readonly allowed: boolean;
  readonly egress: SideVerdict;
  readonly ingress: SideVerdict;
}

interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: string; readonly values?: readonly string[] }>;
}

interface Peer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

interface PolicyPort {
  readonly protocol?: Protocol;
  readonly port?: number | string;
  readonly endPort?: number;
}

interface Rule {
  readonly peers?: readonly Peer[];
  readonly ports?: readonly PolicyPort[];
}

interface Policy {
  readonly id: string;
  readonly namespace: string;
  readonly podSelector: LabelSelector;
  readonly ingress?: readonly Rule[];
  readonly egress?: readonly Rule[];
}

type Direction = 'ingress' | 'egress';
const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
const NAME_LABEL = 'kubernetes.io/metadata.name';
const OPEN: SideVerdict = { allowed: true, isolated: false, allowedBy: [] };

/**
 * Answers whether the NetworkPolicies among synthesized manifests allow a connection: egress must be allowed at the
 * source and ingress at the destination, each by a rule of a policy selecting that pod, unless no policy of that type
 * selects it. Namespaces take their labels from the Namespace manifests (plus `kubernetes.io/metadata.name`, which
 * the API server adds); a namespace without a manifest has only that label.
 */
export class NetworkReachability {
  private readonly policies: readonly Policy[];
  private readonly namespaceLabels = new Map<string, Record<string, string>>();

  constructor(
    manifests: readonly unknown[],
    readonly options: ReachabilityOptions,
  ) {
    const problems = new Problems('NetworkReachability');
    problems.check(POLICY_ENGINES.includes(options?.engine), 'engine', options?.engine, `must be one of ${POLICY_ENGINES.join(', ')}`);
    if (options?.policyCidrMatchMode !== undefined) {
      problems.check(
        options.policyCidrMatchMode === 'nodes' && options.engine === 'cilium',
        'policyCidrMatchMode',
        options.policyCidrMatchMode,
        'is a Cilium setting whose only value is "nodes"',
        'remove it, or set engine: "cilium" and policyCidrMatchMode: "nodes"',
      );
    }
    const objects = (Array.isArray(manifests) ? manifests : []).filter((m): m is any => typeof m === 'object' && m !== null);
    for (const ns of objects.filter((m) => m.kind === 'Namespace')) {
      this.namespaceLabels.set(ns.metadata?.name, { ...ns.metadata?.labels, [NAME_LABEL]: ns.metadata?.name });
    }
    this.policies = objects
      .filter((m) => m.apiVersion === 'networking.k8s.io/v1' && m.kind === 'NetworkPolicy')
      .map((m) => readPolicy(problems, m));
    problems.throwIfAny();
  }

  allows(connection: Connection): boolean {
    return this.explain(connection).allowed;
  }

  explain(connection: Connection): Verdict {
    checkConnection(connection);
    const { from, to } = connection;
    const protocol = connection.protocol ?? 'TCP';
    const localNode = from.kind === 'node' && to.kind === 'pod' && to.node === from.name;
    const egress = from.kind === 'pod' ? this.side('egress', from, to, connection.port, protocol) : OPEN;
    const ingress = to.kind === 'pod' && !localNode ? this.side('ingress', to, from, connection.port, protocol) : OPEN;
    return { allowed: egress.allowed && ingress.allowed, egress, ingress };
  }

  /** The verdict of the policies selecting `pod` for traffic in `direction` with `peer` on the other end. */
  private side(direction: Direction, pod: PodEndpoint, peer: Endpoint, port: number, protocol: Protocol): SideVerdict {
    const selecting = this.policies.filter(
      (p) => p[direction] !== undefined && p.namespace === pod.namespace && selects(p.podSelector, pod.labels),
    );
    if (selecting.length === 0) return OPEN;
    const destination = direction === 'ingress' ? pod : peer;
    const allowedBy = selecting
      .filter((p) => p[direction]!.some((rule) => this.peerMatches(p, rule, peer) && portMatches(rule, destination, port, protocol)))
      .map((p) => p.id);
    return { allowed: allowedBy.length > 0, isolated: true, allowedBy };
  }

  private peerMatches(policy: Policy, rule: Rule, endpoint: Endpoint): boolean {
    if (rule.peers === undefined || rule.peers.length === 0) return true;
    return rule.peers.some((peer) => {
      if (peer.ipBlock) return this.ipBlockSees(endpoint) && inBlock(peer.ipBlock, endpoint.ip);
      if (endpoint.kind !== 'pod') return false;
      const namespaceOk = peer.namespaceSelector
        ? selects(peer.namespaceSelector, this.labelsOfNamespace(endpoint.namespace))
        : endpoint.namespace === policy.namespace;
      return namespaceOk && (peer.podSelector === undefined || selects(peer.podSelector, endpoint.labels));
    });
  }

  private ipBlockSees(endpoint: Endpoint): boolean {
    if (this.options.engine !== 'cilium') return true;
    if (endpoint.kind === 'node') return this.options.policyCidrMatchMode === 'nodes';
    return endpoint.kind === 'external';
  }

  private labelsOfNamespace(name: string): Record<string, string> {
    return this.namespaceLabels.get(name) ?? { [NAME_LABEL]: name };
  }
}

function selects(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  const has = (key: string) => Object.prototype.hasOwnProperty.call(labels, key);
  return (
    Object.entries(selector.matchLabels ?? {}).every(([key, value]) => has(key) && labels[key] === value) &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      switch (operator) {
        case 'In':
          return has(key) && values.includes(labels[key]);
        case 'NotIn':
          return !has(key) || !values.includes(labels[key]);
        case 'Exists':
          return has(key);
        default:
          return !has(key);
      }
    })
  );
}

function portMatches(rule: Rule, destination: Endpoint, port: number, protocol: Protocol): boolean {
  if (rule.ports === undefined || rule.ports.length === 0) return true;
  return rule.ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') return port >= p.port && port <= (p.endPort ?? p.port);
    return (
      destination.kind === 'pod' &&
      (destination.ports ?? []).some((c) => c.name === p.port && (c.protocol ?? 'TCP') === protocol && c.port === port)
    );
  });
}

function inBlock(block: { readonly cidr: string; readonly except?: readonly string[] }, ip: string): boolean {
  return inCidr(block.cidr, ip) && !(block.except ?? []).some((cidr) => inCidr(cidr, ip));
}

/** IPv6 blocks (such as `::/0` beside `0.0.0.0/0`) never match the IPv4 endpoints this models. */
function inCidr(cidr: string, ip: string): boolean {
  const range = isCidr(cidr) ? parseIp(cidr.toLowerCase()) : undefined;
  const address = parseIp(ip);
  return range !== undefined && address !== undefined && contains(range, address);
}

function checkConnection(connection: Connection): void {
  const problems = new Problems('NetworkReachability');
  for (const side of ['from', 'to'] as const) {
    const endpoint = connection?.[side];
    if (
      !problems.check(
        ['pod', 'node', 'external'].includes(endpoint?.kind),
        `${side}.kind`,
        endpoint?.kind,
        'must be "pod", "node" or "external"',
      )
    )
      continue;
    problems.check(isIpv4(endpoint.ip), `${side}.ip`, endpoint.ip, 'must be an IPv4 address', 'write it like "10.244.1.7"');
    if (endpoint.kind === 'pod')
      problems.check(
        typeof endpoint.namespace === 'string' && endpoint.namespace.length > 0,
        `${side}.namespace`,
        endpoint.namespace,
        'must name the namespace of the pod',
      );
  }
  problems.check(
    Number.isInteger(connection?.port) && connection.port >= 1 && connection.port <= 65535,
    'port',
    connection?.port,
    'must be a whole number from 1 to 65535',
  );
  if (connection?.protocol !== undefined)
    problems.check(PROTOCOLS.includes(connection.protocol), 'protocol', connection.protocol, `must be one of ${PROTOCOLS.join(', ')}`);
  problems.throwIfAny();
}

/** Reads one NetworkPolicy manifest, recording every field this evaluator cannot give a meaning to. */
function readPolicy(problems: Problems, manifest: any): Policy {
  const namespace = manifest.metadata?.namespace;
  const id = `${namespace}/${manifest.metadata?.name}`;
  const where = (path: string) => `NetworkPolicy ${id}: ${path}`;
  problems.check(
    typeof namespace === 'string' && namespace.length > 0,
    where('metadata.namespace'),
    namespace,
    'must be set: a NetworkPolicy selects pods of its own namespace',
  );
  const spec = manifest.spec ?? {};
  const policyTypes: unknown[] = spec.policyTypes ?? ['Ingress', ...((spec.egress ?? []).length > 0 ? ['Egress'] : [])];
  for (const type of policyTypes)
    problems.check(type === 'Ingress' || type === 'Egress', where('spec.policyTypes'), type, 'must be "Ingress" or "Egress"');
  checkSelector(problems, where('spec.podSelector'), spec.podSelector);
  const rules = (direction: Direction): Rule[] | undefined => {
    if (!policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress')) return undefined;
    const peersKey = direction === 'ingress' ? 'from' : 'to';
    return (spec[direction] ?? []).map((rule: any, i: number) => {
      const path = `spec.${direction}[${i}]`;
      (rule?.[peersKey] ?? []).forEach((peer: any, j: number) => checkPeer(problems, where(`${path}.${peersKey}[${j}]`), peer));
      (rule?.ports ?? []).forEach((port: any, j: number) => checkPort(problems, where(`${path}.ports[${j}]`), port));
      return { peers: rule?.[peersKey], ports: rule?.ports };
    });
  };
  return { id, namespace, podSelector: spec.podSelector ?? {}, ingress: rules('ingress'), egress: rules('egress') };
}

function checkSelector(problems: Problems, path: string, selector: any): void {
  if (selector === undefined) return;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    problems.check(typeof value === 'string', `${path}.matchLabels.${key}`, value, 'must be a string');
  }
  (selector.matchExpressions ?? []).forEach((e: any, i: number) => {
    const at = `${path}.matchExpressions[${i}]`;
    if (!problems.check(OPERATORS.includes(e?.operator), `${at}.operator`, e?.operator, `must be one of ${OPERATORS.join(', ')}`)) return;
    const needsValues = e.operator === 'In' || e.operator === 'NotIn';
    const count = Array.isArray(e.values) ? e.values.length : 0;
    problems.check(
      needsValues ? count > 0 : count === 0,
      `${at}.values`,
      e.values,
      needsValues ? `must list at least one value for ${e.operator}` : `must be empty for ${e.operator}`,
    );
  });
}

function checkPeer(problems: Problems, path: string, peer: any): void {
  checkSelector(problems, `${path}.podSelector`, peer?.podSelector);
  checkSelector(problems, `${path}.namespaceSelector`, peer?.namespaceSelector);
  if (peer?.ipBlock === undefined) return;
  problems.check(
    peer.podSelector === undefined && peer.namespaceSelector === undefined,
    path,
    peer,
    'must not combine ipBlock with a selector',
  );
  for (const [at, cidr] of [
    ['cidr', peer.ipBlock.cidr],
    ...(peer.ipBlock.except ?? []).map((c: unknown, i: number) => [`except[${i}]`, c]),
  ]) {
    problems.check(isCidr(cidr), `${path}.ipBlock.${at}`, cidr, 'must be an IPv4 or IPv6 CIDR', 'write it like "203.0.113.0/24"');
  }
}

function checkPort(problems: Problems, path: string, port: any): void {
  if (port?.protocol !== undefined)
    problems.check(PROTOCOLS.includes(port.protocol), `${path}.protocol`, port.protocol, `must be one of ${PROTOCOLS.join(', ')}`);
  const value = port?.port;
  const numeric = Number.isInteger(value) && value >= 1 && value <= 65535;
  problems.check(
    value === undefined || numeric || (typeof value === 'string' && /^[a-z0-9]([-a-z0-9]{0,13})$/.test(value) && /[a-z]/.test(value)),
    `${path}.port`,
    value,
    'must be a port number from 1 to 65535 or a container port name',
  );
  if (port?.endPort !== undefined) {
    problems.check(
      numeric && Number.isInteger(port.endPort) && port.endPort >= value && port.endPort <= 65535,
      `${path}.endPort`,
      port.endPort,
      'must be a whole number from port to 65535, beside a numeric port',
    );
  }
}
