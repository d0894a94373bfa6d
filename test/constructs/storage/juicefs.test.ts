import { JuiceFs, OLARES_MOUNT_OPTIONS } from '../../../constructs/storage/juicefs';
import { Linstor } from '../../../constructs/storage/linstor';
import { SecretRef } from '../../../lib/core/secrets';
import { versions } from '../../../lib/versions';
import { find, newPlatform } from '../../helpers';
import { dependsOn, problemOf, rendered } from './storage-helpers';

const volume = SecretRef.fromConfig('juicefs-rootfs', ['name', 'metaurl', 'storage', 'bucket', 'access-key', 'secret-key']);

describe('JuiceFs defaults (Olares layout)', () => {
  const platform = newPlatform();
  const juicefs = new JuiceFs(platform, { volume });
  const all = rendered(platform);

  test('the CSI driver chart, without its own StorageClass or dashboard, in a privileged namespace', () => {
    expect(find(all, 'HelmRepository', 'juicefs-csi-driver').spec.url).toBe('https://juicedata.github.io/charts');
    const release = find(all, 'HelmRelease', 'juicefs-csi-driver');
    expect(release.metadata.namespace).toBe('juicefs-system');
    expect(release.spec.chart.spec).toMatchObject({ chart: 'juicefs-csi-driver', version: versions.juicefsCsiDriver.chart.version });
    expect(release.spec.values).toEqual({ controller: { replicas: 2 }, dashboard: { enabled: false }, storageClasses: [] });
    expect(find(all, 'Namespace', 'juicefs-system').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(juicefs).toMatchObject({ version: '0.30.0', replicas: 2, dashboard: false, mountOptions: OLARES_MOUNT_OPTIONS });
  });

  test("a juicefs StorageClass reading the file system from the referenced Secret, with Olares' mount options", () => {
    expect(find(all, 'StorageClass', 'juicefs')).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'juicefs', labels: { 'app.kubernetes.io/managed-by': 'kubestrata' } },
      provisioner: 'csi.juicefs.com',
      parameters: {
        'csi.storage.k8s.io/provisioner-secret-name': 'juicefs-rootfs',
        'csi.storage.k8s.io/provisioner-secret-namespace': 'juicefs-system',
        'csi.storage.k8s.io/node-publish-secret-name': 'juicefs-rootfs',
        'csi.storage.k8s.io/node-publish-secret-namespace': 'juicefs-system',
        'csi.storage.k8s.io/controller-expand-secret-name': 'juicefs-rootfs',
        'csi.storage.k8s.io/controller-expand-secret-namespace': 'juicefs-system',
      },
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
      allowVolumeExpansion: true,
      mountOptions: ['writeback_cache', 'entry-cache=300', 'attr-cache=300'],
    });
    expect(juicefs.storageClass).toMatchObject({ name: 'juicefs', isDefault: false, provider: juicefs });
  });

  test('the Secret is created by the deployment layer in the driver namespace; no value is in the manifests', () => {
    expect(platform.secrets.all().map((u) => [u.namespace, u.ref.name, u.ref.source])).toEqual([
      ['juicefs-system', 'juicefs-rootfs', 'config'],
    ]);
    expect(all.filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  test('the StorageClass follows the driver release', () => {
    expect(dependsOn(platform, 'StorageClass', 'juicefs')).toEqual(
      expect.arrayContaining(['HelmRelease/juicefs-system/juicefs-csi-driver']),
    );
  });
});

describe('JuiceFs options', () => {
  test('every option, on K3s', () => {
    const platform = newPlatform({ delivery: 'k3s' });
    const juicefs = new JuiceFs(platform, {
      volume,
      namespace: 'kube-juicefs',
      replicas: 3,
      dashboard: true,
      storageClass: {
        name: 'rootfs',
        default: true,
        reclaimPolicy: 'Retain',
        mountOptions: ['cache-size=102400', 'cache-dir=/olares/jfscache'],
      },
      values: { node: { hostNetwork: true } },
    });
    const all = rendered(platform);
    const chart = find(all, 'HelmChart', 'juicefs-csi-driver');
    expect(chart.spec.targetNamespace).toBe('kube-juicefs');
    expect(chart.spec.valuesContent).toContain('replicas: 3');
    expect(chart.spec.valuesContent).toContain('hostNetwork: true');
    const cls = find(all, 'StorageClass', 'rootfs');
    expect(cls.metadata.annotations).toEqual({ 'storageclass.kubernetes.io/is-default-class': 'true' });
    expect(cls.reclaimPolicy).toBe('Retain');
    expect(cls.mountOptions).toEqual(['cache-size=102400', 'cache-dir=/olares/jfscache']);
    expect(cls.parameters['csi.storage.k8s.io/node-publish-secret-namespace']).toBe('kube-juicefs');
    expect(juicefs.storageClass.isDefault).toBe(true);
  });

  test('K3s delivery (one machine) runs one controller', () => {
    const platform = newPlatform({ delivery: 'k3s' });
    expect(new JuiceFs(platform, { volume }).replicas).toBe(1);
  });
});

describe('JuiceFs errors', () => {
  const line = (props: any) => {
    const error = problemOf(() => new JuiceFs(newPlatform(), props));
    expect(error.path).toBe('platform/storage/juicefs');
    return error.message;
  };

  test('volume missing', () => {
    expect(line({})).toContain(
      '  - volume: (not set) is required: the CSI driver reads the metadata engine URL and the object bucket of the file system from a Secret. Fix: pass SecretRef.fromConfig("<name>", ["name", "metaurl", "storage", "bucket", "access-key", "secret-key"]).',
    );
  });

  test("volume Secret without the driver's keys", () => {
    expect(line({ volume: SecretRef.fromConfig('jfs', ['metaurl', 'bucket']) })).toContain(
      '  - volume.keys: ["metaurl","bucket"] must include "name", "storage", "access-key", "secret-key".',
    );
  });

  test('replicas', () => {
    expect(line({ volume, replicas: 0 })).toContain('  - replicas: 0 must be a whole number ≥ 1.');
  });

  test('reclaim policy', () => {
    expect(line({ volume, storageClass: { reclaimPolicy: 'Recycle' } })).toContain(
      '  - storageClass.reclaimPolicy: "Recycle" must be one of "Delete", "Retain".',
    );
  });

  test('mount option', () => {
    expect(line({ volume, storageClass: { mountOptions: ['cache-size=1024,writeback'] } })).toContain(
      '  - storageClass.mountOptions: "cache-size=1024,writeback" is not a mount option ("flag" or "flag=value", without spaces or commas). Fix: write it like "cache-size=102400".',
    );
  });

  test('class name', () => {
    expect(line({ volume, storageClass: { name: 'JuiceFS' } })).toContain(
      '  - storageClass.name: "JuiceFS" must be a StorageClass name (a DNS-1123 subdomain).',
    );
  });

  test('a second default class names the first, across components', () => {
    const platform = newPlatform();
    new Linstor(platform, { replicatedClass: { default: true } });
    const error = problemOf(() => new JuiceFs(platform, { volume, storageClass: { default: true } }));
    expect(error.message).toContain(
      '  - storageClass.default: true would make "juicefs" a second default StorageClass beside "replicated" of platform/storage/linstor (replicatedClass); Kubernetes then picks the newest one for claims without a class. Fix: set default on only one of "juicefs" and "replicated".',
    );
  });

  test('a class name another component already uses', () => {
    const platform = newPlatform();
    new Linstor(platform);
    expect(problemOf(() => new JuiceFs(platform, { volume, storageClass: { name: 'local' } })).message).toContain(
      '  - storageClass.name: "local" is already the StorageClass declared by platform/storage/linstor (localClass). Fix: give one of the classes another name.',
    );
  });
});
