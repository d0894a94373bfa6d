import * as YAML from 'yaml';
import { pointKubeconfigAt } from '../../../../lib/pulumi/provision/kubeconfig';
import { mockKubeconfig } from '../../../../lib/pulumi/mock-engine';
import { fresh, get, unwrap } from './helpers';

async function deploy(options: Record<string, unknown> = {}) {
  const m = fresh();
  const { Platform } = m.require('lib/core/platform');
  const { Calico } = m.require('constructs/network/calico');
  const { K3sCluster } = m.require('constructs/nodes/k3s-cluster');
  const { bootstrapK3sOnMetal } = m.require('lib/pulumi/provision/metal-cluster');
  const { App } = require('cdk8s');
  const platform = new Platform(new App(), 'platform', { delivery: 'k3s', kubernetesVersion: '1.33' });
  new Calico(platform);
  const cluster = new K3sCluster(platform, 'home');
  cluster.addNode('s1', { role: 'server', address: '10.0.0.11' });
  cluster.addNode('a1', { role: 'agent', address: '10.0.0.21' });
  cluster.addNode('s2', { role: 'server', address: '10.0.0.12' });
  cluster.addNode('a2', { role: 'agent', address: '10.0.0.22' });
  cluster.addNode('s3', { role: 'server', address: '10.0.0.13' });
  const run = await m.mocks.runUnderMocks('home', 'test', () =>
    bootstrapK3sOnMetal('k3s', cluster, {
      token: m.pulumi.secret('the-token'),
      privateKey: m.pulumi.secret('the-private-key'),
      user: 'admin',
      ...options,
    }),
  );
  return { ...run, m };
}

/** The files a payload script writes, decoded. */
function filesOf(script: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [, encoded, path] of script.matchAll(/^printf '%s' '([A-Za-z0-9+/=]*)' \| base64 -d > '([^']+)'/gm))
    files[path] = Buffer.from(encoded, 'base64').toString('utf8');
  return files;
}

describe('K3sBootstrap on bare metal', () => {
  let run: Awaited<ReturnType<typeof deploy>>;
  beforeAll(async () => {
    run = await deploy();
  });

  test('join order: the first server, the other servers one after another, then the agents together', () => {
    const install = (n: string) => get(run.resources, `k3s/install/${n}`);
    expect([...run.resources.keys()].filter((k) => k.startsWith('k3s/install/'))).toEqual([
      'k3s/install/s1',
      'k3s/install/s2',
      'k3s/install/s3',
      'k3s/install/a1',
      'k3s/install/a2',
    ]);
    expect(install('s1').dependsOn).toEqual([]);
    expect(install('s2').dependsOn).toEqual(['k3s/install/s1']);
    expect(install('s3').dependsOn).toEqual(['k3s/install/s2']);
    expect(install('a1').dependsOn).toEqual(['k3s/install/s3']);
    expect(install('a2').dependsOn).toEqual(['k3s/install/s3']);
    expect(new Set(get(run.resources, 'k3s/kubeconfig').dependsOn)).toEqual(
      new Set(['k3s/install/s1', 'k3s/install/s2', 'k3s/install/s3', 'k3s/install/a1', 'k3s/install/a2']),
    );
  });

  test('each machine gets its files and install command as one secret script on stdin, run as root', () => {
    const s2 = get(run.resources, 'k3s/install/s2');
    expect(s2.inputs.create).toBe('if [ "$(id -u)" -eq 0 ]; then sh -s; else sudo -n sh -s; fi');
    expect(s2.inputs.update).toBe(s2.inputs.create);
    expect(s2.inputs.delete).toBeUndefined();
    expect(s2.inputs.triggers).toEqual(['s2', true]);
    const stdin = unwrap(s2.inputs.stdin);
    expect(stdin.secret).toBe(true);
    const files = filesOf(stdin.value);
    expect(Object.keys(files)).toEqual([
      '/etc/rancher/k3s/token',
      '/etc/rancher/k3s/config.yaml',
      '/etc/rancher/k3s/registries.yaml',
      '/usr/local/lib/kubestrata/install-k3s.sh',
    ]);
    expect(files['/etc/rancher/k3s/token']).toBe('the-token\n');
    expect(YAML.parse(files['/etc/rancher/k3s/config.yaml'])).toMatchObject({
      server: 'https://10.0.0.11:6443',
      'node-ip': '10.0.0.12',
      'token-file': '/etc/rancher/k3s/token',
      'flannel-backend': 'none',
    });
    expect(stdin.value).toContain("chmod 0600 '/etc/rancher/k3s/token'");
    expect(stdin.value.trimEnd().split('\n').pop()).toBe('sh /usr/local/lib/kubestrata/install-k3s.sh');
    expect(
      YAML.parse(filesOf(unwrap(get(run.resources, 'k3s/install/s1').inputs.stdin).value)['/etc/rancher/k3s/config.yaml'])['cluster-init'],
    ).toBe(true);
  });

  test('the SSH connection carries the key as a secret', () => {
    const connection = unwrap(get(run.resources, 'k3s/install/a1').inputs.connection);
    const value = connection.value;
    expect(connection.secret || unwrap(value.privateKey).secret).toBe(true);
    expect({ host: value.host, user: value.user, port: value.port }).toEqual({ host: '10.0.0.21', user: 'admin', port: 22 });
  });

  test('the kubeconfig is read from the first server and points at the cluster address', async () => {
    expect(get(run.resources, 'k3s/kubeconfig').inputs.create).toBe(
      `if [ "$(id -u)" -eq 0 ]; then cat '/etc/rancher/k3s/k3s.yaml'; else sudo -n cat '/etc/rancher/k3s/k3s.yaml'; fi`,
    );
    expect(get(run.resources, 'k3s/kubeconfig').additionalSecretOutputs).toEqual(['stdout']);
    expect(await run.m.pulumi.isSecret(run.result.kubeconfig)).toBe(true);
    const kubeconfig = YAML.parse(await (run.result.kubeconfig as any).promise());
    expect(kubeconfig.clusters[0].cluster).toEqual({
      server: 'https://10.0.0.11:6443',
      'certificate-authority-data': Buffer.from('mock ca').toString('base64'),
    });
  });

  test('the uninstall script runs on removal only when asked', async () => {
    const uninstall = await deploy({ uninstallOnDelete: true });
    expect(get(uninstall.resources, 'k3s/install/s1').inputs.delete).toContain("else sudo -n sh -c '/usr/local/bin/k3s-uninstall.sh'; fi");
    expect(get(uninstall.resources, 'k3s/install/a1').inputs.delete).toContain(
      "else sudo -n sh -c '/usr/local/bin/k3s-agent-uninstall.sh'; fi",
    );
  });
});

describe('K3sBootstrap errors', () => {
  const messageOf = (args: Record<string, unknown>) => {
    const m = fresh();
    try {
      new m.provision.K3sBootstrap('k3s', args as any);
    } catch (e: any) {
      expect(e.name).toBe('ConfigurationError');
      return e.message as string;
    }
    throw new Error('no error');
  };
  const machine = (name: string, server: boolean, files: unknown[] = []) => ({
    name,
    server,
    ssh: { host: 'h', privateKey: 'k' },
    files,
    install: 'true',
  });

  test('no server', () => {
    expect(messageOf({ machines: [machine('a', false)] })).toContain(
      'machines: ["a"] has no server; the first server initialises the cluster. Fix: mark one machine server: true.',
    );
  });
  test('duplicate names, bad file paths and modes', () => {
    const message = messageOf({ machines: [machine('a', true), machine('a', false, [{ path: 'etc/x', content: '', mode: '644' }])] });
    expect(message).toContain('machines[1].name: "a" is the name of another machine');
    expect(message).toContain('machines[1].files: "etc/x" must be an absolute path');
    expect(message).toContain('machines[1].files: "644" must be an octal mode such as "0600"');
  });
});

describe('pointKubeconfigAt', () => {
  test('a loopback server is replaced without a TLS name', () => {
    const out = YAML.parse(pointKubeconfigAt(mockKubeconfig(), 'https://10.0.0.11:6443'));
    expect(out.clusters[0].cluster.server).toBe('https://10.0.0.11:6443');
    expect(out.clusters[0].cluster['tls-server-name']).toBeUndefined();
  });
  test('a node address reached through another keeps verifying the node address', () => {
    const out = YAML.parse(pointKubeconfigAt(mockKubeconfig('https://10.0.0.11:6443'), 'https://198.51.100.11:6443'));
    expect(out.clusters[0].cluster).toMatchObject({ server: 'https://198.51.100.11:6443', 'tls-server-name': '10.0.0.11' });
  });
  test('an explicit TLS name wins; a kubeconfig without clusters is refused', () => {
    expect(
      YAML.parse(pointKubeconfigAt(mockKubeconfig(), 'https://198.51.100.11:6443', 'k3s.example.org')).clusters[0].cluster[
        'tls-server-name'
      ],
    ).toBe('k3s.example.org');
    expect(() => pointKubeconfigAt('apiVersion: v1\nkind: Config\n', 'https://x:6443')).toThrow(
      'the kubeconfig read from the cluster has no clusters',
    );
  });
});
