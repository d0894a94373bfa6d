import { Postgres } from '../../../constructs/data/postgres';
import { Tenant } from '../../../constructs/platform/tenant';
import { MinioOperator } from '../../../constructs/storage/minio-operator';
import { MinioTenant } from '../../../constructs/storage/minio-tenant';
import { SecretRef } from '../../../lib/core/secrets';
import { versions } from '../../../lib/versions';
import { find, newPlatform } from '../../helpers';
import { dependsOn, rendered } from './storage-helpers';

const root = SecretRef.fromConfig('minio-root', ['config.env']);
const backupUser = SecretRef.fromConfig('minio-backup', ['CONSOLE_ACCESS_KEY', 'CONSOLE_SECRET_KEY']);

describe('MinioTenant on the platform', () => {
  const platform = newPlatform();
  const minio = new MinioTenant(platform, 'minio', { credentials: root });
  const all = rendered(platform);
  const spec = find(all, 'Tenant', 'minio').spec;

  test('the MinIO operator chart 7.1.1 in its own restricted namespace', () => {
    expect(find(all, 'HelmRepository', 'minio-operator').spec.url).toBe('https://operator.min.io');
    const release = find(all, 'HelmRelease', 'minio-operator');
    expect(release.metadata.namespace).toBe('minio-operator');
    expect(release.spec.chart.spec).toMatchObject({ chart: 'operator', version: '7.1.1' });
    expect(release.spec.values).toEqual({ operator: { replicaCount: 2 } });
    expect(find(all, 'Namespace', 'minio-operator').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const operator = platform.registry.find(MinioOperator)!;
    expect(operator).toMatchObject({ version: versions.minioOperator.chart.version, replicas: 2, namespace: 'minio-operator' });
  });

  test('a Tenant in its own restricted system namespace, after the operator', () => {
    const tenant = find(all, 'Tenant', 'minio');
    expect(tenant.apiVersion).toBe('minio.min.io/v2');
    expect(tenant.metadata.namespace).toBe('minio');
    expect(find(all, 'Namespace', 'minio').metadata.labels).toMatchObject({
      'kubestrata.io/system': 'true',
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
    expect(dependsOn(platform, 'Tenant', 'minio')).toEqual(
      expect.arrayContaining(['Namespace/minio', 'HelmRelease/minio-operator/minio-operator']),
    );
  });

  test('credentials by reference only; TLS from the operator; no LoadBalancer; four servers of one 10Gi volume', () => {
    expect(spec.configuration).toEqual({ name: 'minio-root' });
    expect(spec.requestAutoCert).toBe(true);
    expect(spec.exposeServices).toEqual({ minio: false, console: false });
    expect(spec.pools).toHaveLength(1);
    expect(spec.pools[0]).toMatchObject({
      name: 'pool-0',
      servers: 4,
      volumesPerServer: 1,
      volumeClaimTemplate: {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
      },
      resources: { limits: { cpu: '1', memory: '2Gi' }, requests: { cpu: '100m', memory: '2Gi' } },
    });
    expect(spec.pools[0].volumeClaimTemplate.spec.storageClassName).toBeUndefined();
    expect(spec.pools[0].labels).toBeUndefined();
    expect(spec.buckets).toBeUndefined();
    expect(spec.users).toBeUndefined();
    expect(spec.image).toBeUndefined();
    expect(JSON.stringify(all)).not.toMatch(/MINIO_ROOT/);
  });

  test('pods run as non-root with no privileges, compliant with the restricted Pod Security Standard', () => {
    expect(spec.pools[0].securityContext).toEqual({
      runAsUser: 1000,
      runAsGroup: 1000,
      runAsNonRoot: true,
      fsGroup: 1000,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.pools[0].containerSecurityContext).toEqual({
      runAsUser: 1000,
      runAsGroup: 1000,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('the in-cluster HTTPS endpoint and the Secret the deployment layer creates', () => {
    expect(minio.endpoint).toBe('https://minio.minio.svc.cluster.local');
    expect(platform.secrets.all().map((u) => [u.namespace, u.ref.name, u.ref.keys])).toEqual([['minio', 'minio-root', ['config.env']]]);
    expect(minio).toMatchObject({ tenantName: 'minio', namespace: 'minio', requestAutoCert: true, users: [], buckets: {} });
  });
});

describe('MinioTenant options', () => {
  test('inside a Tenant: the tenant namespace, API access for the operator sidecar, tenant admins may manage it', () => {
    const platform = newPlatform({ clusterDomain: 'cozy.local' });
    const acme = new Tenant(platform, 'acme');
    const minio = new MinioTenant(acme, 'store', { credentials: root, requestAutoCert: false });
    const all = rendered(platform);
    const tenant = find(all, 'Tenant', 'store');
    expect(tenant.metadata.namespace).toBe('tenant-acme');
    expect(tenant.metadata.labels).toMatchObject({ 'kubestrata.io/tenant': 'acme', 'app.kubernetes.io/name': 'minio' });
    expect(tenant.spec.pools[0].labels).toEqual({ 'kubestrata.io/allow-to-apiserver': 'true' });
    expect(all.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name)).not.toContain('store');
    expect(minio.endpoint).toBe('http://minio.tenant-acme.svc.cozy.local');
    const admin = all.find((m) => m.kind === 'Role' && m.metadata.name === 'tenant-admin');
    expect(admin.rules.some((r: any) => r.apiGroups.includes('minio.min.io'))).toBe(true);
  });

  test('every option: pools, buckets, users, image, namespace, storage class', () => {
    const platform = newPlatform({ storageClass: 'replicated' });
    const minio = new MinioTenant(platform, 'objects', {
      credentials: root,
      namespace: 'object-store',
      pools: {
        fast: { servers: 2, volumesPerServer: 2, size: '100Gi', storageClass: 'local', resources: { cpu: '2', memory: '8Gi' } },
        slow: {},
      },
      buckets: { backups: {}, archive: { objectLock: true, region: 'eu-west-1' } },
      users: [backupUser],
      image: 'quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z',
    });
    const spec = find(rendered(platform), 'Tenant', 'objects').spec;
    expect(spec.image).toBe('quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z');
    expect(
      spec.pools.map((p: any) => [
        p.name,
        p.servers,
        p.volumesPerServer,
        p.volumeClaimTemplate.spec.storageClassName,
        p.volumeClaimTemplate.spec.resources.requests.storage,
      ]),
    ).toEqual([
      ['fast', 2, 2, 'local', '100Gi'],
      ['slow', 4, 1, 'replicated', '10Gi'],
    ]);
    expect(spec.pools[0].resources.limits).toEqual({ cpu: '2', memory: '8Gi', 'ephemeral-storage': '2Gi' });
    expect(spec.buckets).toEqual([
      { name: 'backups', objectLock: false },
      { name: 'archive', objectLock: true, region: 'eu-west-1' },
    ]);
    expect(spec.users).toEqual([{ name: 'minio-backup' }]);
    expect(minio.bucketUrl('archive')).toBe('https://minio.object-store.svc.cluster.local/archive');
    expect(platform.secrets.all().map((u) => `${u.namespace}/${u.ref.name}`)).toEqual([
      'object-store/minio-backup',
      'object-store/minio-root',
    ]);
  });

  test('K3s delivery (one machine): one operator pod, one server with four volumes', () => {
    const platform = newPlatform({ delivery: 'k3s' });
    new MinioTenant(platform, 'minio', { credentials: root });
    const all = rendered(platform);
    expect(find(all, 'HelmChart', 'minio-operator').spec.valuesContent).toContain('replicaCount: 1');
    expect(find(all, 'Tenant', 'minio').spec.pools[0]).toMatchObject({ servers: 1, volumesPerServer: 4 });
  });

  test('a customized operator is used as created', () => {
    const platform = newPlatform();
    new MinioOperator(platform, {
      namespace: 'minio-system',
      replicas: 3,
      values: { operator: { replicaCount: 3, resources: { requests: { cpu: '100m' } } } },
    });
    new MinioTenant(platform, 'minio', { credentials: root });
    const all = rendered(platform);
    expect(find(all, 'HelmRelease', 'minio-operator').metadata.namespace).toBe('minio-system');
    expect(dependsOn(platform, 'Tenant', 'minio')).toContain('HelmRelease/minio-system/minio-operator');
  });
});

describe('MinioTenant as a backup target', () => {
  test('Postgres backups to a bucket with a MinIO user: endpoint, path and the user keys', () => {
    const platform = newPlatform();
    const minio = new MinioTenant(platform, 'minio', { credentials: root, buckets: { backups: {} }, users: [backupUser] });
    const caBundle = SecretRef.existing('cluster-ca', ['ca.crt']);
    const target = minio.postgresBackup({ bucket: 'backups', path: '/shop/orders/', user: backupUser, endpointCa: caBundle });
    expect(target).toEqual({
      destinationPath: 's3://backups/shop/orders',
      endpointUrl: 'https://minio.minio.svc.cluster.local',
      credentials: backupUser,
      accessKeyIdKey: 'CONSOLE_ACCESS_KEY',
      secretAccessKeyKey: 'CONSOLE_SECRET_KEY',
      endpointCa: caBundle,
      inCluster: { namespace: 'minio', pods: { 'v1.min.io/tenant': 'minio' }, port: 9000 },
    });
    const shop = new Tenant(platform, 'shop');
    new Postgres(shop, 'orders', { backup: target });
    const all = rendered(platform);
    // allow-to-external never opens cluster addresses, so the instances reach the MinIO pods on a declared path.
    expect(find(all, 'NetworkPolicy', 'orders-to-backup').spec).toEqual({
      podSelector: { matchLabels: { 'cnpg.io/cluster': 'orders', 'cnpg.io/podRole': 'instance' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'minio' } },
              podSelector: { matchLabels: { 'v1.min.io/tenant': 'minio' } },
            },
          ],
          ports: [{ protocol: 'TCP', port: 9000 }],
        },
      ],
    });
    expect(find(all, 'ObjectStore', 'orders-backup').spec.configuration).toMatchObject({
      destinationPath: 's3://backups/shop/orders',
      endpointURL: 'https://minio.minio.svc.cluster.local',
      endpointCA: { name: 'cluster-ca', key: 'ca.crt' },
      s3Credentials: {
        accessKeyId: { name: 'minio-backup', key: 'CONSOLE_ACCESS_KEY' },
        secretAccessKey: { name: 'minio-backup', key: 'CONSOLE_SECRET_KEY' },
      },
    });
    expect(platform.secrets.all().map((u) => `${u.namespace}/${u.ref.name}`)).toEqual(
      expect.arrayContaining(['minio/minio-backup', 'tenant-shop/minio-backup']),
    );
  });
});
