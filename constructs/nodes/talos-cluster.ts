import { Construct } from 'constructs';
import { checkAddress, checkNetwork, contains, IpPrefix, networkOf, overlaps, parseIp } from '../../lib/core/addresses';
import { Problems } from '../../lib/core/errors';
import { isDnsLabel, checkDnsLabel } from '../../lib/core/names';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { versions } from '../../lib/versions';
import { hostRange, hostsOf } from '../../lib/core/cluster-networks';
import { checkEviction, checkReservation } from './kubelet-settings';
import {
  checkNodeCni,
  checkNodeNetwork,
  defaultPodCidr,
  defaultServiceCidr,
  describe,
  nodeCidrIpam,
  platformNetwork,
} from './platform-network';
import { TalosDocument } from './talos-merge';
import { talosMachineConfig, talosNodePatch, talosYaml } from './talos-patch';
import { TalosNode, TalosNodeProps } from './talos-node';
import { TalosCni, TalosClusterProps, TalosKernelModule, TalosKubeletProps, TalosOidcProps } from './talos-props';
import { TalosPlatform, TALOS_PLATFORMS, TalosSchematic } from './talos-schematic';
import { checkTalosSecrets, TalosSecretsBundle } from './talos-secrets';
import { checkTopology } from './topology';

export * from './talos-props';

const DEFAULT_MODULES: readonly TalosKernelModule[] = [
  { name: 'openvswitch' },
  { name: 'drbd', parameters: ['usermode_helper=disabled'] },
  { name: 'zfs' },
  { name: 'spl' },
];
const MODULE_EXTENSIONS: Readonly<Record<string, string>> = { drbd: 'siderolabs/drbd', zfs: 'siderolabs/zfs', spl: 'siderolabs/zfs' };
const DEFAULT_SYSCTLS = {
  'net.ipv4.neigh.default.gc_thresh1': '4096',
  'net.ipv4.neigh.default.gc_thresh2': '8192',
  'net.ipv4.neigh.default.gc_thresh3': '16384',
};
const LINK = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,14}$/;
const DISK = /^\/dev\/[a-zA-Z0-9/_-]+$/;
const ENDPOINT = /^https:\/\/(\[[0-9a-f:]+\]|[a-z0-9.-]+):\d{1,5}$/;
const REGISTRY = /^(\*|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?)$/;
const IMAGE = /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._\/-]+:[A-Za-z0-9._+-]+$/;

/**
 * A Talos Linux cluster: control-plane and worker machines with the settings Cozystack runs its nodes with
 * (storage kernel modules, dense kubelets, no external discovery, CNI and kube-proxy left to the platform).
 * It renders one machine-config patch per node, and complete machine configs in memory when given the
 * cluster's secrets bundle.
 */
export class TalosCluster extends Construct {
  readonly platform: Platform;
  readonly clusterName: string;
  readonly talosVersion: string;
  readonly kubernetesVersion: string;
  readonly schematic: TalosSchematic;
  readonly imagePlatform: TalosPlatform;
  readonly installerImage: string;
  readonly installDisk: string;
  readonly link: string;
  readonly gateway?: string;
  readonly nameservers: readonly string[];
  readonly vip?: string;
  readonly kernelModules: readonly TalosKernelModule[];
  readonly sysctls: Readonly<Record<string, string>>;
  private readonly kubeletProps: TalosKubeletProps;
  readonly registryMirrors: Readonly<Record<string, readonly string[]>>;
  readonly allowSchedulingOnControlPlanes: boolean;
  readonly discovery: boolean;
  readonly controlPlaneMetrics: boolean;
  readonly loadBalancersOnControlPlanes: boolean;
  readonly deviceOwnershipFromSecurityContext: boolean;
  readonly lvmFilter: boolean;
  readonly certSANs: readonly string[];
  readonly oidc?: Required<TalosOidcProps>;
  private readonly props: TalosClusterProps;

  constructor(platform: Platform, id: string, props: TalosClusterProps) {
    checkProps(platform, id, 'TalosClusterProps', props);
    super(platform, id);
    this.props = props;
    this.platform = platform;
    platform.clusterNetworks.declare(() => ({
      pods: this.podSubnets,
      services: this.serviceSubnets,
      nodes: this.nodes.filter((n) => n.ip).map((n) => hostRange(n.ip)),
      apiServers: [...this.controlPlanes.filter((n) => n.ip).map((n) => hostRange(n.ip)), ...hostsOf(this.vip)],
    }));
    this.clusterName = props.clusterName ?? id;
    this.talosVersion = props.talosVersion ?? versions.talos.version;
    this.kubernetesVersion = props.kubernetesVersion ?? (versions.talos.kubernetes as Record<string, string>)[platform.kubernetesVersion];
    this.schematic = props.schematic ?? TalosSchematic.cozystack();
    this.imagePlatform = props.imagePlatform ?? 'metal';
    this.installerImage =
      props.installerImage ?? (this.schematic.valid ? this.schematic.installerImage(this.talosVersion, this.imagePlatform) : '');
    this.installDisk = props.installDisk ?? '/dev/sda';
    this.link = props.network?.link;
    this.gateway = props.network?.gateway;
    this.nameservers = [...(props.network?.nameservers ?? [])];
    this.vip = props.vip;
    this.kernelModules = props.kernelModules ?? DEFAULT_MODULES;
    this.sysctls = { ...DEFAULT_SYSCTLS, ...props.sysctls };
    this.kubeletProps = { ...props.kubelet };
    this.registryMirrors = props.registryMirrors ?? { 'docker.io': ['https://mirror.gcr.io'] };
    this.allowSchedulingOnControlPlanes = props.allowSchedulingOnControlPlanes ?? true;
    this.discovery = props.discovery ?? false;
    this.controlPlaneMetrics = props.controlPlaneMetrics ?? true;
    this.loadBalancersOnControlPlanes = props.loadBalancersOnControlPlanes ?? true;
    this.deviceOwnershipFromSecurityContext = props.deviceOwnershipFromSecurityContext ?? true;
    this.lvmFilter = props.lvmFilter ?? true;
    this.certSANs = [...(props.certSANs ?? [])];
    this.oidc = props.oidc && { clientId: 'kubernetes', usernameClaim: 'preferred_username', groupsClaim: 'groups', ...props.oidc };
    this.checkProps(props);
    this.node.addValidation({ validate: () => (this.check(), []) });
  }

  /** Adds a machine to the cluster. */
  addNode(id: string, props: TalosNodeProps): TalosNode {
    return new TalosNode(this, id, props);
  }

  get nodes(): TalosNode[] {
    return this.node.children.filter((c): c is TalosNode => c instanceof TalosNode);
  }

  get controlPlanes(): TalosNode[] {
    return this.nodes.filter((n) => n.controlPlane);
  }

  /** The node to run `talosctl bootstrap` against: the first control-plane node. */
  get bootstrapNode(): TalosNode | undefined {
    return this.controlPlanes[0];
  }

  get endpoint(): string {
    if (this.props.endpoint) return this.props.endpoint;
    const host = this.vip ?? this.bootstrapNode?.ip.address;
    if (host === undefined) return '';
    return `https://${host.includes(':') ? `[${host}]` : host}:6443`;
  }

  /** The networks kubelet and etcd use. */
  get nodeSubnets(): string[] {
    if (this.props.nodeSubnets) return [...this.props.nodeSubnets];
    return [...new Set(this.nodes.map((n) => networkOf(n.ip)))];
  }

  get podSubnets(): string[] {
    return [...(this.props.podSubnets ?? [defaultPodCidr(platformNetwork(this.platform), '10.244.0.0/16')])];
  }

  get serviceSubnets(): string[] {
    return [...(this.props.serviceSubnets ?? [defaultServiceCidr(platformNetwork(this.platform), '10.96.0.0/16')])];
  }

  /** The kubelet settings, with maxPods following the platform's pod address management. */
  get kubelet(): TalosKubeletProps & { readonly maxPods: number } {
    const pooled = nodeCidrIpam(platformNetwork(this.platform), this.cni === 'flannel' ? "Talos's Flannel" : undefined) === undefined;
    return { ...this.kubeletProps, maxPods: this.kubeletProps.maxPods ?? (pooled ? 512 : 110) };
  }

  get cni(): TalosCni {
    return this.props.cni ?? (platformNetwork(this.platform).cni ? 'none' : 'flannel');
  }

  get kubeProxy(): boolean {
    return this.props.kubeProxy ?? platformNetwork(this.platform).kubeProxyReplacement === undefined;
  }

  /** The machine-config patch of one node: the v1alpha1 patch and its network, hostname and registry documents. */
  patch(node: TalosNode): TalosDocument[] {
    this.check();
    return talosNodePatch(this, node);
  }

  /** `patch(node)` as the YAML that `talosctl --config-patch @file` reads. */
  patchYaml(node: TalosNode): string {
    return talosYaml(this.patch(node));
  }

  /** The complete machine config of one node, built in memory from the secrets bundle. Do not write it to disk. */
  machineConfig(node: TalosNode, secrets: TalosSecretsBundle): TalosDocument[] {
    this.check();
    const problems = Problems.of(this);
    checkTalosSecrets(problems, 'secrets', secrets);
    problems.throwIfAny();
    return talosMachineConfig(this, node, secrets);
  }

  /** `machineConfig(node, secrets)` as YAML, for `talosctl apply-config` or cloud user data. */
  machineConfigYaml(node: TalosNode, secrets: TalosSecretsBundle): string {
    return talosYaml(this.machineConfig(node, secrets));
  }

  /** Checks the nodes against each other and against the platform; throws one `ConfigurationError` with every problem. */
  check(): void {
    const problems = Problems.of(this);
    const nodes = this.nodes;
    checkTopology(
      problems,
      nodes.map((n) => ({ id: n.node.id, nodeName: n.hostname, controlPlane: n.controlPlane, ip: n.ip })),
      'controlplane',
    );
    const subnets = this.nodeSubnets.map((s) => parseIp(s)).filter((s): s is IpPrefix => s !== undefined);
    for (const node of nodes) {
      if (!subnets.some((s) => contains(s, node.ip))) {
        problems.add(
          `nodes.${node.node.id}.address`,
          node.address,
          `is outside nodeSubnets (${this.nodeSubnets.join(', ')}); kubelet and etcd would find no address to use`,
          'add its network to nodeSubnets',
        );
      }
    }
    if (this.vip !== undefined) this.checkVip(problems);
    for (const [property, list] of [
      ['podSubnets', this.podSubnets],
      ['serviceSubnets', this.serviceSubnets],
    ] as const) {
      for (const cidr of list) {
        const net = parseIp(cidr);
        const clash = net && subnets.find((s) => overlaps(s, net));
        if (clash) problems.add(property, cidr, `overlaps the node network ${networkOf(clash)}`, 'choose a range the hosts do not use');
      }
    }
    for (const pod of this.podSubnets) {
      const clash = this.serviceSubnets.find((svc) => parseIp(pod) && parseIp(svc) && overlaps(parseIp(pod)!, parseIp(svc)!));
      if (clash) problems.add('podSubnets', pod, `overlaps serviceSubnets ${clash}`, 'use disjoint ranges');
    }
    this.checkPlatformNetwork(problems);
    problems.throwIfAny();
  }

  private checkVip(problems: Problems): void {
    const vip = parseIp(this.vip);
    if (!vip) return;
    for (const node of this.controlPlanes) {
      const network = parseIp(networkOf(node.ip))!;
      if (!contains(network, vip)) {
        problems.add(
          'vip',
          this.vip,
          `is not in the network ${networkOf(node.ip)} of control-plane node "${node.node.id}"; a Layer 2 VIP is announced only on the node's own network`,
          `pick a free address in ${networkOf(node.ip)}`,
        );
      }
      if (vip.value === node.ip.value)
        problems.add('vip', this.vip, `is the address of control-plane node "${node.node.id}"; the VIP must be a free address`);
    }
  }

  private checkPlatformNetwork(problems: Problems): void {
    const network = platformNetwork(this.platform);
    checkNodeCni(problems, network, {
      distribution: 'Talos',
      cni: this.props.cni,
      runsFlannel: this.cni === 'flannel',
      kubeProxy: this.props.kubeProxy,
    });
    if (network.coreDns) {
      problems.add(
        'CoreDns',
        network.coreDns.node.path,
        "configures the coredns-custom ConfigMap, which Talos's CoreDNS does not import; its stub domains and hosts would have no effect",
        'remove the CoreDns, or run K3s nodes, whose CoreDNS reads it',
      );
    }
    checkNodeNetwork(problems, network, {
      distribution: 'Talos',
      nodeOs: 'talos',
      podProperty: 'podSubnets',
      podCidrs: this.podSubnets,
      serviceProperty: 'serviceSubnets',
      serviceCidrs: this.serviceSubnets,
      maxPods: this.kubelet.maxPods,
      maxPodsProperty: 'kubelet.maxPods',
      ownFlannel: this.cni === 'flannel' ? "Talos's Flannel" : undefined,
    });
    const modules = this.kernelModules.map((m) => m.name);
    const needs = [
      ...network.podNetwork.all.flatMap((member) => member.nodes.kernelModules.map((module) => [member.component, module] as const)),
      ...(network.linstor ? [[network.linstor, 'drbd'] as const] : []),
    ];
    for (const [component, module] of needs) {
      if (!modules.includes(module)) {
        problems.add(
          'kernelModules',
          modules,
          `lacks "${module}", which ${describe(component)} needs the Talos machine config to load`,
          `add { name: "${module}" } to kernelModules`,
        );
      }
    }
  }

  private checkProps(props: TalosClusterProps): void {
    const problems = Problems.of(this);
    checkDnsLabel(problems, 'clusterName', this.clusterName);
    problems.check(
      this.platform.delivery !== 'k3s',
      'platform.delivery',
      this.platform.delivery,
      'delivers through the K3s helm-controller (HelmChart objects), which Talos does not run',
      'use delivery "flux" on Talos',
    );
    problems.check(
      /^v1\.13\.\d+$/.test(this.talosVersion),
      'talosVersion',
      this.talosVersion,
      'must be a Talos v1.13 release: the generated config follows the v1.13 schema',
      `use ${JSON.stringify(versions.talos.version)}`,
    );
    if (props.kubernetesVersion === undefined && this.kubernetesVersion === undefined) {
      problems.add(
        'kubernetesVersion',
        undefined,
        `has no default for the platform's Kubernetes ${this.platform.kubernetesVersion}, which Talos ${this.talosVersion} does not support`,
        `use a platform kubernetesVersion of ${Object.keys(versions.talos.kubernetes).join(' or ')}`,
      );
    } else if (
      problems.check(
        /^\d+\.\d+\.\d+$/.test(this.kubernetesVersion),
        'kubernetesVersion',
        this.kubernetesVersion,
        'must be a Kubernetes release such as "1.33.12" (no "v")',
      )
    ) {
      const minor = this.kubernetesVersion.split('.').slice(0, 2).join('.');
      problems.check(
        minor === this.platform.kubernetesVersion,
        'kubernetesVersion',
        this.kubernetesVersion,
        `is not of the platform's Kubernetes ${this.platform.kubernetesVersion}, which its manifests are validated against`,
        'make both the same minor version',
      );
    }
    if (props.endpoint !== undefined)
      problems.check(
        ENDPOINT.test(props.endpoint),
        'endpoint',
        props.endpoint,
        'must be an https URL with host and port',
        'write it like "https://192.168.100.10:6443"',
      );
    if (props.vip !== undefined) checkAddress(problems, 'vip', props.vip, '192.168.100.10');
    if (!props.network || typeof props.network.link !== 'string') {
      problems.add(
        'network.link',
        props.network?.link,
        'is required: the link carries the node addresses and the VIP',
        'write it like "enp1s0"',
      );
    } else {
      problems.check(
        LINK.test(props.network.link),
        'network.link',
        props.network.link,
        'must be a Linux interface name (at most 15 characters)',
        'write it like "enp1s0"',
      );
    }
    if (this.gateway !== undefined) checkAddress(problems, 'network.gateway', this.gateway, '192.168.100.1');
    this.nameservers.forEach((ns) => checkAddress(problems, 'network.nameservers', ns, '1.1.1.1'));
    problems.check(
      TALOS_PLATFORMS.includes(this.imagePlatform),
      'imagePlatform',
      this.imagePlatform,
      `must be one of ${TALOS_PLATFORMS.join(', ')}`,
    );
    problems.check(
      DISK.test(this.installDisk),
      'installDisk',
      this.installDisk,
      'must be a device path',
      'write it like "/dev/sda" or "/dev/nvme0n1"',
    );
    if (props.installerImage !== undefined) {
      problems.check(
        IMAGE.test(props.installerImage) && !props.installerImage.endsWith(':latest'),
        'installerImage',
        props.installerImage,
        'must be an image reference with a registry and a pinned tag (not latest)',
      );
    } else {
      this.schematic.check(problems, 'schematic');
      for (const module of this.kernelModules) {
        const extension = MODULE_EXTENSIONS[module.name];
        if (extension && !this.schematic.has(extension)) {
          problems.add(
            'kernelModules',
            module.name,
            `is built by the system extension "${extension}", which the schematic does not include; the node would fail to load it`,
            `add "${extension}" to the schematic's extensions or remove the module`,
          );
        }
      }
    }
    for (const [property, list] of [
      ['podSubnets', props.podSubnets ?? []],
      ['serviceSubnets', props.serviceSubnets ?? []],
      ['nodeSubnets', props.nodeSubnets ?? []],
    ] as const) {
      list.forEach((cidr) => checkNetwork(problems, property, cidr, '10.244.0.0/16'));
    }
    for (const module of this.kernelModules) {
      problems.check(/^[a-z0-9_-]+$/.test(module.name), 'kernelModules', module.name, 'must be a kernel module name');
    }
    for (const [key, value] of Object.entries(this.sysctls)) {
      problems.check(
        /^[a-z0-9_]+(\.[a-zA-Z0-9_-]+)+$/.test(key) && typeof value === 'string',
        `sysctls.${key}`,
        value,
        'must be a sysctl name with a string value',
        'write it like { "vm.max_map_count": "262144" }',
      );
    }
    const kubelet = this.kubeletProps;
    if (kubelet.maxPods !== undefined)
      problems.check(
        Number.isInteger(kubelet.maxPods) && kubelet.maxPods >= 1,
        'kubelet.maxPods',
        kubelet.maxPods,
        'must be a whole number ≥ 1',
      );
    checkReservation(problems, 'kubelet.systemReserved', kubelet.systemReserved);
    checkReservation(problems, 'kubelet.kubeReserved', kubelet.kubeReserved);
    checkEviction(problems, 'kubelet.evictionHard', kubelet.evictionHard);
    for (const [registry, endpoints] of Object.entries(this.registryMirrors)) {
      problems.check(
        REGISTRY.test(registry),
        `registryMirrors.${registry}`,
        registry,
        'must be a registry host such as "docker.io", or "*"',
      );
      for (const url of endpoints) {
        const scheme = props.insecureRegistryMirrors ? /^https?:\/\/[^\s]+$/ : /^https:\/\/[^\s]+$/;
        problems.check(
          scheme.test(url),
          `registryMirrors.${registry}`,
          url,
          props.insecureRegistryMirrors ? 'must be an http(s) URL' : 'must be an https URL',
          'use https, or set insecureRegistryMirrors: true for a mirror on a trusted network',
        );
      }
    }
    this.certSANs.forEach((san) =>
      problems.check(
        parseIp(san) !== undefined || (isDnsLabel(san.split('.')[0]) && /^[a-z0-9.-]+$/.test(san)),
        'certSANs',
        san,
        'must be an IP address or DNS name',
      ),
    );
    if (this.oidc) {
      problems.check(
        /^https:\/\/[^\s]+$/.test(this.oidc.issuerUrl),
        'oidc.issuerUrl',
        this.oidc.issuerUrl,
        'must be an https URL; the API server refuses other issuers',
      );
      for (const key of ['clientId', 'usernameClaim', 'groupsClaim'] as const) {
        problems.check(
          /^[A-Za-z0-9_:.-]+$/.test(this.oidc[key]),
          `oidc.${key}`,
          this.oidc[key],
          'must be a non-empty token without spaces',
        );
      }
    }
    if (props.cni !== undefined) problems.check(['none', 'flannel'].includes(props.cni), 'cni', props.cni, 'must be "none" or "flannel"');
    problems.throwIfAny();
  }
}
