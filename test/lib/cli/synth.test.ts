import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { synth } from '../../../lib/cli/synth';
import { SCHEMAS_DIR } from '../../helpers';
import { stacks } from './fixtures/small-stacks';

const APP = path.join(__dirname, 'fixtures/small-stacks');

describe('kubestrata synth', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-cli-synth-'));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  test('prints the summary Platform.synth() returns, with objects per layer and per tenant, validated with the shipped schemas', () => {
    const expected = stacks.small.build(new App({ outdir: path.join(out, 'reference') })).synth();
    const lines: string[] = [];
    expect(synth({ app: APP, stacks: ['small'], out }, (line) => lines.push(line))).toBe(0);
    const [header, row] = lines[0].split('\n');
    expect(header.split(/\s+/)).toEqual(['stack', 'delivery', 'k8s', 'objects', 'releases', 'tenants', 'secrets', 'schemas', 'seconds']);
    expect(row.split(/\s+/).slice(0, 8)).toEqual([
      'small',
      'flux',
      '1.32',
      `${expected.objects}`,
      `${expected.releases}`,
      '2',
      `${expected.secrets}`,
      'valid',
    ]);
    const layers = expected.charts
      .filter((c) => c.role !== 'tenant')
      .map((c) => `${c.name} ${c.objects}`)
      .join(', ');
    const tenantObjects = expected.charts.filter((c) => c.role === 'tenant').reduce((sum, c) => sum + c.objects, 0);
    expect(lines[1]).toContain(`\n  layers: ${layers}\n  tenants: 2 (${tenantObjects} objects)\n`);
    expect(fs.readdirSync(path.join(out, 'small')).sort()).toEqual(fs.readdirSync(path.join(out, 'reference')).sort());
    expect(lines.at(-1)).toMatch(
      /^\nschemas: shipped bundle \(CRDs of \d+ components, Kubernetes [\d./]+, cdi [\d.]+, kubevirt [\d.]+, talos [\d.]+\)$/,
    );
  });

  test('validates the files it wrote and fails on an object its schema rejects', () => {
    const lines: string[] = [];
    expect(synth({ app: APP, stacks: ['invalid'], out, schemas: [SCHEMAS_DIR] }, (line) => lines.push(line))).toBe(1);
    expect(lines[0]).toMatch(/invalid\s+flux\s+1\.32\s+\d+\s+\d+\s+0\s+0\s+1 errors/);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}✗ v1 ConfigMap default\/settings \S*: .*spec/));
    expect(lines.at(-1)).toMatch(new RegExp(`\\+ 1 overlay: ${SCHEMAS_DIR}$`));
  });
});
