import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { K3sCluster, K3sClusterProps } from '../../../constructs/nodes/k3s-cluster';
import { Calico } from '../../../constructs/network/calico';
import { Cilium } from '../../../constructs/network/cilium';
import { MetalLb } from '../../../constructs/network/metal-lb';
import { Platform } from '../../../lib/core/platform';
import { SecretRef } from '../../../lib/core/secrets';
import { newPlatform } from '../../helpers';
import { testWith } from '../../system-tools';

/** Olares' shape: Calico as CNI, K3s helm-controller delivery, three servers and one agent. */
function olares(props: K3sClusterProps = {}, platform: Platform = olaresPlatform()) {
  const cluster = new K3sCluster(platform, 'olares', props);
  const s1 = cluster.addNode('s1', { role: 'server', address: '10.0.0.11' });
  const s2 = cluster.addNode('s2', { role: 'server', address: '10.0.0.12' });
  cluster.addNode('s3', { role: 'server', address: '10.0.0.13' });
  const a1 = cluster.addNode('a1', { role: 'agent', address: '10.0.0.21', labels: { gpu: 'on' }, taints: ['gpu=true:NoSchedule'] });
  return { platform, cluster, s1, s2, a1 };
}

function olaresPlatform(): Platform {
  const platform = newPlatform({ kubernetesVersion: '1.33', delivery: 'k3s' });
  new Calico(platform);
  return platform;
}

describe('K3sCluster', () => {
  test('the first server initialises embedded etcd with the Olares settings', () => {
    const { cluster, s1 } = olares();
    expect(cluster.config(s1)).toEqual({
      'cluster-init': true,
      'token-file': '/etc/rancher/k3s/token',
      'node-name': 's1',
      'node-ip': '10.0.0.11',
      'tls-san': ['10.0.0.11', '10.0.0.12', '10.0.0.13'],
      'cluster-domain': 'cluster.local',
      'cluster-cidr': '10.233.64.0/18',
      'service-cidr': '10.233.0.0/18',
      'flannel-backend': 'none',
      'disable-network-policy': true,
      disable: ['traefik', 'local-storage'],
      'disable-cloud-controller': true,
      'secrets-encryption': true,
      'write-kubeconfig-mode': '0600',
      'kubelet-arg': [
        'max-pods=200',
        'system-reserved=cpu=200m,memory=250Mi,ephemeral-storage=1Gi',
        'kube-reserved=cpu=200m,memory=250Mi,ephemeral-storage=1Gi',
        'eviction-hard=memory.available<5%,nodefs.available<10%,imagefs.available<10%',
      ],
      'kube-proxy-arg': ['proxy-mode=ipvs'],
    });
    expect(cluster.version).toBe('v1.33.3+k3s1');
  });

  test('other servers and agents join the first server; agents get no server flags', () => {
    const { cluster, s2, a1 } = olares();
    expect(cluster.config(s2)['server']).toBe('https://10.0.0.11:6443');
    expect(cluster.config(s2)['cluster-init']).toBeUndefined();
    expect(Object.keys(cluster.config(a1))).toEqual([
      'server',
      'token-file',
      'node-name',
      'node-ip',
      'kubelet-arg',
      'kube-proxy-arg',
      'node-label',
      'node-taint',
    ]);
    expect(cluster.config(a1)['node-label']).toEqual(['gpu=on']);
    expect(cluster.joinOrder.map((n) => n.node.id)).toEqual(['s1', 's2', 's3', 'a1']);
  });

  test('the YAML quotes what K3s would read as a number', () => {
    const { cluster, s1 } = olares();
    expect(cluster.configYaml(s1)).toContain('write-kubeconfig-mode: "0600"');
    expect(YAML.parse(cluster.configYaml(s1), { version: '1.1' })).toEqual(cluster.config(s1));
  });

  test('the token is a reference: configs name the token file, never a value', () => {
    const { cluster, s1, a1 } = olares();
    expect(cluster.token).toEqual(SecretRef.fromConfig('k3s-token', ['token']));
    for (const node of [s1, a1]) {
      expect(cluster.configYaml(node)).not.toMatch(/^token:/m);
      expect(cluster.installScript(node)).not.toContain('K3S_TOKEN=');
      expect(cluster.userData(node)).not.toContain('/etc/rancher/k3s/token\n    owner');
    }
    const withToken = YAML.parse(cluster.userData(a1, 'K10secret::server:abc'), { version: '1.1' });
    expect(withToken.write_files[0]).toEqual({
      path: '/etc/rancher/k3s/token',
      owner: 'root:root',
      permissions: '0600',
      content: 'K10secret::server:abc\n',
    });
  });

  test('without a platform CNI K3s keeps Flannel and its network policy controller', () => {
    const { cluster, s1 } = olares({}, newPlatform({ kubernetesVersion: '1.33', delivery: 'k3s' }));
    const config = cluster.config(s1);
    expect(config['flannel-backend']).toBeUndefined();
    expect(config['disable-network-policy']).toBeUndefined();
  });

  test('Cilium replacing kube-proxy turns kube-proxy and its IPVS modules off', () => {
    const platform = newPlatform({ kubernetesVersion: '1.33', delivery: 'k3s' });
    new Cilium(platform, { apiServer: { host: '10.0.0.11', port: 6443 } });
    const { cluster, s1, a1 } = olares({}, platform);
    expect(cluster.config(s1)['disable-kube-proxy']).toBe(true);
    expect(cluster.config(a1)['kube-proxy-arg']).toBeUndefined();
    expect(cluster.kernelModules).toEqual(['br_netfilter', 'overlay']);
    expect(cluster.config(s1)['flannel-backend']).toBe('none');
  });

  test('MetalLB turns servicelb off; Calico sets the pod network', () => {
    const platform = newPlatform({ kubernetesVersion: '1.33', delivery: 'k3s' });
    new Calico(platform, { podCidr: '10.42.0.0/16' });
    new MetalLb(platform, { addressPools: { default: { addresses: ['10.0.0.240-10.0.0.250'] } } });
    const { cluster, s1 } = olares({}, platform);
    expect(cluster.config(s1)['disable']).toEqual(['traefik', 'local-storage', 'servicelb']);
    expect(cluster.config(s1)['cluster-cidr']).toBe('10.42.0.0/16');
  });

  test('registries.yaml lists the mirrors', () => {
    const { cluster } = olares({ registryMirrors: { 'docker.io': ['https://mirror.gcr.io'] } });
    expect(YAML.parse(cluster.registriesYaml())).toEqual({ mirrors: { 'docker.io': { endpoint: ['https://mirror.gcr.io'] } } });
    expect(YAML.parse(olares().cluster.registriesYaml())).toEqual({ mirrors: {} });
  });

  test('the install script is pinned to the K3s release and checks the installer when a checksum is given', () => {
    const { cluster, s1, a1 } = olares({ installerSha256: 'a'.repeat(64) });
    const script = cluster.installScript(a1);
    expect(script).toContain("K3S_VERSION='v1.33.3+k3s1'");
    expect(script).toContain("INSTALL_K3S_EXEC='agent'");
    expect(script).toContain(`echo '${'a'.repeat(64)}  '"$installer" | sha256sum -c -`);
    expect(cluster.installScript(s1)).toContain("INSTALL_K3S_EXEC='server'");
    expect(olares().cluster.installScript(s1)).not.toContain('sha256sum');
  });

  const everyOption: K3sClusterProps = {
    version: 'v1.33.3+k3s1',
    token: SecretRef.existing('cluster-join', ['token']),
    endpoint: 'k3s.example.org',
    clusterName: 'home',
    clusterCidr: '10.233.64.0/18',
    serviceCidr: '10.233.0.0/18',
    cni: 'none',
    networkPolicy: false,
    kubeProxy: true,
    kubeProxyMode: 'nftables',
    disable: ['traefik', 'local-storage', 'metrics-server'],
    kubelet: {
      maxPods: 250,
      systemReserved: { cpu: '500m', memory: '1Gi' },
      kubeReserved: { cpu: '250m', memory: '512Mi', ephemeralStorage: '2Gi' },
      evictionHard: { memoryAvailable: '500Mi', nodefsAvailable: '10%', nodefsInodesFree: '5%' },
    },
    registryMirrors: { 'docker.io': ['https://mirror.gcr.io', 'http://registry.lan:5000'], 'ghcr.io': ['https://ghcr.mirror.example.org'] },
    insecureRegistryMirrors: true,
    secretsEncryption: false,
    kubeconfigMode: '0640',
    tlsSans: ['k3s.example.org', '203.0.113.7'],
    sysctls: { 'vm.overcommit_memory': '1', 'net.core.somaxconn': '10240' },
    installerUrl: 'https://get.k3s.io',
    installerSha256: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  };

  test('a cluster using every option renders what it was asked for', () => {
    const { cluster, s1, s2 } = olares(everyOption);
    const config = cluster.config(s1);
    expect(config['kube-proxy-arg']).toEqual(['proxy-mode=nftables']);
    expect(config['secrets-encryption']).toBeUndefined();
    expect(config['write-kubeconfig-mode']).toBe('0640');
    expect(config['tls-san']).toEqual(['10.0.0.11', '10.0.0.12', '10.0.0.13', 'k3s.example.org', '203.0.113.7']);
    expect(config['kubelet-arg']).toEqual([
      'max-pods=250',
      'system-reserved=cpu=500m,memory=1Gi',
      'kube-reserved=cpu=250m,memory=512Mi,ephemeral-storage=2Gi',
      'eviction-hard=memory.available<500Mi,nodefs.available<10%,nodefs.inodesFree<5%',
    ]);
    expect(cluster.config(s2)['server']).toBe('https://k3s.example.org:6443');
    expect(cluster.kernelModules).toEqual(['br_netfilter', 'overlay']);
    expect(cluster.installScript(s1)).toContain('vm.overcommit_memory = 1');
  });

  testWith('shellcheck')('shellcheck, as the tests run it, rejects a faulty script', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-k3s-'));
    try {
      const file = path.join(dir, 'bad.sh');
      fs.writeFileSync(file, '#!/bin/sh\nrm -rf $1/*\n');
      expect(() => execFileSync('shellcheck', ['--shell=sh', '--severity=style', file], { stdio: 'pipe' })).toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  testWith('shellcheck')('every install script passes shellcheck', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-k3s-'));
    try {
      for (const props of [{}, everyOption]) {
        const { cluster } = olares(props);
        for (const node of cluster.nodes) {
          const file = path.join(dir, `${node.node.id}.sh`);
          fs.writeFileSync(file, cluster.installScript(node));
          execFileSync('shellcheck', ['--shell=sh', '--severity=style', file], { stdio: 'pipe' });
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  testWith('cloud-init')('cloud-init, as the tests run it, rejects faulty user data', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-k3s-'));
    try {
      const file = path.join(dir, 'bad.yaml');
      fs.writeFileSync(file, '#cloud-config\nwrite_files:\n  - path: /etc/x\n    permissions: 600\n');
      expect(() => execFileSync('cloud-init', ['schema', '--config-file', file], { stdio: 'pipe' })).toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  testWith('cloud-init')("user data of every role passes cloud-init's schema", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-k3s-'));
    try {
      const plain = olares();
      const full = olares(everyOption);
      const cases: Array<[string, string]> = [
        ['first-server', plain.cluster.userData(plain.s1)],
        ['joining-server', plain.cluster.userData(plain.s2)],
        ['agent', plain.cluster.userData(plain.a1)],
        ['every-option-agent-with-token', full.cluster.userData(full.a1, 'K10placeholder::server:token')],
      ];
      for (const [name, userData] of cases) {
        const file = path.join(dir, `${name}.yaml`);
        fs.writeFileSync(file, userData);
        const out = execFileSync('cloud-init', ['schema', '--config-file', file], { stdio: 'pipe' }).toString();
        expect(out).toContain('Valid cloud-config');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
