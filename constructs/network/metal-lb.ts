import { ApiObject } from 'cdk8s';
import { Problems } from '../../lib/core/errors';
import { MANAGED_BY } from '../../lib/core/labels';
import { ComponentClass } from '../../lib/core/component';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';
import { checkMetalLb } from './metal-lb-check';
import { MetalLbAddressPool, MetalLbBgpAdvertisement, MetalLbBgpPeer, MetalLbProps, MetalLbL2Advertisement } from './metal-lb-props';

export * from './metal-lb-props';

/**
 * MetalLB with its frr-k8s BGP backend, as Cozystack installs it, and the address pools and advertisements it
 * announces. Cozystack leaves the pools to the administrator; here they are required input.
 */
export class MetalLb extends ChartComponent {
  readonly addressPools: Readonly<Record<string, MetalLbAddressPool>>;
  readonly l2Advertisements: Readonly<Record<string, MetalLbL2Advertisement>>;
  readonly bgpPeers: Readonly<Record<string, MetalLbBgpPeer>>;
  readonly bgpAdvertisements: Readonly<Record<string, MetalLbBgpAdvertisement>>;

  /** `given` is left out only by the registry, whose default MetalLB the props check refuses for its missing address pools. */
  constructor(platform: Platform, given?: MetalLbProps) {
    checkProps(platform.layer('network'), 'metallb', 'MetalLbProps', given);
    const props = given!;
    const addressPools = props.addressPools;
    const bgpPeers = props.bgpPeers ?? {};
    const bgp = Object.keys(bgpPeers).length > 0;
    const l2Advertisements = props.l2Advertisements ?? (bgp ? {} : { default: {} });
    const bgpAdvertisements = props.bgpAdvertisements ?? (bgp ? { default: {} } : {});
    const problems = Problems.of(platform.layer('network'), 'metallb');
    checkMetalLb(problems, platform, { addressPools, bgpPeers, l2Advertisements, bgpAdvertisements }, props);
    problems.throwIfAny();
    super(platform, 'network', 'metallb', {
      namespace: props.namespace ?? 'metallb-system',
      releaseName: 'metallb',
      source: props.chart ?? versions.metallb.chart,
      version: versions.metallb.app,
      podSecurity: 'privileged',
      defaults: {
        crds: { enabled: true },
        frrk8s: { enabled: true },
        speaker: { frr: { enabled: false } },
      },
      values: props.values,
    });
    this.addressPools = addressPools;
    this.bgpPeers = bgpPeers;
    this.l2Advertisements = l2Advertisements;
    this.bgpAdvertisements = bgpAdvertisements;
    // Its speakers and controller are pods: installed after every CNI, whichever is created first.
    platform.podNetwork.whenProvided((cni) => this.requires(cni.component.constructor as ComponentClass));

    const pools = Object.keys(this.addressPools);
    for (const [name, pool] of Object.entries(this.addressPools)) {
      this.object(`pool-${name}`, 'metallb.io/v1beta1', 'IPAddressPool', name, {
        addresses: [...pool.addresses],
        autoAssign: pool.autoAssign ?? true,
        avoidBuggyIPs: pool.avoidBuggyIps ?? false,
        serviceAllocation: pool.namespaces && { namespaces: [...pool.namespaces] },
      });
    }
    for (const [name, ad] of Object.entries(this.l2Advertisements)) {
      this.object(`l2-${name}`, 'metallb.io/v1beta1', 'L2Advertisement', name, {
        ipAddressPools: [...(ad.pools ?? pools)],
        interfaces: ad.interfaces && [...ad.interfaces],
        nodeSelectors: ad.nodeSelector && [{ matchLabels: { ...ad.nodeSelector } }],
      });
    }
    for (const [name, peer] of Object.entries(this.bgpPeers)) {
      if (peer.password) platform.secrets.use(this.namespace, peer.password, this.node.path);
      this.object(`bgp-peer-${name}`, 'metallb.io/v1beta2', 'BGPPeer', name, {
        myASN: peer.myAsn,
        peerASN: peer.peerAsn,
        peerAddress: peer.peerAddress,
        peerPort: peer.peerPort,
        holdTime: peer.holdTime,
        ebgpMultiHop: peer.ebgpMultiHop,
        passwordSecret: peer.password && { name: peer.password.name, namespace: this.namespace },
        nodeSelectors: peer.nodeSelector && [{ matchLabels: { ...peer.nodeSelector } }],
      });
    }
    for (const [name, ad] of Object.entries(this.bgpAdvertisements)) {
      this.object(`bgp-${name}`, 'metallb.io/v1beta1', 'BGPAdvertisement', name, {
        ipAddressPools: [...(ad.pools ?? pools)],
        peers: ad.peers && [...ad.peers],
        communities: ad.communities && ad.communities.length > 0 ? [...ad.communities] : undefined,
        localPref: ad.localPref,
        aggregationLength: ad.aggregationLength,
      });
    }
  }

  private object(id: string, apiVersion: string, kind: string, name: string, spec: Record<string, unknown>): ApiObject {
    const obj = new ApiObject(this, id, {
      apiVersion,
      kind,
      metadata: { name, namespace: this.namespace, labels: { ...MANAGED_BY } },
      spec,
    });
    obj.node.addDependency(this.release);
    return obj;
  }
}
