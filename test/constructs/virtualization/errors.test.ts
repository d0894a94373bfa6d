import { Cdi, CdiProps } from '../../../constructs/virtualization/cdi';
import { KubeVirt, KubeVirtProps } from '../../../constructs/virtualization/kubevirt';
import { VirtualMachine, VirtualMachineProps } from '../../../constructs/virtualization/virtual-machine';
import { VmDisk, VmDiskProps } from '../../../constructs/virtualization/vm-disk';
import { VmImage, VmImageProps } from '../../../constructs/virtualization/vm-image';
import { Tenant } from '../../../constructs/platform/tenant';
import { SecretRef } from '../../../lib/core/secrets';
import { newPlatform } from '../../helpers';
import { CDI_CHART, KUBEVIRT_CHART, messageOf, virtualizationPlatform } from './fixtures';

const UBUNTU = 'docker://quay.io/containerdisks/ubuntu:24.04';
/** Props as JSON or YAML could give them, in a combination the compiler refuses. */
const untyped = (props: object): never => props as never;

function kubevirtError(props: Omit<KubeVirtProps, 'chart'>, platformProps = {}): string {
  return messageOf(() => new KubeVirt(newPlatform(platformProps), { chart: KUBEVIRT_CHART, ...props }));
}

function cdiError(props: Omit<CdiProps, 'chart'>): string {
  return messageOf(() => new Cdi(newPlatform(), { chart: CDI_CHART, ...props }));
}

function diskError(props: VmDiskProps, id = 'root'): string {
  const { tenant } = virtualizationPlatform();
  return messageOf(() => new VmDisk(tenant, id, props));
}

function imageError(props: VmImageProps, id = 'ubuntu'): string {
  const { tenant } = virtualizationPlatform();
  return messageOf(() => new VmImage(tenant, id, props));
}

function vmError(
  props: (disk: VmDisk, tenant: Tenant) => VirtualMachineProps,
  id = 'web',
  podSecurity: 'baseline' | 'restricted' = 'baseline',
): string {
  const { tenant } = virtualizationPlatform({ tenant: { podSecurity } });
  const disk = new VmDisk(tenant, 'root', { blank: true });
  return messageOf(() => new VirtualMachine(tenant, id, props(disk, tenant)));
}

describe('operator charts', () => {
  test('KubeVirt without a chart names the release manifest the chart must package', () => {
    expect(messageOf(() => new KubeVirt(newPlatform()))).toBe(
      [
        '[platform/virtualization/kubevirt] 1 problem:',
        '  - chart: (not set) is required: KubeVirt publishes its operator as the release manifest kubevirt-operator.yaml, not as a Helm chart. ' +
          "Fix: pass { repository, chart, version } of a chart that packages kubevirt-operator.yaml of v1.8.4 without its Namespace, as Cozystack's packages/system does.",
      ].join('\n'),
    );
  });

  test('a VM in a platform without an explicit KubeVirt reports the same missing chart', () => {
    const platform = newPlatform();
    new Cdi(platform, { chart: CDI_CHART });
    const tenant = new Tenant(platform, 'acme', { podSecurity: 'baseline', quota: { cpu: '4', memory: '8Gi' } });
    const disk = new VmDisk(tenant, 'root', { blank: true });
    expect(messageOf(() => new VirtualMachine(tenant, 'web', { disks: [disk] }))).toContain(
      '[platform/virtualization/kubevirt] 1 problem:\n  - chart: (not set) is required: KubeVirt publishes',
    );
  });

  test('Cdi without a chart', () => {
    expect(messageOf(() => new Cdi(newPlatform()))).toContain(
      '[platform/virtualization/cdi] 1 problem:\n  - chart: (not set) is required: CDI publishes its operator as the release manifest cdi-operator.yaml',
    );
  });

  test('a version that is not an exact release', () => {
    expect(messageOf(() => new KubeVirt(newPlatform(), { chart: KUBEVIRT_CHART, version: 'v1.8' }))).toContain(
      '  - version: "v1.8" must be an exact release such as "1.8.4" (without "v").',
    );
  });
});

const KUBEVIRT_CASES: ReadonlyArray<[string, Omit<KubeVirtProps, 'chart'>, string]> = [
  [
    'feature gate not PascalCase',
    { featureGates: ['hotplug-volumes'] },
    'featureGates: "hotplug-volumes" must be a feature gate name in PascalCase such as "HotplugVolumes".',
  ],
  [
    'gate both enabled and disabled',
    { disabledFeatureGates: ['GPU'] },
    'disabledFeatureGates: "GPU" is also in featureGates; KubeVirt refuses a CR that names a gate in both lists. Fix: remove it from one of them.',
  ],
  [
    'fractional allocation ratio',
    { cpuAllocationRatio: 2.5 },
    'cpuAllocationRatio: 2.5 must be a whole number ≥ 1 (KubeVirt takes an integer).',
  ],
  [
    'unknown eviction strategy',
    { evictionStrategy: 'Migrate' as any },
    'evictionStrategy: "Migrate" must be one of "LiveMigrate", "LiveMigrateIfPossible", "External", "None".',
  ],
  [
    'unknown update method',
    { workloadUpdateMethods: ['Shutdown' as any] },
    'workloadUpdateMethods[0]: "Shutdown" must be one of "LiveMigrate", "Evict".',
  ],
  [
    'unknown uninstall strategy',
    { uninstallStrategy: 'Force' as any },
    'uninstallStrategy: "Force" must be one of "BlockUninstallIfWorkloadsExist", "RemoveWorkloads".',
  ],
  [
    'bandwidth not a quantity',
    { migrations: { bandwidthPerMigration: '64MB/s' } },
    'migrations.bandwidthPerMigration: "64MB/s" must be a positive Kubernetes quantity. Fix: write it like "64Mi".',
  ],
  [
    'parallel migrations zero',
    { migrations: { parallelMigrationsPerCluster: 0 } },
    'migrations.parallelMigrationsPerCluster: 0 must be a whole number ≥ 1.',
  ],
  [
    'migration network not a name',
    { migrations: { network: 'Migration Net' } },
    'migrations.network: "Migration Net" must be the name of a NetworkAttachmentDefinition in the KubeVirt namespace.',
  ],
  [
    'handler memory not a quantity',
    { handlerResources: { memoryLimit: '2GB' } },
    'handlerResources.memoryLimit: "2GB" must be a positive Kubernetes quantity. Fix: write it like "2Gi".',
  ],
  [
    'PCI selector',
    { pciHostDevices: [{ pciVendorSelector: 'nvidia', resourceName: 'nvidia.com/A100' }] },
    'pciHostDevices[0].pciVendorSelector: "nvidia" must be "vendor:device" in hex, e.g. "10DE:2335".',
  ],
  [
    'PCI resource name',
    { pciHostDevices: [{ pciVendorSelector: '10DE:2335', resourceName: 'A100' }] },
    'pciHostDevices[0].resourceName: "A100" must be an extended resource name such as "nvidia.com/A100".',
  ],
  [
    'mdev selector empty',
    { mediatedDevices: [{ mdevNameSelector: ' ', resourceName: 'nvidia.com/L40S-24Q' }] },
    'mediatedDevices[0].mdevNameSelector: " " must name an mdev type such as "NVIDIA L40S-24Q".',
  ],
  [
    'mdev resource name',
    { mediatedDevices: [{ mdevNameSelector: 'NVIDIA L40S-24Q', resourceName: 'L40S' }] },
    'mediatedDevices[0].resourceName: "L40S" must be an extended resource name such as "nvidia.com/L40S-24Q".',
  ],
];

describe('KubeVirt errors', () => {
  test.each(KUBEVIRT_CASES)('%s', (_, props, line) => {
    const message = kubevirtError(props);
    expect(message.split('\n')[0]).toBe('[platform/virtualization/kubevirt] 1 problem:');
    expect(message).toContain(`  - ${line}`);
  });

  test('a fractional platform CPU ratio names the platform setting as the fix', () => {
    expect(kubevirtError({}, { allocationRatio: { cpu: 1.5 } })).toContain(
      '  - cpuAllocationRatio: 1.5 must be a whole number ≥ 1 (KubeVirt takes an integer). Fix: set cpuAllocationRatio, or a whole platform allocationRatio.cpu.',
    );
  });

  test('every problem is reported at once', () => {
    expect(kubevirtError({ evictionStrategy: 'x' as any, uninstallStrategy: 'y' as any })).toMatch(
      /^\[platform\/virtualization\/kubevirt\] 2 problems:/,
    );
  });
});

const CDI_CASES: ReadonlyArray<[string, Omit<CdiProps, 'chart'>, string]> = [
  [
    'feature gate',
    { featureGates: ['honor wait'] },
    'featureGates: "honor wait" must be a feature gate name in PascalCase such as "HonorWaitForFirstConsumer".',
  ],
  ['clone strategy', { cloneStrategy: 'rsync' as any }, 'cloneStrategy: "rsync" must be one of "copy", "snapshot", "csi-clone".'],
  [
    'pod resource quantity',
    { podResources: { cpuLimit: 'lots' } },
    'podResources.cpuLimit: "lots" must be a positive Kubernetes quantity. Fix: write it like "750m".',
  ],
  [
    'request above limit',
    { podResources: { memoryRequest: '1G' } },
    'podResources.memoryRequest: "1G" exceeds podResources.memoryLimit (600M); Kubernetes rejects such pods.',
  ],
  [
    'upload proxy not https',
    { uploadProxyUrl: 'http://cdi.example.com' },
    'uploadProxyUrl: "http://cdi.example.com" must be an https:// URL. Fix: write it like "https://cdi-uploadproxy.example.com".',
  ],
  ['scratch class', { scratchSpaceStorageClass: 'Fast_SSD' }, 'scratchSpaceStorageClass: "Fast_SSD" must be a StorageClass name.'],
  [
    'uninstall strategy',
    { uninstallStrategy: 'Force' as any },
    'uninstallStrategy: "Force" must be one of "BlockUninstallIfWorkloadsExist", "RemoveWorkloads".',
  ],
];

describe('Cdi errors', () => {
  test.each(CDI_CASES)('%s', (_, props, line) => {
    const message = cdiError(props);
    expect(message.split('\n')[0]).toBe('[platform/virtualization/cdi] 1 problem:');
    expect(message).toContain(`  - ${line}`);
  });
});

const creds = (keys: string[]) => SecretRef.fromConfig('mirror', keys);

const DISK_CASES: ReadonlyArray<[string, VmDiskProps, string]> = [
  [
    'no source',
    untyped({}),
    'http | registry | blank | clone: (not set) is required: a disk needs exactly one source. Fix: give one of http, registry, blank: true or clone.',
  ],
  [
    'two sources',
    untyped({ blank: true, http: { url: 'https://example.com/a.img' } }),
    'http + blank: ["http","blank"] are all set; a disk has exactly one source.',
  ],
  [
    'http URL',
    { http: { url: 'ftp://example.com/a.img' } },
    'http.url: "ftp://example.com/a.img" must be an https:// URL of an image file.',
  ],
  [
    'plain http without opt-out',
    { http: { url: 'http://mirror.local/a.img' } },
    'http.url: "http://mirror.local/a.img" is plain http: anyone on the path can replace the image. Fix: use https://, or set http.allowPlainHttp: true.',
  ],
  [
    'http credentials keys',
    { http: { url: 'https://example.com/a.img', credentials: creds(['user', 'password']) } },
    'http.credentials.keys: ["user","password"] must include "accessKeyId", "secretKey".',
  ],
  [
    'cert ConfigMap name',
    { http: { url: 'https://example.com/a.img', certConfigMap: 'My CA' } },
    'http.certConfigMap: "My CA" must be a ConfigMap name.',
  ],
  [
    'registry URL',
    { registry: { url: 'quay.io/containerdisks/ubuntu:24.04' } },
    'registry.url: "quay.io/containerdisks/ubuntu:24.04" must be docker://<registry>/<image> with a tag or a sha256 digest (never "latest"). Fix: write it like "docker://quay.io/containerdisks/ubuntu:24.04".',
  ],
  [
    'registry latest tag',
    { registry: { url: 'docker://quay.io/containerdisks/ubuntu:latest' } },
    'registry.url: "docker://quay.io/containerdisks/ubuntu:latest" uses the "latest" tag, so the disk would change with every import. Fix: pin a version tag or a digest.',
  ],
  [
    'pull method',
    { registry: { url: UBUNTU, pullMethod: 'kubelet' as any } },
    'registry.pullMethod: "kubelet" must be one of "pod", "node".',
  ],
  [
    'credentials with node pull',
    { registry: { url: UBUNTU, pullMethod: 'node', credentials: creds(['accessKeyId', 'secretKey']) } },
    'registry.credentials: "mirror" only apply with pullMethod "pod"; with "node" the container runtime uses the node\'s credentials. Fix: set pullMethod: "pod".',
  ],
  [
    'clone of nothing',
    { clone: untyped({}) },
    'clone.(image | dataSource | pvc): (not set) must name exactly one volume to copy. Fix: give one of clone.image, clone.dataSource or clone.pvc.',
  ],
  [
    'clone of two',
    { clone: untyped({ pvc: 'a', dataSource: 'b' }) },
    'clone.dataSource + pvc: ["dataSource","pvc"] must name exactly one volume to copy.',
  ],
  [
    'clone image not a VmImage',
    { clone: { image: { dataSourceName: 'x' } as any } },
    'clone.image: {"dataSourceName":"x"} must be a VmImage.',
  ],
  [
    'clone DataSource name',
    { clone: { dataSource: 'Ubuntu 24' } },
    'clone.dataSource: "Ubuntu 24" must be the name of a DataSource in the tenant namespace.',
  ],
  [
    'clone PVC name',
    { clone: { pvc: 'Data_1' } },
    'clone.pvc: "Data_1" must be the name of a PersistentVolumeClaim in the tenant namespace.',
  ],
  ['clone of itself', { clone: { pvc: 'root' } }, 'clone.pvc: "root" is this disk itself.'],
  ['size', { blank: true, size: '10GB' }, 'size: "10GB" must be a positive Kubernetes quantity. Fix: write it like "10Gi".'],
  ['storage class', { blank: true, storageClass: 'Local SSD' }, 'storageClass: "Local SSD" must be a StorageClass name.'],
  [
    'access mode',
    { blank: true, accessMode: 'ReadOnlyMany' as any },
    'accessMode: "ReadOnlyMany" must be one of "ReadWriteOnce", "ReadWriteMany".',
  ],
  ['volume mode', { blank: true, volumeMode: 'Raw' as any }, 'volumeMode: "Raw" must be one of "Block", "Filesystem".'],
];

describe('VmDisk errors', () => {
  test.each(DISK_CASES)('%s', (_, props, line) => {
    const message = diskError(props);
    expect(message.split('\n')[0]).toBe('[platform/acme/root] 1 problem:');
    expect(message).toContain(`  - ${line}`);
  });

  test('an id that is not a DNS label', () => {
    expect(diskError({ blank: true }, 'Root_Disk')).toContain('  - id: "Root_Disk" must be a DNS-1123 label');
  });

  test('a clone of a golden image in another tenant', () => {
    const { platform, tenant } = virtualizationPlatform();
    const image = new VmImage(new Tenant(platform, 'other', { podSecurity: 'baseline' }), 'ubuntu', { registry: { url: UBUNTU } });
    expect(messageOf(() => new VmDisk(tenant, 'root', { clone: { image } }))).toContain(
      '  - clone.image: "platform/other/ubuntu" is in namespace tenant-other; a disk clones only from its own tenant (tenant-acme), where no extra RBAC is needed. Fix: create the VmImage in the same tenant.',
    );
  });
});

const IMAGE_CASES: ReadonlyArray<[string, VmImageProps, string]> = [
  [
    'no source',
    untyped({}),
    'http | registry: (not set) is required: a golden image needs a source to import. Fix: give either http or registry.',
  ],
  [
    'two sources',
    untyped({ http: { url: 'https://example.com/a.img' }, registry: { url: UBUNTU } }),
    'http + registry: ["http","registry"] are both set; an image has exactly one source.',
  ],
  ['size', { registry: { url: UBUNTU }, size: 'big' }, 'size: "big" must be a positive Kubernetes quantity. Fix: write it like "20Gi".'],
  ['storage class', { registry: { url: UBUNTU }, storageClass: 'A B' }, 'storageClass: "A B" must be a StorageClass name.'],
  [
    'refresh of an http image',
    untyped({ http: { url: 'https://example.com/a.img' }, refresh: { schedule: '0 3 * * *' } }),
    'refresh: "0 3 * * *" needs a registry source: CDI re-imports when the image digest changes, which only a registry has. Fix: import from registry, or remove refresh.',
  ],
  [
    'refresh schedule',
    { registry: { url: UBUNTU }, refresh: { schedule: '@weekly sunday' } },
    'refresh.schedule: "@weekly sunday" must be a five-field cron expression. Fix: write it like "0 3 * * 1" (Mondays at 03:00).',
  ],
  [
    'imports to keep',
    { registry: { url: UBUNTU }, refresh: { schedule: '0 3 * * 1', importsToKeep: 0 } },
    'refresh.importsToKeep: 0 must be a whole number ≥ 1.',
  ],
];

describe('VmImage errors', () => {
  test.each(IMAGE_CASES)('%s', (_, props, line) => {
    const message = imageError(props);
    expect(message.split('\n')[0]).toBe('[platform/acme/ubuntu] 1 problem:');
    expect(message).toContain(`  - ${line}`);
  });

  test('an id that is not a DNS label', () => {
    expect(imageError({ registry: { url: UBUNTU } }, 'Ubuntu.24')).toContain('  - id: "Ubuntu.24" must be a DNS-1123 label');
  });
});

const VM_CASES: ReadonlyArray<[string, (disk: VmDisk, tenant: Tenant) => VirtualMachineProps, string]> = [
  [
    'instancetype and resources',
    (d) => ({ disks: [d], instancetype: 'u1.large', resources: { cpu: 2, memory: '4Gi' } }),
    'instancetype: "u1.large" cannot be combined with resources: KubeVirt rejects a VM whose instancetype and domain both set CPU and memory. Fix: remove instancetype or resources.',
  ],
  [
    'instancetype name',
    (d) => ({ disks: [d], instancetype: 'U1 Medium' }),
    'instancetype: "U1 Medium" must be the name of a VirtualMachineClusterInstancetype such as "u1.medium".',
  ],
  [
    'preference name',
    (d) => ({ disks: [d], preference: 'Ubuntu!' }),
    'preference: "Ubuntu!" must be the name of a VirtualMachineClusterPreference such as "ubuntu".',
  ],
  [
    'cpu not whole',
    (d) => ({ disks: [d], resources: { cpu: 1.5, memory: '4Gi' } }),
    'resources.cpu: 1.5 must be a whole number of vCPUs ≥ 1.',
  ],
  [
    'sockets zero',
    (d) => ({ disks: [d], resources: { cpu: 2, memory: '4Gi', sockets: 0 } }),
    'resources.sockets: 0 must be a whole number ≥ 1.',
  ],
  [
    'memory',
    (d) => ({ disks: [d], resources: { cpu: 2, memory: '4GB' } }),
    'resources.memory: "4GB" must be a positive Kubernetes quantity. Fix: write it like "4Gi".',
  ],
  ['no disks', () => ({ disks: [] }), 'disks: [] must list at least one disk to boot from. Fix: create a VmDisk and pass disks: [disk].'],
  ['not a disk', () => ({ disks: [{ disk: { diskName: 'x' } as any }] }), 'disks[0].disk: {"diskName":"x"} must be a VmDisk.'],
  ['disk twice', (d) => ({ disks: [d, d] }), 'disks[1]: "root" is attached twice.'],
  ['bus', (d) => ({ disks: [{ disk: d, bus: 'ide' as any }] }), 'disks[0].bus: "ide" must be one of "virtio", "sata", "scsi".'],
  [
    'CD-ROM on virtio',
    (_, t) => ({ disks: [{ disk: new VmDisk(t, 'iso', { http: { url: 'https://example.com/a.iso' }, optical: true }), bus: 'virtio' }] }),
    'disks[0].bus: "virtio" cannot carry a CD-ROM; an optical disk is attached on sata or scsi.',
  ],
  [
    'disk named like the cloud-init disk',
    (_, t) => ({ disks: [new VmDisk(t, 'cloudinitdisk', { blank: true })] }),
    'disks[0]: "cloudinitdisk" is a name the VM uses for its own devices (default, cloudinitdisk). Fix: give the VmDisk another id.',
  ],
  [
    'cloud-init Secret keys',
    (d) => ({ disks: [d], cloudInit: SecretRef.existing('init', ['user-data']) }),
    'cloudInit.keys: ["user-data"] must include "userdata".',
  ],
  [
    'subnet name',
    (d) => ({ disks: [d], subnets: ['Private Net'] }),
    'subnets[0]: "Private Net" must be the name of a NetworkAttachmentDefinition in the tenant namespace (a DNS-1123 label other than "default").',
  ],
  [
    'subnet twice',
    (d) => ({ disks: [d], subnets: ['private', 'private'] }),
    'subnets[1]: "private" is listed twice; a VM has one NIC per subnet.',
  ],
  ['subnets not a list', (d) => ({ disks: [d], subnets: 'private' as any }), 'subnets: "private" must be a list.'],
  [
    'run strategy',
    (d) => ({ disks: [d], runStrategy: 'Running' as any }),
    'runStrategy: "Running" must be one of "Always", "Halted", "Manual", "RerunOnFailure", "Once".',
  ],
  [
    'ports without external',
    (d) => ({ disks: [d], externalPorts: [22] }),
    'externalPorts: [22] only applies with external: true. Fix: set external: true or remove externalPorts.',
  ],
  [
    'source ranges without external',
    (d) => ({ disks: [d], externalSourceRanges: ['10.0.0.0/8'] }),
    'externalSourceRanges: ["10.0.0.0/8"] only applies with external: true. Fix: set external: true or remove externalSourceRanges.',
  ],
  [
    'no external ports',
    (d) => ({ disks: [d], external: true, externalPorts: [] }),
    'externalPorts: [] must list at least one port to publish.',
  ],
  [
    'port out of range',
    (d) => ({ disks: [d], external: true, externalPorts: [70000] }),
    'externalPorts[0]: 70000 must be a TCP port between 1 and 65535.',
  ],
  ['port twice', (d) => ({ disks: [d], external: true, externalPorts: [22, 22] }), 'externalPorts[1]: 22 is listed twice.'],
  [
    'source range',
    (d) => ({ disks: [d], external: true, externalSourceRanges: ['office'] }),
    'externalSourceRanges[0]: "office" must be an IPv4 or IPv6 CIDR. Fix: write it like "203.0.113.0/24".',
  ],
];

describe('VirtualMachine errors', () => {
  test.each(VM_CASES)('%s', (_, props, line) => {
    const message = vmError(props);
    expect(message.split('\n')[0]).toBe('[platform/acme/web] 1 problem:');
    expect(message).toContain(`  - ${line}`);
  });

  test('an id too long for the name of its external Service', () => {
    expect(vmError((d) => ({ disks: [d] }), 'v'.repeat(55))).toContain(
      `  - id: "${'v'.repeat(55)}" must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 54 characters)`,
    );
  });

  test('a tenant whose Pod Security level virt-launcher cannot meet', () => {
    expect(vmError((d) => ({ disks: [d] }), 'web', 'restricted')).toContain(
      '  - tenant.podSecurity: "restricted" is "restricted", which virt-launcher pods do not meet (they add capabilities and run without a seccomp profile), so KubeVirt could not start the VM. Fix: create the tenant with podSecurity: "baseline".',
    );
  });

  test('a tenant without a cpu and memory quota, whose default container limits would reject virt-launcher', () => {
    const { tenant } = virtualizationPlatform({ tenant: { quota: { storage: '100Gi' } } });
    const disk = new VmDisk(tenant, 'root', { blank: true });
    expect(messageOf(() => new VirtualMachine(tenant, 'web', { disks: [disk] }))).toBe(
      [
        '[platform/acme/web] 1 problem:',
        '  - tenant.quota: {"requests.storage":"100Gi"} must limit cpu and memory: only then does KubeVirt set limits on virt-launcher pods itself; ' +
          "without them the tenant's default container limits (LimitRange) apply to the VM's compute container, whose requests exceed them, " +
          'and Kubernetes rejects the pod. Fix: create the tenant with quota: { cpu, memory }.',
      ].join('\n'),
    );
    const { tenant: bare } = virtualizationPlatform({ tenant: { quota: undefined } });
    const bareDisk = new VmDisk(bare, 'root', { blank: true });
    expect(messageOf(() => new VirtualMachine(bare, 'web', { disks: [bareDisk] }))).toContain(
      '  - tenant.quota: (not set) must limit cpu and memory',
    );
  });

  test('a disk of another tenant', () => {
    const { platform, tenant } = virtualizationPlatform();
    const foreign = new VmDisk(new Tenant(platform, 'other', { podSecurity: 'baseline' }), 'root', { blank: true });
    expect(messageOf(() => new VirtualMachine(tenant, 'web', { disks: [foreign] }))).toContain(
      '  - disks[0]: "platform/other/root" is in namespace tenant-other; a VM mounts only disks of its own tenant (tenant-acme).',
    );
  });
});
