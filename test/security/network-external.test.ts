import { Calico } from '../../constructs/network/calico';
import { Cilium } from '../../constructs/network/cilium';
import { HttpCache } from '../../constructs/network/http-cache';
import { KubeOvn } from '../../constructs/network/kube-ovn';
import { TcpBalancer } from '../../constructs/network/tcp-balancer';
import { K3sCluster } from '../../constructs/nodes/k3s-cluster';
import { TalosCluster } from '../../constructs/nodes/talos-cluster';
import { Postgres } from '../../constructs/data/postgres';
import { Redis } from '../../constructs/data/redis';
import { Tenant } from '../../constructs/platform/tenant';
import { VirtualMachine } from '../../constructs/virtualization/virtual-machine';
import { VmDisk } from '../../constructs/virtualization/vm-disk';
import { PRIVATE_RANGES } from '../../lib/core/cluster-networks';
import { Platform, PlatformProps } from '../../lib/core/platform';
import { find, manifests, newPlatform, problemsOf, validated } from '../helpers';
import { virtualizationPlatform } from '../constructs/virtualization/fixtures';

const DECLARED = { clusterNetworks: { pods: ['10.244.0.0/16'], services: ['10.96.0.0/12'] } };
const EXCLUDING_DECLARED = [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.244.0.0/16', '10.96.0.0/12'] } }, { ipBlock: { cidr: '::/0' } }];

function policy(platform: Platform, name: string): any {
  return find(manifests(platform), 'NetworkPolicy', name);
}

function tenantWith(props: PlatformProps = DECLARED): { platform: Platform; tenant: Tenant } {
  const platform = newPlatform(props);
  return { platform, tenant: new Tenant(platform, 'acme') };
}

describe('external peers exclude the cluster-internal ranges', () => {
  test('external: true admits exactly 0.0.0.0/0 and ::/0 without the declared pod and service ranges', () => {
    const { platform, tenant } = tenantWith();
    new Postgres(tenant, 'db', { external: true });
    const external = policy(platform, 'db-external');
    expect(external.spec.ingress).toEqual([{ from: EXCLUDING_DECLARED, ports: [{ protocol: 'TCP', port: 5432 }] }]);
    validated(platform);
  });

  test('while no pod range is known, every private, CGNAT, link-local and unique-local range is excluded', () => {
    const { platform, tenant } = tenantWith({});
    new Redis(tenant, 'cache', { external: true });
    expect(policy(platform, 'cache-external').spec.ingress[0].from).toEqual([
      { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'] } },
      { ipBlock: { cidr: '::/0', except: ['fc00::/7', 'fe80::/10'] } },
    ]);
    expect(PRIVATE_RANGES).toHaveLength(7);
  });

  test.each<[string, (p: Platform) => void, string[]]>([
    ['Calico: its pod CIDR and IP pools', (p) => new Calico(p, { podCidr: '10.42.0.0/16' }), ['10.42.0.0/16']],
    [
      'Kube-OVN: pod, service and join CIDRs',
      (p) => {
        new KubeOvn(p);
        new Cilium(p);
      },
      ['10.244.0.0/16', '10.96.0.0/16', '100.64.0.0/16'],
    ],
    [
      'K3s: cluster and service CIDRs and node addresses',
      (p) => {
        new K3sCluster(p, 'home', { clusterCidr: '10.42.0.0/16', serviceCidr: '10.43.0.0/16' }).addNode('s1', {
          role: 'server',
          address: '192.168.1.11',
        });
      },
      ['10.42.0.0/16', '10.43.0.0/16', '192.168.1.11/32'],
    ],
    [
      'Talos: pod and service subnets and node addresses',
      (p) => {
        new TalosCluster(p, 'cozy', {
          network: { link: 'enp1s0', gateway: '192.168.100.1' },
          podSubnets: ['10.250.0.0/16'],
          serviceSubnets: ['10.251.0.0/16'],
        }).addNode('cp1', { role: 'controlplane', address: '192.168.100.11/24' });
      },
      ['10.250.0.0/16', '10.251.0.0/16', '192.168.100.11/32'],
    ],
  ])('%s are declared to the platform and excluded from allow-to-external', (_, create, ranges) => {
    const platform = newPlatform({ kubernetesVersion: '1.33' });
    create(platform);
    new Tenant(platform, 'acme');
    const egress = policy(platform, 'allow-to-external').spec.egress;
    expect(egress).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ranges } }, { ipBlock: { cidr: '::/0' } }] }]);
  });

  test("Kube-OVN's join network is internal but not a pod range: nodes reach pods from it", () => {
    const platform = newPlatform({ kubernetesVersion: '1.33' });
    new KubeOvn(platform);
    new Cilium(platform);
    new Tenant(platform, 'acme');
    const fromHosts = manifests(platform).find(
      (m) => m.metadata.name === 'kubestrata-allow-from-hosts' && m.metadata.namespace === 'kube-ovn',
    );
    expect(fromHosts.spec.ingress[0].from[0]).toEqual({ ipBlock: { cidr: '0.0.0.0/0', except: ['10.244.0.0/16'] } });
    expect(policy(platform, 'allow-to-apiserver').spec.egress[0].to[0]).toEqual({
      ipBlock: { cidr: '0.0.0.0/0', except: ['10.244.0.0/16'] },
    });
  });

  test('the explicit PlatformProps.clusterNetworks adds to what the constructs declare', () => {
    const platform = newPlatform({ clusterNetworks: { pods: ['fd00:10::/56'], services: ['10.96.0.0/12'] } });
    new Calico(platform, { podCidr: '10.42.0.0/16' });
    new Tenant(platform, 'acme');
    expect(policy(platform, 'allow-to-external').spec.egress[0].to).toEqual([
      { ipBlock: { cidr: '0.0.0.0/0', except: ['10.42.0.0/16', '10.96.0.0/12'] } },
      { ipBlock: { cidr: '::/0', except: ['fd00:10::/56'] } },
    ]);
  });

  test('allow-to-external no longer admits any namespace, and allow-to-apiserver only addresses outside the pod ranges', () => {
    const { platform } = tenantWith();
    const external = policy(platform, 'allow-to-external');
    expect(JSON.stringify(external)).not.toContain('namespaceSelector');
    expect(external.spec.egress).toEqual([{ to: EXCLUDING_DECLARED }]);
    const apiserver = policy(platform, 'allow-to-apiserver');
    expect(apiserver.spec.egress).toEqual([
      {
        to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.244.0.0/16'] } }, { ipBlock: { cidr: '::/0' } }],
        ports: [
          { protocol: 'TCP', port: 443 },
          { protocol: 'TCP', port: 6443 },
        ],
      },
    ]);
  });

  test('externalSourceRanges outside the cluster stay as given; a range covering internal ones keeps them excluded', () => {
    const { platform, tenant } = tenantWith();
    new Postgres(tenant, 'db', { external: true, externalSourceRanges: ['203.0.113.0/24', '192.168.1.0/24', '10.0.0.0/8'] });
    expect(policy(platform, 'db-external').spec.ingress[0].from).toEqual([
      { ipBlock: { cidr: '203.0.113.0/24' } },
      { ipBlock: { cidr: '192.168.1.0/24' } },
      { ipBlock: { cidr: '10.0.0.0/8', except: ['10.244.0.0/16', '10.96.0.0/12'] } },
    ]);
  });

  test('a source range inside the pod ranges is refused when the manifests are rendered', () => {
    const { platform, tenant } = tenantWith();
    new Postgres(tenant, 'db', { external: true, externalSourceRanges: ['10.244.3.0/24'] });
    expect(problemsOf(() => manifests(platform)).message).toBe(
      [
        '[platform/acme/db] 1 problem:',
        '  - externalSourceRanges: "10.244.3.0/24" lies inside the cluster-internal range 10.244.0.0/16, so it would admit pods. Fix: list only client ranges outside the pod and service ranges.',
      ].join('\n'),
    );
  });

  test('a private source range is refused while the platform knows no pod range, naming the fix', () => {
    const { platform, tenant } = tenantWith({});
    new Redis(tenant, 'cache', { external: true, externalSourceRanges: ['192.168.1.0/24'] });
    expect(problemsOf(() => manifests(platform)).message).toBe(
      [
        '[platform/acme/cache] 1 problem:',
        '  - externalSourceRanges: "192.168.1.0/24" lies inside the cluster-internal range 192.168.0.0/16 (private ranges count as internal while the platform knows no pod range), so it would admit pods.' +
          " Fix: declare the cluster's ranges with PlatformProps.clusterNetworks { pods, services } (or create the CNI and node cluster constructs), or use a public range.",
      ].join('\n'),
    );
  });

  test('TcpBalancer, HttpCache and VirtualMachine use the same peers', () => {
    const { platform, tenant } = virtualizationPlatform({ platform: DECLARED });
    new TcpBalancer(tenant, 'lb', { endpoints: ['192.168.100.11'], external: true });
    new HttpCache(tenant, 'assets', { endpoints: ['192.168.100.21:80'], external: true });
    const root = new VmDisk(tenant, 'root', { registry: { url: 'docker://quay.io/containerdisks/ubuntu:24.04' }, size: '20Gi' });
    new VirtualMachine(tenant, 'web', { disks: [root], external: true, externalPorts: [22] });
    for (const name of ['lb-haproxy-external', 'assets-haproxy-external', 'web-external']) {
      expect(policy(platform, name).spec.ingress[0].from).toEqual(EXCLUDING_DECLARED);
    }
    expect(policy(platform, 'allow-cdi-importer-egress').spec.egress).toEqual([{ to: EXCLUDING_DECLARED }]);
    expect(policy(platform, 'allow-cdi-importer-progress').spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cdi' } } }],
        ports: [{ protocol: 'TCP', port: 8443 }],
      },
    ]);
  });

  test('a TcpBalancer allowList entry inside the pod ranges is refused', () => {
    const { platform, tenant } = tenantWith();
    new TcpBalancer(tenant, 'lb', { endpoints: ['192.168.100.11'], external: true, allowList: ['10.244.0.0/24'] });
    expect(problemsOf(() => manifests(platform)).message).toContain(
      '  - allowList: "10.244.0.0/24" lies inside the cluster-internal range 10.244.0.0/16, so it would admit pods.',
    );
  });

  test('known node addresses narrow allow-to-apiserver to the control plane on 6443', () => {
    const platform = newPlatform({ kubernetesVersion: '1.33' });
    const cluster = new TalosCluster(platform, 'cozy', { network: { link: 'enp1s0', gateway: '192.168.100.1' }, vip: '192.168.100.10' });
    cluster.addNode('cp1', { role: 'controlplane', address: '192.168.100.11/24' });
    cluster.addNode('w1', { role: 'worker', address: '192.168.100.21/24' });
    new Tenant(platform, 'acme');
    expect(policy(platform, 'allow-to-apiserver').spec.egress).toEqual([
      {
        to: [{ ipBlock: { cidr: '192.168.100.11/32' } }, { ipBlock: { cidr: '192.168.100.10/32' } }],
        ports: [{ protocol: 'TCP', port: 6443 }],
      },
    ]);
  });

  test('clusterNetworks.nodes must hold networks', () => {
    expect(problemsOf(() => newPlatform({ clusterNetworks: { nodes: ['192.168.1.10/24'] } })).message).toBe(
      [
        '[platform] 1 problem:',
        '  - clusterNetworks.nodes[0]: "192.168.1.10/24" has host bits set; a network is written with its first address. Fix: use "192.168.1.0/24".',
      ].join('\n'),
    );
  });

  test('clusterNetworks must hold networks', () => {
    expect(problemsOf(() => newPlatform({ clusterNetworks: { pods: ['10.244.0.1/16'] } })).message).toBe(
      [
        '[platform] 1 problem:',
        '  - clusterNetworks.pods[0]: "10.244.0.1/16" has host bits set; a network is written with its first address. Fix: use "10.244.0.0/16".',
      ].join('\n'),
    );
    expect(problemsOf(() => newPlatform({ clusterNetworks: { services: 'x' as any } })).message).toContain(
      'clusterNetworks.services: "x" must be a list. Fix: write it as a list: ["x"].',
    );
  });

  test('Cilium matches CIDR rules against remote nodes too, so the API server reaches webhooks', () => {
    const platform = newPlatform({ kubernetesVersion: '1.33' });
    new Cilium(platform);
    const release = manifests(platform).find((m) => m.kind === 'HelmRelease' && m.metadata.name === 'cilium');
    expect(release.spec.values.policyCIDRMatchMode).toEqual(['nodes']);
  });
});
