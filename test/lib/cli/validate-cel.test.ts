import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { validate } from '../../../lib/cli/validate';

describe('kubestrata validate and CEL rules', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-validate-cel-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('reports a broken rule with its message and path, and counts the rules in the summary', () => {
    const release = (name: string, spec: object) => ({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name, namespace: 'flux-system' },
      spec: { interval: '5m', ...spec },
    });
    const chart = { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } };
    const documents = [release('good', { chart }), release('both', { chart, chartRef: { kind: 'OCIRepository', name: 'podinfo' } })];
    fs.writeFileSync(path.join(dir, 'releases.yaml'), documents.map((document) => YAML.stringify(document)).join('---\n'));
    const lines: string[] = [];
    const code = validate({ dir, schemas: [], kubernetesVersion: '1.32.0' }, (line) => lines.push(line));
    expect(code).toBe(1);
    expect(lines[0]).toBe(
      `${path.join(dir, 'releases.yaml')}: helm.toolkit.fluxcd.io/v2 HelmRelease flux-system/both /spec: either chart or chartRef must be set`,
    );
    expect(lines[lines.length - 1]).toBe('CEL rules: 2 evaluated, 0 transition rules skipped (they apply to updates), 0 not evaluated');
  });
});
