import * as YAML from 'yaml';
import { MockedResource } from '../../../../lib/pulumi/mock-engine';
import { fresh, get, reaches, unwrap } from './helpers';

/** The environment of a command; it holds the talosconfig, so the engine gets it as one secret. */
const env = (r: MockedResource) => {
  const { secret, value } = unwrap(r.inputs.environment);
  expect(secret).toBe(true);
  return value;
};

async function deploy(options: Record<string, unknown> = {}, nodes = 'cozy') {
  const m = fresh();
  const { Platform } = m.require('lib/core/platform');
  const { App } = require('cdk8s');
  const { KubeOvn } = m.require('constructs/network/kube-ovn');
  const { Cilium } = m.require('constructs/network/cilium');
  const { TalosCluster } = m.require('constructs/nodes/talos-cluster');
  const { bootstrapTalosOnMetal } = m.require('lib/pulumi/provision/metal-cluster');
  const platform = new Platform(new App(), 'platform', { kubernetesVersion: '1.33', clusterDomain: 'cozy.local' });
  new KubeOvn(platform);
  new Cilium(platform);
  const cluster = new TalosCluster(platform, nodes, { network: { link: 'enp1s0', gateway: '192.168.100.1' }, vip: '192.168.100.10' });
  cluster.addNode('cp1', { role: 'controlplane', address: '192.168.100.11/24' });
  cluster.addNode('cp2', { role: 'controlplane', address: '192.168.100.12/24' });
  cluster.addNode('cp3', { role: 'controlplane', address: '192.168.100.13/24' });
  cluster.addNode('w1', { role: 'worker', address: '192.168.100.21/24' });
  const run = await m.mocks.runUnderMocks('hosting', 'test', () =>
    bootstrapTalosOnMetal('talos', cluster, { maintenanceAddresses: { cp1: '192.168.100.101' }, ...options }),
  );
  return { ...run, m };
}

describe('TalosBootstrap on bare metal', () => {
  let run: Awaited<ReturnType<typeof deploy>>;
  beforeAll(async () => {
    run = await deploy();
  });

  test('one command per step: secrets, talosconfig, one apply per machine, bootstrap, kubeconfig', () => {
    expect([...run.resources.values()].map((r) => [r.name, r.type])).toEqual([
      ['talos', 'kubestrata:provision:TalosBootstrap'],
      ['talos/secrets', 'command:local:Command'],
      ['talos/talosconfig', 'command:local:Command'],
      ...['cp1', 'cp2', 'cp3', 'w1'].map((n) => [`talos/apply/${n}`, 'command:local:Command']),
      ['talos/bootstrap', 'command:local:Command'],
      ['talos/kubeconfig', 'command:local:Command'],
    ]);
    for (const r of run.resources.values()) if (r.name !== 'talos') expect(r.parent).toBe('talos');
  });

  test('each step follows the one before it; bootstrap waits for the control planes only', () => {
    const { resources } = run;
    expect(get(resources, 'talos/talosconfig').dependsOn).toEqual(['talos/secrets']);
    for (const n of ['cp1', 'cp2', 'cp3', 'w1'])
      expect(get(resources, `talos/apply/${n}`).dependsOn).toEqual(expect.arrayContaining(['talos/talosconfig', 'talos/secrets']));
    expect(new Set(get(resources, 'talos/bootstrap').dependsOn)).toEqual(
      new Set(['talos/apply/cp1', 'talos/apply/cp2', 'talos/apply/cp3', 'talos/talosconfig']),
    );
    expect(reaches(resources, 'talos/kubeconfig')).toEqual(
      new Set([
        'talos/bootstrap',
        'talos/apply/cp1',
        'talos/apply/cp2',
        'talos/apply/cp3',
        'talos/apply/w1',
        'talos/talosconfig',
        'talos/secrets',
      ]),
    );
  });

  test('the secrets bundle is made once: its command ignores later changes and its output is secret', () => {
    const secrets = get(run.resources, 'talos/secrets');
    expect(secrets.ignoreChanges).toEqual(['create', 'environment']);
    expect(secrets.additionalSecretOutputs).toEqual(['stdout']);
    expect(secrets.inputs.create).toContain('"$TALOSCTL" gen secrets --output-file "$dir/secrets.yaml"');
    expect(secrets.inputs.update).toBeUndefined();
    for (const step of ['talos/talosconfig', 'talos/kubeconfig'])
      expect(get(run.resources, step).additionalSecretOutputs).toEqual(['stdout']);
  });

  test('each machine gets its complete config on stdin as a secret: maintenance mode first, the authenticated API after', () => {
    const apply = get(run.resources, 'talos/apply/cp1');
    const stdin = unwrap(apply.inputs.stdin);
    expect(stdin.secret).toBe(true);
    const docs = YAML.parseAllDocuments(stdin.value).map((d) => d.toJS());
    expect(docs[0].machine.type).toBe('controlplane');
    expect(docs[0].cluster.secret).toBe(Buffer.from('mock cluster secret').toString('base64'));
    expect(docs.find((d) => d.kind === 'HostnameConfig').hostname).toBe('cp1');
    expect(apply.inputs.create).toContain('apply-config --insecure --nodes "$MAINTENANCE" --file "$dir/config.yaml"');
    expect(apply.inputs.update).toContain(
      '--talosconfig "$dir/talosconfig" --nodes "$NODE" --endpoints "$NODE" apply-config --file "$dir/config.yaml"',
    );
    expect(apply.inputs.update).not.toContain('--insecure');
    expect(env(apply)).toMatchObject({
      MAINTENANCE: '192.168.100.101',
      NODE: '192.168.100.11',
      TALOSCONFIG_DATA: 'context: mock\ncontexts: {}\n',
      TIMEOUT: '1200',
    });
    expect(env(get(run.resources, 'talos/apply/w1')).MAINTENANCE).toBe('192.168.100.21');
    expect(apply.inputs.triggers).toEqual(['cp1', true]);
  });

  test('no command wipes a machine unless asked', async () => {
    for (const r of run.resources.values()) expect(r.inputs.delete).toBeUndefined();
    const reset = await deploy({ resetOnDelete: true });
    expect(get(reset.resources, 'talos/apply/w1').inputs.delete).toContain('--nodes "$NODE" --endpoints "$NODE" reset --reboot');
  });

  test('bootstrap runs against the first control plane and accepts a cluster that is already bootstrapped', () => {
    const bootstrap = get(run.resources, 'talos/bootstrap');
    expect(env(bootstrap).NODE).toBe('192.168.100.11');
    expect(bootstrap.inputs.create).toContain('*AlreadyExists*) true');
    expect(bootstrap.inputs.update).toBe(bootstrap.inputs.create);
  });

  test('the kubeconfig waits for the API at the cluster endpoint and stays secret', async () => {
    const step = get(run.resources, 'talos/kubeconfig');
    expect(env(step).API_SERVER).toBe('https://192.168.100.10:6443');
    expect(step.inputs.create).toContain('kubeconfig --force "$dir/kubeconfig"');
    const output = run.result.kubeconfig;
    expect(await run.m.pulumi.isSecret(output)).toBe(true);
    const kubeconfig = YAML.parse(await (output as any).promise());
    expect(kubeconfig.clusters[0].cluster.server).toBe('https://192.168.100.10:6443');
  });

  test('a bundle given in config replaces the generated one', async () => {
    const given = await deploy({ secrets: run.m.mocks.mockTalosSecrets() });
    expect(given.resources.has('talos/secrets')).toBe(false);
    expect(unwrap(get(given.resources, 'talos/talosconfig').inputs.stdin).secret).toBe(true);
  });
});

describe('TalosBootstrap errors', () => {
  const machines = [{ name: 'w1', controlPlane: false, endpoint: '10.0.0.21' }];
  const base = { clusterName: 'c', endpoint: 'https://10.0.0.10:6443', machineConfig: () => '' };
  const messageOf = (args: Record<string, unknown>) => {
    const m = fresh();
    try {
      new m.provision.TalosBootstrap('talos', { ...base, machines, ...args } as any);
    } catch (e: any) {
      expect(e.name).toBe('ConfigurationError');
      return e.message as string;
    }
    throw new Error('no error');
  };

  test('no control plane', () => {
    expect(messageOf({})).toContain(
      '[talos] 1 problem:\n  - machines: ["w1"] has no control-plane machine to bootstrap. Fix: mark one machine controlPlane: true.',
    );
  });
  test('two machines with one name', () => {
    expect(
      messageOf({
        machines: [
          { name: 'a', controlPlane: true, endpoint: '1.1.1.1' },
          { name: 'a', controlPlane: false, endpoint: '1.1.1.2' },
        ],
      }),
    ).toContain('machines[1].name: "a" is the name of another machine; each names its own Pulumi resources');
  });
  test('endpoint, timeout, delivery and installer image', () => {
    const message = messageOf({
      machines: [{ name: 'a', controlPlane: true, endpoint: '1.1.1.1' }],
      endpoint: '10.0.0.10',
      timeout: 'soon',
      delivery: 'pxe',
      installerImage: 'factory.talos.dev/installer/abc:latest',
    });
    expect(message).toContain('endpoint: "10.0.0.10" must be an https URL with a port');
    expect(message).toContain('timeout: "soon" must be a duration such as 20m or 1h');
    expect(message).toContain('delivery: "pxe" must be "apply" or "user-data"');
    expect(message).toContain(
      'installerImage: "factory.talos.dev/installer/abc:latest" must be an image reference with a registry and a pinned tag (not latest)',
    );
  });
});
