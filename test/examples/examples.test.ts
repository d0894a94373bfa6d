import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SchemaRegistry, validateFiles } from '../../lib/validate';
import { SCHEMAS_DIR } from '../helpers';

const root = path.resolve(__dirname, '../..');
const examples = fs
  .readdirSync(path.join(root, 'examples'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

describe('examples', () => {
  test('compile against the public API as a user repository would', () => {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'examples')], { stdio: 'pipe' });
  });

  test.each(examples)('%s synthesizes manifests that validate against the upstream schemas and CEL rules', (example) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `kubestrata-example-${example}-`));
    try {
      process.env.CDK8S_OUTDIR = outdir;
      jest.isolateModules(() => require(path.join(root, 'examples', example, 'main')));
      const registry = SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: '1.32.0' });
      const report = validateFiles(outdir, registry);
      expect(report.objects).toBeGreaterThan(10);
      expect(report.issues).toEqual([]);
      expect(registry.celRuleCounts).toMatchObject({ unsupported: 0 });
    } finally {
      delete process.env.CDK8S_OUTDIR;
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
