import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { countManifests } from '../../../lib/cli/app-command';
import { synth } from '../../../lib/cli/synth';
import { SCHEMAS_DIR } from '../../helpers';
import { stacks } from './fixtures/small-stacks';

const APP = path.join(__dirname, 'fixtures/small-stacks');
const CDK8S_APP = path.join(__dirname, 'fixtures/cdk8s-app');

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

  test("runs cdk8s.yaml's app as cdk8s synth does, in this process, and reports the Platform it built", () => {
    const target = path.join(out, 'manifests');
    fs.mkdirSync(target, { recursive: true });
    fs.writeFileSync(path.join(target, 'stale.k8s.yaml'), 'kind: Stale\n');
    const lines: string[] = [];
    expect(synth({ dir: CDK8S_APP, out: target }, (line) => lines.push(line))).toBe(0);
    const files = fs.readdirSync(target).sort();
    expect(files).toEqual([
      '0000-shop-platform-c862192f.k8s.yaml',
      '0001-shop-data-c81d1137.k8s.yaml',
      '0002-shop-acme-c84027f4.k8s.yaml',
      '0003-shop-globex-c817ae6f.k8s.yaml',
    ]);
    const { objects, releases } = countManifests(target);
    expect(lines[0].split('\n')[1].split(/\s+/).slice(0, 8)).toEqual([
      'shop',
      'flux',
      '1.32',
      `${objects}`,
      `${releases}`,
      '2',
      '0',
      'valid',
    ]);
    expect(lines[1]).toMatch(/^\nshop → \S+\/manifests\/\n {2}layers: platform \d+, data \d+\n {2}tenants: 2 \(\d+ objects\)$/);
  });

  test('runs any other app command through the shell with CDK8S_OUTDIR, and counts what it wrote', () => {
    const target = path.join(out, 'command');
    const lines: string[] = [];
    expect(synth({ dir: path.join(__dirname, 'fixtures/cdk8s-command'), out: target }, (line) => lines.push(line))).toBe(0);
    const { objects, releases } = countManifests(target);
    expect(objects).toBeGreaterThan(0);
    expect(lines[0].split('\n')[1].split(/\s+/).slice(0, 8)).toEqual(['app', '-', '-', `${objects}`, `${releases}`, '-', '-', 'valid']);
  });

  test('a module that builds no Platform is named', () => {
    const empty = path.join(out, 'empty.js');
    fs.writeFileSync(empty, 'module.exports = {};\n');
    expect(() => synth({ app: empty, out })).toThrow(
      `${empty} created no Platform: a cdk8s app builds one, new Platform(app, 'platform'), and calls app.synth()`,
    );
  });

  test('an app that builds a Platform and writes nothing is named, with the likely cause', () => {
    const guarded = path.join(out, 'guarded.js');
    fs.writeFileSync(
      guarded,
      [
        `const { App } = require(${JSON.stringify(require.resolve('cdk8s'))});`,
        `const { Platform } = require(${JSON.stringify(path.resolve(__dirname, '../../../lib/core/platform'))});`,
        'const app = new App();',
        "new Platform(app, 'platform');",
        'if (require.main === module) app.synth();',
      ].join('\n'),
    );
    expect(() => synth({ app: guarded, out: path.join(out, 'guarded') })).toThrow(
      `${guarded} built platform platform and wrote nothing to ${path.join(out, 'guarded')}: call app.synth() at the end of the app, ` +
        'outside `if (require.main === module)`, which is false when kubestrata loads the app',
    );
  });

  test('TypeScript outside a project with ts-node names the packages to install', () => {
    const app = path.join(out, 'main.ts');
    fs.writeFileSync(app, 'export {};\n');
    expect(() => synth({ app, out })).toThrow(
      `TypeScript needs ts-node, which is not installed in ${out}: npm install --save-dev ts-node typescript`,
    );
  });

  test('an app command that fails or writes nothing is named', () => {
    const dir = path.join(out, 'failing');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'app: node -e "process.exit(3)"\n');
    expect(() => synth({ dir })).toThrow(`app command "node -e "process.exit(3)"" in ${dir} exited with 3`);
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'app: node -e "0"\noutput: manifests\n');
    expect(() => synth({ dir })).toThrow(
      'app command "node -e "0"" wrote nothing to manifests: the app must call app.synth() with the App\'s default outdir',
    );
  });

  test('--stack of a module that does not export stacks, and a module that is not there, are named', () => {
    expect(() => synth({ app: path.join(CDK8S_APP, 'main.ts'), stacks: ['shop'], out: path.join(out, 'x') })).toThrow(
      `${path.join(CDK8S_APP, 'main.ts')} does not export "stacks" to select from; run it without --stack`,
    );
    expect(() => synth({ app: path.join(out, 'nosuch.ts'), out })).toThrow(`no such module ${path.join(out, 'nosuch.ts')}`);
  });
});
