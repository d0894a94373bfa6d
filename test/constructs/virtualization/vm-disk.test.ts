import { Cdi } from '../../../constructs/virtualization/cdi';
import { VmDisk } from '../../../constructs/virtualization/vm-disk';
import { VmImage } from '../../../constructs/virtualization/vm-image';
import { Linstor } from '../../../constructs/storage/linstor';
import { SecretRef } from '../../../lib/core/secrets';
import { find, manifests, newPlatform } from '../../helpers';
import { CDI_CHART, virtualizationPlatform } from './fixtures';

const UBUNTU = 'docker://quay.io/containerdisks/ubuntu:24.04';

describe('VmDisk', () => {
  test('an HTTP import: a DataVolume with contentType kubevirt, 5Gi by default, in the tenant namespace', () => {
    const { platform, tenant } = virtualizationPlatform();
    const disk = new VmDisk(tenant, 'root', { http: { url: 'https://cloud-images.example.com/noble.img' } });
    const dv = find(manifests(platform), 'DataVolume', 'root');
    expect(dv.metadata.namespace).toBe('tenant-acme');
    expect(dv.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'vm-disk', 'kubestrata.io/tenant': 'acme' });
    expect(dv.spec).toEqual({
      contentType: 'kubevirt',
      source: { http: { url: 'https://cloud-images.example.com/noble.img' } },
      storage: { resources: { requests: { storage: '5Gi' } } },
    });
    expect(disk).toMatchObject({ diskName: 'root', namespace: 'tenant-acme', size: '5Gi', optical: false });
  });

  test('imports let CDI importer pods through the tenant default-deny to addresses outside the cluster, with one policy per tenant', () => {
    const { platform, tenant } = virtualizationPlatform();
    new VmDisk(tenant, 'a', { http: { url: 'https://example.com/a.qcow2' } });
    new VmDisk(tenant, 'b', { registry: { url: UBUNTU } });
    new VmDisk(tenant, 'c', { blank: true });
    const policies = manifests(platform).filter((m) => m.metadata.name === 'allow-cdi-importer-egress');
    expect(policies).toHaveLength(1);
    expect(policies[0].spec).toEqual({
      podSelector: { matchLabels: { 'cdi.kubevirt.io': 'importer' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'] },
            },
            { ipBlock: { cidr: '::/0', except: ['fc00::/7', 'fe80::/10'] } },
          ],
        },
      ],
    });
  });

  test('a registry import with credentials, storage class, access and volume mode', () => {
    const { platform, tenant } = virtualizationPlatform({ platform: { storageClass: 'replicated' } });
    const credentials = SecretRef.fromConfig('registry-pull', ['accessKeyId', 'secretKey']);
    new VmDisk(tenant, 'root', { registry: { url: UBUNTU, credentials }, size: '20Gi', accessMode: 'ReadWriteMany', volumeMode: 'Block' });
    expect(find(manifests(platform), 'DataVolume', 'root').spec).toEqual({
      contentType: 'kubevirt',
      source: { registry: { url: UBUNTU, pullMethod: 'pod', secretRef: 'registry-pull' } },
      storage: {
        accessModes: ['ReadWriteMany'],
        volumeMode: 'Block',
        resources: { requests: { storage: '20Gi' } },
        storageClassName: 'replicated',
      },
    });
    expect(platform.secrets.all().map((s) => [s.namespace, s.ref.name])).toEqual([['tenant-acme', 'registry-pull']]);
  });

  test('a blank disk and the three kinds of clone', () => {
    const { platform, tenant } = virtualizationPlatform();
    const image = new VmImage(tenant, 'ubuntu', { registry: { url: UBUNTU } });
    new VmDisk(tenant, 'data', { blank: true, size: '100Gi', storageClass: 'local' });
    new VmDisk(tenant, 'from-image', { clone: { image } });
    new VmDisk(tenant, 'from-source', { clone: { dataSource: 'fedora' }, size: '40Gi' });
    new VmDisk(tenant, 'from-disk', { clone: { pvc: 'data' } });
    const all = manifests(platform);
    expect(find(all, 'DataVolume', 'data').spec).toEqual({
      source: { blank: {} },
      storage: { resources: { requests: { storage: '100Gi' } }, storageClassName: 'local' },
    });
    expect(find(all, 'DataVolume', 'from-image').spec).toEqual({
      sourceRef: { kind: 'DataSource', name: 'ubuntu', namespace: 'tenant-acme' },
      storage: {},
    });
    expect(find(all, 'DataVolume', 'from-source').spec).toEqual({
      sourceRef: { kind: 'DataSource', name: 'fedora', namespace: 'tenant-acme' },
      storage: { resources: { requests: { storage: '40Gi' } } },
    });
    expect(find(all, 'DataVolume', 'from-disk').spec).toEqual({ source: { pvc: { name: 'data', namespace: 'tenant-acme' } }, storage: {} });
    const names = all.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(names.indexOf('DataVolume/from-image')).toBeGreaterThan(names.indexOf('DataSource/ubuntu'));
  });

  test('a disk requires the platform CDI, which orders it after the CDI CR', () => {
    const { platform, tenant, cdi } = virtualizationPlatform();
    const disk = new VmDisk(tenant, 'root', { blank: true });
    expect(platform.registry.find(Cdi)).toBe(cdi);
    expect(platform.registry.requirementsOf(disk)).toEqual([cdi]);
  });
});

test('a disk or image on the Linstor replicated class follows Linstor, as does CDI with its scratch class there', () => {
  const { platform, tenant } = virtualizationPlatform();
  const linstor = new Linstor(platform);
  const disk = new VmDisk(tenant, 'root', { blank: true, storageClass: linstor.replicatedClass });
  const image = new VmImage(tenant, 'ubuntu', { registry: { url: UBUNTU }, storageClass: linstor.localClass });
  expect(disk.storageClass).toBe('replicated');
  expect(image.storageClass).toBe('local');
  expect(disk.node.dependencies).toContain(linstor);
  expect(image.node.dependencies).toContain(linstor);
  const all = manifests(platform);
  expect(find(all, 'DataVolume', 'root').spec.storage.storageClassName).toBe('replicated');
  const names = all.map((m) => `${m.kind}/${m.metadata.name}`);
  expect(names.indexOf('DataVolume/root')).toBeGreaterThan(names.indexOf('StorageClass/replicated'));

  const other = newPlatform();
  const storage = new Linstor(other);
  const cdi = new Cdi(other, { chart: CDI_CHART, scratchSpaceStorageClass: storage.localClass });
  expect(cdi.scratchSpaceStorageClass).toBe('local');
  expect(cdi.release.dependsOn).toEqual([storage.release]);
  expect(find(manifests(other), 'HelmRelease', 'cdi-operator').spec.dependsOn).toEqual([
    { name: storage.release.releaseName, namespace: storage.namespace },
  ]);
});

describe('VmImage', () => {
  test('imported once: a DataVolume and the DataSource that points at its PVC, 20Gi by default', () => {
    const { platform, tenant } = virtualizationPlatform();
    const image = new VmImage(tenant, 'debian', { http: { url: 'https://cloud.debian.org/images/debian-13-generic-amd64.qcow2' } });
    const all = manifests(platform);
    expect(find(all, 'DataVolume', 'debian').spec).toEqual({
      contentType: 'kubevirt',
      source: { http: { url: 'https://cloud.debian.org/images/debian-13-generic-amd64.qcow2' } },
      storage: { resources: { requests: { storage: '20Gi' } } },
    });
    expect(find(all, 'DataSource', 'debian').spec).toEqual({ source: { pvc: { name: 'debian', namespace: 'tenant-acme' } } });
    expect(image).toMatchObject({ dataSourceName: 'debian', size: '20Gi', refresh: undefined });
    const names = all.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(names.indexOf('DataSource/debian')).toBeGreaterThan(names.indexOf('DataVolume/debian'));
  });

  test('refreshed: only a DataImportCron, which manages the DataSource itself', () => {
    const { platform, tenant } = virtualizationPlatform();
    new VmImage(tenant, 'ubuntu', {
      registry: { url: UBUNTU, pullMethod: 'node' },
      refresh: { schedule: '0 3 * * 1', importsToKeep: 2 },
      size: '10Gi',
      storageClass: 'replicated',
    });
    const all = manifests(platform);
    expect(all.filter((m) => m.kind === 'DataSource' || m.kind === 'DataVolume')).toEqual([]);
    expect(find(all, 'DataImportCron', 'ubuntu').spec).toEqual({
      schedule: '0 3 * * 1',
      managedDataSource: 'ubuntu',
      importsToKeep: 2,
      garbageCollect: 'Outdated',
      template: {
        spec: {
          source: { registry: { url: UBUNTU, pullMethod: 'node' } },
          storage: { resources: { requests: { storage: '10Gi' } }, storageClassName: 'replicated' },
        },
      },
    });
  });
});
