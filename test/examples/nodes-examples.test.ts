import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { withoutPatchDirectives } from '../../constructs/nodes/talos-merge';
import { talosValidator } from '../../lib/validate';
import { SCHEMAS_DIR } from '../helpers';
import { requireTool } from '../system-tools';

const root = path.resolve(__dirname, '../..');

/** Runs an example as the examples test does and returns its output directory. */
function run(example: string): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `kubestrata-example-${example}-`));
  process.env.CDK8S_OUTDIR = outdir;
  try {
    jest.isolateModules(() => require(path.join(root, 'examples', example, 'main')));
  } finally {
    delete process.env.CDK8S_OUTDIR;
  }
  return outdir;
}

describe('node files of the examples', () => {
  test('nodes-talos: every machine-config patch validates against the Talos 1.13.9 schema', () => {
    const outdir = run('nodes-talos');
    try {
      const validate = talosValidator(SCHEMAS_DIR, '1.13.9');
      const patches = fs
        .readdirSync(path.join(outdir, 'nodes'), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => path.join(outdir, 'nodes', e.name, 'talos-patch.yaml'));
      expect(patches).toHaveLength(4);
      for (const file of patches) {
        const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());
        expect(docs.flatMap((d) => validate(withoutPatchDirectives(d)))).toEqual([]);
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test("nodes-k3s: every install script passes shellcheck and the user data passes cloud-init's schema", () => {
    const outdir = run('nodes-k3s');
    try {
      const nodes = fs
        .readdirSync(path.join(outdir, 'nodes'), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => path.join(outdir, 'nodes', e.name));
      expect(nodes.map((n) => path.basename(n)).sort()).toEqual(['gpu-1', 'server-1', 'server-2', 'server-3']);
      for (const node of nodes) expect(fs.readdirSync(node).sort()).toEqual(['config.yaml', 'install.sh', 'registries.yaml', 'user-data']);
      if (requireTool('shellcheck')) {
        execFileSync('shellcheck', ['--shell=sh', '--severity=style', ...nodes.map((n) => path.join(n, 'install.sh'))], { stdio: 'pipe' });
      }
      if (requireTool('cloud-init')) {
        const out = execFileSync('cloud-init', ['schema', '--config-file', path.join(outdir, 'nodes', 'gpu-1', 'user-data')], {
          stdio: 'pipe',
        }).toString();
        expect(out).toContain('Valid cloud-config');
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
