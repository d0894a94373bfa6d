import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SchemaRegistry, talosValidator } from '../../../../lib/validate';
import { withoutPatchDirectives } from '../../../../constructs/nodes/talos-merge';
import { SCHEMAS_DIR } from '../../../helpers';
import * as YAML from 'yaml';
import type { MockedResource } from '../../../../lib/pulumi/mock-engine';
import { requireTool, testWith } from '../../../system-tools';
import { fresh, get, plainStrings, reaches, STACKS, unwrap } from './helpers';

type Run = Awaited<ReturnType<typeof runStack>>;

async function runStack(stack: string, target: string) {
  const m = fresh();
  const { program, namespace } = m.require(`stacks/${stack}/program`);
  const config = m.provision.fileStackConfig(path.join(STACKS, stack, 'Pulumi.example.yaml'), namespace, { target });
  const run = await m.mocks.runUnderMocks(namespace, 'example', () => program(config));
  return { ...run, m };
}

/** Values the stand-ins put where secrets go; none may reach the engine outside a secret. */
const SECRET_VALUES = [
  '(secret)',
  'mock-secret-access-key',
  Buffer.from('mock cluster secret').toString('base64'),
  Buffer.from('mock os key').toString('base64'),
  Buffer.from('mock key').toString('base64'),
];

const POSTGRES = {
  hosting: 'platform/postgresql.cnpg.io/v1/Cluster/tenant-acme/main',
  'personal-cloud': 'platform/postgresql.cnpg.io/v1/Cluster/tenant-user-alice/apps',
} as const;

describe.each([
  ['hosting', 'metal', ['talos/apply/cp1', 'talos/bootstrap', 'talos/kubeconfig']],
  ['hosting', 'aws', ['aws/machines/cp1', 'aws/talos/apply/cp1', 'aws/talos/install/cp1', 'aws/talos/bootstrap', 'aws/talos/kubeconfig']],
  ['personal-cloud', 'metal', ['k3s/install/home', 'k3s/install/gpu', 'k3s/kubeconfig']],
  ['personal-cloud', 'aws', ['aws/machines/home', 'aws/k3s/install/home', 'aws/k3s/install/gpu', 'aws/k3s/kubeconfig']],
] as const)('stack %s on %s', (stack, target, chain) => {
  let run: Run;
  beforeAll(async () => {
    run = await runStack(stack, target);
  });

  test('the custom resources of the tenant database wait for the whole chain from the machine to the Kubernetes provider', () => {
    const waitsFor = reaches(run.resources, POSTGRES[stack]);
    for (const step of [...chain, 'cluster']) expect(waitsFor).toContain(step);
    expect(get(run.resources, 'cluster').type).toBe('pulumi:providers:kubernetes');
    expect(get(run.resources, 'cluster').dependsOn).toContain(chain[chain.length - 1]);
    expect(get(run.resources, 'platform').dependsOn).toEqual([chain[chain.length - 1]]);
    for (let i = 1; i < chain.length; i++) expect(reaches(run.resources, chain[i])).toContain(chain[i - 1]);
  });

  test('every Kubernetes object goes through the cluster provider', () => {
    const objects = [...run.resources.values()].filter((r) => r.custom && r.type.startsWith('kubernetes:'));
    expect(objects.length).toBeGreaterThan(20);
    for (const o of objects) expect(o.dependsOn).toContain('cluster');
  });

  test('secrets stay secret: no secret value reaches the engine in the clear, and the kubeconfig output is secret', async () => {
    for (const r of run.resources.values()) {
      const leaked = plainStrings(r.inputs).filter((s) => SECRET_VALUES.some((v) => s.includes(v)));
      expect({ resource: r.name, leaked }).toEqual({ resource: r.name, leaked: [] });
    }
    expect(await run.m.pulumi.isSecret(run.result.kubeconfig as any)).toBe(true);
    expect(unwrap(get(run.resources, 'cluster').inputs.kubeconfig).secret).toBe(true);
  });

  testWith('shellcheck')('every command script passes shellcheck', () => {
    const scripts = [...run.resources.values()]
      .filter((r) => r.type.startsWith('command:'))
      .flatMap((r) => {
        const found = ['create', 'update', 'delete']
          .map((k) => r.inputs[k])
          .filter((s): s is string => typeof s === 'string' && s.length > 0);
        const stdin = unwrap(r.inputs.stdin).value;
        if (r.type === 'command:remote:Command' && typeof stdin === 'string') found.push(stdin);
        return found.map((script) => ({ name: r.name, script }));
      });
    expect(scripts.length).toBeGreaterThanOrEqual(4);
    for (const { name, script } of scripts) {
      let report = '';
      try {
        execFileSync('shellcheck', ['--shell=sh', '--severity=style', '-'], { input: script, encoding: 'utf8' });
      } catch (e: any) {
        report = e.stdout || e.message;
      }
      expect({ name, report }).toEqual({ name, report: '' });
    }
  });

  test('every object the deployment applies passes its upstream schema', () => {
    const registry = SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: stack === 'hosting' ? '1.32.0' : '1.33.0' });
    const objects = [...run.resources.values()].filter(
      (r) =>
        r.custom &&
        r.type.startsWith('kubernetes:') &&
        r.type !== 'kubernetes:helm.sh/v3:Release' &&
        r.type !== 'kubernetes:core/v1:Secret',
    );
    expect(objects.length).toBeGreaterThan(20);
    const issues = objects.flatMap((o) => registry.validate(o.inputs));
    expect(issues).toEqual([]);
  });

  test('every node file it delivers passes the real validator: Talos configs the Talos schema, K3s user data cloud-init', () => {
    const delivered = [...run.resources.values()].flatMap((r) => {
      if (r.type === 'command:local:Command' && r.name.includes('/apply/')) return [unwrap(r.inputs.stdin).value as string];
      if (r.type === 'aws:ec2/instance:Instance') return [unwrap(r.inputs.userData).value as string];
      return [];
    });
    if (stack === 'hosting') {
      expect(delivered).toHaveLength(target === 'aws' ? 8 : 4);
      const validate = talosValidator(SCHEMAS_DIR, '1.13.9');
      for (const config of delivered) {
        const docs = YAML.parseAllDocuments(config).map((d) => d.toJS());
        expect(docs.flatMap((d) => validate(withoutPatchDirectives(d)))).toEqual([]);
      }
    } else {
      expect(delivered).toHaveLength(target === 'aws' ? 2 : 0);
      if (!requireTool('cloud-init')) return;
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'user-data-'));
      for (const [i, userData] of delivered.entries()) {
        const file = path.join(dir, `${i}.yaml`);
        fs.writeFileSync(file, userData);
        expect(execFileSync('cloud-init', ['schema', '--config-file', file], { stdio: 'pipe' }).toString()).toMatch(
          /Valid (cloud-config|schema)/,
        );
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a second run registers the same resources with the same inputs, so nothing is replaced', async () => {
    const again = await runStack(stack, target);
    const comparable = (resources: ReadonlyMap<string, MockedResource>) =>
      [...resources.values()]
        .filter((r) => !r.ignoreChanges.includes('stringData'))
        .map((r) => ({ name: r.name, type: r.type, inputs: r.inputs, dependsOn: r.dependsOn }));
    expect(comparable(again.resources)).toEqual(comparable(run.resources));
  });
});

describe('stack config errors', () => {
  test('an unknown target', async () => {
    const m = fresh();
    const { program, namespace } = m.require('stacks/hosting/program');
    const config = m.provision.fileStackConfig(path.join(STACKS, 'hosting', 'Pulumi.example.yaml'), namespace, { target: 'gcp' });
    expect(() => program(config)).toThrow('[hosting config] 1 problem:\n  - target: "gcp" must be "metal" or "aws".');
  });

  test('a target without its settings', () => {
    const m = fresh();
    const { program, namespace } = m.require('stacks/personal-cloud/program');
    const config = m.provision.fileStackConfig(path.join(STACKS, 'personal-cloud', 'Pulumi.example.yaml'), namespace, {
      target: 'aws',
      aws: undefined,
    });
    expect(() => program(config)).toThrow(
      'aws: (not set) is required for target "aws": region, adminCidrs, nodes, pools and sshPublicKey.',
    );
  });
});

test('the example configs are the stack config files Pulumi reads', () => {
  for (const stack of ['hosting', 'personal-cloud']) {
    const project = YAML.parse(require('fs').readFileSync(path.join(STACKS, stack, 'Pulumi.yaml'), 'utf8'));
    expect(project).toMatchObject({ name: stack, main: 'index.ts', runtime: { name: 'nodejs', options: { typescript: true } } });
    const example = YAML.parse(require('fs').readFileSync(path.join(STACKS, stack, 'Pulumi.example.yaml'), 'utf8'));
    for (const key of Object.keys(example.config)) expect(key.startsWith(`${stack}:`)).toBe(true);
  }
});
