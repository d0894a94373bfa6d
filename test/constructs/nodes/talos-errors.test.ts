import { TalosCluster, TalosClusterProps } from '../../../constructs/nodes/talos-cluster';
import { TalosNodeProps } from '../../../constructs/nodes/talos-node';
import { TalosSchematic } from '../../../constructs/nodes/talos-schematic';
import { Calico } from '../../../constructs/network/calico';
import { Cilium, CiliumProps } from '../../../constructs/network/cilium';
import { CoreDns } from '../../../constructs/network/core-dns';
import { KubeOvn, KubeOvnProps } from '../../../constructs/network/kube-ovn';
import { Linstor, LinstorProps } from '../../../constructs/storage/linstor';
import { Platform } from '../../../lib/core/platform';
import { newPlatform } from '../../helpers';
import { cozyCluster, messageOf, placeholderSecrets } from './fixtures';

const NETWORK = { link: 'enp1s0' };
const cp = (address: string, extra: Partial<TalosNodeProps> = {}): TalosNodeProps => ({ role: 'controlplane', address, ...extra });

/** A cluster of the given nodes, checked as synthesis checks it. */
function checked(
  props: Partial<TalosClusterProps>,
  nodes: Record<string, TalosNodeProps>,
  platform: Platform = newPlatform({ kubernetesVersion: '1.33' }),
) {
  const cluster = new TalosCluster(platform, 'cozy', { network: NETWORK, ...props });
  for (const [id, node] of Object.entries(nodes)) cluster.addNode(id, node);
  platform.render();
  return cluster;
}

const one = { cp1: cp('192.168.100.11/24') };

/** Each case: what is created, and the problem line (after the construct path) it must produce. */
const CASES: ReadonlyArray<[string, () => unknown, string, string]> = [
  // TalosNode
  [
    'role',
    () => checked({}, { n: { role: 'master' as any, address: '192.168.100.11/24' } }),
    'platform/cozy/n',
    'role: "master" must be one of "controlplane", "worker".',
  ],
  [
    'address without prefix',
    () => checked({}, { n: cp('192.168.100.11') }),
    'platform/cozy/n',
    'address: "192.168.100.11" must be an IP address with prefix length in lower case. Fix: write it like "192.168.100.11/24".',
  ],
  [
    'hostname',
    () => checked({}, { n: cp('192.168.100.11/24', { hostname: 'Node_1' }) }),
    'platform/cozy/n',
    'hostname: "Node_1" must be a DNS-1123 label',
  ],
  [
    'node link',
    () => checked({}, { n: cp('192.168.100.11/24', { link: 'a-very-long-interface-name' }) }),
    'platform/cozy/n',
    'link: "a-very-long-interface-name" must be a Linux interface name (at most 15 characters). Fix: write it like "enp1s0".',
  ],
  [
    'node install disk',
    () => checked({}, { n: cp('192.168.100.11/24', { installDisk: 'sda' }) }),
    'platform/cozy/n',
    'installDisk: "sda" must be a device path. Fix: write it like "/dev/sda" or "/dev/nvme0n1".',
  ],
  [
    'label key',
    () => checked({}, { n: cp('192.168.100.11/24', { labels: { 'bad key': 'x' } }) }),
    'platform/cozy/n',
    'labels.bad key: "bad key" is not a label key (an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit).',
  ],
  [
    'label value',
    () => checked({}, { n: cp('192.168.100.11/24', { labels: { gpu: 'yes please' } }) }),
    'platform/cozy/n',
    'labels.gpu: "yes please" is not a label value (a string of at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit).',
  ],
  // TalosCluster props
  ['cluster name', () => checked({ clusterName: 'Cozy' }, one), 'platform/cozy', 'clusterName: "Cozy" must be a DNS-1123 label'],
  [
    'K3s delivery',
    () => checked({}, one, newPlatform({ kubernetesVersion: '1.33', delivery: 'k3s' })),
    'platform/cozy',
    'platform.delivery: "k3s" delivers through the K3s helm-controller (HelmChart objects), which Talos does not run. Fix: use delivery "flux" on Talos.',
  ],
  [
    'Talos version',
    () => checked({ talosVersion: 'v1.14.0' }, one),
    'platform/cozy',
    'talosVersion: "v1.14.0" must be a Talos v1.13 release: the generated config follows the v1.13 schema. Fix: use "v1.13.9".',
  ],
  [
    'no Kubernetes for the platform',
    () => checked({}, one, newPlatform({ kubernetesVersion: '1.28' })),
    'platform/cozy',
    "kubernetesVersion: (not set) has no default for the platform's Kubernetes 1.28, which Talos v1.13.9 does not support. Fix: use a platform kubernetesVersion of 1.32 or 1.33.",
  ],
  [
    'Kubernetes version format',
    () => checked({ kubernetesVersion: 'v1.33.12' }, one),
    'platform/cozy',
    'kubernetesVersion: "v1.33.12" must be a Kubernetes release such as "1.33.12" (no "v").',
  ],
  [
    'Kubernetes version of another minor',
    () => checked({ kubernetesVersion: '1.32.12' }, one),
    'platform/cozy',
    'kubernetesVersion: "1.32.12" is not of the platform\'s Kubernetes 1.33, which its manifests are validated against. Fix: make both the same minor version.',
  ],
  [
    'endpoint',
    () => checked({ endpoint: 'http://10.0.0.1:6443' }, one),
    'platform/cozy',
    'endpoint: "http://10.0.0.1:6443" must be an https URL with host and port. Fix: write it like "https://192.168.100.10:6443".',
  ],
  [
    'VIP format',
    () => checked({ vip: '192.168.100.10/24' }, one),
    'platform/cozy',
    'vip: "192.168.100.10/24" must be an IP address without prefix length, in lower case. Fix: write it like "192.168.100.10".',
  ],
  [
    'missing link',
    () => checked({ network: {} as any }, one),
    'platform/cozy',
    'network.link: (not set) is required: the link carries the node addresses and the VIP. Fix: write it like "enp1s0".',
  ],
  [
    'link',
    () => checked({ network: { link: 'eth 0' } }, one),
    'platform/cozy',
    'network.link: "eth 0" must be a Linux interface name (at most 15 characters). Fix: write it like "enp1s0".',
  ],
  [
    'gateway',
    () => checked({ network: { link: 'eth0', gateway: 'router' } }, one),
    'platform/cozy',
    'network.gateway: "router" must be an IP address without prefix length, in lower case. Fix: write it like "192.168.100.1".',
  ],
  [
    'nameserver',
    () => checked({ network: { link: 'eth0', nameservers: ['1.1.1.1:53'] } }, one),
    'platform/cozy',
    'network.nameservers: "1.1.1.1:53" must be an IP address without prefix length, in lower case. Fix: write it like "1.1.1.1".',
  ],
  [
    'image platform',
    () => checked({ imagePlatform: 'gcp' as any }, one),
    'platform/cozy',
    'imagePlatform: "gcp" must be one of "metal", "aws", "nocloud".',
  ],
  [
    'install disk',
    () => checked({ installDisk: 'sda' }, one),
    'platform/cozy',
    'installDisk: "sda" must be a device path. Fix: write it like "/dev/sda" or "/dev/nvme0n1".',
  ],
  [
    'installer image',
    () => checked({ installerImage: 'ghcr.io/siderolabs/installer:latest' }, one),
    'platform/cozy',
    'installerImage: "ghcr.io/siderolabs/installer:latest" must be an image reference with a registry and a pinned tag (not latest).',
  ],
  [
    'schematic',
    () => checked({ schematic: new TalosSchematic({ extensions: ['drbd'] }) }, one),
    'platform/cozy',
    'schematic.extensions: "drbd" must be an official extension name such as "siderolabs/drbd".',
  ],
  [
    'module without its extension',
    () => checked({ schematic: new TalosSchematic({ extensions: ['siderolabs/zfs'] }) }, one),
    'platform/cozy',
    'kernelModules: "drbd" is built by the system extension "siderolabs/drbd", which the schematic does not include; the node would fail to load it. Fix: add "siderolabs/drbd" to the schematic\'s extensions or remove the module.',
  ],
  [
    'subnet with host bits',
    () => checked({ podSubnets: ['10.244.1.0/16'] }, one),
    'platform/cozy',
    'podSubnets: "10.244.1.0/16" has host bits set; a network is written with its first address. Fix: use "10.244.0.0/16".',
  ],
  [
    'subnet not a CIDR',
    () => checked({ serviceSubnets: ['10.96.0.0'] }, one),
    'platform/cozy',
    'serviceSubnets: "10.96.0.0" must be an IP address with prefix length in lower case. Fix: write it like "10.244.0.0/16".',
  ],
  [
    'pod and service ranges overlap',
    () => checked({ podSubnets: ['10.0.0.0/8'], serviceSubnets: ['10.96.0.0/16'] }, one),
    'platform/cozy',
    'podSubnets: "10.0.0.0/8" overlaps serviceSubnets 10.96.0.0/16. Fix: use disjoint ranges.',
  ],
  [
    'kernel module name',
    () => checked({ kernelModules: [{ name: 'Open vSwitch' }], installerImage: 'ghcr.io/siderolabs/installer:v1.13.9' }, one),
    'platform/cozy',
    'kernelModules: "Open vSwitch" must be a kernel module name.',
  ],
  [
    'sysctl',
    () => checked({ sysctls: { 'vm.swappiness': 10 as any } }, one),
    'platform/cozy',
    'sysctls.vm.swappiness: 10 must be a string. Fix: write it as "10".',
  ],
  ['max pods', () => checked({ kubelet: { maxPods: 0 } }, one), 'platform/cozy', 'kubelet.maxPods: 0 must be a whole number ≥ 1.'],
  [
    'reservation quantity',
    () => checked({ kubelet: { systemReserved: { memory: '1GB' } } }, one),
    'platform/cozy',
    'kubelet.systemReserved.memory: "1GB" must be a positive Kubernetes quantity. Fix: write it like "1Gi".',
  ],
  [
    'reservation resource',
    () => checked({ kubelet: { kubeReserved: { pid: '100' } as any } }, one),
    'platform/cozy',
    'kubelet.kubeReserved.pid: "100" is not a known property. Fix: use one of cpu, memory, ephemeralStorage.',
  ],
  [
    'eviction threshold',
    () => checked({ kubelet: { evictionHard: { memoryAvailable: '5 percent' } } }, one),
    'platform/cozy',
    'kubelet.evictionHard.memoryAvailable: "5 percent" must be a positive Kubernetes quantity. Fix: write it like "5%".',
  ],
  [
    'eviction signal',
    () => checked({ kubelet: { evictionHard: { pidAvailable: '5%' } as any } }, one),
    'platform/cozy',
    'kubelet.evictionHard.pidAvailable: "5%" is not a known property. Fix: use one of memoryAvailable, nodefsAvailable, imagefsAvailable, nodefsInodesFree.',
  ],
  [
    'registry name',
    () => checked({ registryMirrors: { 'https://docker.io': ['https://mirror.gcr.io'] } }, one),
    'platform/cozy',
    'registryMirrors.https://docker.io: "https://docker.io" must be a registry host such as "docker.io", or "*".',
  ],
  [
    'plain-http mirror',
    () => checked({ registryMirrors: { 'docker.io': ['http://registry.lan:5000'] } }, one),
    'platform/cozy',
    'registryMirrors.docker.io: "http://registry.lan:5000" must be an https URL. Fix: use https, or set insecureRegistryMirrors: true for a mirror on a trusted network.',
  ],
  [
    'certificate name',
    () => checked({ certSANs: ['api cozy'] }, one),
    'platform/cozy',
    'certSANs: "api cozy" must be an IP address or DNS name.',
  ],
  [
    'OIDC issuer',
    () => checked({ oidc: { issuerUrl: 'http://keycloak/realms/cozy' } }, one),
    'platform/cozy',
    'oidc.issuerUrl: "http://keycloak/realms/cozy" must be an https URL; the API server refuses other issuers.',
  ],
  [
    'OIDC claim',
    () => checked({ oidc: { issuerUrl: 'https://keycloak/realms/cozy', groupsClaim: '' } }, one),
    'platform/cozy',
    'oidc.groupsClaim: "" must be a non-empty token without spaces.',
  ],
  ['CNI', () => checked({ cni: 'calico' as any }, one), 'platform/cozy', 'cni: "calico" must be one of "none", "flannel".'],
  // Topology, checked at synthesis
  [
    'no control plane',
    () => checked({}, { w1: { role: 'worker', address: '192.168.100.21/24' } }),
    'platform/cozy',
    'nodes: ["w1"] has no node with role "controlplane"; etcd and the Kubernetes API run on those nodes. Fix: give one node (or three, or five) role: "controlplane".',
  ],
  [
    'even number of etcd members',
    () => checked({}, { cp1: cp('192.168.100.11/24'), cp2: cp('192.168.100.12/24') }),
    'platform/cozy',
    'nodes: ["cp1","cp2"] are 2 "controlplane" nodes, an even number of etcd members: quorum needs 2 of them, so the cluster tolerates 0 failed members, no more than with 1. Fix: use an odd number of "controlplane" nodes (1 or 3).',
  ],
  [
    'duplicate hostname',
    () => checked({}, { cp1: cp('192.168.100.11/24'), w1: { role: 'worker', address: '192.168.100.21/24', hostname: 'cp1' } }),
    'platform/cozy',
    'nodes.w1.hostname: "cp1" is also the name of node "cp1"; Kubernetes node names must be unique. Fix: give each node its own hostname.',
  ],
  [
    'duplicate address',
    () => checked({}, { cp1: cp('192.168.100.11/24'), w1: { role: 'worker', address: '192.168.100.11/24' } }),
    'platform/cozy',
    'nodes.w1.address: "192.168.100.11" is also the address of node "cp1". Fix: give each node its own address.',
  ],
  [
    'node outside the node subnets',
    () => checked({ nodeSubnets: ['192.168.100.0/24'] }, { cp1: cp('192.168.100.11/24'), w1: { role: 'worker', address: '10.1.0.5/24' } }),
    'platform/cozy',
    'nodes.w1.address: "10.1.0.5/24" is outside nodeSubnets (192.168.100.0/24); kubelet and etcd would find no address to use. Fix: add its network to nodeSubnets.',
  ],
  [
    'VIP outside the node network',
    () => checked({ vip: '192.168.200.10' }, one),
    'platform/cozy',
    'vip: "192.168.200.10" is not in the network 192.168.100.0/24 of control-plane node "cp1"; a Layer 2 VIP is announced only on the node\'s own network. Fix: pick a free address in 192.168.100.0/24.',
  ],
  [
    'VIP taken by a node',
    () => checked({ vip: '192.168.100.11' }, one),
    'platform/cozy',
    'vip: "192.168.100.11" is the address of control-plane node "cp1"; the VIP must be a free address.',
  ],
  [
    'pod range over the node network',
    () => checked({ podSubnets: ['192.168.0.0/16'] }, one),
    'platform/cozy',
    'podSubnets: "192.168.0.0/16" overlaps the node network 192.168.100.0/24. Fix: choose a range the hosts do not use.',
  ],
];

describe('TalosCluster errors', () => {
  test.each(CASES)('%s', (_, create, path, line) => {
    const message = messageOf(create);
    expect(message.startsWith(`[${path}] `)).toBe(true);
    expect(message).toContain(`  - ${line}`);
  });

  test('all problems of a cluster are reported together', () => {
    const message = messageOf(() => checked({ talosVersion: 'v1.12.0', installDisk: 'sda', kubelet: { maxPods: -1 } }, one));
    expect(message).toMatch(/^\[platform\/cozy\] 3 problems:/);
  });
});

describe('TalosCluster and the platform network', () => {
  test('Cilium replacing kube-proxy turns kube-proxy off on the nodes; Kube-OVN moves the node pod CIDR apart', () => {
    const { cluster, cp1 } = cozyCluster();
    expect(cluster.kubeProxy).toBe(false);
    expect(cluster.cni).toBe('none');
    expect((cluster.patch(cp1)[0] as any).cluster.proxy).toEqual({ disabled: true });
    expect(cluster.podSubnets).toEqual(['100.65.0.0/16']);
  });

  test('Calico sets the pod network and keeps kube-proxy', () => {
    const platform = newPlatform({ kubernetesVersion: '1.33' });
    new Calico(platform, { podCidr: '10.240.0.0/16' });
    const cluster = checked({}, one, platform);
    expect(cluster.podSubnets).toEqual(['10.240.0.0/16']);
    expect(cluster.kubeProxy).toBe(true);
    expect(cluster.cni).toBe('none');
  });

  test('the network components may be added after the nodes', () => {
    const platform = newPlatform({ kubernetesVersion: '1.33' });
    const cluster = new TalosCluster(platform, 'cozy', { network: NETWORK });
    cluster.addNode('cp1', cp('192.168.100.11/24'));
    new KubeOvn(platform);
    new Cilium(platform);
    platform.render();
    expect([cluster.cni, cluster.kubeProxy]).toEqual(['none', false]);
  });

  const calico = () => {
    const platform = newPlatform({ kubernetesVersion: '1.33' });
    new Calico(platform);
    return platform;
  };
  const cilium = (props: CiliumProps = {}) => {
    const platform = newPlatform({ kubernetesVersion: '1.33' });
    new Cilium(platform, props);
    return platform;
  };
  const cozy = (kubeOvn: KubeOvnProps = {}) => {
    const platform = newPlatform({ kubernetesVersion: '1.33' });
    new KubeOvn(platform, kubeOvn);
    new Cilium(platform);
    return platform;
  };
  const linstor = (props: LinstorProps) => {
    const platform = newPlatform({ kubernetesVersion: '1.33' });
    new Linstor(platform, props);
    return platform;
  };
  const withComponents = (add: (platform: Platform) => void) => {
    const platform = newPlatform({ kubernetesVersion: '1.33' });
    add(platform);
    return platform;
  };
  const NETWORK_CASES: ReadonlyArray<[string, () => unknown, string]> = [
    [
      'Talos Flannel next to a platform CNI',
      () => checked({ cni: 'flannel' }, one, calico()),
      'cni: "flannel" makes Talos start Flannel, but the platform installs Calico at platform/network/calico; two CNIs on one node conflict. Fix: remove cni; it defaults to "none" when the platform installs a CNI.',
    ],
    [
      'kube-proxy on while Cilium replaces it',
      () => checked({ kubeProxy: true }, one, cilium()),
      'kubeProxy: true runs kube-proxy, but Cilium at platform/network/cilium replaces it; both would program the Service rules. Fix: remove kubeProxy, or turn off kube-proxy replacement in Cilium.',
    ],
    [
      'kube-proxy off with a CNI that does not replace it',
      () => checked({ kubeProxy: false }, one, calico()),
      'kubeProxy: false turns kube-proxy off, but Calico at platform/network/calico does not replace it; Services would not work. Fix: remove kubeProxy, or add Cilium with kube-proxy replacement.',
    ],
    [
      'kube-proxy off with Talos Flannel',
      () => checked({ kubeProxy: false }, one),
      "kubeProxy: false turns kube-proxy off, but Talos's Flannel does not replace it; Services would not work. Fix: remove kubeProxy, or add Cilium with kube-proxy replacement.",
    ],
    [
      "a pod network other than Calico's",
      () => checked({ podSubnets: ['10.244.0.0/16'] }, one, calico()),
      "podSubnets: \"10.244.0.0/16\" is not the pod network 10.233.64.0/18 of Calico at platform/network/calico; Calico's IP pool must be the cluster's pod CIDR. Fix: remove podSubnets to follow Calico, or set Calico's podCidr to the same range.",
    ],
    [
      "a pod network over Kube-OVN's",
      () => checked({ podSubnets: ['10.244.0.0/16'] }, one, cozy()),
      'podSubnets: "10.244.0.0/16" overlaps podCidr 10.244.0.0/16 of KubeOvn at platform/network/kube-ovn, which does pod IPAM; the nodes\' own pod CIDRs must stay apart from it. Fix: remove podSubnets to use 100.65.0.0/16.',
    ],
    [
      "a pod network over Kube-OVN's join network",
      () => checked({ podSubnets: ['100.64.0.0/10'] }, one, cozy()),
      'podSubnets: "100.64.0.0/10" overlaps joinCidr 100.64.0.0/16 of KubeOvn at platform/network/kube-ovn',
    ],
    [
      "a Service network other than Kube-OVN's",
      () => checked({ serviceSubnets: ['10.97.0.0/16'] }, one, cozy()),
      'serviceSubnets: "10.97.0.0/16" is not the Service network 10.96.0.0/16 of KubeOvn at platform/network/kube-ovn; both must be the API server\'s Service CIDR. Fix: remove serviceSubnets to follow Kube-OVN, or set the same range on both.',
    ],
    [
      'Cilium set up for other hosts',
      () => checked({}, one, cilium({ nodeOs: 'generic', apiServer: { host: '192.168.100.10', port: 6443 } })),
      'Cilium.nodeOs: "generic" is set up for general-purpose Linux hosts at platform/network/cilium, but the nodes run Talos. Fix: create Cilium with nodeOs: "talos".',
    ],
    [
      'more pods than a node CIDR holds',
      () => checked({ kubelet: { maxPods: 512 } }, one),
      "kubelet.maxPods: 512 exceeds the 253 pod addresses of the /24 each node gets, from which Talos's Flannel assigns them; further pods would get no address. Fix: use at most 253, or a CNI that allocates from a shared pool (Kube-OVN, Calico).",
    ],
    [
      "more pods than Cilium's node CIDR holds",
      () => checked({ kubelet: { maxPods: 300 } }, one, cilium()),
      'kubelet.maxPods: 300 exceeds the 253 pod addresses of the /24 each node gets, from which Cilium at platform/network/cilium assigns them',
    ],
    [
      'CoreDns on Talos',
      () =>
        checked(
          {},
          one,
          withComponents((p) => new CoreDns(p, { hosts: { 'nas.home.arpa': '10.0.0.5' } })),
        ),
      'CoreDns: "platform/network/coredns" configures the coredns-custom ConfigMap, which Talos\'s CoreDNS does not import; its stub domains and hosts would have no effect. Fix: remove the CoreDns, or run K3s nodes, whose CoreDNS reads it.',
    ],
    [
      'Kube-OVN without its kernel module',
      () => checked({ kernelModules: [{ name: 'drbd', parameters: ['usermode_helper=disabled'] }] }, one, cozy()),
      'kernelModules: ["drbd"] lacks "openvswitch", which KubeOvn at platform/network/kube-ovn needs the Talos machine config to load. Fix: add { name: "openvswitch" } to kernelModules.',
    ],
    [
      'LINSTOR set up for other hosts',
      () => checked({}, one, linstor({})),
      'Linstor.talos: false makes the satellites load DRBD themselves, as on general-purpose Linux at platform/storage/linstor, but the nodes run Talos. Fix: create Linstor with talos: true.',
    ],
    [
      'LINSTOR without DRBD loaded',
      () => checked({ kernelModules: [{ name: 'openvswitch' }] }, one, linstor({ talos: true })),
      'kernelModules: ["openvswitch"] lacks "drbd", which Linstor at platform/storage/linstor needs the Talos machine config to load. Fix: add { name: "drbd" } to kernelModules.',
    ],
  ];

  test.each(NETWORK_CASES)('%s is an error naming both', (_, create, line) => {
    const message = messageOf(create);
    expect(message.startsWith('[platform/cozy] ')).toBe(true);
    expect(message).toContain(`  - ${line}`);
  });
});

describe('TalosCluster secrets bundle', () => {
  test('a malformed bundle is reported without echoing any secret', () => {
    const { cluster, cp1 } = cozyCluster();
    const secrets = placeholderSecrets();
    const bad = {
      ...secrets,
      secrets: { ...secrets.secrets, bootstraptoken: 'not-a-token' },
      certs: { ...secrets.certs, os: { crt: 'not base64!', key: '' } },
    };
    const message = messageOf(() => cluster.machineConfig(cp1, bad));
    expect(message).toContain('  - secrets.secrets.bootstraptoken: "(secret)" must be a token of the form "abcdef.0123456789abcdef".');
    expect(message).toContain('  - secrets.certs.os.crt: "(secret)" must be base64, as talosctl gen secrets writes it.');
    expect(message).toContain('  - secrets.certs.os.key: "(secret)" is required (a string from talosctl gen secrets).');
    expect(message).not.toContain('not-a-token');
    expect(message).not.toContain('not base64!');
  });
});
