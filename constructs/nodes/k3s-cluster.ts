import { Construct } from 'constructs';
import { checkNetwork, overlaps, parseIp } from '../../lib/core/addresses';
import { Problems } from '../../lib/core/errors';
import { checkDnsLabel, isDnsSubdomain } from '../../lib/core/names';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { SecretRef } from '../../lib/core/secrets';
import { versions } from '../../lib/versions';
import { hostRange, hostsOf } from '../../lib/core/cluster-networks';
import { k3sConfig, k3sInstallScript, k3sRegistries, k3sUserData, k3sYaml } from './k3s-files';
import { K3sNode, K3sNodeProps } from './k3s-node';
import { checkEviction, checkReservation } from './kubelet-settings';
import { K3S_BUILTINS, K3sBuiltin, K3sClusterProps, K3sCni, K3sKubeletProps, KUBE_PROXY_MODES, KubeProxyMode } from './k3s-props';
import { checkNodeCni, checkNodeNetwork, defaultPodCidr, defaultServiceCidr, describe, platformNetwork } from './platform-network';
import { checkTopology } from './topology';

export * from './k3s-props';

const HOST_SYSCTLS = {
  'net.ipv4.ip_forward': '1',
  'net.bridge.bridge-nf-call-iptables': '1',
  'net.bridge.bridge-nf-call-ip6tables': '1',
  'vm.max_map_count': '262144',
  'fs.inotify.max_user_instances': '524288',
  'net.ipv4.ip_local_reserved_ports': '30000-32767',
};
const RESERVED = { cpu: '200m', memory: '250Mi', ephemeralStorage: '1Gi' };
const VERSION = /^v(\d+\.\d+)\.\d+\+k3s\d+$/;
const REGISTRY = /^(\*|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?)$/;

/**
 * A K3s cluster as Olares runs it (Calico instead of Flannel, kube-proxy in IPVS mode, reserved resources and
 * early eviction), with embedded etcd: the first server initialises it, the others join. Each node gets
 * config.yaml, registries.yaml, an install script pinned to the K3s release, and the same as cloud-init.
 */
export class K3sCluster extends Construct {
  readonly platform: Platform;
  readonly clusterName: string;
  readonly version: string;
  readonly token: SecretRef;
  readonly kubeProxyMode: KubeProxyMode;
  readonly kubelet: K3sKubeletProps & { readonly maxPods: number };
  readonly registryMirrors: Readonly<Record<string, readonly string[]>>;
  readonly secretsEncryption: boolean;
  readonly kubeconfigMode: '0600' | '0640' | '0644';
  readonly sysctls: Readonly<Record<string, string>>;
  readonly installerUrl: string;
  readonly installerSha256?: string;
  private readonly props: K3sClusterProps;

  constructor(platform: Platform, id: string, props: K3sClusterProps = {}) {
    checkProps(platform, id, 'K3sClusterProps', props);
    super(platform, id);
    this.props = props;
    this.platform = platform;
    platform.clusterNetworks.declare(() => ({
      pods: [this.clusterCidr],
      services: [this.serviceCidr],
      nodes: this.nodes.filter((n) => n.ip).map((n) => hostRange(n.ip)),
      apiServers: [...this.servers.filter((n) => n.ip).map((n) => hostRange(n.ip)), ...hostsOf(this.props.endpoint)],
    }));
    this.clusterName = props.clusterName ?? id;
    this.version = props.version ?? (versions.k3s.releases as Record<string, string>)[platform.kubernetesVersion];
    this.token = props.token ?? SecretRef.fromConfig('k3s-token', ['token']);
    this.kubeProxyMode = props.kubeProxyMode ?? 'ipvs';
    this.kubelet = {
      maxPods: props.kubelet?.maxPods ?? 200,
      systemReserved: props.kubelet?.systemReserved ?? RESERVED,
      kubeReserved: props.kubelet?.kubeReserved ?? RESERVED,
      evictionHard: props.kubelet?.evictionHard ?? { memoryAvailable: '5%', nodefsAvailable: '10%', imagefsAvailable: '10%' },
    };
    this.registryMirrors = props.registryMirrors ?? {};
    this.secretsEncryption = props.secretsEncryption ?? true;
    this.kubeconfigMode = props.kubeconfigMode ?? '0600';
    this.sysctls = { ...HOST_SYSCTLS, ...props.sysctls };
    this.installerUrl = props.installerUrl ?? versions.k3s.installer;
    this.installerSha256 = props.installerSha256;
    this.checkProps(props);
    this.node.addValidation({ validate: () => (this.check(), []) });
  }

  addNode(id: string, props: K3sNodeProps): K3sNode {
    return new K3sNode(this, id, props);
  }

  get nodes(): K3sNode[] {
    return this.node.children.filter((c): c is K3sNode => c instanceof K3sNode);
  }

  get servers(): K3sNode[] {
    return this.nodes.filter((n) => n.server);
  }

  /** The server that initialises embedded etcd (`cluster-init`). */
  get firstServer(): K3sNode | undefined {
    return this.servers[0];
  }

  /** The order nodes must be installed in: the first server, the other servers, then the agents. */
  get joinOrder(): K3sNode[] {
    return [...this.servers, ...this.nodes.filter((n) => !n.server)];
  }

  /** The URL joining nodes register with. */
  get serverUrl(): string {
    const host = this.props.endpoint ?? this.firstServer?.address ?? '';
    return `https://${host.includes(':') ? `[${host}]` : host}:6443`;
  }

  /** Names in the API server certificate: every server address, the endpoint and `tlsSans`. */
  get tlsSans(): string[] {
    return [
      ...new Set([
        ...this.servers.map((s) => s.address),
        ...(this.props.endpoint ? [this.props.endpoint] : []),
        ...(this.props.tlsSans ?? []),
      ]),
    ];
  }

  get clusterCidr(): string {
    return this.props.clusterCidr ?? defaultPodCidr(platformNetwork(this.platform), '10.233.64.0/18');
  }

  get serviceCidr(): string {
    return this.props.serviceCidr ?? defaultServiceCidr(platformNetwork(this.platform), '10.233.0.0/18');
  }

  get cni(): K3sCni {
    return this.props.cni ?? (platformNetwork(this.platform).cni ? 'none' : 'flannel');
  }

  get networkPolicy(): boolean {
    return this.props.networkPolicy ?? this.cni === 'flannel';
  }

  get kubeProxy(): boolean {
    return this.props.kubeProxy ?? platformNetwork(this.platform).kubeProxyReplacement === undefined;
  }

  get disable(): K3sBuiltin[] {
    if (this.props.disable) return [...this.props.disable];
    const network = platformNetwork(this.platform);
    return ['traefik', ...(network.localPath ? [] : ['local-storage' as const]), ...(network.metalLb ? ['servicelb' as const] : [])];
  }

  /** Kernel modules the host loads before K3s starts. */
  get kernelModules(): string[] {
    const ipvs = this.kubeProxy && this.kubeProxyMode === 'ipvs' ? ['ip_vs', 'ip_vs_rr', 'ip_vs_wrr', 'ip_vs_sh', 'nf_conntrack'] : [];
    return ['br_netfilter', 'overlay', ...ipvs];
  }

  config(node: K3sNode): Record<string, unknown> {
    this.check();
    return k3sConfig(this, node);
  }

  configYaml(node: K3sNode): string {
    return k3sYaml(this.config(node));
  }

  registriesYaml(): string {
    return k3sYaml(k3sRegistries(this));
  }

  installScript(node: K3sNode): string {
    this.check();
    return k3sInstallScript(this, node);
  }

  /**
   * cloud-init user data for the node. Without `token` the token file must reach the node another way; with it
   * (a value from a Pulumi secret, in memory) the user data holds the token and must be treated as a secret.
   */
  userData(node: K3sNode, token?: string): string {
    this.check();
    return k3sUserData(this, node, token);
  }

  /** Checks the nodes against each other and against the platform; throws one `ConfigurationError` with every problem. */
  check(): void {
    const problems = Problems.of(this);
    checkTopology(
      problems,
      this.nodes.map((n) => ({ id: n.node.id, nodeName: n.hostname, controlPlane: n.server, ip: n.ip })),
      'server',
    );
    for (const [property, cidr] of [
      ['clusterCidr', this.clusterCidr],
      ['serviceCidr', this.serviceCidr],
    ] as const) {
      const net = parseIp(cidr);
      const inside = net && this.nodes.find((n) => n.ip && overlaps(net, n.ip));
      if (inside)
        problems.add(
          property,
          cidr,
          `contains the address ${inside.address} of node "${inside.node.id}"`,
          'choose a range the hosts do not use',
        );
    }
    const pods = parseIp(this.clusterCidr);
    const services = parseIp(this.serviceCidr);
    if (pods && services && overlaps(pods, services))
      problems.add('clusterCidr', this.clusterCidr, `overlaps serviceCidr ${this.serviceCidr}`, 'use disjoint ranges');
    this.checkPlatformNetwork(problems);
    problems.throwIfAny();
  }

  private checkPlatformNetwork(problems: Problems): void {
    const network = platformNetwork(this.platform);
    checkNodeCni(problems, network, {
      distribution: 'K3s',
      cni: this.props.cni,
      runsFlannel: this.cni === 'flannel',
      kubeProxy: this.props.kubeProxy,
    });
    const enforcer = network.networkPolicyEnforcer;
    if (this.props.networkPolicy === true && enforcer) {
      problems.add(
        'networkPolicy',
        true,
        `runs K3s's network policy controller, but ${describe(enforcer)} enforces network policy itself`,
        'remove networkPolicy',
      );
    }
    if (network.metalLb && !this.disable.includes('servicelb')) {
      problems.add(
        'disable',
        this.disable,
        `keeps K3s's servicelb, but ${describe(network.metalLb)} also answers LoadBalancer Services`,
        'add "servicelb" to disable',
      );
    }
    if (network.coreDns && this.disable.includes('coredns')) {
      problems.add(
        'disable',
        this.disable,
        `removes K3s's CoreDNS, which reads the extra server blocks of ${describe(network.coreDns)}`,
        'remove "coredns" from disable',
      );
    }
    if (network.localPath && this.disable.includes('local-storage')) {
      problems.add(
        'disable',
        this.disable,
        `removes K3s's local-storage, whose local-path StorageClass ${describe(network.localPath)} provides`,
        'remove "local-storage" from disable',
      );
    }
    checkNodeNetwork(problems, network, {
      distribution: 'K3s',
      nodeOs: 'generic',
      podProperty: 'clusterCidr',
      podCidrs: [this.clusterCidr],
      serviceProperty: 'serviceCidr',
      serviceCidrs: [this.serviceCidr],
      maxPods: this.kubelet.maxPods,
      maxPodsProperty: 'kubelet.maxPods',
      ownFlannel: this.cni === 'flannel' ? "K3s's Flannel" : undefined,
    });
  }

  private checkProps(props: K3sClusterProps): void {
    const problems = Problems.of(this);
    checkDnsLabel(problems, 'clusterName', this.clusterName);
    if (this.version === undefined) {
      problems.add(
        'version',
        undefined,
        `has no default for the platform's Kubernetes ${this.platform.kubernetesVersion}`,
        `set version to a K3s release of Kubernetes ${this.platform.kubernetesVersion}, or use a platform kubernetesVersion of ${Object.keys(versions.k3s.releases).join(' or ')}`,
      );
    } else {
      const match = VERSION.exec(this.version);
      if (problems.check(match !== null, 'version', this.version, 'must be a K3s release tag such as "v1.33.3+k3s1"')) {
        problems.check(
          match![1] === this.platform.kubernetesVersion,
          'version',
          this.version,
          `is not of the platform's Kubernetes ${this.platform.kubernetesVersion}, which its manifests are validated against`,
          'make both the same minor version',
        );
      }
    }
    this.token.check(problems, 'token', ['token']);
    if (props.endpoint !== undefined) {
      problems.check(
        (parseIp(props.endpoint) !== undefined && !props.endpoint.includes('/')) || isDnsSubdomain(props.endpoint),
        'endpoint',
        props.endpoint,
        'must be an IP address or DNS name (no scheme or port)',
        'write it like "10.0.0.10" or "k3s.example.org"',
      );
    }
    if (props.clusterCidr !== undefined) checkNetwork(problems, 'clusterCidr', props.clusterCidr, '10.233.64.0/18');
    if (props.serviceCidr !== undefined) checkNetwork(problems, 'serviceCidr', props.serviceCidr, '10.233.0.0/18');
    if (props.cni !== undefined) problems.check(['none', 'flannel'].includes(props.cni), 'cni', props.cni, 'must be "none" or "flannel"');
    problems.check(
      KUBE_PROXY_MODES.includes(this.kubeProxyMode),
      'kubeProxyMode',
      this.kubeProxyMode,
      `must be one of ${KUBE_PROXY_MODES.join(', ')}`,
    );
    for (const item of props.disable ?? []) {
      problems.check(K3S_BUILTINS.includes(item), 'disable', item, `is not a packaged K3s component (one of ${K3S_BUILTINS.join(', ')})`);
    }
    problems.check(
      Number.isInteger(this.kubelet.maxPods) && this.kubelet.maxPods >= 1,
      'kubelet.maxPods',
      this.kubelet.maxPods,
      'must be a whole number ≥ 1',
    );
    checkReservation(problems, 'kubelet.systemReserved', this.kubelet.systemReserved);
    checkReservation(problems, 'kubelet.kubeReserved', this.kubelet.kubeReserved);
    checkEviction(problems, 'kubelet.evictionHard', this.kubelet.evictionHard);
    for (const [registry, endpoints] of Object.entries(this.registryMirrors)) {
      problems.check(
        REGISTRY.test(registry),
        `registryMirrors.${registry}`,
        registry,
        'must be a registry host such as "docker.io", or "*"',
      );
      for (const url of endpoints) {
        const scheme = props.insecureRegistryMirrors ? /^https?:\/\/[^\s'"]+$/ : /^https:\/\/[^\s'"]+$/;
        problems.check(
          scheme.test(url),
          `registryMirrors.${registry}`,
          url,
          props.insecureRegistryMirrors ? 'must be an http(s) URL' : 'must be an https URL',
          'use https, or set insecureRegistryMirrors: true for a mirror on a trusted network',
        );
      }
    }
    problems.check(
      ['0600', '0640', '0644'].includes(this.kubeconfigMode),
      'kubeconfigMode',
      this.kubeconfigMode,
      'must be "0600", "0640" or "0644"',
    );
    for (const san of props.tlsSans ?? []) {
      problems.check(
        (parseIp(san) !== undefined && !san.includes('/')) || isDnsSubdomain(san),
        'tlsSans',
        san,
        'must be an IP address or DNS name',
      );
    }
    for (const [key, value] of Object.entries(this.sysctls)) {
      problems.check(
        /^[a-z0-9_]+(\.[a-zA-Z0-9_-]+)+$/.test(key) && typeof value === 'string' && /^[A-Za-z0-9 ._,:\/-]+$/.test(value),
        `sysctls.${key}`,
        value,
        'must be a sysctl name with a plain string value',
        'write it like { "vm.max_map_count": "262144" }',
      );
    }
    problems.check(
      /^https:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~%\/+-]*)?$/.test(this.installerUrl),
      'installerUrl',
      this.installerUrl,
      'must be an https URL',
    );
    if (this.installerSha256 !== undefined)
      problems.check(
        /^[0-9a-f]{64}$/.test(this.installerSha256),
        'installerSha256',
        this.installerSha256,
        'must be 64 lower-case hex digits',
      );
    problems.throwIfAny();
  }
}
