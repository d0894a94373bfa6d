import { Cilium } from '../../../constructs/network/cilium';
import { KubeOvn, KubeOvnProps } from '../../../constructs/network/kube-ovn';
import { KubeOvnSubnet, KubeOvnSubnetProps } from '../../../constructs/network/kube-ovn-subnet';
import { KubeOvnVpc, KubeOvnVpcProps } from '../../../constructs/network/kube-ovn-vpc';
import { Tenant } from '../../../constructs/platform/tenant';
import { messageOf } from './errors';

const KUBE_OVN: ReadonlyArray<[string, KubeOvnProps, string]> = [
  [
    'pod CIDR',
    { podCidr: '10.244.0.0/33' },
    'podCidr: "10.244.0.0/33" must be an IPv4 CIDR whose address is the network address, such as "10.244.0.0/16".',
  ],
  [
    'join CIDR with host bits',
    { joinCidr: '100.64.1.0/16' },
    'joinCidr: "100.64.1.0/16" must be an IPv4 CIDR whose address is the network address, such as "10.244.0.0/16". Fix: use "100.64.0.0/16".',
  ],
  [
    'Service CIDR inside the pod CIDR',
    { serviceCidr: '10.244.128.0/20' },
    'podCidr: "10.244.0.0/16" overlaps serviceCidr (10.244.128.0/20). Fix: give each range its own addresses.',
  ],
  [
    'gateway outside the pod CIDR',
    { podGateway: '10.245.0.1' },
    'podGateway: "10.245.0.1" must be an IPv4 address inside podCidr (10.244.0.0/16).',
  ],
  ['node OS', { nodeOs: 'flatcar' as any }, 'nodeOs: "flatcar" must be one of "talos", "generic".'],
  [
    'database node label',
    { masterNodesLabel: 'role = master' },
    'masterNodesLabel: "role = master" must be a node label "key" or "key=value".',
  ],
  ['database node address', { masterNodes: ['node-1'] }, 'masterNodes[0]: "node-1" must be an IPv4 address.'],
  ['MTU', { mtu: 65536 }, 'mtu: 65536 must be a whole number from 576 to 9000.'],
];

const SUBNETS: ReadonlyArray<[string, KubeOvnSubnetProps, string]> = [
  [
    "Kube-OVN's own name",
    { name: 'join', cidr: '10.250.0.0/24' },
    'name: "join" must be a DNS-1123 subdomain other than "ovn-default" and "join" (Kube-OVN\'s own subnets).',
  ],
  [
    'CIDR',
    { cidr: '10.250.0.0' },
    'cidr: "10.250.0.0" must be an IPv4 CIDR whose address is the network address, such as "10.244.0.0/16".',
  ],
  [
    'gateway outside the subnet',
    { cidr: '10.250.0.0/24', gateway: '10.250.1.1' },
    'gateway: "10.250.1.1" must be a host address inside cidr (10.250.0.0/24).',
  ],
  [
    'gateway on the network address',
    { cidr: '10.250.0.0/24', gateway: '10.250.0.0' },
    'gateway: "10.250.0.0" must be a host address inside cidr (10.250.0.0/24).',
  ],
  [
    'excluded range the wrong way round',
    { cidr: '10.250.0.0/24', excludeIps: ['10.250.0.9..10.250.0.1'] },
    'excludeIps[0]: "10.250.0.9..10.250.0.1" must be an address or a range "a.b.c.d..e.f.g.h" inside cidr (10.250.0.0/24).',
  ],
  ['namespace', { cidr: '10.250.0.0/24', namespaces: ['Tenant_A'] }, 'namespaces[0]: "Tenant_A" must be a namespace name.'],
  [
    'NAT in a custom VPC',
    { cidr: '10.250.0.0/24', vpc: 'acme', natOutgoing: true },
    'natOutgoing: true is only supported in the default VPC "ovn-cluster". Fix: route the VPC through a VpcNatGateway, or leave natOutgoing unset.',
  ],
  [
    'gateway type',
    { cidr: '10.250.0.0/24', gatewayType: 'local' as any },
    'gatewayType: "local" must be one of "distributed", "centralized".',
  ],
  [
    'allowed subnet',
    { cidr: '10.250.0.0/24', private: true, allowSubnets: ['10.0.0.1/8'] },
    'allowSubnets[0]: "10.0.0.1/8" must be an IPv4 CIDR',
  ],
  ['MTU', { cidr: '10.250.0.0/24', mtu: 100 }, 'mtu: 100 must be a whole number from 576 to 9000.'],
  [
    'inside the Service CIDR',
    { cidr: '10.96.10.0/24' },
    'cidr: "10.96.10.0/24" overlaps the KubeOvn serviceCidr (10.96.0.0/16). Fix: choose a range outside the pod, join and Service CIDRs.',
  ],
  [
    'inside the pod CIDR of the default VPC',
    { cidr: '10.244.10.0/24' },
    'cidr: "10.244.10.0/24" overlaps the KubeOvn podCidr (10.244.0.0/16).',
  ],
  [
    'inside the join CIDR, even in a custom VPC',
    { cidr: '100.64.10.0/24', vpc: 'acme' },
    'cidr: "100.64.10.0/24" overlaps the KubeOvn joinCidr (100.64.0.0/16).',
  ],
];

const VPCS: ReadonlyArray<[string, KubeOvnVpcProps, string]> = [
  [
    "the default VPC's name",
    { name: 'ovn-cluster' },
    'name: "ovn-cluster" must be a DNS-1123 subdomain other than "ovn-cluster" (the default VPC).',
  ],
  ['namespace', { namespaces: ['-a'] }, 'namespaces[0]: "-a" must be a namespace name.'],
  ['route CIDR', { staticRoutes: [{ cidr: 'default', nextHopIp: '10.0.0.1' }] }, 'staticRoutes[0].cidr: "default" must be an IPv4 CIDR'],
  [
    'route next hop',
    { staticRoutes: [{ cidr: '0.0.0.0/0', nextHopIp: 'gateway' }] },
    'staticRoutes[0].nextHopIp: "gateway" must be an IPv4 address.',
  ],
  [
    'route policy',
    { staticRoutes: [{ cidr: '0.0.0.0/0', nextHopIp: '10.0.0.1', policy: 'policyAny' as any }] },
    'staticRoutes[0].policy: "policyAny" must be one of "policyDst", "policySrc".',
  ],
];

describe('KubeOvn errors', () => {
  test.each(KUBE_OVN)('%s', (_, props, line) => {
    const message = messageOf((platform) => new KubeOvn(platform, { cilium: false, ...props }));
    expect(message).toMatch(/^\[platform\/network\/kube-ovn\] \d+ problems?:\n/);
    expect(message).toContain(`\n  - ${line}`);
  });

  test('Cilium expected but never added: reported when the platform is rendered', () => {
    expect(messageOf((platform) => new KubeOvn(platform))).toBe(
      '[platform/network/kube-ovn] 1 problem:\n' +
        '  - cilium: true leaves NetworkPolicy and Service load balancing to a chained Cilium, but the platform has no Cilium. ' +
        'Fix: add new Cilium(platform) after KubeOvn, or set cilium: false so that Kube-OVN enforces them itself.',
    );
  });

  test('Kube-OVN enforcing NetworkPolicy itself next to a Cilium: an error naming both', () => {
    expect(
      messageOf((platform) => {
        new Cilium(platform, { mode: 'kube-ovn-chained' });
        new KubeOvn(platform, { cilium: false });
      }),
    ).toBe(
      '[platform/network/kube-ovn] 1 problem:\n' +
        '  - cilium: false has Kube-OVN enforce NetworkPolicy itself, which conflicts with the Cilium at platform/network/cilium. ' +
        'Fix: set cilium: true (Cilium chained behind Kube-OVN), or remove the Cilium.',
    );
  });

  test('Kube-OVN added after a stand-alone Cilium: an error naming both', () => {
    expect(
      messageOf((platform) => {
        new Cilium(platform);
        new KubeOvn(platform);
      }),
    ).toBe(
      '[platform/network/kube-ovn] 1 problem:\n' +
        '  - cilium: true needs Cilium chained behind Kube-OVN, but the Cilium at platform/network/cilium runs in mode "standalone". ' +
        'Fix: create KubeOvn before Cilium, or give Cilium mode: "kube-ovn-chained".',
    );
  });

  test('every problem at once, and nothing added to the platform', () => {
    let registered = -1;
    const message = messageOf((platform) => {
      try {
        new KubeOvn(platform, { podCidr: 'x', mtu: 1 });
      } finally {
        registered = platform.registry.all().length;
      }
    });
    expect(message).toBe(
      '[platform/network/kube-ovn] 2 problems:\n' +
        '  - podCidr: "x" must be an IPv4 CIDR whose address is the network address, such as "10.244.0.0/16".\n' +
        '  - mtu: 1 must be a whole number from 576 to 9000.',
    );
    expect(registered).toBe(0);
  });
});

describe('KubeOvnSubnet errors', () => {
  test.each(SUBNETS)('%s', (_, props, line) => {
    const message = messageOf((platform) => {
      new Cilium(platform, { mode: 'kube-ovn-chained' });
      new KubeOvnSubnet(platform.layer('network'), 'lab', props);
    });
    expect(message).toMatch(/^\[platform\/network\/lab\] \d+ problems?:\n/);
    expect(message).toContain(`\n  - ${line}`);
  });

  test('two subnets of one name', () => {
    const message = messageOf((platform) => {
      new KubeOvnSubnet(platform.layer('network'), 'a', { name: 'lab', cidr: '10.250.0.0/24' });
      new KubeOvnSubnet(platform.layer('network'), 'b', { name: 'lab', cidr: '10.251.0.0/24' });
    });
    expect(message).toBe(
      '[platform/network/b] 1 problem:\n  - name: "lab" is already the name of the Subnet at platform/network/a. Fix: give each Subnet its own name.',
    );
  });

  test('two overlapping subnets of one VPC', () => {
    const message = messageOf((platform) => {
      new KubeOvnSubnet(platform.layer('network'), 'a', { cidr: '10.250.0.0/16' });
      new KubeOvnSubnet(platform.layer('network'), 'b', { cidr: '10.250.8.0/24' });
    });
    expect(message).toBe(
      '[platform/network/b] 1 problem:\n' +
        '  - cidr: "10.250.8.0/24" overlaps the Subnet a (10.250.0.0/16) in VPC "ovn-cluster". Fix: give each subnet of a VPC its own range.',
    );
  });

  test('a second subnet for one tenant', () => {
    const message = messageOf((platform) => {
      new KubeOvn(platform, { cilium: false });
      const tenant = new Tenant(platform, 'acme');
      KubeOvnSubnet.forTenant(tenant, '10.250.0.0/24');
      KubeOvnSubnet.forTenant(tenant, '10.251.0.0/24');
    });
    expect(message).toBe(
      '[platform/acme] 1 problem:\n' +
        '  - subnet: "10.251.0.0/24" is a second subnet for the tenant, which already has tenant-acme (10.250.0.0/24). Fix: give a tenant one subnet.',
    );
  });
});

describe('KubeOvnVpc errors', () => {
  test.each(VPCS)('%s', (_, props, line) => {
    const message = messageOf((platform) => {
      new KubeOvn(platform, { cilium: false });
      new KubeOvnVpc(platform.layer('network'), 'acme', props);
    });
    expect(message).toMatch(/^\[platform\/network\/acme\] \d+ problems?:\n/);
    expect(message).toContain(`\n  - ${line}`);
  });
});
