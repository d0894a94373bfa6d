import { ClickHouse } from '../../constructs/data/clickhouse';
import { Kafka } from '../../constructs/data/kafka';
import { Kvrocks } from '../../constructs/data/kvrocks';
import { MariaDb } from '../../constructs/data/mariadb';
import { Nats } from '../../constructs/data/nats';
import { Postgres } from '../../constructs/data/postgres';
import { RabbitMq } from '../../constructs/data/rabbitmq';
import { Redis } from '../../constructs/data/redis';
import { Cilium } from '../../constructs/network/cilium';
import { HttpCache } from '../../constructs/network/http-cache';
import { TcpBalancer } from '../../constructs/network/tcp-balancer';
import { MinioTenant } from '../../constructs/storage/minio-tenant';
import { Tenant } from '../../constructs/platform/tenant';
import { SYSTEM_NAMESPACE_LABEL } from '../../lib/core/labels';
import { Platform } from '../../lib/core/platform';
import { SecretRef } from '../../lib/core/secrets';
import { find, newPlatform, validated } from '../helpers';

const OPERATORS = {
  minio: 'minio-operator',
  cnpg: 'cnpg-system',
  strimzi: 'strimzi',
  mariadb: 'mariadb-operator',
  redis: 'redis-operator',
  rabbitmq: 'rabbitmq-operator',
  clickhouse: 'clickhouse-operator',
};

/** A tenant running every managed data service with monitoring, and the platform's rendered manifests. */
function everyService(): { platform: Platform; all: any[] } {
  const platform = newPlatform({ clusterNetworks: { pods: ['10.244.0.0/16'], services: ['10.96.0.0/12'] } });
  const tenant = new Tenant(platform, 'acme', { podSecurity: 'baseline' });
  new Postgres(tenant, 'pg', { monitoring: true });
  new Redis(tenant, 'cache', { monitoring: true });
  new Kafka(tenant, 'events', { monitoring: true });
  new MariaDb(tenant, 'shop', { monitoring: true });
  new RabbitMq(tenant, 'queue', { monitoring: true, tls: true });
  new ClickHouse(tenant, 'olap', { monitoring: true });
  new Kvrocks(tenant, 'kv', { monitoring: true });
  new Nats(tenant, 'bus', { monitoring: true });
  new TcpBalancer(tenant, 'lb', { endpoints: ['192.168.100.11'] });
  new HttpCache(tenant, 'assets', { endpoints: ['192.168.100.21:80'] });
  new MinioTenant(tenant, 'store', { credentials: SecretRef.fromConfig('store-root', ['config.env']) });
  new MinioTenant(platform, 'objects', { credentials: SecretRef.fromConfig('objects-root', ['config.env']) });
  return { platform, all: validated(platform) };
}

const policiesIn = (all: any[], namespace: string) => all.filter((m) => m.kind === 'NetworkPolicy' && m.metadata.namespace === namespace);
const namedNamespace = (peer: any): string | undefined => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];

/** The ports each policy admits from `namespace`, by policy name. */
function admittedFrom(all: any[], namespace: string): Record<string, number[] | 'every port'> {
  const result: Record<string, number[] | 'every port'> = {};
  for (const policy of policiesIn(all, 'tenant-acme')) {
    for (const rule of policy.spec.ingress ?? []) {
      if ((rule.from ?? []).some((peer: any) => namedNamespace(peer) === namespace))
        result[policy.metadata.name] = rule.ports?.map((p: any) => p.port) ?? 'every port';
    }
  }
  return result;
}

describe('platform namespaces reach tenant pods only on declared paths', () => {
  const { platform, all } = everyService();

  test('no tenant policy selects namespaces by label; each namespace peer names one namespace and is limited to ports', () => {
    const policies = policiesIn(all, 'tenant-acme');
    expect(policies.length).toBeGreaterThan(15);
    expect(JSON.stringify(policies)).not.toContain(SYSTEM_NAMESPACE_LABEL);
    const allowed = new Set([...Object.values(OPERATORS), platform.monitoringNamespace, platform.ingressNamespace, 'kube-system']);
    for (const policy of policies) {
      const rules = [
        ...(policy.spec.ingress ?? []).map((r: any) => ({ peers: r.from ?? [], ports: r.ports })),
        ...(policy.spec.egress ?? []).map((r: any) => ({ peers: r.to ?? [], ports: r.ports })),
      ];
      for (const { peers, ports } of rules) {
        for (const peer of peers.filter((p: any) => p.namespaceSelector)) {
          expect(Object.keys(peer.namespaceSelector)).toEqual(['matchLabels']);
          expect(allowed).toContain(namedNamespace(peer));
          if (policy.metadata.name !== 'allow-from-ingress') expect(ports?.length).toBeGreaterThan(0);
        }
      }
    }
  });

  test('each operator reaches the pods it manages on the ports its own source names, and nothing else', () => {
    expect(admittedFrom(all, OPERATORS.cnpg)).toEqual({ 'pg-from-operator': [8000, 5432] });
    expect(admittedFrom(all, OPERATORS.strimzi)).toEqual({ 'events-from-operator': [9090, 9091, 8443] });
    expect(admittedFrom(all, OPERATORS.mariadb)).toEqual({ 'shop-from-operator': [3306, 5555] });
    expect(admittedFrom(all, OPERATORS.redis)).toEqual({ 'cache-from-operator': [6379], 'cache-from-operator-sentinel': [26379] });
    expect(admittedFrom(all, OPERATORS.rabbitmq)).toEqual({ 'queue-from-operator': [15672, 15671] });
    expect(admittedFrom(all, OPERATORS.clickhouse)).toEqual({ 'olap-from-operator': [8123, 9000, 8443, 9440] });
    expect(admittedFrom(all, OPERATORS.minio)).toEqual({ 'store-from-operator': [9000] });
    expect(find(all, 'NetworkPolicy', 'pg-from-operator').spec.podSelector).toEqual({ matchLabels: { 'cnpg.io/cluster': 'pg' } });
    expect(find(all, 'NetworkPolicy', 'events-from-operator').spec.podSelector.matchLabels).toEqual({
      'strimzi.io/cluster': 'events',
      'strimzi.io/kind': 'Kafka',
      'strimzi.io/name': 'events-kafka',
    });
  });

  test('monitoring reaches the metrics port of each scraped pod set only', () => {
    expect(admittedFrom(all, platform.monitoringNamespace)).toEqual({
      'pg-monitoring': [9187],
      'cache-monitoring': [9121],
      'events-monitoring': [9404],
      'shop-monitoring': [9104],
      'queue-monitoring': [15692],
      'olap-monitoring': [9363],
      'olap-monitoring-2': [7000],
      'kv-monitoring': [9121],
      'bus-monitoring': [7777],
    });
    expect(find(all, 'NetworkPolicy', 'shop-monitoring').spec.podSelector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'exporter',
      'app.kubernetes.io/instance': 'shop-metrics',
    });
  });

  test('the ingress controller reaches only pods labelled as ingress backends; HttpCache labels its balancers, TcpBalancer does not', () => {
    expect(admittedFrom(all, platform.ingressNamespace)).toEqual({ 'allow-from-ingress': 'every port' });
    expect(find(all, 'NetworkPolicy', 'allow-from-ingress').spec.podSelector).toEqual({
      matchLabels: { 'kubestrata.io/ingress-backend': 'true' },
    });
    const labels = (name: string) => find(all, 'Deployment', name).spec.template.metadata.labels;
    expect(labels('assets-haproxy')['kubestrata.io/ingress-backend']).toBe('true');
    expect(labels('lb-haproxy')['kubestrata.io/ingress-backend']).toBeUndefined();
  });
});

describe('platform namespaces deny ingress by default', () => {
  const { all } = everyService();
  const systemNamespaces = all
    .filter((m) => m.kind === 'Namespace' && m.metadata.labels[SYSTEM_NAMESPACE_LABEL] === 'true')
    .map((m) => m.metadata.name);

  test('every system namespace has default-deny, its own pods, non-pod addresses and monitoring', () => {
    expect(systemNamespaces).toEqual(expect.arrayContaining(['cnpg-system', 'strimzi', 'cert-manager', 'monitoring', 'objects']));
    for (const namespace of systemNamespaces) {
      const policies = policiesIn(all, namespace);
      const byName = Object.fromEntries(policies.map((p) => [p.metadata.name, p.spec]));
      expect(byName['kubestrata-default-deny']).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
      expect(byName['kubestrata-allow-same-namespace']).toEqual({
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: {} }] }],
      });
      expect(byName['kubestrata-allow-from-hosts'].ingress).toEqual([
        { from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.244.0.0/16'] } }, { ipBlock: { cidr: '::/0' } }] },
      ]);
      if (namespace !== 'monitoring') {
        expect(byName['kubestrata-allow-from-monitoring'].ingress).toEqual([
          { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] },
        ]);
      }
      // Egress stays open, and no policy admits another platform namespace or tenant pods.
      for (const [name, spec] of Object.entries(byName) as [string, any][]) {
        expect(spec.policyTypes).toEqual(['Ingress']);
        if (name === 'kubestrata-allow-s3') continue;
        const peers = (spec.ingress ?? []).flatMap((r: any) => r.from);
        expect(peers.filter((p: any) => p.namespaceSelector && namedNamespace(p) !== 'monitoring')).toEqual([]);
      }
    }
  });

  test("the platform's own MinIO admits every namespace on its S3 port only, for clients whose policies let them out", () => {
    const s3 = find(all, 'NetworkPolicy', 'kubestrata-allow-s3');
    expect(s3.metadata.namespace).toBe('objects');
    expect(s3.spec).toEqual({
      podSelector: { matchLabels: { 'v1.min.io/tenant': 'objects' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: 9000 }] }],
    });
  });

  test('kube-system is not ours: no policy there, even when a CNI is installed into it', () => {
    const platform = newPlatform();
    new Cilium(platform, { namespace: 'kube-system' });
    expect(policiesIn(validated(platform), 'kube-system')).toEqual([]);
  });
});
