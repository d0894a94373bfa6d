import { ALLOW_APISERVER_LABEL, SYSTEM_NAMESPACE_LABEL } from '../../lib/core/labels';
import { Endpoint, NetworkReachability, PolicyEngine, Protocol } from '../../lib/validate/network-reachability';
import { CloudNativePg } from '../../constructs/data/cloudnative-pg';
import { Strimzi } from '../../constructs/data/strimzi';
import { RedisOperator } from '../../constructs/data/redis-operator';
import { MariaDbOperator } from '../../constructs/data/mariadb-operator';
import { RabbitMqOperator } from '../../constructs/data/rabbitmq-operator';
import { ClickHouseOperator } from '../../constructs/data/clickhouse-operator';
import { Cdi } from '../../constructs/virtualization/cdi';
import { twoTenantPlatform } from './network-reachability-platform';
import { Probe, Probes, probesOf, reachabilityOptions } from './network-reachability-probes';

/** One connection the test looked at, and the policies that decided it. */
interface Path {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  readonly protocol: Protocol;
  readonly via: string;
}

interface Findings {
  /** Allowed although no declared path covers it. */
  readonly open: Path[];
  /** Declared but refused. */
  readonly closed: Path[];
}

const API_SERVER_PORT = 6443;
const NODE_PORTS = [API_SERVER_PORT, 10250, 2379, 22];
const label = (e: Endpoint) => (e.kind === 'pod' ? `${e.namespace}/${e.name}` : `${e.kind}:${e.name} (${e.ip})`);

/** Every port of a destination plus one that no pod declares: "nothing" must hold for any port. */
function portsOf(to: Endpoint): Array<{ port: number; protocol: Protocol }> {
  const declared =
    to.kind === 'pod'
      ? (to.ports ?? []).map((p) => ({ port: p.port, protocol: p.protocol ?? ('TCP' as Protocol) }))
      : NODE_PORTS.map((port) => ({ port, protocol: 'TCP' as Protocol }));
  return [...declared, { port: 31337, protocol: 'TCP' }];
}

/** One row per source and destination, listing the ports and the policies that decided each. */
function table(title: string, paths: readonly Path[]): string {
  if (paths.length === 0) return '';
  const groups = new Map<string, Path[]>();
  for (const p of paths) groups.set(`${label(p.from)}\0${label(p.to)}`, [...(groups.get(`${label(p.from)}\0${label(p.to)}`) ?? []), p]);
  const rows = [...groups.values()].map((g) => [
    label(g[0].from),
    label(g[0].to),
    g.map((p) => `${p.port}/${p.protocol}`).join(','),
    [...new Set(g.map((p) => p.via))].join(' | '),
  ]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  return `${title} (${paths.length} connections):\n${rows.map((r) => `  ${r.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join('  ')}`).join('\n')}\n`;
}

function report(findings: Findings): string {
  return table('allowed, but no declared path covers it', findings.open) + table('declared, but refused', findings.closed);
}

class Audit {
  readonly reach: NetworkReachability;
  readonly probes: Probes;
  /** Namespaces the platform creates: its system namespaces and the tenants'. */
  readonly ownNamespaces: ReadonlySet<string>;

  constructor(readonly engine: PolicyEngine) {
    const built = twoTenantPlatform(engine);
    const find = <T extends { namespace: string }>(type: new (...args: any[]) => T) =>
      built.platform.registry.find(type as any) as T | undefined;
    const operators = Object.fromEntries(
      Object.entries({
        cnpg: find(CloudNativePg),
        strimzi: find(Strimzi),
        redis: find(RedisOperator),
        mariadb: find(MariaDbOperator),
        rabbitmq: find(RabbitMqOperator),
        clickhouse: find(ClickHouseOperator),
        cdi: find(Cdi),
      }).map(([key, operator]) => [key, operator!.namespace]),
    );
    this.reach = new NetworkReachability(built.manifests, reachabilityOptions(built));
    this.probes = probesOf(built, operators);
    this.ownNamespaces = new Set(
      built.manifests
        .filter((m) => m.kind === 'Namespace' && m.metadata.labels?.[SYSTEM_NAMESPACE_LABEL] !== undefined)
        .map((m) => m.metadata.name as string)
        .concat(this.probes.tenantPods.map((p) => p.namespace)),
    );
  }

  path(from: Endpoint, to: Endpoint, port: number, protocol: Protocol): Path & { allowed: boolean } {
    const verdict = this.reach.explain({ from, to, port, protocol });
    const side = (name: string, s: typeof verdict.egress) =>
      s.isolated ? `${name} ${s.allowed ? s.allowedBy.join(',') : 'denied'}` : `${name} open`;
    return {
      from,
      to,
      port,
      protocol,
      allowed: verdict.allowed,
      via: `${side('egress', verdict.egress)}; ${side('ingress', verdict.ingress)}`,
    };
  }

  /** Checks every port of every destination: `declared` says which connections may be open, `required` which must be. */
  check(
    sources: readonly Endpoint[],
    destinations: readonly Endpoint[],
    declared: (from: Endpoint, to: Endpoint, port: number, protocol: Protocol) => boolean,
    required: (from: Endpoint, to: Endpoint, port: number, protocol: Protocol) => boolean = () => false,
  ): Findings {
    const findings: Findings = { open: [], closed: [] };
    for (const from of sources) {
      for (const to of destinations) {
        if (from === to) continue;
        for (const { port, protocol } of portsOf(to)) {
          const path = this.path(from, to, port, protocol);
          if (path.allowed && !declared(from, to, port, protocol)) findings.open.push(path);
          if (!path.allowed && required(from, to, port, protocol)) findings.closed.push(path);
        }
      }
    }
    return findings;
  }
}

const ENGINES: PolicyEngine[] = ['calico', 'cilium', 'kube-ovn'];
const audits = new Map<PolicyEngine, Audit>();
const auditOf = (engine: PolicyEngine) => audits.get(engine) ?? audits.set(engine, new Audit(engine)).get(engine)!;
const pod = (e: Endpoint) => (e.kind === 'pod' ? (e as Probe) : undefined);

describe.each(ENGINES)('network isolation of a two-tenant platform under %s', (engine) => {
  test('the probes cover every kind of pod the platform runs', () => {
    const { tenantPods, platformPods } = auditOf(engine).probes;
    for (const tenant of ['red', 'blue']) {
      const names = tenantPods.filter((p) => p.tenant === tenant).map((p) => p.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'db-1',
          'db-pooler-rw-0',
          'rfr-cache-0',
          'rfs-cache-0',
          'events-broker-0',
          'events-controller-0',
          'events-entity-operator',
          'cms-0',
          'bus-server-0',
          'chi-olap-0',
          'chk-olap-keeper-0',
          'queue-0',
          'kv-0',
          'virt-launcher-vm',
          'importer-vm-root',
          'attacker',
        ]),
      );
    }
    expect(tenantPods.some((p) => p.externalPorts.length > 0) && tenantPods.some((p) => p.metricsPorts.length > 0)).toBe(true);
    expect(platformPods.map((p) => p.role)).toEqual(expect.arrayContaining(['operator', 'ingress', 'monitoring', 'dns']));
  });

  test('tenant → other tenant: nothing, whatever the pod and port', () => {
    const audit = auditOf(engine);
    const { tenantPods } = audit.probes;
    const findings: Findings = { open: [], closed: [] };
    for (const tenant of ['red', 'blue']) {
      const inside = tenantPods.filter((p) => p.tenant === tenant);
      const outside = tenantPods.filter((p) => p.tenant !== tenant);
      findings.open.push(...audit.check(inside, outside, () => false).open);
    }
    expect(report(findings)).toBe('');
  });

  test('platform → tenant: ingress to ingress backends, monitoring to metrics ports, each operator to the pods it runs; nothing else', () => {
    const audit = auditOf(engine);
    const { tenantPods, platformPods } = audit.probes;
    const declared = (from: Endpoint, to: Endpoint, port: number) => {
      const source = pod(from)!;
      const target = pod(to)!;
      switch (source.role) {
        case 'ingress':
          return target.ingressBackend;
        case 'monitoring':
          return target.metricsPorts.includes(port);
        case 'operator':
          return target.managedBy === source.namespace && (target.ports ?? []).some((p) => p.port === port);
        default:
          return false;
      }
    };
    const required = (from: Endpoint, to: Endpoint, port: number) => {
      const source = pod(from)!;
      const target = pod(to)!;
      return (
        (source.role === 'monitoring' && target.metricsPorts.includes(port)) ||
        (source.role === 'ingress' && target.ingressBackend && port === target.ports?.[0]?.port)
      );
    };
    const findings = audit.check(platformPods, tenantPods, declared, required);
    for (const operator of platformPods.filter((p) => p.role === 'operator')) {
      for (const managed of tenantPods.filter((p) => p.managedBy === operator.namespace)) {
        findings.closed.push(...managed.operatorPorts.map((port) => audit.path(operator, managed, port, 'TCP')).filter((p) => !p.allowed));
      }
    }
    expect(report(findings)).toBe('');
  });

  test('tenant → platform: DNS to kube-dns, the API server for pods that opt in; no webhook, operator, monitoring or ingress pod', () => {
    const audit = auditOf(engine);
    const { tenantPods, platformPods, node } = audit.probes;
    const dns = (to: Endpoint, port: number) => pod(to)?.role === 'dns' && port === 53;
    const apiServer = (from: Endpoint, to: Endpoint, port: number) =>
      to.kind === 'node' && port === API_SERVER_PORT && pod(from)!.labels[ALLOW_APISERVER_LABEL] === 'true';
    const allowed = (from: Endpoint, to: Endpoint, port: number) => dns(to, port) || apiServer(from, to, port);
    const findings = audit.check(tenantPods, [...platformPods, node], allowed, allowed);
    expect(report(findings)).toBe('');
  });

  // Only namespaces the platform creates: the ingress controller's namespace and kube-system (CoreDNS) are not the
  // platform's, and the ingress controller is there to be reached from outside.
  test('external client → only the ports of services with external: true, in the namespaces the platform creates', () => {
    const audit = auditOf(engine);
    const { tenantPods, platformPods, client } = audit.probes;
    const own = platformPods.filter((p) => audit.ownNamespaces.has(p.namespace));
    const exposed = (to: Endpoint, port: number) => pod(to)!.externalPorts.includes(port);
    const ingressEntry = (to: Endpoint, port: number) => pod(to)!.role === 'ingress' && (port === 80 || port === 443);
    const findings = audit.check(
      [client],
      [...tenantPods, ...own],
      (_, to, port) => exposed(to, port) || ingressEntry(to, port),
      (_, to, port) => exposed(to, port),
    );
    expect(report(findings)).toBe('');
  });
});
