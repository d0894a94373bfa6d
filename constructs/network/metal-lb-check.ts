import { IpRange, isIpv4, overlaps, parseAddressRange } from '../../lib/core/addresses';
import { Problems } from '../../lib/core/errors';
import { isDnsLabel, isDnsSubdomain } from '../../lib/core/names';
import { SecretRef } from '../../lib/core/secrets';
import { Platform } from '../../lib/core/platform';
import { MetalLbAddressPool, MetalLbBgpAdvertisement, MetalLbBgpPeer, MetalLbProps, MetalLbL2Advertisement } from './metal-lb-props';

/** MetalLB's settings with every default applied. */
export interface ResolvedMetalLb {
  readonly addressPools: Readonly<Record<string, MetalLbAddressPool>>;
  readonly l2Advertisements: Readonly<Record<string, MetalLbL2Advertisement>>;
  readonly bgpPeers: Readonly<Record<string, MetalLbBgpPeer>>;
  readonly bgpAdvertisements: Readonly<Record<string, MetalLbBgpAdvertisement>>;
}

const ASN_MAX = 4294967295;
const COMMUNITY = /^(\d{1,5}:\d{1,5}|large:\d+:\d+:\d+)$/;
const DURATION = /^(\d+(\.\d+)?(ms|s|m|h))+$/;

/** Collects every problem of a MetalLB's props. */
export function checkMetalLb(problems: Problems, platform: Platform, metalLb: ResolvedMetalLb, props: MetalLbProps): void {
  const pools = Object.entries(metalLb.addressPools);
  problems.check(
    pools.length > 0,
    'addressPools',
    props.addressPools,
    'is required: MetalLB has no address it may give to LoadBalancer Services',
    'pass addressPools: { default: { addresses: ["192.168.1.240-192.168.1.250"] } } with free addresses of the node network',
  );
  const ranges: Array<{ property: string; value: string; range: IpRange }> = [];
  for (const [name, pool] of pools) {
    const property = `addressPools.${name}`;
    problems.check(isDnsSubdomain(name), property, name, 'must be a DNS-1123 subdomain');
    if (
      !problems.check(
        Array.isArray(pool?.addresses) && pool.addresses.length > 0,
        `${property}.addresses`,
        pool?.addresses,
        'must list at least one CIDR or range',
      )
    )
      continue;
    pool.addresses.forEach((address, i) => {
      const range = parseAddressRange(address);
      if (
        !problems.check(
          range !== undefined,
          `${property}.addresses[${i}]`,
          address,
          'must be an IPv4 CIDR such as "192.168.1.240/28" or a range such as "192.168.1.240-192.168.1.250"',
        )
      )
        return;
      for (const other of ranges) {
        problems.check(
          !overlaps(range!, other.range),
          `${property}.addresses[${i}]`,
          address,
          `overlaps ${other.property} (${other.value})`,
          'give each pool its own addresses',
        );
      }
      ranges.push({ property: `${property}.addresses[${i}]`, value: address, range: range! });
    });
    (pool.namespaces ?? []).forEach((ns, i) =>
      problems.check(isDnsLabel(ns), `${property}.namespaces[${i}]`, ns, 'must be a namespace name'),
    );
  }
  const poolNames = pools.map(([name]) => name);
  const peerNames = Object.keys(metalLb.bgpPeers);
  for (const [name, ad] of Object.entries(metalLb.l2Advertisements)) {
    checkName(problems, `l2Advertisements.${name}`, name);
    checkRefs(problems, `l2Advertisements.${name}.pools`, ad.pools, poolNames, 'address pool');
  }
  for (const [name, peer] of Object.entries(metalLb.bgpPeers)) checkPeer(problems, `bgpPeers.${name}`, name, peer);
  const advertisements = Object.entries(metalLb.bgpAdvertisements);
  problems.check(
    advertisements.length === 0 || peerNames.length > 0,
    'bgpAdvertisements',
    Object.keys(metalLb.bgpAdvertisements),
    'announce to BGP peers, but bgpPeers is empty',
    'add bgpPeers or remove bgpAdvertisements',
  );
  for (const [name, ad] of advertisements) {
    const property = `bgpAdvertisements.${name}`;
    checkName(problems, property, name);
    checkRefs(problems, `${property}.pools`, ad.pools, poolNames, 'address pool');
    checkRefs(problems, `${property}.peers`, ad.peers, peerNames, 'BGP peer');
    (ad.communities ?? []).forEach((c, i) =>
      problems.check(COMMUNITY.test(c), `${property}.communities[${i}]`, c, 'must be a BGP community such as "65000:100" or "large:1:2:3"'),
    );
    if (ad.localPref !== undefined)
      problems.check(
        Number.isInteger(ad.localPref) && ad.localPref >= 0 && ad.localPref <= ASN_MAX,
        `${property}.localPref`,
        ad.localPref,
        'must be a whole number from 0 to 4294967295',
      );
    if (ad.aggregationLength !== undefined)
      problems.check(
        Number.isInteger(ad.aggregationLength) && ad.aggregationLength >= 0 && ad.aggregationLength <= 32,
        `${property}.aggregationLength`,
        ad.aggregationLength,
        'must be a prefix length from 0 to 32',
      );
  }
  const assigner = platform.podNetwork.all.find((member) => member.loadBalancerPools.length > 0);
  if (assigner) {
    const name = assigner.component.constructor.name;
    problems.add(
      'component',
      'MetalLB',
      `would assign LoadBalancer addresses that the ${name} at ${assigner.component.node.path} also assigns from its loadBalancerIpPools`,
      `keep one of them: remove the MetalLB or the ${name} loadBalancerIpPools`,
    );
  }
}

function checkPeer(problems: Problems, property: string, name: string, peer: MetalLbBgpPeer): void {
  checkName(problems, property, name);
  problems.check(isIpv4(peer.peerAddress), `${property}.peerAddress`, peer.peerAddress, 'must be an IPv4 address');
  for (const key of ['peerAsn', 'myAsn'] as const) {
    problems.check(
      Number.isInteger(peer[key]) && peer[key] >= 1 && peer[key] <= ASN_MAX,
      `${property}.${key}`,
      peer[key],
      'must be an AS number from 1 to 4294967295',
    );
  }
  if (peer.peerPort !== undefined)
    problems.check(
      Number.isInteger(peer.peerPort) && peer.peerPort >= 1 && peer.peerPort <= 16384,
      `${property}.peerPort`,
      peer.peerPort,
      "must be a port from 1 to 16384 (MetalLB's limit)",
    );
  if (peer.holdTime !== undefined)
    problems.check(DURATION.test(peer.holdTime), `${property}.holdTime`, peer.holdTime, 'must be a duration such as "90s"');
  if (peer.password !== undefined) {
    if (SecretRef.prototype.check.call(peer.password, problems, `${property}.password`, ['password'])) {
      problems.check(
        peer.password.source === 'existing' || peer.password.type === 'kubernetes.io/basic-auth',
        `${property}.password`,
        peer.password.name,
        'must be a kubernetes.io/basic-auth Secret, which MetalLB requires; a Secret from config is Opaque',
        `use SecretRef.existing(${JSON.stringify(peer.password.name)}, ["password"]) and create it with type kubernetes.io/basic-auth`,
      );
    }
  }
}

function checkName(problems: Problems, property: string, name: string): void {
  problems.check(isDnsSubdomain(name), property, name, 'must be a DNS-1123 subdomain');
}

function checkRefs(
  problems: Problems,
  property: string,
  refs: readonly string[] | undefined,
  known: readonly string[],
  what: string,
): void {
  if (refs === undefined) return;
  if (!problems.check(refs.length > 0, property, refs, `must name at least one ${what}`, 'leave it unset to mean all')) return;
  for (const ref of refs)
    problems.check(
      known.includes(ref),
      property,
      ref,
      `is not ${/^[aeiou]/.test(what) ? 'an' : 'a'} ${what} of this MetalLB (${known.map((k) => JSON.stringify(k)).join(', ') || 'none'})`,
    );
}
