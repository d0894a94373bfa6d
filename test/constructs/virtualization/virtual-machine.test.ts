import { KubeVirt } from '../../../constructs/virtualization/kubevirt';
import { VirtualMachine } from '../../../constructs/virtualization/virtual-machine';
import { VmDisk } from '../../../constructs/virtualization/vm-disk';
import { SecretRef } from '../../../lib/core/secrets';
import { find, manifests } from '../../helpers';
import { virtualizationPlatform } from './fixtures';

function setup() {
  const env = virtualizationPlatform();
  const root = new VmDisk(env.tenant, 'root', { registry: { url: 'docker://quay.io/containerdisks/ubuntu:24.04' }, size: '20Gi' });
  return { ...env, root };
}

describe('VirtualMachine', () => {
  test('defaults: u1.medium and the ubuntu preference as Cozystack, always running, the disk booted first on the pod network', () => {
    const { platform, tenant, root } = setup();
    const vm = new VirtualMachine(tenant, 'web', { disks: [root] });
    const all = manifests(platform);
    const manifest = find(all, 'VirtualMachine', 'web');
    expect(manifest.apiVersion).toBe('kubevirt.io/v1');
    expect(manifest.metadata.namespace).toBe('tenant-acme');
    expect(manifest.spec).toEqual({
      runStrategy: 'Always',
      instancetype: { kind: 'VirtualMachineClusterInstancetype', name: 'u1.medium' },
      preference: { kind: 'VirtualMachineClusterPreference', name: 'ubuntu' },
      template: {
        metadata: { labels: { 'kubevirt.io/vm': 'web', 'kubestrata.io/tenant': 'acme', 'kubestrata.io/allow-to-external': 'true' } },
        spec: {
          domain: { devices: { disks: [{ name: 'root', bootOrder: 1, disk: {} }], interfaces: [{ name: 'default', masquerade: {} }] } },
          networks: [{ name: 'default', pod: {} }],
          volumes: [{ name: 'root', dataVolume: { name: 'root' } }],
        },
      },
    });
    expect(all.filter((m) => m.kind === 'Service')).toEqual([]);
    expect(vm).toMatchObject({
      vmName: 'web',
      instancetype: 'u1.medium',
      preference: 'ubuntu',
      runStrategy: 'Always',
      external: false,
      internetAccess: true,
    });
  });

  test('explicit CPU and memory replace the instancetype; boot order follows the list; buses and CD-ROMs', () => {
    const { platform, tenant, root } = setup();
    const data = new VmDisk(tenant, 'data', { blank: true, size: '50Gi' });
    const iso = new VmDisk(tenant, 'installer', { http: { url: 'https://example.com/installer.iso' }, optical: true });
    new VirtualMachine(tenant, 'db', {
      resources: { cpu: 4, memory: '8Gi', sockets: 2 },
      preference: 'rhel.9',
      runStrategy: 'Manual',
      internetAccess: false,
      disks: [iso, { disk: root, bus: 'scsi' }, data],
    });
    const { spec } = find(manifests(platform), 'VirtualMachine', 'db');
    expect(spec.instancetype).toBeUndefined();
    expect(spec.preference).toEqual({ kind: 'VirtualMachineClusterPreference', name: 'rhel.9' });
    expect(spec.runStrategy).toBe('Manual');
    expect(spec.template.spec.domain.cpu).toEqual({ cores: 4, sockets: 2 });
    expect(spec.template.spec.domain.memory).toEqual({ guest: '8Gi' });
    expect(spec.template.spec.domain.devices.disks).toEqual([
      { name: 'installer', bootOrder: 1, cdrom: { bus: 'sata', readonly: true } },
      { name: 'root', bootOrder: 2, disk: { bus: 'scsi' } },
      { name: 'data', bootOrder: 3, disk: {} },
    ]);
    expect(spec.template.metadata.labels['kubestrata.io/allow-to-external']).toBeUndefined();
  });

  test('cloud-init user data and network data come from a Secret reference, never inline', () => {
    const { platform, tenant, root } = setup();
    const cloudInit = SecretRef.fromConfig('web-cloud-init', ['userdata', 'networkdata']);
    new VirtualMachine(tenant, 'web', { disks: [root], cloudInit });
    const { spec } = find(manifests(platform), 'VirtualMachine', 'web');
    expect(spec.template.spec.domain.devices.disks).toContainEqual({ name: 'cloudinitdisk', disk: { bus: 'virtio' } });
    expect(spec.template.spec.volumes).toContainEqual({
      name: 'cloudinitdisk',
      cloudInitNoCloud: { secretRef: { name: 'web-cloud-init' }, networkDataSecretRef: { name: 'web-cloud-init' } },
    });
    expect(JSON.stringify(spec)).not.toContain('userData"');
    expect(platform.secrets.all().map((s) => [s.namespace, s.ref.name, s.users])).toContainEqual([
      'tenant-acme',
      'web-cloud-init',
      ['platform/acme/web'],
    ]);
  });

  test('a NIC per Kube-OVN subnet through Multus with bridge binding, after the pod network', () => {
    const { platform, tenant, root } = setup();
    new VirtualMachine(tenant, 'router', { disks: [root], subnets: ['private', 'dmz'] });
    const { spec } = find(manifests(platform), 'VirtualMachine', 'router');
    expect(spec.template.spec.domain.devices.interfaces).toEqual([
      { name: 'default', masquerade: {} },
      { name: 'private', bridge: {} },
      { name: 'dmz', bridge: {} },
    ]);
    expect(spec.template.spec.networks).toEqual([
      { name: 'default', pod: {} },
      { name: 'private', multus: { networkName: 'private' } },
      { name: 'dmz', multus: { networkName: 'dmz' } },
    ]);
  });

  test('external SSH: a LoadBalancer on the VM selector and the policy that lets clients through, SSH only by default', () => {
    const { platform, tenant, root } = setup();
    const vm = new VirtualMachine(tenant, 'bastion', { disks: [root], external: true });
    const all = manifests(platform);
    const service = find(all, 'Service', 'bastion-external');
    expect(service.metadata.namespace).toBe('tenant-acme');
    expect(service.spec).toEqual({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      selector: { 'kubevirt.io/vm': 'bastion' },
      ports: [{ name: 'tcp-22', protocol: 'TCP', port: 22, targetPort: 22 }],
    });
    expect(find(all, 'NetworkPolicy', 'bastion-external').spec).toEqual({
      podSelector: { matchLabels: { 'kubevirt.io/vm': 'bastion' } },
      policyTypes: ['Ingress'],
      // Every address outside the cluster: without declared pod ranges, every private range counts as internal.
      ingress: [
        {
          from: [
            {
              ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'] },
            },
            { ipBlock: { cidr: '::/0', except: ['fc00::/7', 'fe80::/10'] } },
          ],
          ports: [{ protocol: 'TCP', port: 22 }],
        },
      ],
    });
    expect(vm.externalServiceName).toBe('bastion-external');
  });

  test('external ports and source ranges narrow both the Service and the policy', () => {
    const { platform, tenant, root } = setup();
    new VirtualMachine(tenant, 'web', {
      disks: [root],
      external: true,
      externalPorts: [22, 443],
      externalSourceRanges: ['203.0.113.0/24'],
    });
    const all = manifests(platform);
    const service = find(all, 'Service', 'web-external');
    expect(service.spec.ports.map((p: any) => p.port)).toEqual([22, 443]);
    expect(service.spec.loadBalancerSourceRanges).toEqual(['203.0.113.0/24']);
    expect(find(all, 'NetworkPolicy', 'web-external').spec.ingress).toEqual([
      {
        from: [{ ipBlock: { cidr: '203.0.113.0/24' } }],
        ports: [
          { protocol: 'TCP', port: 22 },
          { protocol: 'TCP', port: 443 },
        ],
      },
    ]);
  });

  test('labels the tenant namespace so that KubeVirt sets virt-launcher memory limits equal to requests, as Cozystack', () => {
    const { platform, tenant, root } = setup();
    new VirtualMachine(tenant, 'web', { disks: [root] });
    new VirtualMachine(tenant, 'db', { disks: [new VmDisk(tenant, 'db-root', { blank: true })] });
    expect(find(manifests(platform), 'Namespace', 'tenant-acme').metadata.labels).toMatchObject({
      'alpha.kubevirt.io/auto-memory-limits-ratio': '1.0',
    });
    expect(find(manifests(platform), 'ResourceQuota', 'tenant-quota').spec.hard).toMatchObject({
      'limits.cpu': '16',
      'limits.memory': '64Gi',
    });
  });

  test('requires KubeVirt and follows its disks', () => {
    const { platform, tenant, root, kubevirt } = setup();
    const vm = new VirtualMachine(tenant, 'web', { disks: [root] });
    expect(platform.registry.find(KubeVirt)).toBe(kubevirt);
    expect(platform.registry.requirementsOf(vm)).toEqual([kubevirt]);
    expect(vm.node.dependencies).toEqual(expect.arrayContaining([kubevirt, root]));
    const names = manifests(platform).map((m) => `${m.kind}/${m.metadata.name}`);
    expect(names.indexOf('VirtualMachine/web')).toBeGreaterThan(names.indexOf('DataVolume/root'));
    expect(names.indexOf('VirtualMachine/web')).toBeGreaterThan(names.indexOf('KubeVirt/kubevirt'));
  });
});
