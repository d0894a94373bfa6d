import { MetalLb, MetalLbProps } from '../../../constructs/network/metal-lb';
import { SecretRef } from '../../../lib/core/secrets';
import { messageOf } from './errors';

const pools = { default: { addresses: ['192.168.1.240/28'] } };
const peer = { peerAddress: '192.168.1.1', peerAsn: 65000, myAsn: 65001 };

const CASES: ReadonlyArray<[string, MetalLbProps, string]> = [
  [
    'empty address pools',
    { addressPools: {} },
    'addressPools: {} is required: MetalLB has no address it may give to LoadBalancer Services. ' +
      'Fix: pass addressPools: { default: { addresses: ["192.168.1.240-192.168.1.250"] } } with free addresses of the node network.',
  ],
  [
    'no address pool (untyped input)',
    {} as MetalLbProps,
    'addressPools: (not set) is required: MetalLB has no address it may give to LoadBalancer Services. ' +
      'Fix: pass addressPools: { default: { addresses: ["192.168.1.240-192.168.1.250"] } } with free addresses of the node network.',
  ],
  [
    'pool name',
    { addressPools: { Public: { addresses: ['192.168.1.240/28'] } } },
    'addressPools.Public: "Public" must be a DNS-1123 subdomain.',
  ],
  [
    'pool without addresses',
    { addressPools: { default: { addresses: [] } } },
    'addressPools.default.addresses: [] must list at least one CIDR or range.',
  ],
  ['pool given as null', { addressPools: { default: null as any } }, 'addressPools.default: null must be an object.'],
  [
    'address',
    { addressPools: { default: { addresses: ['192.168.1.240'] } } },
    'addressPools.default.addresses[0]: "192.168.1.240" must be an IPv4 CIDR such as "192.168.1.240/28" or a range such as "192.168.1.240-192.168.1.250".',
  ],
  [
    'overlapping pools',
    { addressPools: { a: { addresses: ['192.168.1.240/28'] }, b: { addresses: ['192.168.1.250-192.168.1.252'] } } },
    'addressPools.b.addresses[0]: "192.168.1.250-192.168.1.252" overlaps addressPools.a.addresses[0] (192.168.1.240/28). Fix: give each pool its own addresses.',
  ],
  [
    'pool namespace',
    { addressPools: { default: { addresses: ['192.168.1.240/28'], namespaces: ['Tenant'] } } },
    'addressPools.default.namespaces[0]: "Tenant" must be a namespace name.',
  ],
  [
    'L2 advertisement of an unknown pool',
    { addressPools: pools, l2Advertisements: { lan: { pools: ['public'] } } },
    'l2Advertisements.lan.pools: "public" is not an address pool of this MetalLB ("default").',
  ],
  [
    'L2 advertisement of no pool',
    { addressPools: pools, l2Advertisements: { lan: { pools: [] } } },
    'l2Advertisements.lan.pools: [] must name at least one address pool. Fix: leave it unset to mean all.',
  ],
  [
    'BGP advertisement without peers',
    { addressPools: pools, bgpAdvertisements: { up: {} } },
    'bgpAdvertisements: ["up"] announce to BGP peers, but bgpPeers is empty. Fix: add bgpPeers or remove bgpAdvertisements.',
  ],
  [
    'BGP advertisement to an unknown peer',
    { addressPools: pools, bgpPeers: { tor: peer }, bgpAdvertisements: { up: { peers: ['core'] } } },
    'bgpAdvertisements.up.peers: "core" is not a BGP peer of this MetalLB ("tor").',
  ],
  [
    'community',
    { addressPools: pools, bgpPeers: { tor: peer }, bgpAdvertisements: { up: { communities: ['no-export'] } } },
    'bgpAdvertisements.up.communities[0]: "no-export" must be a BGP community such as "65000:100" or "large:1:2:3".',
  ],
  [
    'local preference',
    { addressPools: pools, bgpPeers: { tor: peer }, bgpAdvertisements: { up: { localPref: -1 } } },
    'bgpAdvertisements.up.localPref: -1 must be a whole number from 0 to 4294967295.',
  ],
  [
    'aggregation length',
    { addressPools: pools, bgpPeers: { tor: peer }, bgpAdvertisements: { up: { aggregationLength: 33 } } },
    'bgpAdvertisements.up.aggregationLength: 33 must be a prefix length from 0 to 32.',
  ],
  [
    'peer address',
    { addressPools: pools, bgpPeers: { tor: { ...peer, peerAddress: 'router.lan' } } },
    'bgpPeers.tor.peerAddress: "router.lan" must be an IPv4 address.',
  ],
  [
    'peer ASN',
    { addressPools: pools, bgpPeers: { tor: { ...peer, peerAsn: 0 } } },
    'bgpPeers.tor.peerAsn: 0 must be an AS number from 1 to 4294967295.',
  ],
  [
    'own ASN',
    { addressPools: pools, bgpPeers: { tor: { ...peer, myAsn: 2 ** 32 } } },
    'bgpPeers.tor.myAsn: 4294967296 must be an AS number from 1 to 4294967295.',
  ],
  [
    'peer port',
    { addressPools: pools, bgpPeers: { tor: { ...peer, peerPort: 20000 } } },
    "bgpPeers.tor.peerPort: 20000 must be a port from 1 to 16384 (MetalLB's limit).",
  ],
  [
    'hold time',
    { addressPools: pools, bgpPeers: { tor: { ...peer, holdTime: '90' } } },
    'bgpPeers.tor.holdTime: "90" must be a duration such as "90s".',
  ],
  [
    'password without its key',
    { addressPools: pools, bgpPeers: { tor: { ...peer, password: SecretRef.existing('bgp', ['secret']) } } },
    'bgpPeers.tor.password.keys: ["secret"] must include "password".',
  ],
  [
    'password from config, which is not basic-auth',
    { addressPools: pools, bgpPeers: { tor: { ...peer, password: SecretRef.fromConfig('bgp', ['password']) } } },
    'bgpPeers.tor.password: "bgp" must be a kubernetes.io/basic-auth Secret, which MetalLB requires; a Secret from config is Opaque. ' +
      'Fix: use SecretRef.existing("bgp", ["password"]) and create it with type kubernetes.io/basic-auth.',
  ],
];

describe('MetalLB errors', () => {
  test.each(CASES)('%s', (_, props, line) => {
    const message = messageOf((platform) => new MetalLb(platform, props));
    expect(message).toMatch(/^\[platform\/network\/metallb\] \d+ problems?:\n/);
    expect(message).toContain(`\n  - ${line}`);
  });

  test('a component that requires MetalLB without a pool gets the same error', () => {
    const message = messageOf((platform) => platform.registry.require(platform, MetalLb));
    expect(message).toContain('addressPools: (not set) is required');
  });
});
