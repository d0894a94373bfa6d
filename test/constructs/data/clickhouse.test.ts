import { ClickHouse } from '../../../constructs/data/clickhouse';
import { ClickHouseOperator } from '../../../constructs/data/clickhouse-operator';
import { ClickHouseProps } from '../../../constructs/data/clickhouse-props';
import { CertManager } from '../../../constructs/platform/cert-manager';
import { PrometheusOperatorCrds } from '../../../constructs/platform/prometheus-operator-crds';
import { Tenant } from '../../../constructs/platform/tenant';
import { ConfigurationError } from '../../../lib/core/errors';
import { Platform, PlatformProps } from '../../../lib/core/platform';
import { SecretRef } from '../../../lib/core/secrets';
import { SchemaRegistry } from '../../../lib/validate';
import { versions } from '../../../lib/versions';
import { find, manifests, newPlatform, SCHEMAS_DIR } from '../../helpers';

let registry: SchemaRegistry | undefined;

/**
 * The pod, claim and Service templates of the operator CRs as the Kubernetes objects the operator makes of
 * them: the CRDs keep those specs opaque, so they are checked against the Kubernetes schemas here.
 */
function templatesAsObjects(all: any[]): any[] {
  const meta = (labels?: Record<string, string>) => ({ name: 'template', namespace: 'tenant-acme', labels });
  return all
    .filter((m) => /ClickHouse(Keeper)?Installation/.test(m.kind))
    .flatMap((m) => [
      ...(m.spec.templates.podTemplates ?? []).map((t: any) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: meta(t.metadata?.labels),
        spec: t.spec,
      })),
      ...(m.spec.templates.volumeClaimTemplates ?? []).map((t: any) => ({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: meta(),
        spec: t.spec,
      })),
      ...(m.spec.templates.serviceTemplates ?? []).map((t: any) => ({ apiVersion: 'v1', kind: 'Service', metadata: meta(), spec: t.spec })),
    ]);
}

function validated(platform: Platform): any[] {
  registry ??= SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: '1.32.0' });
  const all = manifests(platform);
  expect([...all, ...templatesAsObjects(all)].flatMap((m) => registry!.validate(m))).toEqual([]);
  return all;
}

function setup(props?: ClickHouseProps, platformProps?: PlatformProps) {
  const platform = newPlatform(platformProps);
  const tenant = new Tenant(platform, 'acme');
  const clickhouse = new ClickHouse(tenant, 'analytics', props);
  return { platform, tenant, clickhouse, all: validated(platform) };
}

function problemsOf(f: () => unknown): ConfigurationError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigurationError) return e;
    throw e;
  }
  throw new Error('expected a ConfigurationError');
}

const chi = (all: any[]) => find(all, 'ClickHouseInstallation', 'analytics');
const chk = (all: any[]) => find(all, 'ClickHouseKeeperInstallation', 'analytics-keeper');
const serverPods = {
  'app.kubernetes.io/name': 'clickhouse',
  'app.kubernetes.io/instance': 'analytics',
  'app.kubernetes.io/component': 'server',
};
const keeperPods = { ...serverPods, 'app.kubernetes.io/component': 'keeper' };

/** A ClickHouse using every option. */
const EVERYTHING: ClickHouseProps = {
  replicas: 3,
  shards: 2,
  version: 'v24.9',
  storage: { size: '100Gi', storageClass: 'replicated' },
  resources: 'u1.large',
  logStorageSize: '5Gi',
  logTtlDays: 7,
  external: true,
  externalSourceRanges: ['198.51.100.0/24'],
  monitoring: true,
  antiAffinity: 'required',
  users: {
    app: {},
    bi_reader: { readonly: true, networks: ['10.20.0.0/16'] },
    etl: { password: SecretRef.fromConfig('etl-clickhouse', ['password']) },
  },
  keeper: { replicas: 5, storage: { size: '2Gi', storageClass: 'local' }, resources: 't1.small' },
};

describe('ClickHouse defaults', () => {
  test('new ClickHouse(tenant, id) is 1 shard × 2 replicas on the pinned 25.8 LTS image with a 3-node Keeper', () => {
    const { clickhouse, all } = setup();
    expect(chi(all).apiVersion).toBe('clickhouse.altinity.com/v1');
    expect(chi(all).metadata.namespace).toBe('tenant-acme');
    expect(chi(all).spec.configuration.clusters).toEqual([
      { name: 'clickhouse', layout: { shardsCount: 1, replicasCount: 2 }, secret: { auto: 'true' } },
    ]);
    expect(chi(all).spec.templates.podTemplates[0].spec.containers[0].image).toBe('docker.io/clickhouse/clickhouse-server:25.8.30.16');
    expect(chk(all).apiVersion).toBe('clickhouse-keeper.altinity.com/v1');
    expect(chk(all).spec.configuration.clusters).toEqual([{ name: 'cluster1', layout: { replicasCount: 3 } }]);
    expect(chk(all).spec.templates.podTemplates[0].spec.containers[0].image).toBe('docker.io/clickhouse/clickhouse-keeper:25.8.30.16');
    expect(clickhouse).toMatchObject({
      replicas: 2,
      shards: 1,
      version: 'v25.8',
      imageTag: '25.8.30.16',
      logStorageSize: '2Gi',
      logTtlDays: 15,
      keeperReplicas: 3,
      host: 'clickhouse-analytics.tenant-acme.svc.cluster.local',
      external: false,
      monitoring: false,
    });
    expect(versions.clickhouse.releases['v24.9']).toBe('24.9.2.42');
  });

  test('replication is wired to the Keeper servers by their per-host Services, in the platform cluster domain', () => {
    const { all } = setup(undefined, { clusterDomain: 'cozy.local' });
    expect(chi(all).spec.configuration.zookeeper).toEqual({
      nodes: [0, 1, 2].map((i) => ({ host: `chk-analytics-keeper-cluster1-0-${i}.tenant-acme.svc.cozy.local`, port: 2181 })),
    });
    expect(chi(all).spec.namespaceDomainPattern).toBe('%s.svc.cozy.local');
    expect(chk(all).spec.namespaceDomainPattern).toBe('%s.svc.cozy.local');
  });

  test('data and log volumes per server, a volume per Keeper server, in the platform storage class', () => {
    const { all } = setup(undefined, { storageClass: 'replicated' });
    expect(chi(all).spec.defaults.templates).toEqual({ podTemplate: 'server', dataVolumeClaimTemplate: 'data', serviceTemplate: 'client' });
    expect(chi(all).spec.templates.volumeClaimTemplates).toEqual([
      {
        name: 'data',
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'replicated', resources: { requests: { storage: '10Gi' } } },
      },
      {
        name: 'logs',
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'replicated', resources: { requests: { storage: '2Gi' } } },
      },
    ]);
    expect(chi(all).spec.templates.podTemplates[0].spec.containers[0].volumeMounts).toEqual([
      { name: 'data', mountPath: '/var/lib/clickhouse' },
      { name: 'logs', mountPath: '/var/log/clickhouse-server' },
      { name: 'tls', mountPath: '/etc/clickhouse-server/tls', readOnly: true },
    ]);
    expect(chk(all).spec.templates.volumeClaimTemplates).toEqual([
      {
        name: 'data',
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'replicated', resources: { requests: { storage: '1Gi' } } },
      },
    ]);
  });

  test('t1.small servers and t1.micro Keeper servers, requests by the allocation ratio', () => {
    const { all } = setup();
    expect(chi(all).spec.templates.podTemplates[0].spec.containers[0].resources).toEqual({
      limits: { cpu: '1', memory: '512Mi', 'ephemeral-storage': '2Gi' },
      requests: { cpu: '100m', memory: '512Mi', 'ephemeral-storage': '52Mi' },
    });
    expect(chk(all).spec.templates.podTemplates[0].spec.containers[0].resources.limits).toEqual({
      cpu: '500m',
      memory: '256Mi',
      'ephemeral-storage': '2Gi',
    });
  });

  test('servers and Keeper run as the unprivileged clickhouse user under the restricted Pod Security level', () => {
    const { all } = setup();
    for (const cr of [chi(all), chk(all)]) {
      const spec = cr.spec.templates.podTemplates[0].spec;
      expect(spec.securityContext).toEqual({
        runAsUser: 101,
        runAsGroup: 101,
        runAsNonRoot: true,
        fsGroup: 101,
        fsGroupChangePolicy: 'OnRootMismatch',
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(spec.containers[0].securityContext).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
    }
  });

  test('servers and Keeper servers are spread across nodes by their own pod labels', () => {
    const { all } = setup();
    for (const [cr, selector] of [
      [chi(all), serverPods],
      [chk(all), keeperPods],
    ] as const) {
      const template = cr.spec.templates.podTemplates[0];
      expect(template.metadata.labels).toEqual({ ...selector, 'kubestrata.io/tenant': 'acme' });
      expect(
        template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchLabels,
      ).toEqual(selector);
      expect(template.spec.topologySpreadConstraints[0]).toMatchObject({
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
      });
    }
  });

  test('clients reach a ClusterIP Service clickhouse-<id> on HTTP and native ports, plain and TLS', () => {
    expect(chi(setup().all).spec.templates.serviceTemplates).toEqual([
      {
        name: 'client',
        generateName: 'clickhouse-{chi}',
        spec: {
          type: 'ClusterIP',
          ports: [
            { name: 'http', port: 8123, protocol: 'TCP' },
            { name: 'tcp', port: 9000, protocol: 'TCP' },
            { name: 'https', port: 8443, protocol: 'TCP' },
            { name: 'tcp-secure', port: 9440, protocol: 'TCP' },
          ],
        },
      },
    ]);
  });

  test('system logs as Cozystack keeps them: most dropped, query logs with a 15-day TTL; a readonly profile', () => {
    const configuration = chi(setup().all).spec.configuration;
    expect(configuration.files['config.d/z_log_disable.xml']).toContain('<trace_log remove="1"/>');
    expect(configuration.files['config.d/query_log_ttl.xml']).toContain('TTL event_date + INTERVAL 15 DAY DELETE');
    expect(configuration.files['config.d/query_log_ttl.xml']).toContain('<table>query_thread_log</table>');
    expect(configuration.profiles).toEqual({ 'readonly/readonly': '1' });
    expect(configuration.users).toBeUndefined();
    expect(configuration.settings).toBeUndefined();
  });

  test('the operator is required once, with a generated management password instead of the chart default', () => {
    const { platform, all } = setup();
    new ClickHouse(Tenant.of(platform.node.findChild('acme')), 'events');
    const operator = platform.registry.find(ClickHouseOperator)!;
    expect(operator).toMatchObject({ version: '0.25.2', namespace: 'clickhouse-operator' });
    const release = find(manifests(platform), 'HelmRelease', 'clickhouse-operator');
    expect(release.spec.chart.spec).toMatchObject({ chart: 'altinity-clickhouse-operator', version: '0.25.2' });
    expect(find(all, 'HelmRepository', 'clickhouse-operator').spec.url).toBe('https://docs.altinity.com/clickhouse-operator/');
    expect(release.spec.values).toMatchObject({
      secret: { create: false },
      configs: {
        files: { 'config.yaml': { clickhouse: { access: { secret: { namespace: '', name: 'clickhouse-operator-credentials' } } } } },
      },
      operator: { image: { tag: '0.25.2' }, containerSecurityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false } },
      metrics: { image: { tag: '0.25.2' }, containerSecurityContext: { capabilities: { drop: ['ALL'] } } },
      podSecurityContext: { runAsUser: 65534, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    });
    expect(JSON.stringify(release)).not.toContain('clickhouse_operator_password');
    expect(platform.secrets.all()).toEqual([expect.objectContaining({ namespace: 'clickhouse-operator', ref: operator.credentials })]);
    expect(operator.credentials).toMatchObject({ source: 'generated', fixed: { username: 'clickhouse_operator' } });
    expect(find(all, 'Namespace', 'clickhouse-operator').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('no external Service, metrics or ServiceMonitor unless asked; only the operator is admitted', () => {
    const all = setup().all;
    expect(all.filter((m) => ['Service', 'ServiceMonitor'].includes(m.kind) && m.metadata.name.startsWith('analytics'))).toEqual([]);
    const policies = all.filter((m) => m.kind === 'NetworkPolicy' && m.metadata.name.startsWith('analytics'));
    expect(policies.map((p) => p.metadata.name)).toEqual(['analytics-from-operator']);
  });

  test('small snapshot of the default ClickHouseKeeperInstallation spec', () => {
    expect(chk(setup().all).spec).toMatchSnapshot();
  });
});

describe('ClickHouse options', () => {
  test('a platform using every option validates against the operator 0.25.2 CRDs and the Kubernetes schemas', () => {
    const { clickhouse, all } = setup(EVERYTHING, { storageClass: 'default-class' });
    expect(clickhouse).toMatchObject({ replicas: 3, shards: 2, imageTag: '24.9.2.42', keeperReplicas: 5 });
    expect(chi(all).spec.configuration.clusters[0].layout).toEqual({ shardsCount: 2, replicasCount: 3 });
    expect(chi(all).spec.configuration.zookeeper.nodes).toHaveLength(5);
    expect(chk(all).spec.templates.volumeClaimTemplates[0].spec).toMatchObject({
      storageClassName: 'local',
      resources: { requests: { storage: '2Gi' } },
    });
    expect(chk(all).spec.templates.podTemplates[0].spec.containers[0].resources.limits).toMatchObject({ cpu: '1', memory: '512Mi' });
    expect(chi(all).spec.templates.volumeClaimTemplates.map((t: any) => t.spec.resources.requests.storage)).toEqual(['100Gi', '5Gi']);
    expect(chi(all).spec.configuration.files['config.d/query_log_ttl.xml']).toContain('INTERVAL 7 DAY');
    expect(chi(all).spec.templates.podTemplates[0].spec.containers[0].resources.limits).toMatchObject({ cpu: '4', memory: '16Gi' });
  });

  test('users: passwords only from Secrets, the readonly profile, networks limited to the cluster and the allowed sources', () => {
    const { platform, clickhouse, all } = setup(EVERYTHING);
    expect(chi(all).spec.configuration.users).toEqual({
      'app/password': { valueFrom: { secretKeyRef: { name: 'analytics.app', key: 'password' } } },
      'app/profile': 'default',
      'app/networks/ip': [
        '10.0.0.0/8',
        '172.16.0.0/12',
        '192.168.0.0/16',
        '100.64.0.0/10',
        'fc00::/7',
        '127.0.0.1/32',
        '::1/128',
        '198.51.100.0/24',
      ],
      'bi_reader/password': { valueFrom: { secretKeyRef: { name: 'analytics.bi-reader', key: 'password' } } },
      'bi_reader/profile': 'readonly',
      'bi_reader/networks/ip': ['10.20.0.0/16'],
      'etl/password': { valueFrom: { secretKeyRef: { name: 'etl-clickhouse', key: 'password' } } },
      'etl/profile': 'default',
      'etl/networks/ip': [
        '10.0.0.0/8',
        '172.16.0.0/12',
        '192.168.0.0/16',
        '100.64.0.0/10',
        'fc00::/7',
        '127.0.0.1/32',
        '::1/128',
        '198.51.100.0/24',
      ],
    });
    expect(clickhouse.userSecrets.app).toMatchObject({ name: 'analytics.app', source: 'generated', fixed: { username: 'app' } });
    expect(
      platform.secrets
        .all()
        .filter((s) => s.namespace === 'tenant-acme')
        .map((s) => s.ref.name),
    ).toEqual(['analytics.app', 'analytics.bi-reader', 'etl-clickhouse']);
    expect(all.filter((m) => m.kind === 'Secret')).toEqual([]);
    const open = chi(setup({ external: true, users: { app: {} } }).all).spec.configuration.users['app/networks/ip'];
    expect(open.slice(-2)).toEqual(['0.0.0.0/0', '::/0']);
    expect(chi(setup({ users: { app: {} } }).all).spec.configuration.users['app/networks/ip']).not.toContain('0.0.0.0/0');
  });

  test('external: a LoadBalancer to the servers on the TLS ports only, admitted by a NetworkPolicy from the source ranges', () => {
    const { all } = setup(EVERYTHING);
    expect(find(all, 'Service', 'analytics-external').spec).toMatchObject({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      loadBalancerSourceRanges: ['198.51.100.0/24'],
      selector: serverPods,
      ports: [
        { name: 'https', port: 8443, targetPort: 8443, protocol: 'TCP' },
        { name: 'tcp-secure', port: 9440, targetPort: 9440, protocol: 'TCP' },
      ],
    });
    expect(find(all, 'NetworkPolicy', 'analytics-external').spec.ingress).toEqual([
      {
        from: [{ ipBlock: { cidr: '198.51.100.0/24' } }],
        ports: [
          { protocol: 'TCP', port: 8443 },
          { protocol: 'TCP', port: 9440 },
        ],
      },
    ]);
  });

  test('external with tls: false: the LoadBalancer and its NetworkPolicy offer the plain ports', () => {
    const { all } = setup({ ...EVERYTHING, tls: false });
    expect(find(all, 'Service', 'analytics-external').spec.ports).toEqual([
      { name: 'http', port: 8123, targetPort: 8123, protocol: 'TCP' },
      { name: 'tcp', port: 9000, targetPort: 9000, protocol: 'TCP' },
    ]);
    expect(find(all, 'NetworkPolicy', 'analytics-external').spec.ingress[0].ports).toEqual([
      { protocol: 'TCP', port: 8123 },
      { protocol: 'TCP', port: 9000 },
    ]);
  });

  test('tls (default): a CA of the service and a server certificate for the client and per-host Services, after cert-manager', () => {
    const { platform, clickhouse, all } = setup({ shards: 2 }, { clusterDomain: 'cozy.local' });
    expect(clickhouse).toMatchObject({ tls: true, tlsSecretName: 'analytics-tls', caSecretName: 'analytics-ca' });
    expect(platform.registry.requirementsOf(clickhouse)).toEqual(
      expect.arrayContaining([platform.registry.find(CertManager), platform.registry.find(ClickHouseOperator)]),
    );
    expect(find(all, 'Issuer', 'analytics-selfsigned').spec).toEqual({ selfSigned: {} });
    expect(find(all, 'Certificate', 'analytics-ca').spec).toMatchObject({
      secretName: 'analytics-ca',
      isCA: true,
      issuerRef: { name: 'analytics-selfsigned', kind: 'Issuer' },
    });
    expect(find(all, 'Issuer', 'analytics-ca').spec).toEqual({ ca: { secretName: 'analytics-ca' } });
    const cert = find(all, 'Certificate', 'analytics-tls');
    expect(cert.metadata.namespace).toBe('tenant-acme');
    expect(cert.spec).toMatchObject({
      secretName: 'analytics-tls',
      issuerRef: { name: 'analytics-ca', kind: 'Issuer' },
      usages: expect.arrayContaining(['server auth']),
    });
    const names = (svc: string) => [svc, `${svc}.tenant-acme`, `${svc}.tenant-acme.svc`, `${svc}.tenant-acme.svc.cozy.local`];
    expect(cert.spec.dnsNames).toEqual(
      [
        'clickhouse-analytics',
        'chi-analytics-clickhouse-0-0',
        'chi-analytics-clickhouse-0-1',
        'chi-analytics-clickhouse-1-0',
        'chi-analytics-clickhouse-1-1',
      ].flatMap(names),
    );
    expect(chi(all).spec.templates.podTemplates[0].spec.volumes).toEqual([
      { name: 'tls', secret: { secretName: 'analytics-tls', defaultMode: 0o440 } },
    ]);
    expect(clickhouse.installation.node.dependencies.map((d) => d.node.path)).toContain('platform/acme/analytics/certificate-tls');
  });

  test('tls (default): secure listeners and the mounted certificate in config.d/tls.xml', () => {
    const tls = chi(setup().all).spec.configuration.files['config.d/tls.xml'];
    expect(tls).toContain('<https_port>8443</https_port>');
    expect(tls).toContain('<tcp_port_secure>9440</tcp_port_secure>');
    expect(tls).toContain('<certificateFile>/etc/clickhouse-server/tls/tls.crt</certificateFile>');
    expect(tls).toContain('<privateKeyFile>/etc/clickhouse-server/tls/tls.key</privateKeyFile>');
    expect(tls).toContain('<caConfig>/etc/clickhouse-server/tls/ca.crt</caConfig>');
  });

  test('tls: false: no cert-manager, certificates, volume, secure listeners or ports', () => {
    const { platform, clickhouse, all } = setup({ tls: false });
    expect(clickhouse).toMatchObject({ tls: false, tlsSecretName: undefined, caSecretName: undefined });
    expect(platform.registry.find(CertManager)).toBeUndefined();
    expect(all.filter((m) => ['Certificate', 'Issuer'].includes(m.kind))).toEqual([]);
    const spec = chi(all).spec;
    expect(spec.configuration.files['config.d/tls.xml']).toBeUndefined();
    expect(spec.templates.podTemplates[0].spec.volumes).toBeUndefined();
    expect(spec.templates.podTemplates[0].spec.containers[0].volumeMounts.map((m: any) => m.name)).toEqual(['data', 'logs']);
    expect(spec.templates.serviceTemplates[0].spec.ports.map((p: any) => p.port)).toEqual([8123, 9000]);
  });

  test('monitoring: Prometheus endpoints on servers and Keeper, metrics Services and one ServiceMonitor after the CRDs', () => {
    const { platform, all } = setup(EVERYTHING);
    expect(chi(all).spec.configuration.settings).toMatchObject({
      'prometheus/endpoint': '/metrics',
      'prometheus/port': 9363,
      'prometheus/metrics': true,
    });
    expect(chk(all).spec.configuration.settings).toMatchObject({ 'prometheus/port': 7000, 'prometheus/metrics': true });
    expect(find(all, 'Service', 'analytics-metrics').spec).toEqual({
      selector: serverPods,
      ports: [{ name: 'metrics', port: 9363, targetPort: 9363, protocol: 'TCP' }],
    });
    expect(find(all, 'Service', 'analytics-keeper-metrics').spec).toEqual({
      selector: keeperPods,
      ports: [{ name: 'metrics', port: 7000, targetPort: 7000, protocol: 'TCP' }],
    });
    const monitor = find(all, 'ServiceMonitor', 'analytics');
    for (const name of ['analytics-metrics', 'analytics-keeper-metrics'])
      expect(find(all, 'Service', name).metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(monitor.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
    expect(platform.registry.find(PrometheusOperatorCrds)).toBeDefined();
  });

  test('required anti-affinity for servers and Keeper', () => {
    const { all } = setup(EVERYTHING);
    for (const cr of [chi(all), chk(all)]) {
      const spec = cr.spec.templates.podTemplates[0].spec;
      expect(spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
      expect(spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
    }
  });

  test('the installation is applied after its Keeper', () => {
    const { clickhouse } = setup();
    expect(clickhouse.installation.node.dependencies).toContain(clickhouse.keeper);
  });

  test('K3s delivery installs the operator through a HelmChart', () => {
    const chart = find(setup(undefined, { delivery: 'k3s' }).all, 'HelmChart', 'clickhouse-operator');
    expect(chart.spec).toMatchObject({
      chart: 'altinity-clickhouse-operator',
      repo: 'https://docs.altinity.com/clickhouse-operator/',
      version: '0.25.2',
      targetNamespace: 'clickhouse-operator',
    });
  });
});

describe('ClickHouse errors', () => {
  test.each<[string, ClickHouseProps, string, unknown, string]>([
    ['unknown version', { version: 'v23.8' as any }, 'version', 'v23.8', 'must be one of "v25.8", "v24.9"'],
    ['no replicas', { replicas: 0 }, 'replicas', 0, 'must be a whole number ≥ 1'],
    ['no shards', { shards: 0 }, 'shards', 0, 'must be a whole number ≥ 1'],
    ['fractional shards', { shards: 1.5 }, 'shards', 1.5, 'must be a whole number ≥ 1'],
    ['log size', { logStorageSize: '2 GB' }, 'logStorageSize', '2 GB', 'must be a positive Kubernetes quantity'],
    ['log TTL', { logTtlDays: 0 }, 'logTtlDays', 0, 'must be a whole number of days ≥ 1'],
    ['even Keeper', { keeper: { replicas: 2 } }, 'keeper.replicas', 2, 'must be an odd whole number from 1 to 9'],
    ['Keeper too big', { keeper: { replicas: 11 } }, 'keeper.replicas', 11, 'must be an odd whole number from 1 to 9'],
    ['Keeper size', { keeper: { storage: { size: '-1Gi' } } }, 'keeper.storage.size', '-1Gi', 'must be a positive Kubernetes quantity'],
    [
      'Keeper class',
      { keeper: { storage: { storageClass: 'Local SSD' } } },
      'keeper.storage.storageClass',
      'Local SSD',
      'must be a StorageClass name',
    ],
    ['Keeper resources', { keeper: { resources: 'z1.tiny' as any } }, 'keeper.resources', 'z1.tiny', 'must be one of "t1.nano"'],
    ['user name', { users: { 'bi-reader': {} } }, 'users.bi-reader', 'bi-reader', 'must be a ClickHouse user name'],
    [
      'reserved user',
      { users: { default: {} } },
      'users.default',
      'default',
      'is the user the operator and the servers use among themselves',
    ],
    [
      'operator user',
      { users: { clickhouse_operator: {} } },
      'users.clickhouse_operator',
      'clickhouse_operator',
      'is the user the operator and the servers use among themselves',
    ],
    ['readonly not boolean', { users: { app: { readonly: 'yes' as any } } }, 'users.app.readonly', 'yes', 'must be true or false'],
    [
      'password without its key',
      { users: { app: { password: SecretRef.existing('app-pw', ['secret']) } } },
      'users.app.password.keys',
      ['secret'],
      'must include "password"',
    ],
    [
      'password not a SecretRef',
      { users: { app: { password: 'hunter2' as any } } },
      'users.app.password',
      'hunter2',
      'must be a SecretRef',
    ],
    ['empty networks', { users: { app: { networks: [] } } }, 'users.app.networks', [], 'must list at least one CIDR'],
    [
      'network not a CIDR',
      { users: { app: { networks: ['10.0.0.1'] } } },
      'users.app.networks',
      '10.0.0.1',
      'must be an IPv4 or IPv6 CIDR',
    ],
    ['generated Secret name', { users: { app_: {} } }, 'users.app_', 'app_', 'gives the generated Secret name "analytics.app-"'],
    ['external ranges', { external: true, externalSourceRanges: ['any'] }, 'externalSourceRanges', 'any', 'must be an IPv4 or IPv6 CIDR'],
    ['tls not boolean', { tls: 'yes' as any }, 'tls', 'yes', 'must be true or false'],
  ])('%s', (_, props, property, value, rule) => {
    const error = problemsOf(() => setup(props));
    expect(error.path).toBe('platform/acme/analytics');
    expect(error.problems).toEqual([expect.objectContaining({ property, value })]);
    expect(error.problems[0].rule).toContain(rule);
  });

  test('two users whose generated Secrets would collide', () => {
    const error = problemsOf(() => setup({ users: { bi_reader: {}, BI_READER: {} } }));
    expect(error.problems).toEqual([expect.objectContaining({ property: 'users.BI_READER', value: 'BI_READER' })]);
    expect(error.problems[0].rule).toBe('would share the generated Secret "analytics.bi-reader" with user "bi_reader"');
  });

  test('ids longer than the operator-derived StatefulSet names allow', () => {
    const id = 'c'.repeat(29);
    const error = problemsOf(() => new ClickHouse(new Tenant(newPlatform(), 'acme'), id));
    expect(error.problems).toEqual([expect.objectContaining({ property: 'id', value: id })]);
    expect(error.message).toContain('at most 28 characters');
    expect(error.message).toContain('chk-<id>-keeper-cluster1-0-<replica>');
  });

  test('all problems of one ClickHouse are reported together', () => {
    const error = problemsOf(() => setup({ shards: 0, keeper: { replicas: 4 }, users: { default: {} } }));
    expect(error.problems.map((p) => p.property)).toEqual(['shards', 'keeper.replicas', 'users.default']);
  });
});
