import { addressAt, checkDisjoint, checkIpv4Network, contains, IpRange, isIpv4, parseIp, parseIpv4Network } from '../../lib/core/addresses';
import { ConfigurationError, Problems } from '../../lib/core/errors';
import { isLabelKey, isLabelValue } from '../../lib/core/names';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';
import { Cilium } from './cilium';
import { KubeOvnFeatures, KubeOvnProps, NodeOs } from './kube-ovn-props';

export * from './kube-ovn-props';

/**
 * Kube-OVN as the cluster's CNI and pod IPAM, installed from its chart with the Cozystack settings: Geneve overlay,
 * TLS between the OVN databases, and Cilium chained behind it for NetworkPolicy and Service load balancing.
 * Tenants get their own subnet with `KubeOvnSubnet.forTenant`.
 */
export class KubeOvn extends ChartComponent {
  readonly podCidr: string;
  readonly podGateway: string;
  readonly joinCidr: string;
  readonly serviceCidr: string;
  readonly cilium: boolean;
  readonly features: Required<KubeOvnFeatures>;
  readonly nodeOs: NodeOs;
  readonly masterNodesLabel: string;
  readonly masterNodes: readonly string[];
  readonly mtu?: number;
  /** Ranges subnets of the default VPC may not take: the pod, join and Service CIDRs. */
  readonly reservedRanges: ReadonlyArray<{ readonly property: string; readonly value: string; readonly range: IpRange }>;

  constructor(platform: Platform, props: KubeOvnProps = {}) {
    checkProps(platform.layer('network'), 'kube-ovn', 'KubeOvnProps', props);
    const cilium = props.cilium ?? true;
    const features: Required<KubeOvnFeatures> = {
      ssl: props.features?.ssl ?? true,
      ipsec: props.features?.ipsec ?? false,
      natGateway: props.features?.natGateway ?? true,
      keepVmIp: props.features?.keepVmIp ?? true,
      metrics: props.features?.metrics ?? true,
    };
    const nodeOs = props.nodeOs ?? (platform.delivery === 'k3s' ? 'generic' : 'talos');
    const namespace = props.namespace ?? 'kube-ovn';
    const podCidr = props.podCidr ?? '10.244.0.0/16';
    const podRange = parseIpv4Network(podCidr);
    const podGateway = props.podGateway ?? (podRange ? addressAt(podRange, 1) : '');
    const joinCidr = props.joinCidr ?? '100.64.0.0/16';
    const serviceCidr = props.serviceCidr ?? '10.96.0.0/16';
    const masterNodesLabel =
      props.masterNodesLabel ??
      (platform.delivery === 'k3s' ? 'node-role.kubernetes.io/control-plane=true' : 'node-role.kubernetes.io/control-plane');
    const problems = Problems.of(platform.layer('network'), 'kube-ovn');
    const ranges = [
      { property: 'podCidr', value: podCidr, range: checkIpv4Network(problems, 'podCidr', podCidr) },
      { property: 'joinCidr', value: joinCidr, range: checkIpv4Network(problems, 'joinCidr', joinCidr) },
      { property: 'serviceCidr', value: serviceCidr, range: checkIpv4Network(problems, 'serviceCidr', serviceCidr) },
    ];
    checkDisjoint(problems, ranges);
    if (props.podGateway !== undefined && ranges[0].range) {
      problems.check(
        isIpv4(props.podGateway) && contains(ranges[0].range, parseIp(props.podGateway)!),
        'podGateway',
        props.podGateway,
        `must be an IPv4 address inside podCidr (${podCidr})`,
      );
    }
    problems.check(['talos', 'generic'].includes(nodeOs), 'nodeOs', props.nodeOs, 'must be "talos" or "generic"');
    const [labelKey, ...labelValue] = String(masterNodesLabel).split('=');
    problems.check(
      typeof masterNodesLabel === 'string' && isLabelKey(labelKey) && (labelValue.length === 0 || isLabelValue(labelValue.join('='))),
      'masterNodesLabel',
      props.masterNodesLabel,
      'must be a node label "key" or "key=value"',
    );
    (props.masterNodes ?? []).forEach((ip, i) => problems.check(isIpv4(ip), `masterNodes[${i}]`, ip, 'must be an IPv4 address'));
    if (props.mtu !== undefined)
      problems.check(
        Number.isInteger(props.mtu) && props.mtu >= 576 && props.mtu <= 9000,
        'mtu',
        props.mtu,
        'must be a whole number from 576 to 9000',
      );
    const existing = platform.registry.find(Cilium);
    if (existing) checkCilium(problems, cilium, existing);
    problems.throwIfAny();

    super(platform, 'network', 'kube-ovn', {
      namespace,
      releaseName: 'kube-ovn',
      source: props.chart ?? versions.kubeOvn.chart,
      version: versions.kubeOvn.app,
      podSecurity: 'privileged',
      bootstrap: true,
      allowKubeSystem: true,
      defaults: {
        namespace,
        MASTER_NODES: props.masterNodes && props.masterNodes.length > 0 ? props.masterNodes.join(',') : undefined,
        MASTER_NODES_LABEL: masterNodesLabel,
        ipv4: { POD_CIDR: podCidr, POD_GATEWAY: podGateway, SVC_CIDR: serviceCidr, JOIN_CIDR: joinCidr },
        networking: { NET_STACK: 'ipv4', ENABLE_SSL: features.ssl, ENABLE_METRICS: features.metrics },
        func: {
          ENABLE_NP: !cilium,
          ENABLE_LB: !cilium,
          ENABLE_OVN_IPSEC: features.ipsec,
          ENABLE_NAT_GW: features.natGateway,
          ENABLE_KEEP_VM_IP: features.keepVmIp,
        },
        cni_conf: { CNI_CONFIG_PRIORITY: cilium ? '10' : '01' },
        ...(nodeOs === 'talos'
          ? { OPENVSWITCH_DIR: '/var/lib/openvswitch', OVN_DIR: '/var/lib/ovn', DISABLE_MODULES_MANAGEMENT: true }
          : {}),
      },
      values: props.values,
    });
    this.podCidr = podCidr;
    this.podGateway = podGateway;
    this.joinCidr = joinCidr;
    this.serviceCidr = serviceCidr;
    platform.clusterNetworks.declare(() => ({ pods: [this.podCidr], services: [this.serviceCidr], join: [this.joinCidr] }));
    this.cilium = cilium;
    this.features = features;
    this.nodeOs = nodeOs;
    this.masterNodesLabel = masterNodesLabel;
    this.masterNodes = props.masterNodes ?? [];
    this.mtu = props.mtu;

    this.reservedRanges = ranges.map((r) => ({ ...r, range: r.range! }));

    platform.podNetwork.register({
      component: this,
      product: 'Kube-OVN',
      part: 'ipam',
      chaining: { wanted: cilium },
      nodes: {
        // Cozystack's CI: node pod CIDRs apart from Kube-OVN's pod, join (100.64/16) and Kilo (100.66/16) ranges.
        avoidPodCidrs: { ranges: { podCidr, joinCidr }, instead: '100.65.0.0/16' },
        serviceCidr,
        nodeOs,
        kernelModules: ['openvswitch'],
        replacesKubeProxy: false,
        nodeCidrIpam: false,
        traffic: ['geneve', 'ovn-databases'],
      },
      enforcesNetworkPolicy: !cilium,
      loadBalancerPools: [],
    });
    platform.podNetwork.whenProvided((member) => {
      if (member.component instanceof Cilium) this.chain(member.component);
    });
    if (cilium) this.node.addValidation({ validate: () => this.checkCiliumPresent() });
  }

  /** Kube-OVN is installed after the Cilium chained behind it, whichever was created first. */
  private chain(cilium: Cilium): void {
    const problems = Problems.of(this);
    checkCilium(problems, this.cilium, cilium);
    problems.throwIfAny();
    this.requires(Cilium);
  }

  private checkCiliumPresent(): string[] {
    if (!this.platform.registry.find(Cilium)) {
      throw new ConfigurationError(this.node.path, [
        {
          property: 'cilium',
          value: true,
          rule: 'leaves NetworkPolicy and Service load balancing to a chained Cilium, but the platform has no Cilium',
          fix: 'add new Cilium(platform) after KubeOvn, or set cilium: false so that Kube-OVN enforces them itself',
        },
      ]);
    }
    return [];
  }
}

function checkCilium(problems: Problems, wanted: boolean, cilium: Cilium): void {
  if (!wanted) {
    problems.add(
      'cilium',
      false,
      `has Kube-OVN enforce NetworkPolicy itself, which conflicts with the Cilium at ${cilium.node.path}`,
      'set cilium: true (Cilium chained behind Kube-OVN), or remove the Cilium',
    );
  } else if (cilium.mode !== 'kube-ovn-chained') {
    problems.add(
      'cilium',
      true,
      `needs Cilium chained behind Kube-OVN, but the Cilium at ${cilium.node.path} runs in mode "${cilium.mode}"`,
      'create KubeOvn before Cilium, or give Cilium mode: "kube-ovn-chained"',
    );
  }
}
