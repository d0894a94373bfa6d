import { K3sCluster, K3sClusterProps } from '../../../constructs/nodes/k3s-cluster';
import { K3sNodeProps } from '../../../constructs/nodes/k3s-node';
import { Calico } from '../../../constructs/network/calico';
import { Cilium } from '../../../constructs/network/cilium';
import { CoreDns } from '../../../constructs/network/core-dns';
import { KubeOvn } from '../../../constructs/network/kube-ovn';
import { MetalLb } from '../../../constructs/network/metal-lb';
import { Linstor } from '../../../constructs/storage/linstor';
import { LocalPath } from '../../../constructs/storage/local-path';
import { Platform } from '../../../lib/core/platform';
import { SecretRef } from '../../../lib/core/secrets';
import { newPlatform } from '../../helpers';
import { messageOf } from './fixtures';

const server = (address: string, extra: Partial<K3sNodeProps> = {}): K3sNodeProps => ({ role: 'server', address, ...extra });
const one = { s1: server('10.0.0.11') };
const plain = () => newPlatform({ kubernetesVersion: '1.33', delivery: 'k3s' });
function withComponents(add: (platform: Platform) => void): Platform {
  const platform = plain();
  add(platform);
  return platform;
}

/** A cluster of the given nodes, checked as synthesis checks it. */
function checked(props: K3sClusterProps, nodes: Record<string, K3sNodeProps>, platform: Platform = plain()) {
  const cluster = new K3sCluster(platform, 'home', props);
  for (const [id, node] of Object.entries(nodes)) cluster.addNode(id, node);
  platform.render();
  return cluster;
}

const CASES: ReadonlyArray<[string, () => unknown, string, string]> = [
  // K3sNode
  [
    'role',
    () => checked({}, { n: { role: 'master' as any, address: '10.0.0.11' } }),
    'platform/home/n',
    'role: "master" must be one of "server", "agent".',
  ],
  [
    'address with prefix',
    () => checked({}, { n: server('10.0.0.11/24') }),
    'platform/home/n',
    'address: "10.0.0.11/24" must be an IP address without prefix length, in lower case. Fix: write it like "10.0.0.11".',
  ],
  [
    'hostname',
    () => checked({}, { n: server('10.0.0.11', { hostname: 'node.1' }) }),
    'platform/home/n',
    'hostname: "node.1" must be a DNS-1123 label',
  ],
  [
    'label key',
    () => checked({}, { n: server('10.0.0.11', { labels: { '-gpu': 'on' } }) }),
    'platform/home/n',
    'labels.-gpu: "-gpu" is not a label key (an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit).',
  ],
  [
    'label value',
    () => checked({}, { n: server('10.0.0.11', { labels: { gpu: 'on!' } }) }),
    'platform/home/n',
    'labels.gpu: "on!" is not a label value (a string of at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit).',
  ],
  [
    'taint',
    () => checked({}, { n: server('10.0.0.11', { taints: ['gpu:NoRun'] }) }),
    'platform/home/n',
    'taints: "gpu:NoRun" must be "key=value:Effect" with effect NoSchedule, PreferNoSchedule or NoExecute. Fix: write it like "dedicated=gpu:NoSchedule".',
  ],
  // K3sCluster props
  ['cluster name', () => checked({ clusterName: 'Home' }, one), 'platform/home', 'clusterName: "Home" must be a DNS-1123 label'],
  [
    'no release for the platform',
    () => checked({}, one, newPlatform({ kubernetesVersion: '1.28' })),
    'platform/home',
    "version: (not set) has no default for the platform's Kubernetes 1.28. Fix: set version to a K3s release of Kubernetes 1.28, or use a platform kubernetesVersion of 1.32 or 1.33.",
  ],
  [
    'version format',
    () => checked({ version: 'v1.33.3-k3s1' }, one),
    'platform/home',
    'version: "v1.33.3-k3s1" must be a K3s release tag such as "v1.33.3+k3s1".',
  ],
  [
    'version of another minor',
    () => checked({ version: 'v1.32.5+k3s1' }, one),
    'platform/home',
    'version: "v1.32.5+k3s1" is not of the platform\'s Kubernetes 1.33, which its manifests are validated against. Fix: make both the same minor version.',
  ],
  [
    'token without the key',
    () => checked({ token: SecretRef.fromConfig('k3s', ['value']) }, one),
    'platform/home',
    'token.keys: ["value"] must include "token".',
  ],
  [
    'endpoint with scheme',
    () => checked({ endpoint: 'https://k3s.example.org:6443' }, one),
    'platform/home',
    'endpoint: "https://k3s.example.org:6443" must be an IP address or DNS name (no scheme or port). Fix: write it like "10.0.0.10" or "k3s.example.org".',
  ],
  [
    'cluster CIDR',
    () => checked({ clusterCidr: '10.233.64.1/18' }, one),
    'platform/home',
    'clusterCidr: "10.233.64.1/18" has host bits set; a network is written with its first address. Fix: use "10.233.64.0/18".',
  ],
  [
    'service CIDR',
    () => checked({ serviceCidr: '10.233.0.0' }, one),
    'platform/home',
    'serviceCidr: "10.233.0.0" must be an IP address with prefix length in lower case. Fix: write it like "10.233.0.0/18".',
  ],
  ['CNI', () => checked({ cni: 'calico' as any }, one), 'platform/home', 'cni: "calico" must be one of "none", "flannel".'],
  [
    'kube-proxy mode',
    () => checked({ kubeProxyMode: 'userspace' as any }, one),
    'platform/home',
    'kubeProxyMode: "userspace" must be one of "ipvs", "iptables", "nftables".',
  ],
  [
    'packaged component',
    () => checked({ disable: ['helm-controller' as any] }, one),
    'platform/home',
    'disable[0]: "helm-controller" must be one of "coredns", "servicelb", "traefik", "local-storage", "metrics-server", "runtimes".',
  ],
  ['max pods', () => checked({ kubelet: { maxPods: 1.5 } }, one), 'platform/home', 'kubelet.maxPods: 1.5 must be a whole number ≥ 1.'],
  [
    'reservation',
    () => checked({ kubelet: { systemReserved: { cpu: 'lots' } } }, one),
    'platform/home',
    'kubelet.systemReserved.cpu: "lots" must be a positive Kubernetes quantity. Fix: write it like "200m".',
  ],
  [
    'eviction',
    () => checked({ kubelet: { evictionHard: { memoryAvailable: '150%' } } }, one),
    'platform/home',
    'kubelet.evictionHard.memoryAvailable: "150%" must be a positive Kubernetes quantity. Fix: write it like "5%".',
  ],
  [
    'registry',
    () => checked({ registryMirrors: { 'Docker.IO': ['https://mirror.gcr.io'] } }, one),
    'platform/home',
    'registryMirrors.Docker.IO: "Docker.IO" must be a registry host such as "docker.io", or "*".',
  ],
  [
    'plain-http mirror',
    () => checked({ registryMirrors: { 'docker.io': ['http://registry.lan:5000'] } }, one),
    'platform/home',
    'registryMirrors.docker.io: "http://registry.lan:5000" must be an https URL. Fix: use https, or set insecureRegistryMirrors: true for a mirror on a trusted network.',
  ],
  [
    'kubeconfig mode',
    () => checked({ kubeconfigMode: '0666' as any }, one),
    'platform/home',
    'kubeconfigMode: "0666" must be one of "0600", "0640", "0644".',
  ],
  [
    'TLS name',
    () => checked({ tlsSans: ['k3s example'] }, one),
    'platform/home',
    'tlsSans: "k3s example" must be an IP address or DNS name.',
  ],
  [
    'sysctl',
    () => checked({ sysctls: { 'vm.swappiness': '10\nEOF' } }, one),
    'platform/home',
    'sysctls.vm.swappiness: "10\\nEOF" must be a sysctl name with a plain string value. Fix: write it like { "vm.max_map_count": "262144" }.',
  ],
  [
    'installer URL',
    () => checked({ installerUrl: 'http://get.k3s.io' }, one),
    'platform/home',
    'installerUrl: "http://get.k3s.io" must be an https URL.',
  ],
  [
    'installer checksum',
    () => checked({ installerSha256: 'ABC' }, one),
    'platform/home',
    'installerSha256: "ABC" must be 64 lower-case hex digits.',
  ],
  // Topology
  [
    'no server',
    () => checked({}, { a1: { role: 'agent', address: '10.0.0.21' } }),
    'platform/home',
    'nodes: ["a1"] has no node with role "server"; etcd and the Kubernetes API run on those nodes. Fix: give one node (or three, or five) role: "server".',
  ],
  [
    'even number of servers',
    () => checked({}, { s1: server('10.0.0.11'), s2: server('10.0.0.12'), s3: server('10.0.0.13'), s4: server('10.0.0.14') }),
    'platform/home',
    'nodes: ["s1","s2","s3","s4"] are 4 "server" nodes, an even number of etcd members: quorum needs 3 of them, so the cluster tolerates 1 failed members, no more than with 3. Fix: use an odd number of "server" nodes (3 or 5).',
  ],
  [
    'duplicate node name',
    () => checked({}, { s1: server('10.0.0.11'), a1: { role: 'agent', address: '10.0.0.21', hostname: 's1' } }),
    'platform/home',
    'nodes.a1.hostname: "s1" is also the name of node "s1"; Kubernetes node names must be unique. Fix: give each node its own hostname.',
  ],
  [
    'duplicate address',
    () => checked({}, { s1: server('10.0.0.11'), a1: { role: 'agent', address: '10.0.0.11' } }),
    'platform/home',
    'nodes.a1.address: "10.0.0.11" is also the address of node "s1". Fix: give each node its own address.',
  ],
  [
    'pod network over a node',
    () => checked({ clusterCidr: '10.0.0.0/16' }, one),
    'platform/home',
    'clusterCidr: "10.0.0.0/16" contains the address 10.0.0.11 of node "s1". Fix: choose a range the hosts do not use.',
  ],
  [
    'pod and Service networks overlap',
    () => checked({ clusterCidr: '10.233.0.0/16' }, one),
    'platform/home',
    'clusterCidr: "10.233.0.0/16" overlaps serviceCidr 10.233.0.0/18. Fix: use disjoint ranges.',
  ],
  // The platform's choices
  [
    'Flannel while Calico runs',
    () =>
      checked(
        { cni: 'flannel' },
        one,
        withComponents((p) => new Calico(p)),
      ),
    'platform/home',
    'cni: "flannel" makes K3s run Flannel, but the platform installs Calico at platform/network/calico; two CNIs on one node conflict. Fix: remove cni; it defaults to "none" when the platform installs a CNI.',
  ],
  [
    'K3s network policy beside Calico',
    () =>
      checked(
        { networkPolicy: true },
        one,
        withComponents((p) => new Calico(p)),
      ),
    'platform/home',
    "networkPolicy: true runs K3s's network policy controller, but Calico at platform/network/calico enforces network policy itself. Fix: remove networkPolicy.",
  ],
  [
    'K3s network policy beside Kube-OVN, where the chained Cilium enforces it',
    () =>
      checked(
        { networkPolicy: true },
        one,
        withComponents((p) => {
          new KubeOvn(p);
          new Cilium(p, { apiServer: { host: '10.0.0.11', port: 6443 } });
        }),
      ),
    'platform/home',
    "networkPolicy: true runs K3s's network policy controller, but Cilium at platform/network/cilium enforces network policy itself. Fix: remove networkPolicy.",
  ],
  [
    'kube-proxy while Cilium replaces it',
    () =>
      checked(
        { kubeProxy: true },
        one,
        withComponents((p) => new Cilium(p, { apiServer: { host: '10.0.0.11', port: 6443 } })),
      ),
    'platform/home',
    'kubeProxy: true runs kube-proxy, but Cilium at platform/network/cilium replaces it; both would program the Service rules. Fix: remove kubeProxy, or turn off kube-proxy replacement in Cilium.',
  ],
  [
    'no kube-proxy with Calico',
    () =>
      checked(
        { kubeProxy: false },
        one,
        withComponents((p) => new Calico(p)),
      ),
    'platform/home',
    'kubeProxy: false turns kube-proxy off, but Calico at platform/network/calico does not replace it; Services would not work. Fix: remove kubeProxy, or add Cilium with kube-proxy replacement.',
  ],
  [
    'no kube-proxy with Flannel',
    () => checked({ kubeProxy: false }, one),
    'platform/home',
    "kubeProxy: false turns kube-proxy off, but K3s's Flannel does not replace it; Services would not work. Fix: remove kubeProxy, or add Cilium with kube-proxy replacement.",
  ],
  [
    'servicelb beside MetalLB',
    () =>
      checked(
        { disable: ['traefik'] },
        one,
        withComponents((p) => new MetalLb(p, { addressPools: { default: { addresses: ['10.0.0.240-10.0.0.250'] } } })),
      ),
    'platform/home',
    'disable: ["traefik"] keeps K3s\'s servicelb, but MetalLb at platform/network/metallb also answers LoadBalancer Services. Fix: add "servicelb" to disable.',
  ],
  [
    "a pod network other than Calico's",
    () =>
      checked(
        { clusterCidr: '10.42.0.0/16' },
        one,
        withComponents((p) => new Calico(p)),
      ),
    'platform/home',
    "clusterCidr: \"10.42.0.0/16\" is not the pod network 10.233.64.0/18 of Calico at platform/network/calico; Calico's IP pool must be the cluster's pod CIDR. Fix: remove clusterCidr to follow Calico, or set Calico's podCidr to the same range.",
  ],
  [
    "a Service network other than Kube-OVN's",
    () =>
      checked(
        { serviceCidr: '10.233.0.0/18' },
        one,
        withComponents((p) => new KubeOvn(p, { cilium: false })),
      ),
    'platform/home',
    'serviceCidr: "10.233.0.0/18" is not the Service network 10.96.0.0/16 of KubeOvn at platform/network/kube-ovn; both must be the API server\'s Service CIDR.',
  ],
  [
    'Cilium set up for Talos',
    () =>
      checked(
        {},
        one,
        withComponents((p) => new Cilium(p, { nodeOs: 'talos' })),
      ),
    'platform/home',
    'Cilium.nodeOs: "talos" is set up for Talos hosts at platform/network/cilium, but the nodes run K3s. Fix: create Cilium with nodeOs: "generic".',
  ],
  [
    'CoreDNS removed under CoreDns',
    () =>
      checked(
        { disable: ['traefik', 'coredns'] },
        one,
        withComponents((p) => new CoreDns(p, { hosts: { 'nas.home.arpa': '10.0.0.5' } })),
      ),
    'platform/home',
    'disable: ["traefik","coredns"] removes K3s\'s CoreDNS, which reads the extra server blocks of CoreDns at platform/network/coredns. Fix: remove "coredns" from disable.',
  ],
  [
    'local-storage removed under LocalPath',
    () =>
      checked(
        { disable: ['traefik', 'local-storage'] },
        one,
        withComponents((p) => new LocalPath(p)),
      ),
    'platform/home',
    'disable: ["traefik","local-storage"] removes K3s\'s local-storage, whose local-path StorageClass LocalPath at platform/storage/local-path provides. Fix: remove "local-storage" from disable.',
  ],
  [
    'more pods than a node CIDR holds',
    () => checked({ kubelet: { maxPods: 300 } }, one),
    'platform/home',
    "kubelet.maxPods: 300 exceeds the 253 pod addresses of the /24 each node gets, from which K3s's Flannel assigns them; further pods would get no address. Fix: use at most 253, or a CNI that allocates from a shared pool (Kube-OVN, Calico).",
  ],
  [
    'LINSTOR set up for Talos',
    () =>
      checked(
        {},
        one,
        withComponents((p) => new Linstor(p, { talos: true })),
      ),
    'platform/home',
    'Linstor.talos: true expects Talos at platform/storage/linstor, but the nodes run K3s. Fix: create Linstor with talos: false.',
  ],
];

describe('K3sCluster errors', () => {
  test("LocalPath keeps K3s's local-storage", () => {
    expect(
      checked(
        {},
        one,
        withComponents((p) => new LocalPath(p)),
      ).disable,
    ).toEqual(['traefik']);
  });

  test('Kube-OVN sets the Service network', () => {
    expect(
      checked(
        {},
        one,
        withComponents((p) => new KubeOvn(p, { cilium: false, serviceCidr: '10.96.0.0/16' })),
      ).serviceCidr,
    ).toBe('10.96.0.0/16');
  });

  test.each(CASES)('%s', (_, create, path, line) => {
    const message = messageOf(create);
    expect(message.startsWith(`[${path}] `)).toBe(true);
    expect(message).toContain(`  - ${line}`);
  });
});
