import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isSecretValue, type MockedResource } from '../../../lib/pulumi/mock-engine';

function fresh() {
  jest.resetModules();
  return require('../../../lib/cli/plan') as typeof import('../../../lib/cli/plan');
}

describe('kubestrata plan', () => {
  test.each([
    ['hosting', 'metal'],
    ['hosting', 'aws'],
    ['personal-cloud', 'metal'],
    ['personal-cloud', 'aws'],
  ])('%s on %s: machines, cluster, layers, tenants, in dependency order', async (stack, target) => {
    const { planStack } = fresh();
    const plan = await planStack({ stack, target });
    expect(plan).toMatchObject({ stack, target, backwards: [] });
    const wave = (name: string) => plan.resources.find((r) => r.name === name)?.wave;
    const prefix = target === 'aws' ? 'aws/' : '';
    const distribution = stack === 'hosting' ? 'talos' : 'k3s';
    expect(wave(`${prefix}${distribution}/kubeconfig`)).toBe('cluster');
    expect(wave('cluster')).toBe('cluster');
    expect(wave(stack === 'hosting' ? `${prefix}talos/apply/cp1` : `${prefix}k3s/install/home`)).toBe('machines');
    if (target === 'aws') expect(wave(`aws/machines/${stack === 'hosting' ? 'cp1' : 'home'}`)).toBe('machines');
    const tenant =
      stack === 'hosting'
        ? 'platform/postgresql.cnpg.io/v1/Cluster/tenant-acme/main'
        : 'platform/postgresql.cnpg.io/v1/Cluster/tenant-user-alice/apps';
    expect(wave(tenant)).toBe('tenants');
    expect(new Set(plan.resources.filter((r) => r.custom).map((r) => r.wave))).toEqual(
      new Set(['machines', 'cluster', 'layers', 'tenants']),
    );
  });

  test('the printed plan lists each wave in order and sums objects up per chart', async () => {
    const { plan } = fresh();
    const lines: string[] = [];
    expect(await plan({ stack: 'hosting', target: 'aws' }, (l) => lines.push(l))).toBe(0);
    const text = lines.join('\n');
    expect(text).toMatch(/^plan: stack hosting, target aws: \d+ resources, in 4 waves \(run under mocks: nothing was created\)/);
    const order = ['1. machines', '2. cluster', '3. layers', '4. tenants'].map((w) => text.indexOf(`\n${w} (`));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]))).toBe(true);
    expect(text).toContain(
      '   + aws/machines/cp1  (aws:ec2/instance:Instance)  after aws/network/subnet-0, aws/secrets, aws/firewall/nodes, aws/firewall/control-planes',
    );
    expect(text).toMatch(/\n {3}acme: 38 — Namespace 1, /);
    expect(text).not.toContain('out of wave order');
  });

  test('a dependency on a later wave is reported and fails the plan', () => {
    const { sortIntoWaves, formatPlan } = fresh();
    const resource = (name: string, type: string, dependsOn: string[] = [], parent?: string): MockedResource => ({
      name,
      type,
      custom: !type.startsWith('kubestrata:'),
      inputs: {},
      parent,
      dependsOn,
      declaredDependsOn: dependsOn,
      ignoreChanges: [],
      additionalSecretOutputs: [],
    });
    const sorted = sortIntoWaves(
      new Map([
        ['platform', resource('platform', 'kubestrata:pulumi:PlatformDeployment')],
        ['platform/t', resource('platform/t', 'kubestrata:pulumi:TenantChart', [], 'platform')],
        ['ns', resource('ns', 'kubernetes:core/v1:Namespace', [], 'platform/t')],
        ['machine', resource('machine', 'aws:ec2/instance:Instance', ['ns'])],
      ]),
    );
    expect(sorted.backwards).toEqual([{ from: 'machine', to: 'ns' }]);
    expect(formatPlan({ stack: 's', target: 'aws', ...sorted })).toContain('out of wave order:\n   machine waits for ns, a later wave');
  });

  test('an unknown stack lists the reference stacks; a missing config file is named', async () => {
    const { planStack } = fresh();
    await expect(planStack({ stack: 'nope' })).rejects.toThrow('unknown stack "nope"; the reference stacks are hosting, personal-cloud');
    await expect(planStack({ stack: 'hosting', config: '/nonexistent/Pulumi.prod.yaml' })).rejects.toThrow(
      'no stack config /nonexistent/Pulumi.prod.yaml; pass --config Pulumi.<stack>.yaml',
    );
  });
});

describe('optional Pulumi packages', () => {
  test('a reference stack without @pulumi/aws names the packages to install', async () => {
    const { planStack } = fresh();
    jest.doMock('@pulumi/aws', () => {
      throw new Error("Cannot find module '@pulumi/aws' from 'stacks/hosting/program.ts'");
    });
    await expect(planStack({ stack: 'hosting' })).rejects.toThrow(
      'the hosting stack, which provisions its machines, needs @pulumi/aws and @pulumi/command, and @pulumi/aws is not installed: ' +
        'npm install --save-dev @pulumi/aws @pulumi/command',
    );
    jest.dontMock('@pulumi/aws');
  });

  test('plan without @pulumi/pulumi names the packages to install; other errors pass unchanged', () => {
    const { withInstallHint } = require('../../../lib/cli/missing-package') as typeof import('../../../lib/cli/missing-package');
    const packages = ['@pulumi/pulumi', '@pulumi/kubernetes'];
    expect(
      (withInstallHint(new Error("Cannot find module '@pulumi/pulumi'\nRequire stack:"), packages, 'kubestrata plan') as Error).message,
    ).toBe(
      'kubestrata plan needs @pulumi/pulumi and @pulumi/kubernetes, and @pulumi/pulumi is not installed: npm install --save-dev @pulumi/pulumi @pulumi/kubernetes',
    );
    const other = new Error("Cannot find module './nope'");
    expect(withInstallHint(other, packages, 'kubestrata plan')).toBe(other);
  });
});

describe("kubestrata plan of a user's Pulumi program", () => {
  const PROJECT = path.join(__dirname, 'fixtures/pulumi-app');

  test('runs the program of Pulumi.yaml under mocks with the config of its only stack file, secrets as stand-ins', async () => {
    const result = await fresh().planStack({ dir: PROJECT });
    expect(result.stack).toBe('shop/dev');
    const tenants = result.resources.filter((r) => r.wave === 'tenants' && r.type === 'kubernetes:core/v1:Namespace');
    expect(tenants.map((r) => r.chart?.split('/').pop()).sort()).toEqual(['acme', 'globex']);
    expect(isSecretValue(result.resources.find((r) => r.name === 'cluster')?.inputs.kubeconfig)).toBe(true);
    const lines: string[] = [];
    expect(await fresh().plan({ dir: PROJECT }, (l) => lines.push(l))).toBe(0);
    expect(lines.join('\n')).toMatch(/^plan: stack shop\/dev: \d+ resources, in 4 waves/);
  });

  test('a reference stack run as its Pulumi project (index.ts, pulumi.Config) plans what plan --stack plans', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-plan-'));
    const config = path.join(dir, 'Pulumi.prod.yaml');
    const example = fs.readFileSync(path.join(__dirname, '../../../stacks/hosting/Pulumi.example.yaml'), 'utf8');
    const secrets = [
      '  kubestrata:secrets:',
      '    backup-s3: { ACCESS_KEY_ID: { secure: v1:a }, ACCESS_SECRET_KEY: { secure: v1:b } }',
      '    builder-cloud-init: { userdata: { secure: v1:c } }',
    ];
    fs.writeFileSync(config, [example.trimEnd(), ...secrets, ''].join('\n'));
    try {
      const project = await fresh().planStack({ dir: path.join(__dirname, '../../../stacks/hosting'), config });
      const reference = await fresh().planStack({ stack: 'hosting', config });
      expect(project.stack).toBe('hosting/prod');
      const names = (plan: typeof project) => plan.resources.map((r) => `${r.wave} ${r.type} ${r.name}`).sort();
      expect(names(project)).toEqual(names(reference));
      const secret = project.resources.find((r) => r.type === 'kubernetes:core/v1:Secret' && r.name.endsWith('tenant-acme/backup-s3'));
      expect(isSecretValue(secret?.inputs.stringData)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('says what it looked for in a directory without Pulumi.yaml, and asks to pick among several stack files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-plan-'));
    try {
      await expect(fresh().planStack({ dir })).rejects.toThrow(
        `no Pulumi.yaml in ${dir}: pass the directory of a Pulumi program (plan <dir>), or --stack <name> for a kubestrata reference stack`,
      );
      fs.writeFileSync(path.join(dir, 'Pulumi.yaml'), 'runtime: nodejs\n');
      await expect(fresh().planStack({ dir })).rejects.toThrow(`${path.join(dir, 'Pulumi.yaml')} has no name`);
      fs.writeFileSync(path.join(dir, 'Pulumi.yaml'), 'name: shop\nruntime: nodejs\nmain: src/\n');
      await expect(fresh().planStack({ dir })).rejects.toThrow(
        `no Pulumi program in ${path.join(dir, 'src')}: set main in Pulumi.yaml, or write index.ts`,
      );
      fs.writeFileSync(path.join(dir, 'Pulumi.yaml'), 'name: shop\nruntime: python\n');
      await expect(fresh().planStack({ dir })).rejects.toThrow(/Pulumi\.yaml: runtime is "python"; kubestrata plan runs nodejs programs$/);
      fs.writeFileSync(path.join(dir, 'Pulumi.yaml'), 'name: shop\nruntime: nodejs\n');
      fs.writeFileSync(path.join(dir, 'Pulumi.dev.yaml'), 'config: {}\n');
      fs.writeFileSync(path.join(dir, 'Pulumi.prod.yaml'), 'config: {}\n');
      await expect(fresh().planStack({ dir })).rejects.toThrow(
        `${dir} has several stack configs (Pulumi.dev.yaml, Pulumi.prod.yaml): pick one with --config <file>`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('plan and synth of one stack name', () => {
  test.each(['hosting', 'personal-cloud'])('%s on metal plans every layer and tenant that synth renders', async (stack) => {
    const { planStack, chartsLeftOut } = fresh();
    expect(chartsLeftOut(await planStack({ stack, target: 'metal' }))).toEqual([]);
  });

  test('a plan that leaves out charts synth renders says which', async () => {
    const { plan } = fresh();
    const lines: string[] = [];
    await plan({ stack: 'hosting', target: 'aws' }, (l) => lines.push(l));
    expect(lines.join('\n')).toContain(
      'not in this plan: storage, which `kubestrata synth --stack hosting` renders; this stack config leaves them out',
    );
  });
});
