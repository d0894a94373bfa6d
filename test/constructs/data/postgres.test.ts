import { CloudNativePg } from '../../../constructs/data/cloudnative-pg';
import { Postgres, PostgresProps } from '../../../constructs/data/postgres';
import { Tenant } from '../../../constructs/platform/tenant';
import { Platform, PlatformProps } from '../../../lib/core/platform';
import { SecretRef } from '../../../lib/core/secrets';
import { SchemaRegistry } from '../../../lib/validate';
import { versions } from '../../../lib/versions';
import { find, manifests, newPlatform, SCHEMAS_DIR } from '../../helpers';

const s3 = SecretRef.fromConfig('s3-backup', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']);

let registry: SchemaRegistry | undefined;

/** The platform's manifests, each checked against the upstream schemas. */
function rendered(platform: Platform): any[] {
  registry ??= SchemaRegistry.load(SCHEMAS_DIR);
  const all = manifests(platform);
  expect(all.flatMap((m) => registry!.validate(m))).toEqual([]);
  return all;
}

function setup(props?: PostgresProps, platformProps?: PlatformProps) {
  const platform = newPlatform(platformProps);
  const tenant = new Tenant(platform, 'acme');
  const pg = new Postgres(tenant, 'orders', props);
  return { platform, tenant, pg, all: rendered(platform) };
}

function cluster(all: any[]): any {
  return find(all, 'Cluster', 'orders').spec;
}

function releases(platform: Platform, kind = 'HelmRelease'): any[] {
  return rendered(platform).filter((m) => m.kind === kind);
}

describe('Postgres defaults', () => {
  test('a replicated PostgreSQL 18 cluster named after the construct id', () => {
    const { pg, all } = setup();
    const spec = cluster(all);
    expect(find(all, 'Cluster', 'orders').metadata.namespace).toBe('tenant-acme');
    expect(spec.instances).toBe(2);
    expect(spec.imageName).toBe(`ghcr.io/cloudnative-pg/postgresql:${versions.postgres.releases['18']}`);
    expect(spec.storage).toEqual({ size: '10Gi' });
    expect(spec.postgresql.parameters).toEqual({ max_connections: '100' });
    expect(spec.bootstrap).toEqual({ initdb: { database: 'app', owner: 'app', dataChecksums: true } });
    expect(spec.managed).toBeUndefined();
    expect(spec.plugins).toBeUndefined();
    expect(pg).toMatchObject({
      clusterName: 'orders',
      replicas: 2,
      version: '18',
      image: spec.imageName,
      secretName: 'orders-app',
      serviceNames: { rw: 'orders-rw', ro: 'orders-ro', r: 'orders-r' },
      host: 'orders-rw.tenant-acme.svc.cluster.local',
    });
  });

  test('t1.micro resources: limits as the preset, requests by the allocation ratio', () => {
    const spec = cluster(setup().all);
    expect(spec.resources).toEqual({
      limits: { cpu: '500m', memory: '256Mi', 'ephemeral-storage': '2Gi' },
      requests: { cpu: '50m', memory: '256Mi', 'ephemeral-storage': '52Mi' },
    });
  });

  test('secure defaults: no superuser access, unsupervised updates, anti-affinity across nodes, inherited allow labels', () => {
    const spec = cluster(setup().all);
    expect(spec.enableSuperuserAccess).toBe(false);
    expect(spec.primaryUpdateStrategy).toBe('unsupervised');
    expect(spec.affinity).toEqual({ enablePodAntiAffinity: true, topologyKey: 'kubernetes.io/hostname', podAntiAffinityType: 'preferred' });
    expect(spec.inheritedMetadata.labels).toEqual({ 'kubestrata.io/allow-to-apiserver': 'true', 'kubestrata.io/tenant': 'acme' });
    expect(spec).toMatchInlineSnapshot(`
{
  "affinity": {
    "enablePodAntiAffinity": true,
    "podAntiAffinityType": "preferred",
    "topologyKey": "kubernetes.io/hostname",
  },
  "bootstrap": {
    "initdb": {
      "dataChecksums": true,
      "database": "app",
      "owner": "app",
    },
  },
  "enableSuperuserAccess": false,
  "imageName": "ghcr.io/cloudnative-pg/postgresql:18.1",
  "inheritedMetadata": {
    "labels": {
      "kubestrata.io/allow-to-apiserver": "true",
      "kubestrata.io/tenant": "acme",
    },
  },
  "instances": 2,
  "postgresql": {
    "parameters": {
      "max_connections": "100",
    },
  },
  "primaryUpdateStrategy": "unsupervised",
  "resources": {
    "limits": {
      "cpu": "500m",
      "ephemeral-storage": "2Gi",
      "memory": "256Mi",
    },
    "requests": {
      "cpu": "50m",
      "ephemeral-storage": "52Mi",
      "memory": "256Mi",
    },
  },
  "storage": {
    "size": "10Gi",
  },
}
`);
  });

  test('the Cluster follows the tenant Namespace and the CloudNativePG release', () => {
    const { platform } = setup();
    const objects = platform.render().flatMap((c) => c.objects);
    const clusterObject = objects.find((o) => o.manifest.kind === 'Cluster')!;
    const dependsOn = clusterObject.dependsOn.map((d) => d.toJson());
    expect(dependsOn).toContainEqual(
      expect.objectContaining({ kind: 'Namespace', metadata: expect.objectContaining({ name: 'tenant-acme' }) }),
    );
    expect(dependsOn).toContainEqual(
      expect.objectContaining({ kind: 'HelmRelease', metadata: expect.objectContaining({ name: 'cloudnative-pg' }) }),
    );
  });
});

describe('Postgres settings', () => {
  test('replicas, version, storage classes, WAL volume and required anti-affinity', () => {
    const { pg, all } = setup(
      {
        replicas: 3,
        version: '16',
        storage: { size: '50Gi' },
        walStorage: { size: '5Gi', storageClass: 'fast' },
        antiAffinity: 'required',
      },
      { storageClass: 'replicated' },
    );
    const spec = cluster(all);
    expect(spec.instances).toBe(3);
    expect(spec.imageName).toBe(`ghcr.io/cloudnative-pg/postgresql:${versions.postgres.releases['16']}`);
    expect(pg.image).toBe(spec.imageName);
    expect(spec.storage).toEqual({ size: '50Gi', storageClass: 'replicated' });
    expect(spec.walStorage).toEqual({ size: '5Gi', storageClass: 'fast' });
    expect(spec.affinity.podAntiAffinityType).toBe('required');
  });

  test('an image override of the same major version', () => {
    const spec = cluster(setup({ version: '17', image: 'registry.example.com/postgresql:17.6-standard-trixie' }).all);
    expect(spec.imageName).toBe('registry.example.com/postgresql:17.6-standard-trixie');
  });

  test('explicit resources and parameters merged over the default', () => {
    const spec = cluster(
      setup(
        { resources: { cpu: '2', memory: '4Gi' }, parameters: { shared_buffers: '1GB', work_mem: '16MB' } },
        { allocationRatio: { cpu: 4 } },
      ).all,
    );
    expect(spec.resources.limits).toMatchObject({ cpu: '2', memory: '4Gi' });
    expect(spec.resources.requests).toMatchObject({ cpu: '500m', memory: '4Gi' });
    expect(spec.postgresql.parameters).toEqual({ max_connections: '100', shared_buffers: '1GB', work_mem: '16MB' });
  });

  test('custom initdb settings and bootstrap owner', () => {
    const { pg, all } = setup({
      database: 'orders',
      owner: 'orders_owner',
      initdb: { dataChecksums: false, encoding: 'UTF8', locale: 'en_US.UTF-8' },
    });
    expect(cluster(all).bootstrap.initdb).toEqual({
      database: 'orders',
      owner: 'orders_owner',
      dataChecksums: false,
      encoding: 'UTF8',
      locale: 'en_US.UTF-8',
    });
    expect(pg.secretName).toBe('orders-app');
  });
});

describe('Postgres databases and users', () => {
  test('one Database per entry, with extensions and schemas, owned by the bootstrap owner by default', () => {
    const { all } = setup({
      users: { analyst: {} },
      databases: { app: { extensions: ['vector', 'pg_trgm'] }, sales_eu: { owner: 'analyst', schemas: ['raw', 'curated'] } },
    });
    expect(find(all, 'Database', 'orders-app').spec).toEqual({
      cluster: { name: 'orders' },
      name: 'app',
      owner: 'app',
      ensure: 'present',
      databaseReclaimPolicy: 'retain',
      extensions: [
        { name: 'vector', ensure: 'present' },
        { name: 'pg_trgm', ensure: 'present' },
      ],
    });
    expect(find(all, 'Database', 'orders-sales-eu').spec).toMatchObject({
      name: 'sales_eu',
      owner: 'analyst',
      schemas: [
        { name: 'raw', owner: 'analyst', ensure: 'present' },
        { name: 'curated', owner: 'analyst', ensure: 'present' },
      ],
    });
    expect(find(all, 'Database', 'orders-sales-eu').spec.extensions).toBeUndefined();
  });

  test('users become managed roles whose generated password Secrets are registered, never rendered', () => {
    const { platform, pg, all } = setup({
      users: { reporting: { inRoles: ['pg_read_all_data'], connectionLimit: 10 }, batch_job: { login: true, createdb: true } },
    });
    expect(cluster(all).managed.roles).toEqual([
      {
        name: 'reporting',
        ensure: 'present',
        login: true,
        superuser: false,
        createdb: false,
        replication: false,
        inRoles: ['pg_read_all_data'],
        connectionLimit: 10,
        passwordSecret: { name: 'orders.reporting' },
      },
      {
        name: 'batch_job',
        ensure: 'present',
        login: true,
        superuser: false,
        createdb: true,
        replication: false,
        connectionLimit: -1,
        passwordSecret: { name: 'orders.batch-job' },
      },
    ]);
    const secrets = platform.secrets.all();
    expect(secrets.map((s) => `${s.namespace}/${s.ref.name}`)).toEqual(['tenant-acme/orders.batch-job', 'tenant-acme/orders.reporting']);
    expect(secrets[1]).toMatchObject({
      users: [pg.node.path],
      ref: { source: 'generated', type: 'kubernetes.io/basic-auth', fixed: { username: 'reporting' } },
    });
    expect(pg.passwordSecrets.reporting.name).toBe('orders.reporting');
  });

  test('a given password Secret is used and registered; the bootstrap owner keeps the operator Secret', () => {
    const password = SecretRef.existing('reporting-password', ['username', 'password']);
    const { platform, all } = setup({ users: { reporting: { password }, app: { connectionLimit: 50 } } });
    const roles = cluster(all).managed.roles;
    expect(roles.find((r: any) => r.name === 'reporting').passwordSecret).toEqual({ name: 'reporting-password' });
    expect(roles.find((r: any) => r.name === 'app')).toEqual({
      name: 'app',
      ensure: 'present',
      login: true,
      superuser: false,
      createdb: false,
      replication: false,
      connectionLimit: 50,
    });
    expect(platform.secrets.all().map((s) => [s.ref.name, s.ref.source])).toEqual([['reporting-password', 'existing']]);
  });

  test('superuser roles and superuser access only by explicit opt-in', () => {
    const spec = cluster(setup({ allowSuperuserRoles: true, superuserAccess: true, users: { dba: { superuser: true } } }).all);
    expect(spec.managed.roles[0]).toMatchObject({ name: 'dba', superuser: true });
    expect(spec.enableSuperuserAccess).toBe(true);
  });
});

describe('Postgres backup and restore', () => {
  test('backup: an ObjectStore, the WAL archiver plugin on the Cluster and a ScheduledBackup', () => {
    const { platform, pg, all } = setup({ backup: { destinationPath: 's3://backups/orders', credentials: s3 } });
    expect(find(all, 'ObjectStore', 'orders-backup').spec).toEqual({
      configuration: {
        destinationPath: 's3://backups/orders',
        s3Credentials: {
          accessKeyId: { name: 's3-backup', key: 'ACCESS_KEY_ID' },
          secretAccessKey: { name: 's3-backup', key: 'ACCESS_SECRET_KEY' },
        },
        wal: { compression: 'gzip' },
        data: { compression: 'gzip' },
      },
      retentionPolicy: '30d',
    });
    const spec = cluster(all);
    expect(spec.plugins).toEqual([
      { name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'orders-backup' } },
    ]);
    expect(spec.inheritedMetadata.labels['kubestrata.io/allow-to-external']).toBe('true');
    expect(find(all, 'ScheduledBackup', 'orders-backup').spec).toEqual({
      cluster: { name: 'orders' },
      schedule: '0 0 2 * * *',
      method: 'plugin',
      pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
      backupOwnerReference: 'self',
      immediate: true,
    });
    expect(pg.backup).toMatchObject({ objectStoreName: 'orders-backup', scheduledBackupName: 'orders-backup', retention: '30d' });
    expect(platform.secrets.all()).toEqual([expect.objectContaining({ namespace: 'tenant-acme', ref: s3, users: [pg.node.path] })]);
  });

  test('backup to an S3-compatible endpoint with own key names, region, CA, schedule, retention and compression', () => {
    const credentials = SecretRef.fromConfig('minio', ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'REGION']);
    const ca = SecretRef.existing('minio-ca', ['ca.crt']);
    const { platform, all } = setup({
      backup: {
        destinationPath: 's3://pgbackups/orders',
        endpointUrl: 'https://minio.storage.svc:9000',
        credentials,
        accessKeyIdKey: 'AWS_ACCESS_KEY_ID',
        secretAccessKeyKey: 'AWS_SECRET_ACCESS_KEY',
        regionKey: 'REGION',
        endpointCa: ca,
        schedule: '0 30 1 * * sun',
        retention: '8w',
        compression: 'snappy',
      },
    });
    const store = find(all, 'ObjectStore', 'orders-backup').spec;
    expect(store.configuration).toMatchObject({
      endpointURL: 'https://minio.storage.svc:9000',
      endpointCA: { name: 'minio-ca', key: 'ca.crt' },
      s3Credentials: {
        accessKeyId: { key: 'AWS_ACCESS_KEY_ID' },
        secretAccessKey: { key: 'AWS_SECRET_ACCESS_KEY' },
        region: { name: 'minio', key: 'REGION' },
      },
      wal: { compression: 'snappy' },
    });
    expect(store.retentionPolicy).toBe('8w');
    expect(find(all, 'ScheduledBackup').spec.schedule).toBe('0 30 1 * * sun');
    expect(platform.secrets.all().map((s) => s.ref.name)).toEqual(['minio', 'minio-ca']);
  });

  test('restore: recovery from the archive of another cluster to a point in time', () => {
    const { pg, all } = setup({
      restore: {
        from: { destinationPath: 's3://backups/orders-old', credentials: s3, serverName: 'orders-old' },
        targetTime: '2026-05-01T10:00:00+02:00',
      },
    });
    const spec = cluster(all);
    expect(spec.bootstrap).toEqual({
      recovery: { source: 'origin', database: 'app', owner: 'app', recoveryTarget: { targetTime: '2026-05-01T10:00:00+02:00' } },
    });
    expect(spec.externalClusters).toEqual([
      {
        name: 'origin',
        plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'orders-restore', serverName: 'orders-old' } },
      },
    ]);
    expect(spec.plugins).toBeUndefined();
    expect(spec.inheritedMetadata.labels['kubestrata.io/allow-to-external']).toBe('true');
    const store = find(all, 'ObjectStore', 'orders-restore').spec;
    expect(store).toEqual({
      configuration: {
        destinationPath: 's3://backups/orders-old',
        s3Credentials: {
          accessKeyId: { name: 's3-backup', key: 'ACCESS_KEY_ID' },
          secretAccessKey: { name: 's3-backup', key: 'ACCESS_SECRET_KEY' },
        },
      },
    });
    expect(pg.initdb).toBeUndefined();
  });

  test('restore and keep backing up to the same bucket under the new name', () => {
    const { all } = setup({
      restore: { from: { destinationPath: 's3://backups/pg', credentials: s3, serverName: 'orders-old' } },
      backup: { destinationPath: 's3://backups/pg', credentials: s3 },
    });
    expect(all.filter((m) => m.kind === 'ObjectStore').map((m) => m.metadata.name)).toEqual(['orders-backup', 'orders-restore']);
    expect(cluster(all).bootstrap.recovery.recoveryTarget).toBeUndefined();
  });
});

describe('Postgres pooler and external access', () => {
  test('pooler: true gives two PgBouncer instances in transaction mode for the primary', () => {
    const { pg, all } = setup({ pooler: true });
    const spec = find(all, 'Pooler', 'orders-pooler-rw').spec;
    expect(spec).toMatchObject({ cluster: { name: 'orders' }, instances: 2, type: 'rw', pgbouncer: { poolMode: 'transaction' } });
    expect(spec.pgbouncer.parameters).toBeUndefined();
    expect(spec.template.metadata.labels['kubestrata.io/allow-to-apiserver']).toBe('true');
    expect(spec.template.spec.containers).toEqual([
      {
        name: 'pgbouncer',
        resources: {
          limits: { cpu: '250m', memory: '128Mi', 'ephemeral-storage': '2Gi' },
          requests: { cpu: '25m', memory: '128Mi', 'ephemeral-storage': '52Mi' },
        },
      },
    ]);
    expect(
      spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector,
    ).toEqual({ matchLabels: { 'cnpg.io/poolerName': 'orders-pooler-rw' } });
    expect(pg.pooler?.name).toBe('orders-pooler-rw');
  });

  test('pooler settings', () => {
    const spec = find(
      setup({ pooler: { instances: 3, mode: 'session', parameters: { max_client_conn: '500' }, resources: 't1.small' } }).all,
      'Pooler',
    ).spec;
    expect(spec).toMatchObject({ instances: 3, pgbouncer: { poolMode: 'session', parameters: { max_client_conn: '500' } } });
    expect(spec.template.spec.containers[0].resources.limits).toMatchObject({ cpu: '1', memory: '512Mi' });
  });

  test('external: a LoadBalancer for the primary and a policy letting clients in on 5432', () => {
    const { pg, all } = setup({ external: true, externalSourceRanges: ['203.0.113.0/24'] });
    expect(cluster(all).managed.services).toEqual({
      additional: [
        {
          selectorType: 'rw',
          serviceTemplate: {
            metadata: { name: 'orders-external' },
            spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', loadBalancerSourceRanges: ['203.0.113.0/24'] },
          },
        },
      ],
    });
    expect(find(all, 'NetworkPolicy', 'orders-external').spec).toEqual({
      podSelector: { matchLabels: { 'cnpg.io/cluster': 'orders' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 5432 }] }],
    });
    expect(pg.externalServiceName).toBe('orders-external');
  });

  test('not external: no LoadBalancer and no extra policy', () => {
    const { all } = setup();
    expect(all.some((m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'orders-external')).toBe(false);
  });
});

describe('Postgres operators', () => {
  test('two clusters in two tenants add the CloudNativePG release once and no plugin', () => {
    const platform = newPlatform();
    new Postgres(new Tenant(platform, 'a'), 'db');
    new Postgres(new Tenant(platform, 'b'), 'db');
    expect(releases(platform).map((r) => r.metadata.name)).toEqual(['cloudnative-pg']);
  });

  test('backups add one Barman Cloud plugin release that waits for the operator and cert-manager', () => {
    const platform = newPlatform();
    new Postgres(new Tenant(platform, 'a'), 'db', { backup: { destinationPath: 's3://backups/a', credentials: s3 } });
    new Postgres(new Tenant(platform, 'b'), 'db', {
      restore: { from: { destinationPath: 's3://backups/a', credentials: s3, serverName: 'db' } },
    });
    const all = releases(platform);
    expect(all.map((r) => r.metadata.name).sort()).toEqual(['barman-cloud-plugin', 'cert-manager', 'cloudnative-pg']);
    expect(find(all, 'HelmRelease', 'barman-cloud-plugin').spec.dependsOn).toEqual([
      { name: 'cloudnative-pg', namespace: 'cnpg-system' },
      { name: 'cert-manager', namespace: 'cert-manager' },
    ]);
  });

  test('k3s delivery gives HelmChart objects instead', () => {
    const platform = newPlatform({ delivery: 'k3s' });
    new Postgres(new Tenant(platform, 'a'), 'db', { backup: { destinationPath: 's3://backups/a', credentials: s3 } });
    expect(releases(platform)).toEqual([]);
    expect(
      releases(platform, 'HelmChart')
        .map((r) => r.metadata.name)
        .sort(),
    ).toEqual(['barman-cloud-plugin', 'cert-manager', 'cloudnative-pg']);
  });

  test('an operator created first is the one used', () => {
    const platform = newPlatform();
    const operator = new CloudNativePg(platform, { namespace: 'databases' });
    new Postgres(new Tenant(platform, 'a'), 'db');
    expect(platform.registry.find(CloudNativePg)).toBe(operator);
    expect(releases(platform).map((r) => r.metadata.namespace)).toEqual(['databases']);
  });
});

const EVERYTHING: PostgresProps = {
  replicas: 3,
  walStorage: { size: '5Gi' },
  parameters: { shared_buffers: '128MB' },
  users: { reporting: { inRoles: ['pg_read_all_data'] }, app: { connectionLimit: 20 } },
  databases: { app: { extensions: ['vector'] }, analytics: { owner: 'reporting', schemas: ['raw'] } },
  backup: {
    destinationPath: 's3://backups/orders',
    endpointUrl: 'https://s3.example.com',
    credentials: s3,
    endpointCa: SecretRef.existing('s3-ca', ['ca.crt']),
  },
  pooler: { parameters: { default_pool_size: '20' } },
  external: true,
  externalSourceRanges: ['198.51.100.0/24', '2001:db8::/32'],
};

describe('Postgres output', () => {
  test('no Secret and no password value is ever synthesized', () => {
    const { all } = setup(EVERYTHING);
    expect(all.filter((m) => m.kind === 'Secret')).toEqual([]);
    const keys: Array<[string, unknown]> = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
          keys.push([k, v]);
          walk(v);
        }
      }
    };
    walk(all);
    expect(keys.filter(([k, v]) => /password/i.test(k) && typeof v === 'string')).toEqual([]);
    expect(all.filter((m) => 'data' in m || 'stringData' in m)).toEqual([]);
  });

  test.each<[string, PostgresProps, PlatformProps]>([
    ['defaults', {}, {}],
    ['everything', EVERYTHING, { storageClass: 'replicated' }],
    [
      'restore',
      {
        restore: { from: { destinationPath: 's3://backups/old', credentials: s3, serverName: 'old' }, targetTime: '2026-05-01T10:00:00Z' },
      },
      {},
    ],
    [
      'superuser',
      {
        allowSuperuserRoles: true,
        superuserAccess: true,
        users: { dba: { superuser: true } },
        antiAffinity: 'required',
        initdb: { locale: 'C' },
      },
      { delivery: 'k3s' },
    ],
  ])('%s: every object is valid against the upstream schemas', (_, props, platformProps) => {
    const { all } = setup(props, platformProps);
    expect(all.map((m) => m.kind)).toContain('Cluster');
  });
});
