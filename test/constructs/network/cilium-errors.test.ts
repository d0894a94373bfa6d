import { Cilium, CiliumProps } from '../../../constructs/network/cilium';
import { KubeOvn } from '../../../constructs/network/kube-ovn';
import { MetalLb } from '../../../constructs/network/metal-lb';
import { messageOf } from './errors';

const CASES: ReadonlyArray<[string, CiliumProps, string]> = [
  ['mode', { mode: 'overlay' as any }, 'mode: "overlay" must be one of "standalone", "kube-ovn-chained".'],
  ['node OS', { nodeOs: 'windows' as any }, 'nodeOs: "windows" must be one of "talos", "generic".'],
  [
    'no API endpoint on generic nodes with kube-proxy replacement',
    { nodeOs: 'generic' },
    'apiServer: (not set) is required on generic nodes with kube-proxy replacement: nothing serves the kubernetes Service before Cilium runs. Fix: pass the control plane endpoint, e.g. { host: "10.0.0.10", port: 6443 }.',
  ],
  ['API host', { apiServer: { host: 'https://api', port: 6443 } }, 'apiServer.host: "https://api" must be a host name or IP address.'],
  ['API port', { apiServer: { host: 'api', port: 0 } }, 'apiServer.port: 0 must be a TCP port (1-65535).'],
  ['operator replicas', { operatorReplicas: 0 }, 'operatorReplicas: 0 must be a whole number ≥ 1.'],
  ['device name', { devices: ['eth 0'] }, 'devices[0]: "eth 0" must be an interface name or a name with a trailing "+" wildcard.'],
  ['MTU', { mtu: 9001 }, 'mtu: 9001 must be a whole number from 576 to 9000.'],
  [
    'pool name',
    { loadBalancerIpPools: { Public: { blocks: ['203.0.113.0/28'] } } },
    'loadBalancerIpPools.Public: "Public" must be a DNS-1123 subdomain.',
  ],
  [
    'pool without blocks',
    { loadBalancerIpPools: { public: { blocks: [] } } },
    'loadBalancerIpPools.public.blocks: [] must list at least one CIDR or range.',
  ],
  [
    'pool block',
    { loadBalancerIpPools: { public: { blocks: ['203.0.113.10-203.0.113.1'] } } },
    'loadBalancerIpPools.public.blocks[0]: "203.0.113.10-203.0.113.1" must be an IPv4 CIDR such as "10.0.10.0/24" or a range such as "10.0.10.100-10.0.10.200".',
  ],
];

describe('Cilium errors', () => {
  test.each(CASES)('%s', (_, props, line) => {
    const message = messageOf((platform) => new Cilium(platform, props));
    expect(message).toMatch(/^\[platform\/network\/cilium\] \d+ problems?:\n/);
    expect(message).toContain(`\n  - ${line}`);
  });

  test('stand-alone next to Kube-OVN: a mismatch naming both', () => {
    expect(
      messageOf((platform) => {
        new KubeOvn(platform);
        new Cilium(platform, { mode: 'standalone' });
      }),
    ).toBe(
      '[platform/network/cilium] 1 problem:\n' +
        '  - mode: "standalone" conflicts with the KubeOvn at platform/network/kube-ovn, which does pod IPAM; Cilium can only run chained behind it. ' +
        'Fix: leave mode unset or use "kube-ovn-chained".',
    );
  });

  test('chained behind a Kube-OVN that enforces NetworkPolicy itself', () => {
    expect(
      messageOf((platform) => {
        new KubeOvn(platform, { cilium: false });
        new Cilium(platform);
      }),
    ).toBe(
      '[platform/network/cilium] 1 problem:\n' +
        '  - mode: "kube-ovn-chained" conflicts with the KubeOvn at platform/network/kube-ovn, which enforces NetworkPolicy itself (cilium: false). ' +
        'Fix: set cilium: true on the KubeOvn, or remove the Cilium.',
    );
  });

  test('chained, but no Kube-OVN is ever added: reported when the platform is rendered', () => {
    expect(messageOf((platform) => new Cilium(platform, { mode: 'kube-ovn-chained' }))).toBe(
      '[platform/network/cilium] 1 problem:\n' +
        '  - mode: "kube-ovn-chained" chains Cilium behind Kube-OVN, but the platform has no KubeOvn. Fix: add new KubeOvn(platform), or use mode "standalone".',
    );
  });

  test('LB-IPAM pools next to MetalLB, in either order: an error naming both', () => {
    const pools = { loadBalancerIpPools: { public: { blocks: ['203.0.113.0/28'] } } };
    const metalLb = { addressPools: { default: { addresses: ['192.168.1.240/28'] } } };
    expect(
      messageOf((platform) => {
        new MetalLb(platform, metalLb);
        new Cilium(platform, pools);
      }),
    ).toBe(
      '[platform/network/cilium] 1 problem:\n' +
        '  - loadBalancerIpPools: ["public"] would have Cilium assign LoadBalancer addresses that the MetalLB at platform/network/metallb also assigns. ' +
        'Fix: keep one of them: remove loadBalancerIpPools or the MetalLB.',
    );
    expect(
      messageOf((platform) => {
        new Cilium(platform, pools);
        new MetalLb(platform, metalLb);
      }),
    ).toBe(
      '[platform/network/metallb] 1 problem:\n' +
        '  - component: "MetalLB" would assign LoadBalancer addresses that the Cilium at platform/network/cilium also assigns from its loadBalancerIpPools. ' +
        'Fix: keep one of them: remove the MetalLB or the Cilium loadBalancerIpPools.',
    );
  });
});
