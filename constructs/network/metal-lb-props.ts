import { SecretRef } from '../../lib/core/secrets';
import { HelmChartSource } from '../../lib/releases/chart';

/** Addresses MetalLB gives Services of type LoadBalancer (an IPAddressPool). */
export interface MetalLbAddressPool {
  /** CIDRs (`192.168.1.240/28`) or ranges (`192.168.1.240-192.168.1.250`). */
  readonly addresses: readonly string[];
  /** Give addresses to Services that do not ask for this pool. @default true */
  readonly autoAssign?: boolean;
  /** Skip addresses ending in .0 and .255, which some clients mishandle. @default false */
  readonly avoidBuggyIps?: boolean;
  /** Only Services in these namespaces get addresses from the pool. @default - any namespace */
  readonly namespaces?: readonly string[];
}

/** Announce pools with ARP from the nodes (an L2Advertisement). */
export interface MetalLbL2Advertisement {
  /** @default every address pool */
  readonly pools?: readonly string[];
  /** Interfaces to announce from. @default every interface */
  readonly interfaces?: readonly string[];
  /** Nodes that may announce. @default every node */
  readonly nodeSelector?: Readonly<Record<string, string>>;
}

/** A BGP router the speakers peer with (a BGPPeer). */
export interface MetalLbBgpPeer {
  readonly peerAddress: string;
  readonly peerAsn: number;
  readonly myAsn: number;
  /** @default 179 */
  readonly peerPort?: number;
  /** TCP MD5 password: a `kubernetes.io/basic-auth` Secret with the key `password` in the MetalLB namespace. @default - none */
  readonly password?: SecretRef;
  /** The peer is more than one hop away. @default false */
  readonly ebgpMultiHop?: boolean;
  /** Hold time, such as `90s`. @default - MetalLB's */
  readonly holdTime?: string;
  /** Nodes that peer. @default every node */
  readonly nodeSelector?: Readonly<Record<string, string>>;
}

/** Announce pools to BGP peers (a BGPAdvertisement). */
export interface MetalLbBgpAdvertisement {
  /** @default every address pool */
  readonly pools?: readonly string[];
  /** @default every BGP peer */
  readonly peers?: readonly string[];
  /** Communities such as `65000:100`. @default [] */
  readonly communities?: readonly string[];
  /** @default - none */
  readonly localPref?: number;
  /** Announce one aggregated prefix of this length instead of /32s. @default 32 */
  readonly aggregationLength?: number;
}

export interface MetalLbProps {
  /** @default 'metallb-system' */
  readonly namespace?: string;
  /** Chart to install. @default versions.metallb.chart */
  readonly chart?: HelmChartSource;
  /** Chart values merged over kubestrata's (`mergeValues`: maps merge, lists and scalars replace, `null` removes a key). @default {} */
  readonly values?: Record<string, unknown>;
  /**
   * Address pools by name; no address can be guessed.
   * @requiredBecause MetalLB has no address it may give to LoadBalancer Services
   * @requiredFix pass addressPools: { default: { addresses: ["192.168.1.240-192.168.1.250"] } } with free addresses of the node network
   */
  readonly addressPools: Readonly<Record<string, MetalLbAddressPool>>;
  /** @default { default: {} } (every pool, every node) when there are no BGP peers, else {} */
  readonly l2Advertisements?: Readonly<Record<string, MetalLbL2Advertisement>>;
  /** @default {} */
  readonly bgpPeers?: Readonly<Record<string, MetalLbBgpPeer>>;
  /** @default { default: {} } (every pool to every peer) when there are BGP peers, else {} */
  readonly bgpAdvertisements?: Readonly<Record<string, MetalLbBgpAdvertisement>>;
}
