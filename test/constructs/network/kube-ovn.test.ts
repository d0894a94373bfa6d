import { Construct } from 'constructs';
import { Cilium } from '../../../constructs/network/cilium';
import { KubeOvn, KubeOvnProps } from '../../../constructs/network/kube-ovn';
import { KubeOvnSubnet } from '../../../constructs/network/kube-ovn-subnet';
import { KubeOvnVpc } from '../../../constructs/network/kube-ovn-vpc';
import { Tenant } from '../../../constructs/platform/tenant';
import { Platform, PlatformProps } from '../../../lib/core/platform';
import { SchemaRegistry } from '../../../lib/validate';
import { find, manifests, newPlatform, SCHEMAS_DIR } from '../../helpers';

/** Kube-OVN with the Cilium its defaults expect. */
function setup(props?: KubeOvnProps, platformProps?: PlatformProps) {
  const platform = newPlatform(platformProps);
  const kubeOvn = new KubeOvn(platform, props);
  if (kubeOvn.cilium) new Cilium(platform, platformProps?.delivery === 'k3s' ? { apiServer: { host: '10.0.0.10', port: 6443 } } : {});
  return { platform, kubeOvn, all: manifests(platform) };
}

function values(all: any[], kind = 'HelmRelease'): any {
  const release = find(all, kind, 'kube-ovn');
  return kind === 'HelmRelease' ? release.spec.values : release.spec.valuesContent;
}

function dependsOnOf(platform: Platform, kind: string, name: string): string[] {
  const object = platform
    .render()
    .flatMap((c) => c.objects)
    .find((o) => o.manifest.kind === kind && o.manifest.metadata.name === name)!;
  return object.dependsOn.map((d) => `${d.toJson().kind}/${d.toJson().metadata.name}`);
}

describe('KubeOvn defaults: the Cozystack network', () => {
  test('the chart with Cozystack values: CIDRs, TLS, NetworkPolicy and Service balancing left to Cilium, Talos paths', () => {
    const { kubeOvn, all } = setup();
    expect(values(all)).toEqual({
      namespace: 'kube-ovn',
      MASTER_NODES_LABEL: 'node-role.kubernetes.io/control-plane',
      ipv4: { POD_CIDR: '10.244.0.0/16', POD_GATEWAY: '10.244.0.1', SVC_CIDR: '10.96.0.0/16', JOIN_CIDR: '100.64.0.0/16' },
      networking: { NET_STACK: 'ipv4', ENABLE_SSL: true, ENABLE_METRICS: true },
      func: { ENABLE_NP: false, ENABLE_LB: false, ENABLE_OVN_IPSEC: false, ENABLE_NAT_GW: true, ENABLE_KEEP_VM_IP: true },
      cni_conf: { CNI_CONFIG_PRIORITY: '10' },
      OPENVSWITCH_DIR: '/var/lib/openvswitch',
      OVN_DIR: '/var/lib/ovn',
      DISABLE_MODULES_MANAGEMENT: true,
    });
    const release = find(all, 'HelmRelease', 'kube-ovn');
    expect(release.metadata.namespace).toBe('kube-ovn');
    expect(release.spec.chart.spec).toMatchObject({ chart: 'kube-ovn', version: 'v1.15.10' });
    expect(find(all, 'HelmRepository', 'kube-ovn').spec.url).toBe('https://kubeovn.github.io/kube-ovn/');
    expect(find(all, 'Namespace', 'kube-ovn').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(kubeOvn).toMatchObject({ version: '1.15.10', cilium: true, nodeOs: 'talos', podGateway: '10.244.0.1' });
  });

  test('Kube-OVN is installed after the Cilium chained to it, as in Cozystack', () => {
    const { platform, all } = setup();
    expect(find(all, 'HelmRelease', 'kube-ovn').spec.dependsOn).toEqual([{ name: 'cilium', namespace: 'cilium' }]);
    expect(find(all, 'HelmRelease', 'cilium').spec.dependsOn).toBeUndefined();
    expect(dependsOnOf(platform, 'HelmRelease', 'kube-ovn')).toContain('HelmRelease/cilium');
  });

  test('the same order when Cilium is created first, chained explicitly', () => {
    const platform = newPlatform();
    new Cilium(platform, { mode: 'kube-ovn-chained' });
    new KubeOvn(platform);
    expect(find(manifests(platform), 'HelmRelease', 'kube-ovn').spec.dependsOn).toEqual([{ name: 'cilium', namespace: 'cilium' }]);
  });
});

describe('KubeOvn options', () => {
  test('Kube-OVN alone enforces NetworkPolicy and balances Services itself, with its own CNI config first', () => {
    const { all } = setup({ cilium: false });
    expect(values(all).func).toMatchObject({ ENABLE_NP: true, ENABLE_LB: true });
    expect(values(all).cni_conf).toEqual({ CNI_CONFIG_PRIORITY: '01' });
    expect(all.filter((m) => m.metadata.name === 'cilium')).toEqual([]);
  });

  test('CIDRs, gateway, features and database nodes', () => {
    const { all } = setup({
      podCidr: '10.16.0.0/16',
      podGateway: '10.16.0.254',
      joinCidr: '100.65.0.0/16',
      serviceCidr: '10.112.0.0/12',
      features: { ssl: false, ipsec: true, natGateway: false, keepVmIp: false, metrics: false },
      masterNodes: ['192.168.0.1', '192.168.0.2', '192.168.0.3'],
      masterNodesLabel: 'kube-ovn/role=master',
    });
    expect(values(all)).toMatchObject({
      MASTER_NODES: '192.168.0.1,192.168.0.2,192.168.0.3',
      MASTER_NODES_LABEL: 'kube-ovn/role=master',
      ipv4: { POD_CIDR: '10.16.0.0/16', POD_GATEWAY: '10.16.0.254', SVC_CIDR: '10.112.0.0/12', JOIN_CIDR: '100.65.0.0/16' },
      networking: { NET_STACK: 'ipv4', ENABLE_SSL: false, ENABLE_METRICS: false },
      func: { ENABLE_OVN_IPSEC: true, ENABLE_NAT_GW: false, ENABLE_KEEP_VM_IP: false },
    });
  });

  test('on K3s: generic host paths, the K3s control-plane label value, a bootstrap HelmChart', () => {
    const { kubeOvn, all } = setup({}, { delivery: 'k3s' });
    const content = values(all, 'HelmChart');
    expect(content).toContain('MASTER_NODES_LABEL: node-role.kubernetes.io/control-plane=true');
    expect(content).not.toContain('OPENVSWITCH_DIR');
    expect(find(all, 'HelmChart', 'kube-ovn').spec.bootstrap).toBe(true);
    expect(kubeOvn.nodeOs).toBe('generic');
  });
});

describe('KubeOvn subnets and VPCs', () => {
  test('a tenant subnet bound to the tenant namespace, which is created after it', () => {
    const { platform } = setup({ mtu: 1400 });
    const tenant = new Tenant(platform, 'acme');
    const subnet = KubeOvnSubnet.forTenant(tenant, '10.250.0.0/24');
    const all = manifests(platform);
    const object = find(all, 'Subnet', 'tenant-acme');
    expect(object.metadata.namespace).toBeUndefined();
    expect(object.spec).toEqual({
      protocol: 'IPv4',
      cidrBlock: '10.250.0.0/24',
      gateway: '10.250.0.1',
      excludeIps: ['10.250.0.1'],
      namespaces: ['tenant-acme'],
      natOutgoing: true,
      gatewayType: 'distributed',
      private: false,
      mtu: 1400,
    });
    expect(subnet).toMatchObject({ subnetName: 'tenant-acme', gateway: '10.250.0.1', vpc: 'ovn-cluster' });
    expect(dependsOnOf(platform, 'Namespace', 'tenant-acme')).toContain('Subnet/tenant-acme');
    expect(dependsOnOf(platform, 'Subnet', 'tenant-acme')).toContain('HelmRelease/kube-ovn');
  });

  test('a private tenant subnet with its own gateway and exclusions', () => {
    const { platform } = setup();
    KubeOvnSubnet.forTenant(new Tenant(platform, 'acme'), '10.250.0.0/24', {
      gateway: '10.250.0.254',
      excludeIps: ['10.250.0.250..10.250.0.254'],
      private: true,
      allowSubnets: ['10.244.0.0/16'],
      gatewayType: 'centralized',
    });
    expect(find(manifests(platform), 'Subnet', 'tenant-acme').spec).toMatchObject({
      gateway: '10.250.0.254',
      excludeIps: ['10.250.0.250..10.250.0.254'],
      private: true,
      allowSubnets: ['10.244.0.0/16'],
      gatewayType: 'centralized',
    });
  });

  test('a VPC with a subnet that reuses the default pod range; custom VPC subnets have no NAT or gateway type', () => {
    const { platform } = setup();
    const tenant = new Tenant(platform, 'acme');
    const vpc = new KubeOvnVpc(tenant, 'vpc', {
      namespaces: ['tenant-acme'],
      staticRoutes: [{ cidr: '0.0.0.0/0', nextHopIp: '10.244.0.254' }],
    });
    vpc.subnet('net', { cidr: '10.244.0.0/24', namespaces: ['tenant-acme'] });
    const all = manifests(platform);
    expect(find(all, 'Vpc', 'tenant-acme.vpc').spec).toEqual({
      namespaces: ['tenant-acme'],
      staticRoutes: [{ cidr: '0.0.0.0/0', nextHopIP: '10.244.0.254', policy: 'policyDst' }],
    });
    expect(find(all, 'Subnet', 'tenant-acme.net').spec).toEqual({
      protocol: 'IPv4',
      cidrBlock: '10.244.0.0/24',
      gateway: '10.244.0.1',
      excludeIps: ['10.244.0.1'],
      namespaces: ['tenant-acme'],
      vpc: 'tenant-acme.vpc',
      private: false,
    });
    expect(dependsOnOf(platform, 'Subnet', 'tenant-acme.net')).toContain('Vpc/tenant-acme.vpc');
  });

  test('subnets outside tenants live where they are created and require Kube-OVN', () => {
    const platform = newPlatform();
    new KubeOvnSubnet(new Construct(platform.layer('network'), 'lab'), 'lab', { cidr: '10.251.0.0/24', natOutgoing: false });
    new Cilium(platform);
    expect(platform.registry.find(KubeOvn)).toBeDefined();
    expect(find(manifests(platform), 'Subnet', 'lab').spec.natOutgoing).toBe(false);
  });
});

describe('KubeOvn schemas', () => {
  test.each([
    ['defaults on Flux', {}, {}],
    ['without Cilium on K3s', { cilium: false }, { delivery: 'k3s' }],
    [
      'every option',
      {
        namespace: 'ovn',
        podCidr: '10.16.0.0/16',
        podGateway: '10.16.0.1',
        joinCidr: '100.65.0.0/16',
        serviceCidr: '10.112.0.0/12',
        mtu: 1400,
        features: { ssl: true, ipsec: true, natGateway: true, keepVmIp: true, metrics: true },
        nodeOs: 'generic',
        masterNodes: ['192.168.0.1'],
      },
      { delivery: 'k3s' },
    ],
  ] as const)('%s, with a tenant subnet and a VPC: every object validates against the upstream schemas', (_, props, platformProps) => {
    const registry = SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: '1.32.0' });
    const { platform } = setup(props as KubeOvnProps, platformProps as PlatformProps);
    const tenant = new Tenant(platform, 'acme');
    KubeOvnSubnet.forTenant(tenant, '10.250.0.0/24', {
      private: true,
      allowSubnets: ['10.16.0.0/16'],
      excludeIps: ['10.250.0.1..10.250.0.9'],
    });
    new KubeOvnVpc(tenant, 'acme', {
      namespaces: ['tenant-acme'],
      staticRoutes: [{ cidr: '0.0.0.0/0', nextHopIp: '10.240.0.254', policy: 'policySrc' }],
    }).subnet('acme-net', { cidr: '10.240.0.0/24', namespaces: ['tenant-acme'], mtu: 1300 });
    const all = manifests(platform);
    expect(all.filter((m) => m.apiVersion === 'kubeovn.io/v1')).toHaveLength(3);
    expect(all.flatMap((m) => registry.validate(m))).toEqual([]);
  });
});
