import { Calico, CalicoProps } from '../../../constructs/network/calico';
import { messageOf } from './errors';

/** Each case: props, and the problem line it must produce: `<property>: <value> <rule>`. */
const CASES: ReadonlyArray<[string, CalicoProps, string]> = [
  [
    'pod CIDR not a CIDR',
    { podCidr: '10.233.64.0' },
    'podCidr: "10.233.64.0" must be an IPv4 CIDR whose address is the network address, such as "10.244.0.0/16".',
  ],
  [
    'pod CIDR with host bits',
    { podCidr: '10.233.64.1/18' },
    'podCidr: "10.233.64.1/18" must be an IPv4 CIDR whose address is the network address, such as "10.244.0.0/16". Fix: use "10.233.64.0/18".',
  ],
  [
    'unknown encapsulation',
    { encapsulation: 'GRE' as any },
    'encapsulation: "GRE" must be one of "IPIP", "IPIPCrossSubnet", "VXLAN", "VXLANCrossSubnet", "None".',
  ],
  [
    'IPIP without BGP',
    { bgp: false },
    'encapsulation: "IPIP" needs BGP, which carries the routes IPIP tunnels follow, but bgp is false. Fix: set bgp: true or use "VXLAN".',
  ],
  ['block size out of range', { blockSize: 33 }, 'blockSize: 33 must be a whole number from 20 to 32.'],
  [
    'block size wider than the pool',
    { podCidr: '10.233.0.0/24', blockSize: 22 },
    "blockSize: 22 must not be shorter than the prefix of the pool's CIDR (/24). Fix: use 24 or more.",
  ],
  ['MTU', { mtu: 100 }, 'mtu: 100 must be a whole number from 576 to 9000.'],
  ['dataplane', { dataplane: 'BPF' as any }, 'dataplane: "BPF" must be one of "Iptables", "Nftables".'],
  [
    'node address method',
    { nodeAddressDetection: { method: 'guess' } as any },
    'nodeAddressDetection.method: "guess" must be one of "kubernetes", "canReach", "interface", "skipInterface", "cidrs", "firstFound".',
  ],
  [
    'canReach without destination',
    { nodeAddressDetection: { method: 'canReach', destination: ' ' } },
    'nodeAddressDetection.destination: " " must be an IP address or DNS name the nodes can reach.',
  ],
  [
    'interface pattern not a regular expression',
    { nodeAddressDetection: { method: 'interface', pattern: 'eth[' } },
    'nodeAddressDetection.pattern: "eth[" must be a regular expression of interface names, such as "eth.*".',
  ],
  [
    'no CIDRs to detect from',
    { nodeAddressDetection: { method: 'cidrs', cidrs: [] } },
    'nodeAddressDetection.cidrs: [] must list at least one CIDR.',
  ],
  [
    'detection CIDR',
    { nodeAddressDetection: { method: 'cidrs', cidrs: ['192.168.0.0/33'] } },
    'nodeAddressDetection.cidrs[0]: "192.168.0.0/33" must be an IPv4 CIDR',
  ],
  [
    'API endpoint host',
    { kubernetesServiceEndpoint: { host: '', port: 6443 } },
    'kubernetesServiceEndpoint.host: "" must be a host name or IP address.',
  ],
  [
    'API endpoint port',
    { kubernetesServiceEndpoint: { host: '10.0.0.1', port: 70000 } },
    'kubernetesServiceEndpoint.port: 70000 must be a TCP port (1-65535).',
  ],
  [
    "pool named like the operator's",
    { ipPools: { 'default-ipv4-ippool': { cidr: '10.50.0.0/16' } } },
    'ipPools.default-ipv4-ippool: "default-ipv4-ippool" must be a DNS-1123 subdomain other than "default-ipv4-ippool" (the operator\'s pool for podCidr).',
  ],
  ['pool without a CIDR', { ipPools: { extra: null as any } }, 'ipPools.extra: null must be an object.'],
  [
    'pool overlapping the pod network',
    { ipPools: { extra: { cidr: '10.233.96.0/20' } } },
    'podCidr: "10.233.64.0/18" overlaps ipPools.extra.cidr (10.233.96.0/20). Fix: give each range its own addresses.',
  ],
  [
    'pool IPIP without BGP',
    { bgp: false, encapsulation: 'VXLAN', ipPools: { extra: { cidr: '10.50.0.0/16', encapsulation: 'IPIPCrossSubnet' } } },
    'ipPools.extra.encapsulation: "IPIPCrossSubnet" needs BGP, which carries the routes IPIP tunnels follow, but bgp is false. Fix: set bgp: true or use "VXLAN".',
  ],
  [
    'pool node selector',
    { ipPools: { extra: { cidr: '10.50.0.0/16', nodeSelector: '' } } },
    'ipPools.extra.nodeSelector: "" must be a Calico selector such as "all()" or "rack == \'a\'".',
  ],
  [
    'workload-to-host action',
    { felix: { workloadToHostAction: 'Allow' as any } },
    'felix.workloadToHostAction: "Allow" must be one of "Accept", "Drop", "Return".',
  ],
  [
    'log severity',
    { felix: { logSeverity: 'Verbose' as any } },
    'felix.logSeverity: "Verbose" must be one of "Debug", "Info", "Warning", "Error", "Fatal".',
  ],
  [
    'feature override',
    { felix: { featureDetectOverride: { 'SNAT Fully Random': false } } },
    'felix.featureDetectOverride.SNAT Fully Random: false must be a feature name (letters, digits, "-", "_") set to true or false.',
  ],
];

describe('Calico errors', () => {
  test.each(CASES)('%s', (_, props, line) => {
    const message = messageOf((platform) => new Calico(platform, props));
    expect(message).toMatch(/^\[platform\/network\/calico\] \d+ problems?:\n/);
    expect(message).toContain(`\n  - ${line}`);
  });

  test('every problem is reported at once, and nothing is added to the platform', () => {
    const { platform, message } = messageAndPlatform({ podCidr: 'x', mtu: 1 });
    expect(message).toBe(
      [
        '[platform/network/calico] 2 problems:',
        '  - podCidr: "x" must be an IPv4 CIDR whose address is the network address, such as "10.244.0.0/16".',
        '  - mtu: 1 must be a whole number from 576 to 9000.',
      ].join('\n'),
    );
    expect(platform.registry.all()).toEqual([]);
    expect(platform.readiness.conditions).toEqual([]);
  });
});

function messageAndPlatform(props: CalicoProps) {
  let platform: any;
  const message = messageOf((p) => {
    platform = p;
    new Calico(p, props);
  });
  return { platform, message };
}
