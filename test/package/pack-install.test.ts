import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readmeFiles, readmeUsageExample } from '../testing/readme-files';

/**
 * The package as a new user gets it: `npm run build` packed with `npm pack`, installed into a fresh project whose cdk8s
 * and constructs differ from this repository's (inside the peer ranges), where the README's examples, `kubestrata
 * synth`, `kubestrata validate` and the README's jest tests run as the user would run them. Takes 1.5–2 minutes on two
 * cores (build 15–30 s, install from the npm cache about 20 s, two jest runs 17–23 s). Needs the npm registry: outside
 * CI, without it, the test skips with one line.
 */

const ROOT = path.resolve(__dirname, '../..');
const PINNED = { cdk8s: '2.68.0', constructs: '10.3.0' };
const DEV_TOOLS = ['ts-node', 'typescript@~5.9', 'jest@29', 'ts-jest@29', '@types/jest'];
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund'];
const SECONDS = 1000;

/** Why the npm registry cannot be used, or undefined when it answers. */
function registryUnavailable(): string | undefined {
  const ping = spawnSync('npm', ['ping', '--fetch-retries=0', '--fetch-timeout=10000'], { encoding: 'utf8', timeout: 20 * SECONDS });
  if (ping.status === 0) return undefined;
  const registry = /PING (\S+)/.exec(ping.stderr ?? '')?.[1] ?? 'registry';
  const code = /npm error code (\S+)/.exec(ping.stderr ?? '')?.[1] ?? ping.error?.message ?? `npm ping exited with ${ping.status}`;
  return `${registry}: ${code}`;
}

/** `describe` when the registry answers; else a skipped block (one printed line), or under CI a failing one. */
function describeWithRegistry(): (name: string, fn: () => void) => void {
  const reason = registryUnavailable();
  if (reason === undefined) return describe;
  const missing = `the npm registry is not reachable (${reason})`;
  if (process.env.CI)
    return (name) => describe(name, () => test('reaches the npm registry', () => fail(`${missing}: CI must run this test`)));
  process.stderr.write(`skipped: ${missing}; the package test installs the packed package from it\n`);
  return describe.skip;
}

function fail(message: string): never {
  throw new Error(message);
}

/** The environment of a user's shell: no schema directory, no CI flag, nothing of this test run. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const key of Object.keys(env)) if (key === 'KUBESTRATA_SCHEMAS' || key === 'CI' || key.startsWith('JEST_')) delete env[key];
  return env;
}

function run(command: string, args: readonly string[], cwd: string, env = userEnv()): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 120 * SECONDS, maxBuffer: 64 * 1024 * 1024 });
}

function succeeded(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0) fail(`${what} exited with ${result.status ?? result.signal}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** The first row of the table in `output` whose header has every column of `columns`, by column. */
function tableRow(output: string, columns: readonly string[]): Record<string, string> {
  const lines = output.split('\n');
  const at = lines.findIndex((line) => columns.every((c) => line.split(/\s+/).includes(c)));
  if (at < 0 || at + 1 >= lines.length) fail(`no table with ${columns.join(', ')} in:\n${output}`);
  const header = lines[at];
  const starts = [...header.matchAll(/\S+/g)].map((m) => ({ name: m[0], start: m.index! }));
  return Object.fromEntries(starts.map(({ name, start }, i) => [name, lines[at + 1].slice(start, starts[i + 1]?.start).trim()]));
}

function manifestFiles(dir: string): string[] {
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.k8s.yaml'))
        .sort()
    : [];
}

function objectCount(dir: string): number {
  return manifestFiles(dir)
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .reduce((n, text) => n + (text.match(/^kind: /gm)?.length ?? 0), 0);
}

interface JestReport {
  readonly snapshot: { readonly added: number; readonly matched: number; readonly unmatched: number };
  readonly testResults: ReadonlyArray<{ readonly assertionResults: ReadonlyArray<{ readonly title: string; readonly status: string }> }>;
}

describeWithRegistry()('the packed package in a new project', () => {
  let workDir: string;
  let project: string;
  const jestRuns: JestReport[] = [];

  const npx = (args: readonly string[], env?: NodeJS.ProcessEnv) => run('npx', ['--no', '--', ...args], project, env);
  const jest = (ci: boolean): JestReport => {
    const out = path.join(workDir, `jest-${jestRuns.length}.json`);
    const result = npx(['jest', `--ci=${ci}`, '--json', `--outputFile=${out}`]);
    if (!fs.existsSync(out)) fail(`jest wrote no report:\n${result.stdout}\n${result.stderr}`);
    return JSON.parse(fs.readFileSync(out, 'utf8')) as JestReport;
  };
  const testStatus = (report: JestReport, title: string) =>
    report.testResults.flatMap((r) => r.assertionResults).find((a) => a.title === title)?.status ?? 'not run';

  beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-package-'));
    project = path.join(workDir, 'infra');
    succeeded(run('npm', ['run', 'build'], ROOT), 'npm run build');
    const packed = JSON.parse(succeeded(run('npm', ['pack', '--json', '--pack-destination', workDir], ROOT), 'npm pack')) as {
      filename: string;
    }[];
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'infra', version: '1.0.0', private: true }, null, 2));
    const install = [
      'install',
      ...NPM_FLAGS,
      path.join(workDir, packed[0].filename),
      `cdk8s@${PINNED.cdk8s}`,
      `constructs@${PINNED.constructs}`,
    ];
    succeeded(run('npm', [...install, ...DEV_TOOLS], project), 'npm install');
    const files = readmeFiles();
    for (const name of ['jest.config.js', 'tsconfig.json', 'platform.test.ts']) fs.writeFileSync(path.join(project, name), files[name]);
    fs.writeFileSync(path.join(project, 'main.ts'), readmeUsageExample());
    fs.writeFileSync(path.join(project, 'cdk8s.yaml'), 'language: typescript\napp: npx ts-node main.ts\n');
  }, 240 * SECONDS);

  afterAll(() => {
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  test("shares the project's own cdk8s and constructs, versions other than this repository's", () => {
    const installed = (name: string, from = project) =>
      JSON.parse(fs.readFileSync(path.join(from, 'node_modules', name, 'package.json'), 'utf8')).version;
    expect({ cdk8s: installed('cdk8s'), constructs: installed('constructs') }).toEqual(PINNED);
    expect([installed('cdk8s', ROOT), installed('constructs', ROOT)]).not.toEqual([PINNED.cdk8s, PINNED.constructs]);
    for (const name of ['cdk8s', 'constructs'])
      expect(fs.existsSync(path.join(project, 'node_modules/kubestrata/node_modules', name))).toBe(false);
  });

  test(
    'the README example runs with ts-node and writes its manifests',
    () => {
      const outdir = path.join(project, 'example');
      succeeded(npx(['ts-node', 'main.ts'], userEnv({ CDK8S_OUTDIR: outdir })), 'ts-node main.ts');
      expect(manifestFiles(outdir)).toHaveLength(3);
      expect(fs.readFileSync(path.join(outdir, manifestFiles(outdir)[2]), 'utf8')).toMatch(/^kind: Cluster$/m);
    },
    60 * SECONDS,
  );

  test(
    'kubestrata synth follows cdk8s.yaml, validates with the shipped schemas and prints the summary',
    () => {
      const output = succeeded(npx(['kubestrata', 'synth']), 'kubestrata synth');
      const dist = path.join(project, 'dist');
      expect(manifestFiles(dist)).toHaveLength(3);
      const summary = tableRow(output, ['objects', 'schemas']);
      expect(summary).toMatchObject({ objects: String(objectCount(dist)), schemas: 'valid' });
    },
    60 * SECONDS,
  );

  test(
    'kubestrata validate checks the manifests with no flags and no KUBESTRATA_SCHEMAS',
    () => {
      const outdir = path.join(project, 'example');
      const output = succeeded(npx(['kubestrata', 'validate', outdir]), 'kubestrata validate');
      expect(tableRow(output, ['files', 'objects', 'errors'])).toMatchObject({
        files: '3',
        objects: String(objectCount(outdir)),
        errors: '0',
      });
    },
    60 * SECONDS,
  );

  test(
    "the README's snapshot test writes its snapshot, then matches it in a second run with --ci",
    () => {
      jestRuns.push(jest(false));
      expect(testStatus(jestRuns[0], 'the orders database renders as reviewed')).toBe('passed');
      expect(jestRuns[0].snapshot).toMatchObject({ added: 1, unmatched: 0 });
      expect(fs.readFileSync(path.join(project, '__snapshots__/platform.test.ts.snap'), 'utf8')).toContain('"kind": "Cluster"');
      jestRuns.push(jest(true));
      expect(testStatus(jestRuns[1], 'the orders database renders as reviewed')).toBe('passed');
      expect(jestRuns[1].snapshot).toMatchObject({ added: 0, matched: 1, unmatched: 0 });
    },
    100 * SECONDS,
  );

  test("the README's validated test passes with the shipped schemas", () => {
    expect(jestRuns.map((r) => testStatus(r, 'every object passes the schemas and CEL rules the API server enforces'))).toEqual([
      'passed',
      'passed',
    ]);
  });
});
