import { ApiObject } from 'cdk8s';
import { parseAddressRange } from '../../lib/core/addresses';
import { ConfigurationError, Problems, show } from '../../lib/core/errors';
import { MANAGED_BY } from '../../lib/core/labels';
import { isDnsSubdomain } from '../../lib/core/names';
import { Platform } from '../../lib/core/platform';
import { PodNetworkMember } from '../../lib/core/pod-network';
import { checkProps } from '../../lib/core/props-check';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';
import { CILIUM_MODES, CiliumApiServer, CiliumLoadBalancerIpPool, CiliumMode, CiliumProps } from './cilium-props';
import { NodeOs } from './kube-ovn-props';
import { MetalLb } from './metal-lb';

export * from './cilium-props';

/** The kinds cilium-operator registers at run time that kubestrata or its users emit. */
const RUNTIME_KINDS = [
  { group: 'cilium.io', kind: 'CiliumNetworkPolicy', plural: 'ciliumnetworkpolicies' },
  { group: 'cilium.io', kind: 'CiliumClusterwideNetworkPolicy', plural: 'ciliumclusterwidenetworkpolicies' },
  { group: 'cilium.io', kind: 'CiliumLoadBalancerIPPool', plural: 'ciliumloadbalancerippools' },
];
const CHAINING_CONFIGMAP = 'cni-configuration';
const KUBE_OVN_SOCKET = '/run/openvswitch/kube-ovn-daemon.sock';
const TALOS_KUBEPRISM: CiliumApiServer = { host: 'localhost', port: 7445 };

/**
 * Cilium with kube-proxy replacement, stand-alone or chained behind Kube-OVN exactly as Cozystack runs it
 * (generic-veth chaining, native routing, no masquerading, datapath on ovn0 and the Geneve device).
 */
export class Cilium extends ChartComponent {
  readonly mode: CiliumMode;
  readonly kubeProxyReplacement: boolean;
  readonly nodeOs: NodeOs;
  readonly apiServer?: CiliumApiServer;
  readonly hostFirewall: boolean;
  readonly hubble: boolean;
  readonly operatorReplicas: number;
  readonly devices: readonly string[];
  readonly mtu?: number;
  readonly loadBalancerIpPools: Readonly<Record<string, CiliumLoadBalancerIpPool>>;

  constructor(platform: Platform, props: CiliumProps = {}) {
    checkProps(platform.layer('network'), 'cilium', 'CiliumProps', props);
    const kubeOvn = chainTarget(platform);
    const mode = props.mode ?? (kubeOvn ? 'kube-ovn-chained' : 'standalone');
    const chained = mode === 'kube-ovn-chained';
    const nodeOs =
      props.nodeOs ?? (chained && kubeOvn?.nodes.nodeOs ? kubeOvn.nodes.nodeOs : platform.delivery === 'k3s' ? 'generic' : 'talos');
    const kubeProxyReplacement = props.kubeProxyReplacement ?? true;
    const apiServer = props.apiServer ?? (nodeOs === 'talos' ? TALOS_KUBEPRISM : undefined);
    const devices = props.devices ?? (chained ? ['ovn0', 'genev_sys_6081'] : []);
    const namespace = props.namespace ?? 'cilium';
    const loadBalancerIpPools = props.loadBalancerIpPools ?? {};
    const problems = Problems.of(platform.layer('network'), 'cilium');
    checkCilium(problems, platform, props, { mode, nodeOs, kubeProxyReplacement, apiServer, devices, loadBalancerIpPools }, kubeOvn);
    problems.throwIfAny();
    super(platform, 'network', 'cilium', {
      namespace,
      releaseName: 'cilium',
      source: props.chart ?? versions.cilium.chart,
      version: versions.cilium.app,
      podSecurity: 'privileged',
      bootstrap: true,
      allowKubeSystem: true,
      defaults: {
        kubeProxyReplacement,
        k8sServiceHost: apiServer?.host,
        k8sServicePort: apiServer?.port,
        ipam: { mode: 'kubernetes' },
        // CIDR rules also match remote nodes, so that policies admitting the API server (from outside the pod ranges) work.
        policyCIDRMatchMode: ['nodes'],
        hostFirewall: { enabled: props.hostFirewall ?? true },
        hubble: { enabled: props.hubble ?? false },
        loadBalancer: { algorithm: 'maglev', serviceTopology: true },
        envoy: { enabled: false },
        rollOutCiliumPods: true,
        operator: { replicas: props.operatorReplicas ?? 1, rollOutPods: true },
        MTU: props.mtu,
        devices: devices.length > 0 ? devices.join(' ') : undefined,
        ...(nodeOs === 'talos' ? { cgroup: { autoMount: { enabled: false }, hostRoot: '/sys/fs/cgroup' } } : {}),
        ...(chained ? chainedValues() : {}),
      },
      values: props.values,
    });
    this.mode = mode;
    this.kubeProxyReplacement = kubeProxyReplacement;
    this.nodeOs = nodeOs;
    this.apiServer = apiServer;
    this.hostFirewall = props.hostFirewall ?? true;
    this.hubble = props.hubble ?? false;
    this.operatorReplicas = props.operatorReplicas ?? 1;
    this.devices = devices;
    this.mtu = props.mtu;
    this.loadBalancerIpPools = loadBalancerIpPools;

    platform.readiness.servedAtRuntime(this, RUNTIME_KINDS);
    if (chained) {
      const config = new ApiObject(this, 'chaining', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: CHAINING_CONFIGMAP, namespace, labels: { ...MANAGED_BY } },
        data: { 'cni-config': JSON.stringify(kubeOvnChain(), undefined, 2) },
      });
      this.release.node.addDependency(config);
      if (!kubeOvn) this.node.addValidation({ validate: () => this.checkKubeOvnPresent() });
    }
    for (const [name, pool] of Object.entries(this.loadBalancerIpPools)) {
      new ApiObject(this, `lb-pool-${name}`, {
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumLoadBalancerIPPool',
        metadata: { name, labels: { ...MANAGED_BY } },
        spec: {
          blocks: pool.blocks.map((block) =>
            block.includes('/') ? { cidr: block } : { start: block.split('-')[0], stop: block.split('-')[1] },
          ),
          serviceSelector: pool.serviceSelector && { matchLabels: { ...pool.serviceSelector } },
        },
      }).node.addDependency(this.release);
    }
    platform.podNetwork.register({
      component: this,
      product: 'Cilium',
      part: chained ? 'chained' : 'ipam',
      nodes: {
        nodeOs,
        kernelModules: [],
        replacesKubeProxy: kubeProxyReplacement,
        nodeCidrIpam: !chained,
        traffic: ['cilium-health', ...(chained ? [] : ['cilium-vxlan' as const]), ...(this.hubble ? ['hubble' as const] : [])],
      },
      enforcesNetworkPolicy: true,
      loadBalancerPools: Object.keys(loadBalancerIpPools),
    });
  }

  private checkKubeOvnPresent(): string[] {
    if (!chainTarget(this.platform)) {
      throw new ConfigurationError(this.node.path, [
        {
          property: 'mode',
          value: this.mode,
          rule: 'chains Cilium behind Kube-OVN, but the platform has no KubeOvn',
          fix: 'add new KubeOvn(platform), or use mode "standalone"',
        },
      ]);
    }
    return [];
  }
}

interface ResolvedCilium {
  readonly mode: CiliumMode;
  readonly nodeOs: NodeOs;
  readonly kubeProxyReplacement: boolean;
  readonly apiServer?: CiliumApiServer;
  readonly devices: readonly string[];
  readonly loadBalancerIpPools: Readonly<Record<string, CiliumLoadBalancerIpPool>>;
}

/** The pod network's IPAM member that Cilium can chain behind (Kube-OVN), if there is one. */
function chainTarget(platform: Platform): PodNetworkMember | undefined {
  const ipam = platform.podNetwork.ipam;
  return ipam?.chaining ? ipam : undefined;
}

function checkCilium(
  problems: Problems,
  platform: Platform,
  props: CiliumProps,
  cilium: ResolvedCilium,
  kubeOvn: PodNetworkMember | undefined,
): void {
  problems.check(CILIUM_MODES.includes(cilium.mode), 'mode', props.mode, `must be one of ${CILIUM_MODES.map(show).join(', ')}`);
  const at = kubeOvn && `the ${kubeOvn.component.constructor.name} at ${kubeOvn.component.node.path}`;
  if (cilium.mode === 'standalone' && kubeOvn) {
    problems.add(
      'mode',
      'standalone',
      `conflicts with ${at}, which does pod IPAM; Cilium can only run chained behind it`,
      'leave mode unset or use "kube-ovn-chained"',
    );
  }
  if (cilium.mode === 'kube-ovn-chained' && kubeOvn && !kubeOvn.chaining?.wanted) {
    problems.add(
      'mode',
      cilium.mode,
      `conflicts with ${at}, which enforces NetworkPolicy itself (cilium: false)`,
      'set cilium: true on the KubeOvn, or remove the Cilium',
    );
  }
  problems.check(['talos', 'generic'].includes(cilium.nodeOs), 'nodeOs', props.nodeOs, 'must be "talos" or "generic"');
  if (cilium.kubeProxyReplacement && cilium.nodeOs === 'generic') {
    problems.check(
      cilium.apiServer !== undefined,
      'apiServer',
      props.apiServer,
      'is required on generic nodes with kube-proxy replacement: nothing serves the kubernetes Service before Cilium runs',
      'pass the control plane endpoint, e.g. { host: "10.0.0.10", port: 6443 }',
    );
  }
  if (cilium.apiServer) {
    problems.check(
      typeof cilium.apiServer.host === 'string' && /^[A-Za-z0-9.:-]+$/.test(cilium.apiServer.host),
      'apiServer.host',
      cilium.apiServer.host,
      'must be a host name or IP address',
    );
    problems.check(
      Number.isInteger(cilium.apiServer.port) && cilium.apiServer.port > 0 && cilium.apiServer.port < 65536,
      'apiServer.port',
      cilium.apiServer.port,
      'must be a TCP port (1-65535)',
    );
  }
  if (props.operatorReplicas !== undefined) {
    problems.check(
      Number.isInteger(props.operatorReplicas) && props.operatorReplicas >= 1,
      'operatorReplicas',
      props.operatorReplicas,
      'must be a whole number ≥ 1',
    );
  }
  cilium.devices.forEach((device, i) =>
    problems.check(
      typeof device === 'string' && /^[A-Za-z0-9_.+-]{1,15}$/.test(device),
      `devices[${i}]`,
      device,
      'must be an interface name or a name with a trailing "+" wildcard',
    ),
  );
  if (props.mtu !== undefined)
    problems.check(
      Number.isInteger(props.mtu) && props.mtu >= 576 && props.mtu <= 9000,
      'mtu',
      props.mtu,
      'must be a whole number from 576 to 9000',
    );
  const pools = Object.entries(cilium.loadBalancerIpPools);
  const metalLb = platform.registry.find(MetalLb);
  if (pools.length > 0 && metalLb) {
    problems.add(
      'loadBalancerIpPools',
      pools.map(([name]) => name),
      `would have Cilium assign LoadBalancer addresses that the MetalLB at ${metalLb.node.path} also assigns`,
      'keep one of them: remove loadBalancerIpPools or the MetalLB',
    );
  }
  for (const [name, pool] of pools) {
    problems.check(isDnsSubdomain(name), `loadBalancerIpPools.${name}`, name, 'must be a DNS-1123 subdomain');
    if (
      problems.check(
        Array.isArray(pool?.blocks) && pool.blocks.length > 0,
        `loadBalancerIpPools.${name}.blocks`,
        pool?.blocks,
        'must list at least one CIDR or range',
      )
    ) {
      pool.blocks.forEach((block, i) =>
        problems.check(
          parseAddressRange(block) !== undefined,
          `loadBalancerIpPools.${name}.blocks[${i}]`,
          block,
          'must be an IPv4 CIDR such as "10.0.10.0/24" or a range such as "10.0.10.100-10.0.10.200"',
        ),
      );
    }
  }
}

/** Cozystack's chaining values (packages/system/cilium values-kubeovn). */
function chainedValues(): Record<string, unknown> {
  return {
    cni: { chainingMode: 'generic-veth', chainingTarget: 'kube-ovn', customConf: true, configMap: CHAINING_CONFIGMAP },
    routingMode: 'native',
    autoDirectNodeRoutes: false,
    enableIPv4Masquerade: false,
    enableIPv6Masquerade: false,
    bpf: { masquerade: false },
    enableIdentityMark: false,
    forceDeviceDetection: true,
    sctp: { enabled: true },
  };
}

/** The generic-veth CNI chain of Cilium's Kube-OVN guide: Kube-OVN, portmap, then Cilium. */
function kubeOvnChain(): Record<string, unknown> {
  return {
    name: 'generic-veth',
    cniVersion: '0.3.1',
    plugins: [
      { type: 'kube-ovn', server_socket: KUBE_OVN_SOCKET, ipam: { type: 'kube-ovn', server_socket: KUBE_OVN_SOCKET } },
      { type: 'portmap', snat: true, capabilities: { portMappings: true } },
      { type: 'cilium-cni' },
    ],
  };
}
