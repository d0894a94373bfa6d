import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { stacks } from '../../../stacks/main';

const ROOT = path.resolve(__dirname, '../../..');

/** `kubestrata validate …` with no KUBESTRATA_SCHEMAS, as on a machine without the upstream schema folder. */
function validate(...args: string[]): { status: number | null; stdout: string } {
  const env = { ...process.env };
  delete env.KUBESTRATA_SCHEMAS;
  const result = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'lib/cli/main.ts'), 'validate', ...args],
    { cwd: ROOT, encoding: 'utf8', env },
  );
  return { status: result.status, stdout: result.stdout + result.stderr };
}

describe('kubestrata validate with no flags', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-cli-validate-'));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  test.each(Object.keys(stacks))('passes the synthesized %s stack with the shipped schemas', (name) => {
    const platform = stacks[name]!.build(new App({ outdir: path.join(out, name) }));
    platform.synth();
    const { status, stdout } = validate(path.join(out, name), '--kubernetes-version', `${platform.kubernetesVersion}.0`);
    expect(stdout).toMatch(/^files\s+objects\s+errors\s+not validated\n\d+\s+\d+\s+0\s+0$/m);
    expect(stdout).toMatch(/^schemas: shipped bundle \(CRDs of \d+ components, .*\)$/m);
    expect(status).toBe(0);
  });

  test('fails on a broken file, names the problem and how to add a missing schema', () => {
    const broken = path.join(out, 'broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(
      path.join(broken, 'objects.yaml'),
      [
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: default}\ndata: {replicas: 3}',
        'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: default}',
        'apiVersion: cilium.io/v2\nkind: CiliumLoadBalancerIPPool\nmetadata: {name: public}\nspec: {blocks: []}',
      ].join('\n---\n'),
    );
    const { status, stdout } = validate(broken);
    expect(status).toBe(1);
    expect(stdout).toContain(`${path.join(broken, 'objects.yaml')}: v1 ConfigMap default/settings /data/replicas: must be string`);
    expect(stdout).toContain('example.com/v1 Widget default/w /: no schema for example.com/v1 Widget');
    expect(stdout).toContain('cilium.io/v2 CiliumLoadBalancerIPPool public: not validated: no upstream schema (cilium-operator registers');
    expect(stdout).toMatch(/^1\s+3\s+2\s+1$/m);
    expect(stdout).toContain('a kind without a schema: add its CRD with --schemas <file or dir>');
  });
});
