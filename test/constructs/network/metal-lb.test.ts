import { Calico } from '../../../constructs/network/calico';
import { MetalLb, MetalLbProps } from '../../../constructs/network/metal-lb';
import { PlatformProps } from '../../../lib/core/platform';
import { SecretRef } from '../../../lib/core/secrets';
import { SchemaRegistry } from '../../../lib/validate';
import { find, manifests, newPlatform, SCHEMAS_DIR } from '../../helpers';

const POOLS = { addressPools: { default: { addresses: ['192.168.1.240-192.168.1.250'] } } };
const BGP_PASSWORD = SecretRef.existing('bgp-router', ['password']);

function setup(props: MetalLbProps = POOLS, platformProps?: PlatformProps) {
  const platform = newPlatform(platformProps);
  const metalLb = new MetalLb(platform, props);
  return { platform, metalLb, all: manifests(platform) };
}

describe('MetalLB with an address pool', () => {
  test('the chart with its frr-k8s backend, in a privileged namespace', () => {
    const { metalLb, all } = setup();
    const release = find(all, 'HelmRelease', 'metallb');
    expect(release.metadata.namespace).toBe('metallb-system');
    expect(release.spec.chart.spec).toMatchObject({ chart: 'metallb', version: '0.16.1' });
    expect(release.spec.values).toEqual({ crds: { enabled: true }, frrk8s: { enabled: true }, speaker: { frr: { enabled: false } } });
    expect(find(all, 'HelmRepository', 'metallb').spec.url).toBe('https://metallb.github.io/metallb');
    expect(find(all, 'Namespace', 'metallb-system').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(metalLb.version).toBe('0.16.1');
  });

  test('the pool, announced over L2 from every node when there are no BGP peers', () => {
    const { all } = setup();
    expect(find(all, 'IPAddressPool', 'default')).toMatchObject({
      apiVersion: 'metallb.io/v1beta1',
      metadata: { namespace: 'metallb-system' },
      spec: { addresses: ['192.168.1.240-192.168.1.250'], autoAssign: true, avoidBuggyIPs: false },
    });
    expect(find(all, 'L2Advertisement', 'default').spec).toEqual({ ipAddressPools: ['default'] });
    expect(all.filter((m) => m.kind.startsWith('BGP'))).toEqual([]);
  });

  test('custom resources follow the release, and the release follows the CNI even when the CNI is added later', () => {
    const { platform } = setup();
    new Calico(platform);
    const objects = platform.render().flatMap((c) => c.objects);
    const pool = objects.find((o) => o.manifest.kind === 'IPAddressPool')!;
    expect(pool.dependsOn.map((d) => d.toJson().kind)).toContain('HelmRelease');
    const release = objects.find((o) => o.manifest.kind === 'HelmRelease' && o.manifest.metadata.name === 'metallb')!;
    expect(release.manifest.spec.dependsOn).toEqual([{ name: 'tigera-operator', namespace: 'tigera-operator' }]);
    expect(platform.registry.requirementsOf(platform.registry.find(MetalLb)!)).toEqual([platform.registry.find(Calico)]);
  });
});

describe('MetalLB over BGP', () => {
  test('peers get every pool through a default BGPAdvertisement, and no L2 announcement', () => {
    const { platform, all } = setup({
      ...POOLS,
      bgpPeers: {
        tor: {
          peerAddress: '192.168.1.1',
          peerAsn: 65000,
          myAsn: 65001,
          password: BGP_PASSWORD,
          holdTime: '90s',
          ebgpMultiHop: true,
          peerPort: 1179,
          nodeSelector: { rack: 'a' },
        },
      },
    });
    expect(find(all, 'BGPPeer', 'tor')).toMatchObject({
      apiVersion: 'metallb.io/v1beta2',
      metadata: { namespace: 'metallb-system' },
      spec: {
        myASN: 65001,
        peerASN: 65000,
        peerAddress: '192.168.1.1',
        peerPort: 1179,
        holdTime: '90s',
        ebgpMultiHop: true,
        passwordSecret: { name: 'bgp-router', namespace: 'metallb-system' },
        nodeSelectors: [{ matchLabels: { rack: 'a' } }],
      },
    });
    expect(find(all, 'BGPAdvertisement', 'default').spec).toEqual({ ipAddressPools: ['default'] });
    expect(all.filter((m) => m.kind === 'L2Advertisement')).toEqual([]);
    expect(platform.secrets.all()).toEqual([{ namespace: 'metallb-system', ref: BGP_PASSWORD, users: ['platform/network/metallb'] }]);
  });

  test('explicit advertisements of chosen pools to chosen peers', () => {
    const { all } = setup({
      addressPools: {
        public: { addresses: ['203.0.113.0/28'], avoidBuggyIps: true, autoAssign: false, namespaces: ['tenant-acme'] },
        internal: { addresses: ['10.10.0.0/24'] },
      },
      l2Advertisements: {
        lan: { pools: ['internal'], interfaces: ['eth1'], nodeSelector: { 'node-role.kubernetes.io/control-plane': '' } },
      },
      bgpPeers: {
        a: { peerAddress: '203.0.113.254', peerAsn: 64512, myAsn: 64513 },
        b: { peerAddress: '203.0.113.253', peerAsn: 64512, myAsn: 64513 },
      },
      bgpAdvertisements: {
        upstream: { pools: ['public'], peers: ['a'], communities: ['64512:100'], localPref: 100, aggregationLength: 28 },
      },
    });
    expect(find(all, 'IPAddressPool', 'public').spec).toEqual({
      addresses: ['203.0.113.0/28'],
      autoAssign: false,
      avoidBuggyIPs: true,
      serviceAllocation: { namespaces: ['tenant-acme'] },
    });
    expect(find(all, 'L2Advertisement', 'lan').spec).toEqual({
      ipAddressPools: ['internal'],
      interfaces: ['eth1'],
      nodeSelectors: [{ matchLabels: { 'node-role.kubernetes.io/control-plane': '' } }],
    });
    expect(find(all, 'BGPAdvertisement', 'upstream').spec).toEqual({
      ipAddressPools: ['public'],
      peers: ['a'],
      communities: ['64512:100'],
      localPref: 100,
      aggregationLength: 28,
    });
  });
});

describe('MetalLB schemas', () => {
  test.each([
    ['an L2 pool on Flux', POOLS, {}],
    [
      'every option on K3s',
      {
        namespace: 'lb',
        addressPools: {
          public: {
            addresses: ['203.0.113.0/28', '203.0.113.100-203.0.113.110'],
            avoidBuggyIps: true,
            autoAssign: false,
            namespaces: ['tenant-acme'],
          },
        },
        l2Advertisements: { lan: { pools: ['public'], interfaces: ['eth1'], nodeSelector: { zone: 'a' } } },
        bgpPeers: {
          tor: {
            peerAddress: '192.168.1.1',
            peerAsn: 65000,
            myAsn: 65001,
            password: BGP_PASSWORD,
            holdTime: '90s',
            ebgpMultiHop: true,
            peerPort: 179,
            nodeSelector: { rack: 'a' },
          },
        },
        bgpAdvertisements: {
          upstream: { pools: ['public'], peers: ['tor'], communities: ['65000:1', 'large:1:2:3'], localPref: 50, aggregationLength: 32 },
        },
      },
      { delivery: 'k3s' },
    ],
  ] as const)('%s: every object validates against the upstream schemas', (_, props, platformProps) => {
    const registry = SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: '1.32.0' });
    const { all } = setup(props as MetalLbProps, platformProps as PlatformProps);
    expect(all.filter((m) => m.apiVersion.startsWith('metallb.io/')).length).toBeGreaterThanOrEqual(2);
    expect(all.flatMap((m) => registry.validate(m))).toEqual([]);
  });
});
