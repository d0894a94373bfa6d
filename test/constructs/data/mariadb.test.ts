import { MariaDb, MariaDbProps } from '../../../constructs/data/mariadb';
import { MariaDbOperator } from '../../../constructs/data/mariadb-operator';
import { MariaDbOperatorCrds } from '../../../constructs/data/mariadb-operator-crds';
import { PrometheusOperatorCrds } from '../../../constructs/platform/prometheus-operator-crds';
import { Tenant } from '../../../constructs/platform/tenant';

import { PlatformProps } from '../../../lib/core/platform';
import { SecretRef } from '../../../lib/core/secrets';

import { versions } from '../../../lib/versions';
import { find, newPlatform, problemsOf, validated } from '../../helpers';

function setup(props?: MariaDbProps, platformProps?: PlatformProps) {
  const platform = newPlatform(platformProps);
  const tenant = new Tenant(platform, 'acme');
  const db = new MariaDb(tenant, 'shop', props);
  return { platform, tenant, db, all: validated(platform) };
}

const s3 = SecretRef.fromConfig('shop-s3', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']);
const pods = { 'app.kubernetes.io/name': 'mariadb', 'app.kubernetes.io/instance': 'shop' };
const restrictedContainer = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  runAsNonRoot: true,
  runAsUser: 999,
  runAsGroup: 999,
};

describe('MariaDB defaults', () => {
  test('two servers of 11.8.5 with asynchronous replication, as Cozystack runs them', () => {
    const { db, all } = setup();
    const spec = find(all, 'MariaDB', 'shop').spec;
    expect(spec).toMatchObject({
      image: 'docker.io/library/mariadb:11.8.5',
      replicas: 2,
      port: 3306,
      replication: { enabled: true },
      storage: { size: '10Gi', resizeInUseVolumes: true, waitForVolumeResize: true },
    });
    expect(spec.galera).toBeUndefined();
    expect(db).toMatchObject({
      version: 'v11.8',
      replicas: 2,
      replication: 'async',
      requireTls: true,
      external: false,
      monitoring: false,
      host: 'shop-primary.tenant-acme.svc.cluster.local',
      readHost: 'shop-secondary.tenant-acme.svc.cluster.local',
      caBundleSecretName: 'shop-ca-bundle',
    });
    expect(versions.mariadb.releases['v11.8']).toBe('11.8.5');
  });

  test('TLS from the operator CA, enforced for every client', () => {
    expect(find(setup().all, 'MariaDB').spec.tls).toEqual({ enabled: true, required: true });
  });

  test('the root password is a generated Secret the deployment layer creates, never rendered', () => {
    const { platform, db, all } = setup();
    expect(find(all, 'MariaDB').spec.rootPasswordSecretKeyRef).toEqual({ name: 'shop-root', key: 'password' });
    expect(db.rootPassword).toMatchObject({ name: 'shop-root', source: 'generated', fixed: { username: 'root' } });
    expect(platform.secrets.all().map((s) => [s.namespace, s.ref.name])).toEqual([['tenant-acme', 'shop-root']]);
    expect(all.filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  test('t1.nano limits, requests by the allocation ratio, and my.cnf sized from the memory limit', () => {
    const spec = find(setup().all, 'MariaDB').spec;
    expect(spec.resources).toEqual({
      limits: { cpu: '250m', memory: '128Mi', 'ephemeral-storage': '2Gi' },
      requests: { cpu: '25m', memory: '128Mi', 'ephemeral-storage': '52Mi' },
    });
    expect(spec.myCnf).toBe('[mariadb]\ninnodb_buffer_pool_size=64M\ninnodb_log_file_size=96M\nkey_buffer_size=8M\nmax_connections=151\n');
  });

  test('server pods and the operator sidecars meet the restricted Pod Security level', () => {
    const { db, all } = setup();
    const spec = find(all, 'MariaDB').spec;
    expect(spec.podSecurityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 999,
      runAsGroup: 999,
      fsGroup: 999,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.securityContext).toEqual(restrictedContainer);
    expect(spec.replication.agent).toEqual({ securityContext: restrictedContainer });
    expect(spec.replication.initContainer).toEqual({
      image: 'docker-registry3.mariadb.com/mariadb-operator/mariadb-operator:25.10.2',
      securityContext: restrictedContainer,
    });
    expect(spec.podMetadata.labels).toEqual({ 'kubestrata.io/tenant': 'acme', 'kubestrata.io/allow-to-apiserver': 'true' });
    expect(db.tenant.podSecurity).toBe('restricted');
  });

  test('servers are spread across nodes by the labels the operator puts on them', () => {
    const spec = find(setup().all, 'MariaDB').spec;
    expect(spec.affinity).toEqual({
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: pods } } },
        ],
      },
    });
    expect(spec.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: pods } },
    ]);
  });

  test('the operator and its CRDs are two Flux releases, the CRDs first', () => {
    const { platform, db, all } = setup();
    const operator = platform.registry.find(MariaDbOperator)!;
    expect(platform.registry.requirementsOf(db)).toEqual([operator]);
    expect(operator.crds).toBe(platform.registry.find(MariaDbOperatorCrds));
    expect(operator.version).toBe('25.10.2');
    const release = find(all, 'HelmRelease', 'mariadb-operator');
    expect(release.metadata.namespace).toBe('mariadb-operator');
    expect(release.spec.chart.spec).toMatchObject({ chart: 'mariadb-operator', version: '25.10.2' });
    expect(release.spec.dependsOn).toEqual([{ name: 'mariadb-operator-crds', namespace: 'mariadb-operator' }]);
    expect(release.spec.values).toMatchObject({
      crds: { enabled: false },
      securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true },
      webhook: { podSecurityContext: { seccompProfile: { type: 'RuntimeDefault' } } },
    });
    expect(find(all, 'HelmRelease', 'mariadb-operator-crds').spec.chart.spec).toMatchObject({
      chart: 'mariadb-operator-crds',
      version: '25.10.2',
    });
    expect(find(all, 'HelmRepository', 'mariadb-operator').spec.url).toBe('https://helm.mariadb.com/mariadb-operator');
    expect(find(all, 'Namespace', 'mariadb-operator').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('no LoadBalancer, metrics, backup, databases or users unless asked', () => {
    const all = setup().all;
    const spec = find(all, 'MariaDB').spec;
    expect([spec.service, spec.primaryService, spec.metrics]).toEqual([undefined, undefined, undefined]);
    expect(all.filter((m) => m.apiVersion === 'k8s.mariadb.com/v1alpha1' && m.kind !== 'MariaDB')).toEqual([]);
    expect(all.filter((m) => m.kind === 'NetworkPolicy' && m.metadata.name.startsWith('shop')).map((m) => m.metadata.name)).toEqual([
      'shop-from-operator',
    ]);
  });

  test('small snapshot of the default MariaDB spec', () => {
    expect(find(setup().all, 'MariaDB').spec).toMatchSnapshot();
  });
});

describe('MariaDB options', () => {
  test('one server: no replication, the server Service as host, no API access', () => {
    const { db, all } = setup({ replicas: 1 });
    const spec = find(all, 'MariaDB').spec;
    expect(spec.replicas).toBe(1);
    expect([spec.replication, spec.galera]).toEqual([undefined, undefined]);
    expect(spec.podMetadata.labels).toEqual({ 'kubestrata.io/tenant': 'acme' });
    expect(db).toMatchObject({ replication: undefined, host: 'shop.tenant-acme.svc.cluster.local', readHost: undefined });
  });

  test('Galera with three servers', () => {
    const { db, all } = setup({ replicas: 3, replication: 'galera' });
    const spec = find(all, 'MariaDB').spec;
    expect(spec.galera).toMatchObject({
      enabled: true,
      agent: { securityContext: restrictedContainer },
      initContainer: { securityContext: restrictedContainer },
    });
    expect(spec.replication).toBeUndefined();
    expect(spec.tls).toEqual({ enabled: true, required: true, galeraSSTEnabled: true });
    expect(db.readHost).toBeUndefined();
  });

  test('version, storage, explicit resources and my.cnf settings over the sizing', () => {
    const spec = find(
      setup({
        version: 'v10.6',
        storage: { size: '100Gi', storageClass: 'replicated' },
        resources: { cpu: '2', memory: '4Gi' },
        config: { max_connections: 500, max_allowed_packet: '64M' },
      }).all,
      'MariaDB',
    ).spec;
    expect(spec.image).toBe('docker.io/library/mariadb:10.6.24');
    expect(spec.storage).toMatchObject({ size: '100Gi', storageClassName: 'replicated' });
    expect(spec.resources.limits).toMatchObject({ cpu: '2', memory: '4Gi' });
    expect(spec.myCnf).toBe(
      '[mariadb]\ninnodb_buffer_pool_size=2048M\ninnodb_log_file_size=2048M\nkey_buffer_size=128M\nmax_connections=500\nmax_allowed_packet=64M\n',
    );
  });

  test('the platform storage class is the default', () => {
    expect(find(setup(undefined, { storageClass: 'local' }).all, 'MariaDB').spec.storage.storageClassName).toBe('local');
  });

  test('databases with admin/readonly roles, users and explicit grants become operator objects', () => {
    const { platform, all } = setup({
      users: { alice: {}, bob: { maxUserConnections: 20, password: SecretRef.existing('bob-password', ['password']) } },
      databases: {
        orders: { roles: { admin: ['alice'], readonly: ['bob'] } },
        legacy_db: { characterSet: 'latin1', collate: 'latin1_swedish_ci' },
      },
      grants: [{ username: 'bob', database: 'orders', table: 'Invoices', privileges: ['INSERT', 'UPDATE'] }],
    });
    expect(find(all, 'Database', 'shop.orders').spec).toEqual({
      mariaDbRef: { name: 'shop' },
      name: 'orders',
      characterSet: 'utf8mb4',
      collate: 'utf8mb4_unicode_ci',
      cleanupPolicy: 'Skip',
    });
    expect(find(all, 'Database', 'shop.legacy-db').spec).toMatchObject({
      name: 'legacy_db',
      characterSet: 'latin1',
      collate: 'latin1_swedish_ci',
    });
    expect(find(all, 'User', 'shop.alice').spec).toEqual({
      mariaDbRef: { name: 'shop' },
      name: 'alice',
      passwordSecretKeyRef: { name: 'shop.alice', key: 'password' },
      maxUserConnections: 0,
      cleanupPolicy: 'Delete',
    });
    expect(find(all, 'User', 'shop.bob').spec).toMatchObject({
      maxUserConnections: 20,
      passwordSecretKeyRef: { name: 'bob-password', key: 'password' },
    });
    expect(find(all, 'Grant', 'shop.orders.alice.admin').spec).toEqual({
      mariaDbRef: { name: 'shop' },
      username: 'alice',
      database: 'orders',
      table: '*',
      privileges: ['ALL PRIVILEGES'],
      grantOption: true,
      cleanupPolicy: 'Delete',
    });
    expect(find(all, 'Grant', 'shop.orders.bob.readonly').spec).toMatchObject({ privileges: ['SELECT'], grantOption: false });
    expect(find(all, 'Grant', 'shop.orders.invoices.bob').spec).toMatchObject({
      table: 'Invoices',
      privileges: ['INSERT', 'UPDATE'],
      grantOption: false,
    });
    expect(platform.secrets.all().map((s) => `${s.ref.name}:${s.ref.source}`)).toEqual([
      'bob-password:existing',
      'shop-root:generated',
      'shop.alice:generated',
    ]);
    expect(all.filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  test('a root password from config', () => {
    const root = SecretRef.fromConfig('shop-admin', ['password']);
    const { platform, all } = setup({ rootPassword: root });
    expect(find(all, 'MariaDB').spec.rootPasswordSecretKeyRef).toEqual({ name: 'shop-admin', key: 'password' });
    expect(platform.secrets.all().map((s) => s.ref)).toEqual([root]);
  });

  test('backups to S3: a scheduled Backup with retention, credentials by reference and egress for its Job', () => {
    const ca = SecretRef.existing('s3-ca', ['ca.crt']);
    const { platform, all } = setup({ backup: { bucket: 'backups', endpoint: 's3.example.com', credentials: s3, endpointCa: ca } });
    const spec = find(all, 'Backup', 'shop-backup').spec;
    expect(spec).toMatchObject({
      mariaDbRef: { name: 'shop' },
      schedule: { cron: '0 2 * * *' },
      maxRetention: '720h',
      compression: 'gzip',
    });
    expect(spec.storage.s3).toEqual({
      bucket: 'backups',
      endpoint: 's3.example.com',
      prefix: 'tenant-acme/shop',
      region: 'us-east-1',
      accessKeyIdSecretKeyRef: { name: 'shop-s3', key: 'ACCESS_KEY_ID' },
      secretAccessKeySecretKeyRef: { name: 'shop-s3', key: 'ACCESS_SECRET_KEY' },
      tls: { enabled: true, caSecretKeyRef: { name: 's3-ca', key: 'ca.crt' } },
    });
    expect(spec.podMetadata.labels).toEqual({ 'kubestrata.io/tenant': 'acme', 'kubestrata.io/allow-to-external': 'true' });
    expect(spec.securityContext).toEqual(restrictedContainer);
    expect(platform.secrets.all().map((s) => s.ref.name)).toEqual(['s3-ca', 'shop-root', 'shop-s3']);
  });

  test('backup settings: schedule, retention, compression, prefix, region, keys and plain HTTP', () => {
    const credentials = SecretRef.fromConfig('minio', ['user', 'secret']);
    const spec = find(
      setup({
        backup: {
          bucket: 'dbs',
          endpoint: 'minio.storage.svc:9000',
          prefix: 'shop/',
          region: 'eu-1',
          credentials,
          accessKeyIdKey: 'user',
          secretAccessKeyKey: 'secret',
          tls: false,
          schedule: '30 */6 * * *',
          retention: '168h',
          compression: 'bzip2',
        },
      }).all,
      'Backup',
    ).spec;
    expect(spec).toMatchObject({ schedule: { cron: '30 */6 * * *' }, maxRetention: '168h', compression: 'bzip2' });
    expect(spec.storage.s3).toMatchObject({
      endpoint: 'minio.storage.svc:9000',
      prefix: 'shop/',
      region: 'eu-1',
      tls: { enabled: false },
      accessKeyIdSecretKeyRef: { name: 'minio', key: 'user' },
      secretAccessKeySecretKeyRef: { name: 'minio', key: 'secret' },
    });
  });

  test('external with replicas: the operator primary Service as a LoadBalancer, admitted from the source ranges', () => {
    const all = setup({ external: true, externalSourceRanges: ['203.0.113.0/24'] }).all;
    const spec = find(all, 'MariaDB').spec;
    expect(spec.primaryService).toEqual({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      loadBalancerSourceRanges: ['203.0.113.0/24'],
    });
    expect(spec.service).toBeUndefined();
    expect(find(all, 'NetworkPolicy', 'shop-external').spec).toEqual({
      podSelector: { matchLabels: pods },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 3306 }] }],
    });
  });

  test('external with one server: the server Service as a LoadBalancer', () => {
    const spec = find(setup({ replicas: 1, external: true }).all, 'MariaDB').spec;
    expect(spec.service).toEqual({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    expect(spec.primaryService).toBeUndefined();
  });

  test('monitoring: the operator exporter and ServiceMonitor, after the prometheus-operator CRDs', () => {
    const { platform, db, all } = setup({ monitoring: true });
    expect(find(all, 'MariaDB').spec.metrics).toEqual({
      enabled: true,
      exporter: {
        image: 'docker.io/prom/mysqld-exporter:v0.15.1',
        args: ['--web.listen-address=0.0.0.0:9104'],
        port: 9104,
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '300m', memory: '512Mi' } },
        podMetadata: { labels: { 'kubestrata.io/tenant': 'acme' } },
        podSecurityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
        securityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
        },
      },
      serviceMonitor: { interval: '30s', scrapeTimeout: '10s' },
    });
    expect(platform.registry.requirementsOf(db)).toEqual([
      platform.registry.find(MariaDbOperator),
      platform.registry.find(PrometheusOperatorCrds),
    ]);
    expect(all.filter((m) => m.kind === 'ServiceMonitor')).toEqual([]);
  });

  test('requireTls: false keeps TLS on but accepts plain connections', () => {
    expect(find(setup({ requireTls: false }).all, 'MariaDB').spec.tls).toEqual({ enabled: true, required: false });
  });

  test('required anti-affinity', () => {
    const spec = find(setup({ antiAffinity: 'required' }).all, 'MariaDB').spec;
    expect(spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: pods } },
    ]);
    expect(spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
  });

  test('K3s delivery installs both charts through HelmCharts', () => {
    const all = setup(undefined, { delivery: 'k3s' }).all;
    expect(find(all, 'HelmChart', 'mariadb-operator-crds').spec).toMatchObject({
      chart: 'mariadb-operator-crds',
      repo: 'https://helm.mariadb.com/mariadb-operator',
      version: '25.10.2',
    });
    expect(find(all, 'HelmChart', 'mariadb-operator').spec).toMatchObject({
      chart: 'mariadb-operator',
      targetNamespace: 'mariadb-operator',
    });
  });

  test('a customized operator created first is the one the service uses', () => {
    const platform = newPlatform();
    const operator = new MariaDbOperator(platform, { values: { ha: { enabled: true } } });
    new MariaDb(new Tenant(platform, 'acme'), 'shop');
    expect(find(validated(platform), 'HelmRelease', 'mariadb-operator').spec.values.ha).toEqual({ enabled: true });
    expect(platform.registry.find(MariaDbOperator)).toBe(operator);
  });

  test('a tenant using every option validates against the CRDs and Kubernetes schemas', () => {
    const platform = newPlatform({ storageClass: 'replicated' });
    const tenant = new Tenant(platform, 'acme');
    new MariaDb(tenant, 'galera', {
      replicas: 3,
      replication: 'galera',
      version: 'v11.4',
      storage: { size: '20Gi', storageClass: 'local' },
      resources: 't1.small',
      external: true,
      externalSourceRanges: ['198.51.100.0/24'],
      monitoring: true,
      antiAffinity: 'required',
      requireTls: false,
      rootPassword: SecretRef.fromConfig('galera-root', ['password']),
      users: { app: { maxUserConnections: 50 }, report: { password: SecretRef.existing('report-pw', ['password']) } },
      databases: { app: { roles: { admin: ['app'], readonly: ['report'] } } },
      grants: [{ username: 'report', database: 'app', table: 'events', privileges: ['SELECT', 'SHOW VIEW'], grantOption: false }],
      backup: {
        bucket: 'backups',
        endpoint: 's3.example.com',
        prefix: 'galera',
        region: 'eu-west-1',
        credentials: s3,
        tls: true,
        endpointCa: SecretRef.existing('s3-ca', ['ca.crt']),
        schedule: '@daily',
        retention: '240h',
        compression: 'none',
      },
      config: { innodb_flush_log_at_trx_commit: 1 },
    });
    new MariaDb(tenant, 'single', { replicas: 1, version: 'v10.11', external: true });
    const all = validated(platform);
    expect(
      all
        .filter((m) => m.apiVersion === 'k8s.mariadb.com/v1alpha1')
        .map((m) => m.kind)
        .sort(),
    ).toEqual(['Backup', 'Database', 'Grant', 'Grant', 'Grant', 'MariaDB', 'MariaDB', 'User', 'User']);
  });
});

describe('MariaDB errors', () => {
  test.each<[string, MariaDbProps, string, unknown, string]>([
    [
      'replication of one server',
      { replicas: 1, replication: 'async' },
      'replication',
      'async',
      'needs more than one server (replicas > 1)',
    ],
    ['unknown replication', { replication: 'semi' as any }, 'replication', 'semi', 'must be one of "async", "galera"'],
    ['even Galera', { replicas: 4, replication: 'galera' }, 'replicas', 4, 'must be an odd number ≥ 3 with Galera'],
    ['requireTls not a boolean', { requireTls: 'yes' as any }, 'requireTls', 'yes', 'must be true or false'],
    [
      'root password without key',
      { rootPassword: SecretRef.existing('root', ['pass']) },
      'rootPassword.keys',
      ['pass'],
      'must include "password"',
    ],
    [
      'user password without key',
      { users: { app: { password: SecretRef.existing('app', ['pw']) } } },
      'users.app.password.keys',
      ['pw'],
      'must include "password"',
    ],
    ['user name', { users: { 'App-User': {} } }, 'users.App-User', 'App-User', 'must be a user name of at most 32 characters'],
    ['reserved user', { users: { root: {} } }, 'users.root', 'root', 'is an account of the server or the operator'],
    ['connection limit', { users: { app: { maxUserConnections: -1 } } }, 'users.app.maxUserConnections', -1, 'must be a whole number ≥ 0'],
    ['database name', { databases: { 'my-db': {} } }, 'databases.my-db', 'my-db', 'must be a database name of at most 64 characters'],
    ['system database', { databases: { mysql: {} } }, 'databases.mysql', 'mysql', 'is a system database of the server'],
    [
      'character set',
      { databases: { app: { characterSet: 'utf-8' } } },
      'databases.app.characterSet',
      'utf-8',
      'must be a character set name',
    ],
    ['collation', { databases: { app: { collate: 'Unicode CI' } } }, 'databases.app.collate', 'Unicode CI', 'must be a collation name'],
    [
      'role for an unknown user',
      { databases: { app: { roles: { admin: ['ghost'] } } } },
      'databases.app.roles.admin',
      'ghost',
      'is not one of the users of this MariaDB',
    ],
    [
      'roles not a list',
      { databases: { app: { roles: { readonly: 'bob' as any } } } },
      'databases.app.roles.readonly',
      'bob',
      'must be a list',
    ],
    [
      'grant to an unknown user',
      { grants: [{ username: 'ghost', database: 'app', privileges: ['SELECT'] }] },
      'grants[0].username',
      'ghost',
      'is not one of the users',
    ],
    ['my.cnf key', { config: { 'Max Connections': 5 } }, 'config.Max Connections', 5, 'is not a my.cnf option name'],
    ['reserved my.cnf key', { config: { ssl_cert: '/x' } }, 'config.ssl_cert', '/x', 'is managed by the operator'],
    [
      'multi-line my.cnf value',
      { config: { max_allowed_packet: '64M\n[client]' } },
      'config.max_allowed_packet',
      '64M\n[client]',
      'must be a number or a non-empty single-line string',
    ],
    ['unknown version', { version: 'v10.5' as any }, 'version', 'v10.5', 'must be one of "v11.8", "v11.4", "v10.11", "v10.6"'],
    [
      'external source ranges without external',
      { externalSourceRanges: ['10.0.0.0/8'] },
      'externalSourceRanges',
      ['10.0.0.0/8'],
      'only applies to the LoadBalancer of external: true',
    ],
  ])('%s', (_, props, property, value, rule) => {
    const error = problemsOf(() => setup(props));
    expect(error.path).toBe('platform/acme/shop');
    expect(error.problems).toEqual([expect.objectContaining({ property, value })]);
    expect(error.problems[0].rule).toContain(rule);
  });

  const user = { users: { app: {} } };
  test.each<[string, MariaDbProps, string, unknown, string]>([
    [
      'system database',
      { ...user, grants: [{ username: 'app', database: 'mysql', privileges: ['SELECT'] }] },
      'grants[0].database',
      'mysql',
      'must name one database that is not a system database',
    ],
    [
      'every database',
      { ...user, grants: [{ username: 'app', database: '*', privileges: ['SELECT'] }] },
      'grants[0].database',
      '*',
      'would give server-wide power',
    ],
    [
      'table name',
      { ...user, grants: [{ username: 'app', database: 'app', table: 'a.b', privileges: ['SELECT'] }] },
      'grants[0].table',
      'a.b',
      'must be "*" or a table name',
    ],
    [
      'no privileges',
      { ...user, grants: [{ username: 'app', database: 'app', privileges: [] }] },
      'grants[0].privileges',
      [],
      'must be a non-empty list without repeats',
    ],
    [
      'server privilege',
      { ...user, grants: [{ username: 'app', database: 'app', privileges: ['SUPER' as any] }] },
      'grants[0].privileges[0]',
      'SUPER',
      'must be one of "ALL PRIVILEGES", "SELECT"',
    ],
    [
      'grant option',
      { ...user, grants: [{ username: 'app', database: 'app', privileges: ['SELECT'], grantOption: 'no' as any }] },
      'grants[0].grantOption',
      'no',
      'must be true or false',
    ],
    [
      'two grants of one name',
      {
        ...user,
        databases: { app: { roles: { readonly: ['app'] } } },
        grants: [
          { username: 'app', database: 'app', privileges: ['SELECT'] },
          { username: 'app', database: 'app', privileges: ['INSERT'] },
        ],
      },
      'grants',
      'app on app.*',
      'would be the Grant "shop.app.all.app"',
    ],
  ])('grant: %s', (_, props, property, value, rule) => {
    const error = problemsOf(() => setup(props));
    expect(error.problems).toEqual([expect.objectContaining({ property, value })]);
    expect(error.problems[0].rule).toContain(rule);
  });

  const backup = { bucket: 'backups', endpoint: 's3.example.com', credentials: s3 };
  test.each<[string, Partial<NonNullable<MariaDbProps['backup']>>, string, unknown, string]>([
    ['bucket', { bucket: 'B' }, 'backup.bucket', 'B', 'must be a bucket name'],
    [
      'endpoint with scheme',
      { endpoint: 'https://s3.example.com' },
      'backup.endpoint',
      'https://s3.example.com',
      'must be a host name with an optional port and no scheme',
    ],
    ['prefix', { prefix: '/abs' }, 'backup.prefix', '/abs', 'without a leading "/"'],
    ['region', { region: 'EU West' }, 'backup.region', 'EU West', 'must be a region name'],
    ['tls', { tls: 'on' as any }, 'backup.tls', 'on', 'must be true or false'],
    ['schedule', { schedule: '0 0 2 * * *' }, 'backup.schedule', '0 0 2 * * *', 'must be a cron schedule of 5 fields'],
    ['retention', { retention: '30d' }, 'backup.retention', '30d', 'must be a duration of hours, minutes and seconds'],
    ['compression', { compression: 'zstd' as any }, 'backup.compression', 'zstd', 'must be one of "gzip", "bzip2", "none"'],
    [
      'credentials missing',
      { credentials: undefined },
      'backup.credentials',
      undefined,
      'is required: the backup Job reads the S3 access key pair from a Secret',
    ],
    [
      'credentials keys',
      { credentials: SecretRef.fromConfig('s3', ['key']) },
      'backup.credentials.keys',
      ['key'],
      'must include "ACCESS_KEY_ID", "ACCESS_SECRET_KEY"',
    ],
    [
      'CA without TLS',
      { tls: false, endpointCa: SecretRef.existing('ca', ['ca.crt']) },
      'backup.endpointCa',
      'ca',
      'only applies with backup.tls: true',
    ],
  ])('backup: %s', (_, change, property, value, rule) => {
    const error = problemsOf(() => setup({ backup: { ...backup, ...change } as any }));
    expect(error.problems).toEqual([expect.objectContaining({ property, value })]);
    expect(error.problems[0].rule).toContain(rule);
  });

  test('backup: secret key, named in the prop and in the SecretRef', () => {
    const credentials = SecretRef.fromConfig('s3', ['a key', 'ACCESS_SECRET_KEY']);
    const error = problemsOf(() => setup({ backup: { ...backup, accessKeyIdKey: 'a key', credentials } }));
    expect(error.problems).toEqual([
      expect.objectContaining({ property: 'backup.accessKeyIdKey', value: 'a key', rule: expect.stringContaining('must be a Secret key') }),
      expect.objectContaining({
        property: 'backup.credentials.keys',
        value: ['a key'],
        rule: expect.stringContaining('are not Secret data keys'),
      }),
    ]);
  });

  test('every problem of a MariaDB is reported at once', () => {
    const error = problemsOf(() => setup({ replicas: 0, users: { root: {} }, config: { port: 3307 } }));
    expect(error.problems.map((p) => p.property)).toEqual(['replicas', 'users.root', 'config.port']);
  });

  test('ids longer than the operator-derived names allow', () => {
    const id = 'a'.repeat(41);
    const error = problemsOf(() => new MariaDb(new Tenant(newPlatform(), 'acme'), id));
    expect(error.problems).toEqual([expect.objectContaining({ property: 'id', value: id })]);
    expect(error.message).toContain('at most 40 characters');
  });
});
