import { CertManager } from '../../../constructs/platform/cert-manager';
import { SeaweedFs, SeaweedFsProps } from '../../../constructs/storage/seaweedfs';
import { SecretRef } from '../../../lib/core/secrets';
import { versions } from '../../../lib/versions';
import { find, newPlatform } from '../../helpers';
import { problemOf, rendered } from './storage-helpers';

const identities = SecretRef.fromConfig('seaweedfs-s3', ['seaweedfs_s3_config']);

describe('SeaweedFs defaults (Cozystack)', () => {
  const platform = newPlatform();
  const seaweedfs = new SeaweedFs(platform, { s3: { credentials: identities } });
  const all = rendered(platform);
  const release = find(all, 'HelmRelease', 'seaweedfs');

  test('the seaweedfs chart 4.31.0 in a baseline namespace, after cert-manager', () => {
    expect(find(all, 'HelmRepository', 'seaweedfs').spec.url).toBe('https://seaweedfs.github.io/seaweedfs/helm');
    expect(release.metadata.namespace).toBe('seaweedfs');
    expect(release.spec.chart.spec).toMatchObject({ chart: 'seaweedfs', version: versions.seaweedfs.chart.version });
    expect(release.spec.dependsOn).toEqual([{ name: 'cert-manager', namespace: 'cert-manager' }]);
    expect(find(all, 'Namespace', 'seaweedfs').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
  });

  test('three masters, two volume servers and two filers, one more copy of every file, TLS inside', () => {
    expect(release.spec.values).toEqual({
      global: {
        enableSecurity: true,
        extraEnvironmentVars: {
          WEED_CLUSTER_DEFAULT: 'sw',
          WEED_CLUSTER_SW_MASTER: 'seaweedfs-master:9333',
          WEED_CLUSTER_SW_FILER: 'seaweedfs-filer-client:8888',
        },
      },
      master: { replicas: 3, defaultReplication: '001', volumeSizeLimitMB: 30000, data: { type: 'emptyDir' }, logs: { type: '' } },
      volume: {
        replicas: 2,
        minFreeSpacePercent: 5,
        dataDirs: [{ name: 'data1', type: 'persistentVolumeClaim', size: '10Gi', maxVolumes: 0 }],
      },
      filer: {
        replicas: 2,
        defaultReplicaPlacement: '001',
        data: { type: 'persistentVolumeClaim', size: '10Gi' },
        logs: { type: '' },
        s3: { enabled: true, port: 8333, enableAuth: true, existingConfigSecret: 'seaweedfs-s3' },
      },
      s3: { enabled: false },
    });
    expect(seaweedfs).toMatchObject({
      masters: 3,
      volumeServers: 2,
      filers: 2,
      replication: '001',
      volumeSize: '10Gi',
      filerSize: '10Gi',
      tls: true,
      s3Enabled: true,
    });
    expect(seaweedfs.s3Endpoint).toBe('http://seaweedfs-s3.seaweedfs.svc.cluster.local:8333');
  });

  test('the S3 identities are a Secret the deployment layer creates in the release namespace', () => {
    expect(platform.secrets.all().map((u) => [u.namespace, u.ref.name])).toEqual([['seaweedfs', 'seaweedfs-s3']]);
    expect(platform.registry.find(CertManager)).toBeDefined();
  });
});

describe('SeaweedFs options', () => {
  test('every option', () => {
    const platform = newPlatform({ clusterDomain: 'cozy.local' });
    const s = new SeaweedFs(platform, {
      namespace: 'root-s3',
      masters: 5,
      volumeServers: 4,
      filers: 3,
      replication: '002',
      volumeSize: '100Gi',
      filerSize: '20Gi',
      storageClass: 'replicated',
      tls: false,
      s3: { allowAnonymous: true },
      values: { volume: { compactionMBps: '100' } },
    });
    const all = rendered(platform);
    const values = find(all, 'HelmRelease', 'seaweedfs').spec.values;
    expect(values.global.enableSecurity).toBe(false);
    expect(values.master).toMatchObject({ replicas: 5, defaultReplication: '002' });
    expect(values.volume).toMatchObject({
      replicas: 4,
      compactionMBps: '100',
      dataDirs: [{ name: 'data1', type: 'persistentVolumeClaim', size: '100Gi', storageClass: 'replicated', maxVolumes: 0 }],
    });
    expect(values.filer).toMatchObject({
      replicas: 3,
      data: { type: 'persistentVolumeClaim', size: '20Gi', storageClass: 'replicated' },
      s3: { enabled: true, enableAuth: false },
    });
    expect(platform.registry.find(CertManager)).toBeUndefined();
    expect(platform.secrets.all()).toEqual([]);
    expect(s.s3Endpoint).toBe('http://seaweedfs-s3.root-s3.svc.cozy.local:8333');
  });

  test('without the S3 gateway no credentials are needed', () => {
    const platform = newPlatform();
    const s = new SeaweedFs(platform, { s3: { enabled: false }, tls: false });
    expect(find(rendered(platform), 'HelmRelease', 'seaweedfs').spec.values.filer.s3).toEqual({
      enabled: false,
      port: 8333,
      enableAuth: false,
    });
    expect(s.s3Endpoint).toBeUndefined();
  });

  test('K3s delivery (one machine): one of each, no replication, a HelmChart', () => {
    const platform = newPlatform({ delivery: 'k3s' });
    const s = new SeaweedFs(platform, { s3: { credentials: identities } });
    expect(s).toMatchObject({ masters: 1, volumeServers: 1, filers: 1, replication: '000' });
    expect(find(rendered(platform), 'HelmChart', 'seaweedfs').spec.valuesContent).toContain('defaultReplication: "000"');
  });
});

describe('SeaweedFs errors', () => {
  const CASES: ReadonlyArray<[string, SeaweedFsProps, string]> = [
    [
      'no credentials for S3',
      {},
      's3.credentials: (not set) is required: the S3 gateway checks requests against identities from a Secret. Fix: pass SecretRef.fromConfig("<name>", ["seaweedfs_s3_config"]) holding the identities JSON, or set s3.allowAnonymous: true.',
    ],
    [
      'credentials without the config key',
      { s3: { credentials: SecretRef.fromConfig('s3', ['accessKey']) } },
      's3.credentials.keys: ["accessKey"] must include "seaweedfs_s3_config".',
    ],
    [
      'anonymous and credentials',
      { s3: { credentials: identities, allowAnonymous: true } },
      's3.allowAnonymous: true contradicts s3.credentials: the gateway either checks identities or serves everyone. Fix: remove one of them.',
    ],
    [
      'even masters',
      { masters: 2, s3: { credentials: identities } },
      'masters: 2 must be odd: the masters elect a leader by majority. Fix: use 3.',
    ],
    ['no volume servers', { volumeServers: 0, s3: { credentials: identities } }, 'volumeServers: 0 must be a whole number ≥ 1.'],
    ['no filers', { filers: 0, s3: { credentials: identities } }, 'filers: 0 must be a whole number ≥ 1.'],
    [
      'replication format',
      { replication: '1', s3: { credentials: identities } },
      'replication: "1" must be three digits XYZ. Fix: write it like "001" (one more copy on another server).',
    ],
    [
      'replication across racks',
      { replication: '010', s3: { credentials: identities } },
      'replication: "010" asks for copies in other data centers or racks, which kubestrata does not declare. Fix: use "000".',
    ],
    [
      'more copies than servers',
      { replication: '002', s3: { credentials: identities } },
      'replication: "002" needs 3 volume servers for 3 copies, but volumeServers is 2. Fix: set volumeServers to 3.',
    ],
    [
      'volume size',
      { volumeSize: '10 GB', s3: { credentials: identities } },
      'volumeSize: "10 GB" must be a positive Kubernetes quantity. Fix: write it like "10Gi".',
    ],
    [
      'filer size',
      { filerSize: '-1Gi', s3: { credentials: identities } },
      'filerSize: "-1Gi" must be a positive Kubernetes quantity. Fix: write it like "10Gi".',
    ],
    [
      'storage class',
      { storageClass: 'Fast SSD', s3: { credentials: identities } },
      'storageClass: "Fast SSD" must be a StorageClass name.',
    ],
  ];
  test.each(CASES)('%s', (_name, props, line) => {
    const error = problemOf(() => new SeaweedFs(newPlatform(), props));
    expect(error.path).toBe('platform/storage/seaweedfs');
    expect(error.message).toContain(`  - ${line}`);
  });
});
