import { Construct } from 'constructs';
import { Kafka } from '../../../constructs/data/kafka';
import { Postgres } from '../../../constructs/data/postgres';
import { Redis } from '../../../constructs/data/redis';
import { HttpCache } from '../../../constructs/network/http-cache';
import { Tenant } from '../../../constructs/platform/tenant';
import { JuiceFs } from '../../../constructs/storage/juicefs';
import { Linstor } from '../../../constructs/storage/linstor';
import { LocalPath } from '../../../constructs/storage/local-path';
import { MinioTenant } from '../../../constructs/storage/minio-tenant';
import { SeaweedFs } from '../../../constructs/storage/seaweedfs';
import { useStorageClass } from '../../../constructs/storage/storage-classes';
import { StorageClassRef } from '../../../lib/core/storage-class';
import { SecretRef } from '../../../lib/core/secrets';
import { find, newPlatform } from '../../helpers';
import { dependsOn, problemOf, rendered } from './storage-helpers';

const root = SecretRef.fromConfig('minio-root', ['config.env']);
const identities = SecretRef.fromConfig('seaweedfs-s3', ['seaweedfs_s3_config']);

describe('StorageClass references order their consumers', () => {
  test('SeaweedFS on the local class waits for LINSTOR in the manifests and in Flux', () => {
    const platform = newPlatform();
    const linstor = new Linstor(platform);
    const s = new SeaweedFs(platform, { storageClass: linstor.localClass, s3: { credentials: identities } });
    const all = rendered(platform);
    expect(s.storageClass).toBe('local');
    expect(find(all, 'HelmRelease', 'seaweedfs').spec.dependsOn).toEqual([
      { name: 'piraeus-operator', namespace: 'piraeus-datastore' },
      { name: 'cert-manager', namespace: 'cert-manager' },
    ]);
    expect(dependsOn(platform, 'HelmRelease', 'seaweedfs')).toEqual(
      expect.arrayContaining(['LinstorCluster/linstorcluster', 'StorageClass/local']),
    );
  });

  test('a MinIO pool on the replicated class waits for the LinstorCluster', () => {
    const platform = newPlatform();
    const linstor = new Linstor(platform);
    const acme = new Tenant(platform, 'acme');
    new MinioTenant(acme, 'store', { credentials: root, pools: { 'pool-0': { storageClass: linstor.replicatedClass } } });
    const all = rendered(platform);
    expect(find(all, 'Tenant', 'store').spec.pools[0].volumeClaimTemplate.spec.storageClassName).toBe('replicated');
    expect(dependsOn(platform, 'Tenant', 'store')).toEqual(
      expect.arrayContaining(['LinstorCluster/linstorcluster', 'HelmRelease/minio-operator/minio-operator']),
    );
  });

  test('a name is used as given, with no ordering', () => {
    const platform = newPlatform();
    const consumer = new Construct(platform.layer('data'), 'consumer');
    expect(useStorageClass(consumer, 'fast')).toBe('fast');
    expect(useStorageClass(consumer, undefined)).toBeUndefined();
    expect(consumer.node.dependencies).toEqual([]);
  });

  test('a database on the replicated class follows LINSTOR: object dependencies and chart order', () => {
    const platform = newPlatform();
    const linstor = new Linstor(platform);
    const acme = new Tenant(platform, 'acme');
    new Postgres(acme, 'orders', { storage: { storageClass: linstor.replicatedClass }, walStorage: { storageClass: linstor.localClass } });
    new Kafka(acme, 'events', { nodeLayout: 'dedicated', controllers: { storage: { storageClass: linstor.localClass } } });
    const all = rendered(platform);
    expect(find(all, 'Cluster', 'orders').spec.storage.storageClass).toBe('replicated');
    expect(find(all, 'Cluster', 'orders').spec.walStorage.storageClass).toBe('local');
    expect(find(all, 'KafkaNodePool', 'events-controller').spec.storage.volumes[0].class).toBe('local');
    expect(dependsOn(platform, 'Cluster', 'orders')).toEqual(
      expect.arrayContaining(['LinstorCluster/linstorcluster', 'StorageClass/replicated']),
    );
    expect(dependsOn(platform, 'KafkaNodePool', 'events-controller')).toEqual(
      expect.arrayContaining(['LinstorCluster/linstorcluster', 'StorageClass/local']),
    );
    const files = platform.render().map((c) => c.file);
    expect(files.findIndex((f) => f.endsWith('storage.k8s.yaml'))).toBeLessThan(files.findIndex((f) => f.includes('acme')));
  });

  test('the platform default, set to a reference, orders every volume that does not name a class', () => {
    const platform = newPlatform();
    const linstor = new Linstor(platform);
    platform.setStorageClass(linstor.replicatedClass!);
    const acme = new Tenant(platform, 'acme');
    new Redis(acme, 'cache');
    new HttpCache(acme, 'web', { endpoints: ['10.0.0.11:80'] });
    const named = new Redis(acme, 'named', { storage: { storageClass: 'fast' } });
    const all = rendered(platform);
    expect(find(all, 'RedisFailover', 'cache').spec.redis.storage.persistentVolumeClaim.spec.storageClassName).toBe('replicated');
    expect(dependsOn(platform, 'RedisFailover', 'cache')).toEqual(expect.arrayContaining(['LinstorCluster/linstorcluster']));
    expect(dependsOn(platform, 'PersistentVolumeClaim', 'web-nginx-cache-0')).toEqual(
      expect.arrayContaining(['LinstorCluster/linstorcluster']),
    );
    expect(named.node.dependencies).not.toContain(linstor);
  });

  test('setStorageClass checks a name and refuses what is neither a name nor a reference', () => {
    const platform = newPlatform();
    expect(problemOf(() => platform.setStorageClass('Fast_Disks')).message).toContain(
      'storageClass: "Fast_Disks" must be a StorageClass name',
    );
    expect(problemOf(() => platform.setStorageClass({ name: 'fast' } as never)).message).toContain(
      'storageClass: {"name":"fast"} must be a StorageClassRef',
    );
    expect(problemOf(() => platform.setStorageClass(42 as never)).message).toContain(
      'storageClass: 42 must be a string or a StorageClassRef',
    );
    expect(platform.storageClass).toBeUndefined();
  });

  test('a reference used by its own provider adds no dependency', () => {
    const platform = newPlatform();
    const holder = new Construct(platform.layer('storage'), 'holder');
    const ref = new StorageClassRef('x', holder, false);
    expect(ref.use(holder)).toBe('x');
    expect(holder.node.dependencies).toEqual([]);
  });
});

describe('every option of every storage construct validates against the upstream schemas', () => {
  test('Flux platform (Cozystack shape)', () => {
    const platform = newPlatform({ clusterDomain: 'cozy.local', storageClass: 'replicated' });
    const linstor = new Linstor(platform, {
      namespace: 'cozy-linstor',
      talos: true,
      tls: true,
      hostNetwork: true,
      nodeSelector: { 'node-role.kubernetes.io/storage': '' },
      properties: { 'DrbdOptions/Net/max-buffers': '8000' },
      values: { operator: { resources: { requests: { cpu: '50m' } } } },
      storagePools: {
        data: { type: 'zfs', zpool: 'data', devices: ['/dev/vdc'] },
        thin: { type: 'lvmThin', volumeGroup: 'vg0', thinPool: 'thin', nodeSelector: { disk: 'nvme' }, devices: ['/dev/nvme0n1'] },
        thick: { type: 'lvm', volumeGroup: 'vg1' },
        sparse: { type: 'zfsThin', zpool: 'tank' },
      },
      localClass: { name: 'local', storagePool: 'thin', reclaimPolicy: 'Retain' },
      replicatedClass: {
        name: 'replicated',
        storagePool: 'data',
        placementCount: 3,
        default: true,
        reclaimPolicy: 'Delete',
        drbdOptions: { 'Net/max-buffers': '10000' },
      },
    });
    const user = SecretRef.fromConfig('minio-user', ['CONSOLE_ACCESS_KEY', 'CONSOLE_SECRET_KEY']);
    new MinioTenant(platform, 'minio', {
      credentials: root,
      namespace: 'object-store',
      requestAutoCert: true,
      image: 'quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z',
      pools: { fast: { servers: 4, volumesPerServer: 2, size: '50Gi', storageClass: linstor.localClass, resources: 'u1.medium' } },
      buckets: { backups: { objectLock: true, region: 'eu-central-1' } },
      users: [user],
    });
    new MinioTenant(new Tenant(platform, 'acme'), 'store', { credentials: root, requestAutoCert: false });
    new JuiceFs(platform, {
      volume: SecretRef.existing('juicefs-volume', ['name', 'metaurl', 'storage', 'bucket', 'access-key', 'secret-key']),
      namespace: 'juicefs',
      replicas: 2,
      dashboard: true,
      values: { node: { hostNetwork: true } },
      storageClass: { name: 'juicefs', default: false, reclaimPolicy: 'Retain', mountOptions: ['cache-size=102400'] },
    });
    new SeaweedFs(platform, {
      namespace: 'seaweedfs',
      masters: 3,
      volumeServers: 3,
      filers: 2,
      replication: '002',
      volumeSize: '50Gi',
      filerSize: '5Gi',
      storageClass: linstor.replicatedClass,
      tls: true,
      s3: { enabled: true, credentials: identities },
      values: { master: { volumeSizeLimitMB: 10000 } },
    });
    const all = rendered(platform);
    expect(all.length).toBeGreaterThan(40);
    expect(new Set(all.map((m) => m.kind))).toEqual(
      new Set([
        'Namespace',
        'HelmRepository',
        'OCIRepository',
        'HelmRelease',
        'Issuer',
        'Certificate',
        'LinstorCluster',
        'LinstorSatelliteConfiguration',
        'StorageClass',
        'Tenant',
        'LimitRange',
        'NetworkPolicy',
        'Role',
        'RoleBinding',
        'ValidatingAdmissionPolicy',
        'ValidatingAdmissionPolicyBinding',
      ]),
    );
  });

  test('K3s platform (Olares shape)', () => {
    const platform = newPlatform({ delivery: 'k3s', kubernetesVersion: '1.33' });
    const local = new LocalPath(platform);
    new MinioTenant(platform, 'minio', {
      credentials: root,
      pools: { 'pool-0': { storageClass: local.storageClass } },
      buckets: { olares: {} },
    });
    new JuiceFs(platform, {
      volume: SecretRef.fromConfig('juicefs-rootfs', ['name', 'metaurl', 'storage', 'bucket', 'access-key', 'secret-key']),
    });
    new SeaweedFs(platform, { s3: { allowAnonymous: true }, tls: false });
    new Linstor(platform, { tls: false, localClass: false, replicatedClass: { placementCount: 2 } });
    const all = rendered(platform);
    expect(
      all
        .filter((m) => m.kind === 'HelmChart')
        .map((m) => m.metadata.name)
        .sort(),
    ).toEqual(['juicefs-csi-driver', 'minio-operator', 'piraeus-operator', 'seaweedfs']);
  });
});
