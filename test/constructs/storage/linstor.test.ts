import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CertManager } from '../../../constructs/platform/cert-manager';
import { Linstor } from '../../../constructs/storage/linstor';
import { versions } from '../../../lib/versions';
import { find, newPlatform } from '../../helpers';
import { dependsOn, rendered } from './storage-helpers';

describe('Linstor defaults (Cozystack)', () => {
  const platform = newPlatform();
  const linstor = new Linstor(platform);
  const all = rendered(platform);

  test('the Piraeus operator chart 2.10.2 from its OCI registry, with its CRDs, in a privileged namespace', () => {
    expect(find(all, 'OCIRepository', 'piraeus-operator').spec).toMatchObject({
      url: 'oci://ghcr.io/piraeusdatastore/piraeus-operator/piraeus',
      ref: { tag: '2.10.2' },
    });
    const release = find(all, 'HelmRelease', 'piraeus-operator');
    expect(release.metadata.namespace).toBe('piraeus-datastore');
    expect(release.spec.values).toEqual({ installCRDs: true });
    expect(release.spec.dependsOn).toEqual([{ name: 'cert-manager', namespace: 'cert-manager' }]);
    expect(find(all, 'Namespace', 'piraeus-datastore').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(linstor.version).toBe(versions.piraeusOperator.chart.version);
    expect(linstor.namespace).toBe('piraeus-datastore');
  });

  test("a cluster-scoped LinstorCluster with cert-manager TLS and Cozystack's DRBD network options", () => {
    const cluster = find(all, 'LinstorCluster', 'linstorcluster');
    expect(cluster.metadata.namespace).toBeUndefined();
    expect(cluster.spec).toEqual({
      internalTLS: { certManager: { name: 'linstor-internal-ca', kind: 'Issuer' } },
      apiTLS: { certManager: { name: 'linstor-api-ca', kind: 'Issuer' } },
      properties: [
        { name: 'DrbdOptions/Net/verify-alg', value: 'crc32c' },
        { name: 'DrbdOptions/Net/connect-int', value: '15' },
        { name: 'DrbdOptions/Net/ping-int', value: '15' },
        { name: 'DrbdOptions/Net/ping-timeout', value: '20' },
        { name: 'DrbdOptions/Net/timeout', value: '100' },
      ],
    });
    expect(linstor.linstorCluster).toBeInstanceOf(ApiObject);
  });

  test('satellites on the host network with the internal TLS issuer; no Talos patch, no pools', () => {
    const satellites = all.filter((m) => m.kind === 'LinstorSatelliteConfiguration');
    expect(satellites.map((m) => m.metadata.name)).toEqual(['kubestrata-satellites']);
    expect(satellites[0].spec).toEqual({
      internalTLS: { certManager: { name: 'linstor-internal-ca', kind: 'Issuer' } },
      podTemplate: { spec: { hostNetwork: true } },
    });
    expect(satellites[0].metadata.namespace).toBeUndefined();
  });

  test('a self-signed bootstrap issuer and two CA issuers in the operator namespace', () => {
    const certs = all.filter((m) => m.apiVersion === 'cert-manager.io/v1');
    expect(certs.map((m) => `${m.kind}/${m.metadata.namespace}/${m.metadata.name}`)).toEqual([
      'Issuer/piraeus-datastore/linstor-ca-bootstrapper',
      'Certificate/piraeus-datastore/linstor-internal-ca',
      'Issuer/piraeus-datastore/linstor-internal-ca',
      'Certificate/piraeus-datastore/linstor-api-ca',
      'Issuer/piraeus-datastore/linstor-api-ca',
    ]);
    expect(find(all, 'Certificate', 'linstor-api-ca').spec).toEqual({
      commonName: 'linstor-api-ca',
      secretName: 'linstor-api-ca',
      duration: '87600h',
      isCA: true,
      privateKey: { rotationPolicy: 'Never' },
      usages: ['signing', 'key encipherment', 'cert sign'],
      issuerRef: { name: 'linstor-ca-bootstrapper', kind: 'Issuer' },
    });
    expect(find(all, 'Issuer', 'linstor-internal-ca').spec).toEqual({ ca: { secretName: 'linstor-internal-ca' } });
  });

  test('the local class: one copy, storage layer only, bound where the pod runs', () => {
    const local = find(all, 'StorageClass', 'local');
    expect(local).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'local', labels: { 'app.kubernetes.io/managed-by': 'kubestrata' } },
      provisioner: 'linstor.csi.linbit.com',
      parameters: {
        'linstor.csi.linbit.com/storagePool': 'data',
        'linstor.csi.linbit.com/placementCount': '1',
        'linstor.csi.linbit.com/layerList': 'storage',
        'linstor.csi.linbit.com/allowRemoteVolumeAccess': 'false',
      },
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
  });

  test("the replicated class: three DRBD copies with Cozystack's quorum policy, not the default unless asked", () => {
    const replicated = find(all, 'StorageClass', 'replicated');
    expect(replicated.metadata.annotations).toBeUndefined();
    expect(replicated.volumeBindingMode).toBe('Immediate');
    expect(replicated.parameters).toEqual({
      'linstor.csi.linbit.com/storagePool': 'data',
      'linstor.csi.linbit.com/placementCount': '3',
      'linstor.csi.linbit.com/layerList': 'drbd storage',
      'linstor.csi.linbit.com/allowRemoteVolumeAccess': 'true',
      'property.linstor.csi.linbit.com/DrbdOptions/auto-quorum': 'suspend-io',
      'property.linstor.csi.linbit.com/DrbdOptions/Resource/on-no-data-accessible': 'suspend-io',
      'property.linstor.csi.linbit.com/DrbdOptions/Resource/on-suspended-primary-outdated': 'force-secondary',
      'property.linstor.csi.linbit.com/DrbdOptions/Net/rr-conflict': 'retry-connect',
    });
    expect(linstor.placementCount).toBe(3);
    expect(linstor.replicatedClass).toMatchObject({ name: 'replicated', isDefault: false, provider: linstor });
    expect(linstor.localClass).toMatchObject({ name: 'local', isDefault: false, provider: linstor });
  });

  test('documented defaults', () => {
    expect(linstor).toMatchObject({ talos: false, tls: true, hostNetwork: true, storagePools: [] });
    expect(linstor.nodeSelector).toBeUndefined();
  });
});

describe('Linstor ordering', () => {
  test('custom resources follow the operator release; StorageClasses too (its webhook validates them)', () => {
    const platform = newPlatform();
    new Linstor(platform, { storagePools: { data: { type: 'zfs' } } });
    for (const [kind, name] of [
      ['LinstorCluster', 'linstorcluster'],
      ['LinstorSatelliteConfiguration', 'storage-pool-data'],
      ['StorageClass', 'replicated'],
      ['StorageClass', 'local'],
    ]) {
      expect(dependsOn(platform, kind, name)).toEqual(
        expect.arrayContaining(['HelmRelease/piraeus-datastore/piraeus-operator', 'OCIRepository/piraeus-datastore/piraeus-operator']),
      );
    }
    expect(dependsOn(platform, 'LinstorCluster', 'linstorcluster')).toEqual(
      expect.arrayContaining(['Issuer/piraeus-datastore/linstor-internal-ca', 'Issuer/piraeus-datastore/linstor-api-ca']),
    );
    expect(dependsOn(platform, 'Certificate', 'linstor-internal-ca')).toEqual(
      expect.arrayContaining(['HelmRelease/cert-manager/cert-manager', 'Issuer/piraeus-datastore/linstor-ca-bootstrapper']),
    );
  });

  test('the deployment waits for the LinstorCluster to report Available', () => {
    const platform = newPlatform();
    const linstor = new Linstor(platform);
    expect(platform.readiness.conditions).toEqual([{ object: linstor.linstorCluster, condition: 'Available', timeout: undefined }]);
  });

  test('a consumer of a class follows the whole component, up to the LinstorCluster', () => {
    const platform = newPlatform();
    const linstor = new Linstor(platform);
    const app = new Construct(platform.layer('data'), 'app');
    const claim = new ApiObject(app, 'claim', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'default' },
      spec: {
        storageClassName: linstor.replicatedClass!.use(app),
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
      },
    });
    expect(claim.toJson().spec.storageClassName).toBe('replicated');
    expect(dependsOn(platform, 'PersistentVolumeClaim', 'data')).toEqual(
      expect.arrayContaining([
        'LinstorCluster/linstorcluster',
        'StorageClass/replicated',
        'HelmRelease/piraeus-datastore/piraeus-operator',
      ]),
    );
  });

  test('with tls: false cert-manager is not required and nothing refers to an issuer', () => {
    const platform = newPlatform();
    new Linstor(platform, { tls: false });
    const all = rendered(platform);
    expect(platform.registry.find(CertManager)).toBeUndefined();
    expect(all.filter((m) => m.apiVersion === 'cert-manager.io/v1')).toEqual([]);
    expect(find(all, 'LinstorCluster', 'linstorcluster').spec.internalTLS).toBeUndefined();
    expect(find(all, 'HelmRelease', 'piraeus-operator').spec.dependsOn).toBeUndefined();
  });
});

describe('Linstor options', () => {
  const platform = newPlatform({ delivery: 'k3s' });
  const linstor = new Linstor(platform, {
    namespace: 'cozy-linstor',
    talos: true,
    hostNetwork: false,
    nodeSelector: { 'node-role.kubernetes.io/storage': '' },
    properties: { 'DrbdOptions/Net/max-buffers': '8000', 'DrbdOptions/Net/verify-alg': 'sha256' },
    values: { operator: { resources: { requests: { cpu: '50m' } } } },
    storagePools: {
      'data-zfs': {
        name: 'data',
        type: 'zfs',
        zpool: 'tank',
        devices: ['/dev/vdc'],
        nodeSelector: { 'storage.kubestrata.io/zfs': 'true' },
      },
      'data-lvm': {
        name: 'data',
        type: 'lvmThin',
        devices: ['/dev/vdd', '/dev/vde'],
        nodeSelector: { 'storage.kubestrata.io/lvm': 'true' },
      },
      fast: { type: 'lvm', volumeGroup: 'nvme' },
      sparse: { type: 'zfsThin' },
    },
    localClass: { name: 'linstor-local', storagePool: 'fast', reclaimPolicy: 'Retain' },
    replicatedClass: { placementCount: 2, default: true, drbdOptions: { 'Net/max-buffers': '10000', 'auto-quorum': 'io-error' } },
  });
  const all = rendered(platform);

  test('one LinstorSatelliteConfiguration per pool, on its nodes, creating it from the given devices', () => {
    expect(find(all, 'LinstorSatelliteConfiguration', 'storage-pool-data-zfs').spec).toEqual({
      nodeSelector: { 'storage.kubestrata.io/zfs': 'true' },
      storagePools: [{ name: 'data', zfsPool: { zPool: 'tank' }, source: { hostDevices: ['/dev/vdc'] } }],
    });
    expect(find(all, 'LinstorSatelliteConfiguration', 'storage-pool-data-lvm').spec.storagePools).toEqual([
      { name: 'data', lvmThinPool: { volumeGroup: 'data', thinPool: 'thinpool' }, source: { hostDevices: ['/dev/vdd', '/dev/vde'] } },
    ]);
    expect(find(all, 'LinstorSatelliteConfiguration', 'storage-pool-fast').spec).toEqual({
      storagePools: [{ name: 'fast', lvmPool: { volumeGroup: 'nvme' } }],
    });
    expect(find(all, 'LinstorSatelliteConfiguration', 'storage-pool-sparse').spec.storagePools).toEqual([
      { name: 'sparse', zfsThinPool: { zPool: 'sparse' } },
    ]);
  });

  test('Talos: the module loader and systemd mounts are deleted from the satellite DaemonSet, LVM dirs move to /var', () => {
    const talos = find(all, 'LinstorSatelliteConfiguration', 'kubestrata-talos');
    expect(talos.spec.patches).toHaveLength(1);
    expect(talos.spec.patches[0].target).toEqual({ group: 'apps', version: 'v1', kind: 'DaemonSet', name: 'linstor-satellite' });
    const patch: string = talos.spec.patches[0].patch;
    for (const removed of [
      'drbd-module-loader',
      'drbd-shutdown-guard',
      'run-systemd-system',
      'systemd-bus-socket',
      'lib-modules',
      'usr-src',
    ]) {
      expect(patch).toMatch(new RegExp(`- name: ${removed}\\n\\s+\\$patch: delete`));
    }
    expect(patch).toContain('path: /var/etc/lvm/backup');
    expect(patch).toContain('path: /var/etc/lvm/archive');
    expect(linstor.talos).toBe(true);
  });

  test("node selector, extra properties over Cozystack's, no host network", () => {
    const cluster = find(all, 'LinstorCluster', 'linstorcluster').spec;
    expect(cluster.nodeSelector).toEqual({ 'node-role.kubernetes.io/storage': '' });
    expect(cluster.properties).toContainEqual({ name: 'DrbdOptions/Net/max-buffers', value: '8000' });
    expect(cluster.properties).toContainEqual({ name: 'DrbdOptions/Net/verify-alg', value: 'sha256' });
    expect(cluster.properties.filter((p: any) => p.name === 'DrbdOptions/Net/verify-alg')).toHaveLength(1);
    expect(find(all, 'LinstorSatelliteConfiguration', 'kubestrata-satellites').spec.podTemplate).toBeUndefined();
  });

  test('classes: renamed local on another pool, replicated twice and default, DRBD options merged', () => {
    const local = find(all, 'StorageClass', 'linstor-local');
    expect(local.parameters['linstor.csi.linbit.com/storagePool']).toBe('fast');
    expect(local.reclaimPolicy).toBe('Retain');
    const replicated = find(all, 'StorageClass', 'replicated');
    expect(replicated.metadata.annotations).toEqual({ 'storageclass.kubernetes.io/is-default-class': 'true' });
    expect(replicated.parameters).toMatchObject({
      'linstor.csi.linbit.com/placementCount': '2',
      'property.linstor.csi.linbit.com/DrbdOptions/Net/max-buffers': '10000',
      'property.linstor.csi.linbit.com/DrbdOptions/auto-quorum': 'io-error',
    });
    expect(linstor.replicatedClass?.isDefault).toBe(true);
  });

  test('K3s delivery: a HelmChart of the OCI chart in kube-system, installing into the chosen namespace', () => {
    const chart = find(all, 'HelmChart', 'piraeus-operator');
    expect(chart.metadata.namespace).toBe('kube-system');
    expect(chart.spec).toMatchObject({
      chart: 'oci://ghcr.io/piraeusdatastore/piraeus-operator/piraeus',
      version: '2.10.2',
      targetNamespace: 'cozy-linstor',
    });
    expect(chart.spec.repo).toBeUndefined();
    expect(chart.spec.valuesContent).toContain('installCRDs: true');
    expect(chart.spec.valuesContent).toContain('cpu: 50m');
    expect(find(all, 'Issuer', 'linstor-api-ca').metadata.namespace).toBe('cozy-linstor');
  });

  test('classes can be left out', () => {
    const p = newPlatform();
    const l = new Linstor(p, { localClass: false, replicatedClass: false });
    expect(rendered(p).filter((m) => m.kind === 'StorageClass')).toEqual([]);
    expect(l.localClass).toBeUndefined();
    expect(l.replicatedClass).toBeUndefined();
    expect(l.placementCount).toBeUndefined();
  });
});
