import { ApiObject } from 'cdk8s';
import { Problems } from '../../lib/core/errors';
import { MANAGED_BY } from '../../lib/core/labels';
import { Platform } from '../../lib/core/platform';
import { PodNetworkTraffic } from '../../lib/core/pod-network';
import { checkProps } from '../../lib/core/props-check';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';
import { checkCalico, DEFAULT_POOL, resolveCalico } from './calico-check';
import {
  CalicoDataplane,
  CalicoEncapsulation,
  CalicoFelixSettings,
  CalicoNodeAddressDetection,
  CalicoProps,
  ResolvedCalicoIpPool,
} from './calico-props';

export * from './calico-props';

/** The crd.projectcalico.org kinds the operator registers at run time (the chart installs only operator.tigera.io). */
const RUNTIME_KINDS = [
  { group: 'crd.projectcalico.org', kind: 'FelixConfiguration', plural: 'felixconfigurations' },
  { group: 'crd.projectcalico.org', kind: 'IPPool', plural: 'ippools' },
  { group: 'crd.projectcalico.org', kind: 'BGPConfiguration', plural: 'bgpconfigurations' },
  { group: 'crd.projectcalico.org', kind: 'BGPPeer', plural: 'bgppeers' },
  { group: 'crd.projectcalico.org', kind: 'GlobalNetworkPolicy', plural: 'globalnetworkpolicies' },
];

/**
 * Calico as the cluster's CNI, installed by the Tigera operator: the operator chart, an `Installation` with the pod
 * network, the FelixConfiguration `default` and any extra IP pools. The defaults are the Olares network: pods in
 * 10.233.64.0/18 with /24 node blocks, IPIP over BGP, outgoing NAT.
 *
 * Calico's own kinds are written to crd.projectcalico.org/v1, the API the operator serves them with on the
 * Kubernetes versions kubestrata supports; it moves to projectcalico.org/v3 only where the cluster serves
 * MutatingAdmissionPolicy or CALICO_API_GROUP asks for it.
 */
export class Calico extends ChartComponent {
  readonly operatorVersion: string;
  readonly podCidr: string;
  readonly blockSize: number;
  readonly encapsulation: CalicoEncapsulation;
  readonly natOutgoing: boolean;
  readonly bgp: boolean;
  readonly mtu?: number;
  readonly dataplane: CalicoDataplane;
  readonly nodeAddressDetection: CalicoNodeAddressDetection;
  readonly containerIpForwarding: boolean;
  readonly apiServer: boolean;
  readonly ipPools: Readonly<Record<string, ResolvedCalicoIpPool>>;
  readonly felix: Required<CalicoFelixSettings>;
  /** The operator's `Installation`; anything that needs a working pod network can depend on it. */
  readonly installation: ApiObject;

  constructor(platform: Platform, props: CalicoProps = {}) {
    checkProps(platform.layer('network'), 'calico', 'CalicoProps', props);
    const resolved = resolveCalico(platform, props);
    const problems = Problems.of(platform.layer('network'), 'calico');
    checkCalico(problems, props, resolved);
    problems.throwIfAny();
    const endpoint = props.kubernetesServiceEndpoint;
    super(platform, 'network', 'calico', {
      namespace: props.namespace ?? 'tigera-operator',
      releaseName: 'tigera-operator',
      source: props.chart ?? versions.calico.chart,
      version: versions.calico.app,
      podSecurity: 'privileged',
      bootstrap: true,
      defaults: {
        installation: { enabled: false },
        apiServer: { enabled: false },
        goldmane: { enabled: false },
        whisker: { enabled: false },
        defaultFelixConfiguration: { enabled: false },
        manageCRDs: true,
        kubernetesServiceEndpoint: endpoint && { host: endpoint.host, port: String(endpoint.port) },
      },
      values: props.values,
    });
    this.operatorVersion = versions.calico.operator;
    this.podCidr = resolved.podCidr;
    this.blockSize = resolved.blockSize;
    this.encapsulation = resolved.encapsulation;
    this.natOutgoing = resolved.natOutgoing;
    this.bgp = resolved.bgp;
    this.mtu = resolved.mtu;
    this.dataplane = resolved.dataplane;
    this.nodeAddressDetection = resolved.nodeAddressDetection;
    this.containerIpForwarding = resolved.containerIpForwarding;
    this.apiServer = resolved.apiServer;
    this.ipPools = resolved.ipPools;
    this.felix = resolved.felix;
    platform.clusterNetworks.declare(() => ({ pods: [this.podCidr, ...Object.values(this.ipPools).map((pool) => pool.cidr)] }));

    this.installation = this.object('installation', 'operator.tigera.io/v1', 'Installation', 'default', this.installationSpec());
    this.installation.node.addDependency(this.release);
    platform.readiness.waitForCondition(this.installation, 'Ready');
    platform.readiness.servedAtRuntime(this, RUNTIME_KINDS);
    if (this.apiServer)
      this.object('api-server', 'operator.tigera.io/v1', 'APIServer', 'default', {}).node.addDependency(this.installation);
    this.object('felix', 'crd.projectcalico.org/v1', 'FelixConfiguration', 'default', this.felixSpec()).node.addDependency(
      this.installation,
    );
    for (const [name, pool] of Object.entries(this.ipPools)) {
      this.object(`ip-pool-${name}`, 'crd.projectcalico.org/v1', 'IPPool', name, {
        cidr: pool.cidr,
        blockSize: pool.blockSize,
        ...tunnelModes(pool.encapsulation),
        natOutgoing: pool.natOutgoing,
        nodeSelector: pool.nodeSelector,
        disabled: pool.disabled,
      }).node.addDependency(this.installation);
    }
    platform.podNetwork.register({
      component: this,
      product: 'Calico',
      part: 'ipam',
      nodes: { podCidr: this.podCidr, kernelModules: [], replacesKubeProxy: false, nodeCidrIpam: false, traffic: this.nodeTraffic() },
      enforcesNetworkPolicy: true,
      loadBalancerPools: [],
    });
  }

  private nodeTraffic(): PodNetworkTraffic[] {
    const encapsulations = [this.encapsulation, ...Object.values(this.ipPools).map((p) => p.encapsulation)];
    return [
      ...(encapsulations.some((e) => e.startsWith('IPIP')) ? ['calico-ipip' as const] : []),
      ...(encapsulations.some((e) => e.startsWith('VXLAN')) ? ['calico-vxlan' as const] : []),
      ...(this.bgp ? ['calico-bgp' as const] : []),
      'calico-typha',
      ...(this.felix.wireguard ? ['wireguard' as const] : []),
    ];
  }

  private installationSpec(): Record<string, unknown> {
    return {
      variant: 'Calico',
      cni: { type: 'Calico', ipam: { type: 'Calico' } },
      kubeletVolumePluginPath: 'None',
      calicoNetwork: {
        bgp: this.bgp ? 'Enabled' : 'Disabled',
        linuxDataplane: this.dataplane,
        mtu: this.mtu,
        containerIPForwarding: this.containerIpForwarding ? 'Enabled' : 'Disabled',
        nodeAddressAutodetectionV4: nodeAddressAutodetection(this.nodeAddressDetection),
        ipPools: [
          {
            name: DEFAULT_POOL,
            cidr: this.podCidr,
            blockSize: this.blockSize,
            encapsulation: this.encapsulation,
            natOutgoing: this.natOutgoing ? 'Enabled' : 'Disabled',
            nodeSelector: 'all()',
          },
        ],
      },
    };
  }

  private felixSpec(): Record<string, unknown> {
    const overrides = Object.entries(this.felix.featureDetectOverride).map(([name, on]) => `${name}=${on}`);
    return {
      defaultEndpointToHostAction: this.felix.workloadToHostAction,
      ipv6Support: this.felix.ipv6,
      featureDetectOverride: overrides.length > 0 ? overrides.join(',') : undefined,
      wireguardEnabled: this.felix.wireguard,
      prometheusMetricsEnabled: this.felix.prometheusMetrics,
      logSeverityScreen: this.felix.logSeverity,
    };
  }

  private object(id: string, apiVersion: string, kind: string, name: string, spec: Record<string, unknown>): ApiObject {
    return new ApiObject(this, id, { apiVersion, kind, metadata: { name, labels: { ...MANAGED_BY } }, spec });
  }
}

function tunnelModes(encapsulation: CalicoEncapsulation): { ipipMode: string; vxlanMode: string } {
  const mode = encapsulation.endsWith('CrossSubnet') ? 'CrossSubnet' : 'Always';
  if (encapsulation.startsWith('IPIP')) return { ipipMode: mode, vxlanMode: 'Never' };
  if (encapsulation.startsWith('VXLAN')) return { ipipMode: 'Never', vxlanMode: mode };
  return { ipipMode: 'Never', vxlanMode: 'Never' };
}

function nodeAddressAutodetection(detection: CalicoNodeAddressDetection): Record<string, unknown> {
  switch (detection.method) {
    case 'kubernetes':
      return { kubernetes: 'NodeInternalIP' };
    case 'canReach':
      return { canReach: detection.destination };
    case 'interface':
      return { interface: detection.pattern };
    case 'skipInterface':
      return { skipInterface: detection.pattern };
    case 'cidrs':
      return { cidrs: [...detection.cidrs] };
    case 'firstFound':
      return { firstFound: true };
  }
}
