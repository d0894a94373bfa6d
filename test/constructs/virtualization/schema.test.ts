import { Cdi } from '../../../constructs/virtualization/cdi';
import { KubeVirt, KUBEVIRT_DEFAULT_FEATURE_GATES } from '../../../constructs/virtualization/kubevirt';
import { VirtualMachine } from '../../../constructs/virtualization/virtual-machine';
import { VmDisk } from '../../../constructs/virtualization/vm-disk';
import { VmImage } from '../../../constructs/virtualization/vm-image';
import { Hami } from '../../../constructs/platform/hami';
import { Tenant } from '../../../constructs/platform/tenant';
import { DeliveryKind } from '../../../lib/core/platform';
import { SecretRef } from '../../../lib/core/secrets';
import { SchemaRegistry } from '../../../lib/validate';
import { manifests, newPlatform, SCHEMAS_DIR } from '../../helpers';
import { CDI_CHART, KUBEVIRT_CHART } from './fixtures';

/** A platform that sets every option of the virtualization constructs. */
function everything(delivery: DeliveryKind): any[] {
  const platform = newPlatform({ delivery, storageClass: 'replicated' });
  new KubeVirt(platform, {
    chart: KUBEVIRT_CHART,
    namespace: 'kubevirt',
    values: { replicas: 2 },
    useEmulation: true,
    featureGates: [...KUBEVIRT_DEFAULT_FEATURE_GATES, 'HostDevices', 'Snapshot'],
    disabledFeatureGates: ['ImageVolume'],
    cpuAllocationRatio: 8,
    evictionStrategy: 'LiveMigrate',
    workloadUpdateMethods: ['LiveMigrate', 'Evict'],
    migrations: {
      bandwidthPerMigration: '64Mi',
      parallelMigrationsPerCluster: 5,
      parallelOutboundMigrationsPerNode: 2,
      completionTimeoutPerGiB: 800,
      progressTimeout: 150,
      allowAutoConverge: true,
      allowPostCopy: false,
      network: 'migration',
      disableTls: false,
    },
    commonInstancetypes: false,
    serialConsoleLog: true,
    handlerResources: { cpuRequest: '200m', memoryRequest: '256Mi', memoryLimit: '4Gi' },
    pciHostDevices: [{ pciVendorSelector: '10DE:2335', resourceName: 'nvidia.com/GH100_H200_SXM_141GB', externalResourceProvider: true }],
    mediatedDevices: [{ mdevNameSelector: 'NVIDIA L40S-24Q', resourceName: 'nvidia.com/L40S-24Q', externalResourceProvider: true }],
    uninstallStrategy: 'RemoveWorkloads',
  });
  new Cdi(platform, {
    chart: CDI_CHART,
    namespace: 'cdi',
    values: {},
    featureGates: ['HonorWaitForFirstConsumer', 'ExpandDisks'],
    cloneStrategy: 'csi-clone',
    podResources: { cpuRequest: '200m', memoryRequest: '100M', cpuLimit: '1', memoryLimit: '1G' },
    uploadProxyUrl: 'https://cdi-uploadproxy.example.com',
    scratchSpaceStorageClass: 'local',
    uninstallStrategy: 'RemoveWorkloads',
  });
  new Hami(platform);
  const tenant = new Tenant(platform, 'acme', { podSecurity: 'baseline', quota: { cpu: '32', memory: '128Gi', storage: '1Ti' } });
  const mirror = SecretRef.fromConfig('mirror', ['accessKeyId', 'secretKey']);
  const ubuntu = new VmImage(tenant, 'ubuntu', {
    registry: { url: 'docker://quay.io/containerdisks/ubuntu:24.04', pullMethod: 'node' },
    refresh: { schedule: '0 3 * * 1', importsToKeep: 2 },
    size: '10Gi',
    storageClass: 'replicated',
  });
  const debian = new VmImage(tenant, 'debian', {
    http: { url: 'https://mirror.example.com/debian-13.qcow2', credentials: mirror, certConfigMap: 'mirror-ca' },
  });
  const root = new VmDisk(tenant, 'root', {
    clone: { image: ubuntu },
    size: '30Gi',
    storageClass: 'replicated',
    accessMode: 'ReadWriteMany',
    volumeMode: 'Block',
  });
  const data = new VmDisk(tenant, 'data', { blank: true, size: '100Gi', volumeMode: 'Filesystem', accessMode: 'ReadWriteOnce' });
  const iso = new VmDisk(tenant, 'installer', {
    http: { url: 'http://mirror.local/installer.iso', allowPlainHttp: true },
    optical: true,
    size: '2Gi',
  });
  const fedora = new VmDisk(tenant, 'fedora', {
    registry: {
      url: 'docker://quay.io/containerdisks/fedora@sha256:' + 'a'.repeat(64),
      credentials: SecretRef.fromConfig('quay', ['accessKeyId', 'secretKey']),
    },
  });
  const copy = new VmDisk(tenant, 'copy', { clone: { pvc: 'data' } });
  const deb = new VmDisk(tenant, 'deb', { clone: { image: debian } });
  const source = new VmDisk(tenant, 'from-source', { clone: { dataSource: 'centos-stream10' }, size: '20Gi' });
  new VirtualMachine(tenant, 'web', {
    instancetype: 'u1.large',
    preference: 'ubuntu',
    disks: [root, { disk: data, bus: 'scsi' }, { disk: iso, bus: 'sata' }],
    cloudInit: SecretRef.fromConfig('web-cloud-init', ['userdata', 'networkdata']),
    subnets: ['private'],
    runStrategy: 'RerunOnFailure',
    external: true,
    externalPorts: [22, 443],
    externalSourceRanges: ['203.0.113.0/24', '2001:db8::/32'],
    internetAccess: true,
  });
  new VirtualMachine(tenant, 'db', {
    resources: { cpu: 4, memory: '8Gi', sockets: 2 },
    disks: [fedora, copy, deb, source],
    runStrategy: 'Halted',
    internetAccess: false,
  });
  return manifests(platform);
}

describe('virtualization manifests against the upstream schemas', () => {
  const registry = SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: '1.32.0' });

  test.each(['flux', 'k3s'] as const)('every option under %s delivery validates with zero issues', (delivery) => {
    const all = everything(delivery);
    const kinds = new Set(all.map((m) => `${m.apiVersion}/${m.kind}`));
    for (const kind of [
      'kubevirt.io/v1/KubeVirt',
      'cdi.kubevirt.io/v1beta1/CDI',
      'kubevirt.io/v1/VirtualMachine',
      'cdi.kubevirt.io/v1beta1/DataVolume',
      'cdi.kubevirt.io/v1beta1/DataSource',
      'cdi.kubevirt.io/v1beta1/DataImportCron',
      'v1/Service',
      'networking.k8s.io/v1/NetworkPolicy',
    ]) {
      expect(kinds).toContain(kind);
    }
    expect(all.flatMap((m) => registry.validate(m))).toEqual([]);
  });

  test('the validator catches a field the KubeVirt API does not have', () => {
    const vm = everything('flux').find((m) => m.kind === 'VirtualMachine');
    vm.spec.template.spec.domain.devices.interfaces[0].portForward = true;
    expect(registry.validate(vm)).toEqual([expect.objectContaining({ message: 'unknown field "portForward"' })]);
  });
});
