import type { Platform } from '../../../lib/core/platform';
import type { PlatformDeployment } from '../../../lib/pulumi';
import {
  dependenciesOf,
  Deployed,
  deployWithMocks,
  freshModules,
  isSecretInput,
  Modules,
  plainStrings,
  Registered,
  registered,
} from '../../lib/pulumi/harness';
import { objectId } from '../../lib/pulumi/fixture';

const NAME = 'storage';
const SECRETS = {
  'minio-root': { 'config.env': 'export MINIO_ROOT_USER="root-8f2c"\nexport MINIO_ROOT_PASSWORD="pw-kubestrata-9a7b6c"' },
  'minio-backup': { CONSOLE_ACCESS_KEY: 'backup-4e1d', CONSOLE_SECRET_KEY: 'backup-secret-kubestrata-77aa' },
  'juicefs-rootfs': {
    name: 'rootfs',
    metaurl: 'redis://:redis-pw-kubestrata@10.0.0.2:6379/1',
    storage: 'minio',
    bucket: 'https://minio.minio.svc.cluster.local/olares',
    'access-key': 'jfs-ak-31c9',
    'secret-key': 'jfs-sk-kubestrata-c0ffee',
  },
  'seaweedfs-s3': {
    seaweedfs_s3_config:
      '{"identities":[{"name":"admin","credentials":[{"accessKey":"sw-ak","secretKey":"sw-sk-kubestrata"}],"actions":["Admin"]}]}',
  },
};

/** Every storage component, with SeaweedFS and MinIO on LINSTOR classes and a Postgres backing up to MinIO. */
function build(mods: Modules, delivery: 'flux' | 'k3s'): Platform {
  const { ks, cdk8s } = mods;
  const platform = new ks.Platform(new cdk8s.App({ outdir: '/nonexistent' }), 'platform', { delivery });
  const linstor = new ks.Linstor(platform, { storagePools: { data: { type: 'zfs', devices: ['/dev/vdc'] } } });
  const user = ks.SecretRef.fromConfig('minio-backup', ['CONSOLE_ACCESS_KEY', 'CONSOLE_SECRET_KEY']);
  const minio = new ks.MinioTenant(platform, 'minio', {
    credentials: ks.SecretRef.fromConfig('minio-root', ['config.env']),
    pools: { 'pool-0': { storageClass: linstor.localClass } },
    buckets: { backups: {} },
    users: [user],
  });
  new ks.JuiceFs(platform, {
    volume: ks.SecretRef.fromConfig('juicefs-rootfs', ['name', 'metaurl', 'storage', 'bucket', 'access-key', 'secret-key']),
  });
  new ks.SeaweedFs(platform, {
    storageClass: linstor.replicatedClass,
    s3: { credentials: ks.SecretRef.fromConfig('seaweedfs-s3', ['seaweedfs_s3_config']) },
  });
  const shop = new ks.Tenant(platform, 'shop');
  new ks.Postgres(shop, 'orders', {
    storage: { storageClass: linstor.replicatedClass!.use(shop) },
    backup: minio.postgresBackup({ bucket: 'backups', user }),
  });
  return platform;
}

async function deploy(delivery: 'flux' | 'k3s'): Promise<Deployed<PlatformDeployment> & { platform: Platform; manifests: any[] }> {
  const mods = freshModules();
  const platform = build(mods, delivery);
  const deployed = await deployWithMocks(mods, (opts) => new mods.bridge.PlatformDeployment(NAME, { platform, secrets: SECRETS }, opts));
  return { ...deployed, platform, manifests: platform.render().flatMap((c) => c.objects.map((o) => o.manifest)) };
}

const id = (apiVersion: string, kind: string, name: string, namespace?: string) =>
  `${NAME}/${objectId({ apiVersion, kind, metadata: { name, namespace } })}`;
const PIRAEUS = id('helm.toolkit.fluxcd.io/v2', 'HelmRelease', 'piraeus-operator', 'piraeus-datastore');
const LINSTOR_CLUSTER = id('piraeus.io/v1', 'LinstorCluster', 'linstorcluster');

describe('storage layer under Pulumi (Flux)', () => {
  let deployed: Awaited<ReturnType<typeof deploy>>;
  let resources: ReadonlyMap<string, Registered>;
  const get = (name: string) => registered(resources, name);

  beforeAll(async () => {
    deployed = await deploy('flux');
    resources = deployed.resources;
  });

  test('every synthesized object is one resource', () => {
    for (const m of deployed.manifests) expect(resources.has(`${NAME}/${objectId(m)}`)).toBe(true);
  });

  test('the LinstorCluster waits for the operator release and then reports Available before anything on its classes', () => {
    const cluster = get(LINSTOR_CLUSTER);
    expect(cluster.inputs.metadata.annotations).toEqual({ 'pulumi.com/waitFor': 'condition=Available' });
    expect(cluster.customTimeouts).toEqual({ create: '600s', update: '600s' });
    expect(dependenciesOf(resources, LINSTOR_CLUSTER)).toContain(PIRAEUS);
    for (const consumer of [
      id('minio.min.io/v2', 'Tenant', 'minio', 'minio'),
      id('helm.toolkit.fluxcd.io/v2', 'HelmRelease', 'seaweedfs', 'seaweedfs'),
      id('postgresql.cnpg.io/v1', 'Cluster', 'orders', 'tenant-shop'),
    ]) {
      expect(dependenciesOf(resources, consumer)).toContain(LINSTOR_CLUSTER);
    }
  });

  test('StorageClasses and satellite configurations follow the release whose webhook and CRDs they need', () => {
    for (const name of [
      id('storage.k8s.io/v1', 'StorageClass', 'replicated'),
      id('storage.k8s.io/v1', 'StorageClass', 'local'),
      id('piraeus.io/v1', 'LinstorSatelliteConfiguration', 'storage-pool-data'),
    ])
      expect(dependenciesOf(resources, name)).toContain(PIRAEUS);
    expect(dependenciesOf(resources, id('storage.k8s.io/v1', 'StorageClass', 'juicefs'))).toContain(
      id('helm.toolkit.fluxcd.io/v2', 'HelmRelease', 'juicefs-csi-driver', 'juicefs-system'),
    );
    expect(get(PIRAEUS).inputs.metadata.annotations).toEqual({ 'pulumi.com/waitFor': 'condition=Ready' });
  });

  test('Secrets are created from config before their users, as secret outputs only', () => {
    const secrets: Record<string, string> = {
      'minio/minio-root': id('minio.min.io/v2', 'Tenant', 'minio', 'minio'),
      'minio/minio-backup': id('minio.min.io/v2', 'Tenant', 'minio', 'minio'),
      'tenant-shop/minio-backup': id('barmancloud.cnpg.io/v1', 'ObjectStore', 'orders-backup', 'tenant-shop'),
      'juicefs-system/juicefs-rootfs': id('storage.k8s.io/v1', 'StorageClass', 'juicefs'),
      'seaweedfs/seaweedfs-s3': id('helm.toolkit.fluxcd.io/v2', 'HelmRelease', 'seaweedfs', 'seaweedfs'),
    };
    for (const [secret, user] of Object.entries(secrets)) {
      const name = `${NAME}/v1/Secret/${secret}`;
      expect(isSecretInput(get(name).inputs.stringData)).toBe(true);
      expect(get(user).dependsOn).toContain(name);
    }
    const values = Object.values(SECRETS)
      .flatMap((s) => Object.values(s))
      .filter((v) => v.length > 8);
    for (const r of resources.values()) for (const s of plainStrings(r.inputs)) for (const v of values) expect(s).not.toContain(v);
  });
});

describe('storage layer under Pulumi (K3s)', () => {
  test('custom resources and classes wait for the install Job gate of their HelmChart', async () => {
    const { resources } = await deploy('k3s');
    const gate = `${NAME}/gate/helm.cattle.io/v1/HelmChart/kube-system/piraeus-operator`;
    expect(resources.get(gate)?.type).toBe('kubestrata:pulumi:ReadinessGate');
    for (const name of [LINSTOR_CLUSTER, id('storage.k8s.io/v1', 'StorageClass', 'replicated')]) {
      expect(dependenciesOf(resources, name)).toContain(gate);
    }
    expect([...dependenciesOf(resources, id('minio.min.io/v2', 'Tenant', 'minio', 'minio'))]).toEqual(
      expect.arrayContaining([`${NAME}/gate/helm.cattle.io/v1/HelmChart/kube-system/minio-operator`, LINSTOR_CLUSTER]),
    );
    expect(resources.get(LINSTOR_CLUSTER)!.inputs.metadata.annotations).toEqual({ 'pulumi.com/waitFor': 'condition=Available' });
  });
});
