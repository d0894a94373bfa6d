import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

/**
 * The modules below node_modules/@pulumi/<package> that requiring an entry point loads, counted per package; `then` is
 * code run after the require (with the entry as `entry`) before counting, awaited.
 */
function pulumiModulesLoadedBy(entry: string, then = ''): Record<string, number> {
  const script = `
    (async () => {
    const entry = require(${JSON.stringify(path.join(ROOT, entry))});
    ${then};
    const counts = {};
    for (const file of Object.keys(require.cache)) {
      const m = /node_modules[\\\\/]@pulumi[\\\\/]([^\\\\/]+)/.exec(file);
      if (m) counts[m[1]] = (counts[m[1]] ?? 0) + 1;
    }
    process.stdout.write(JSON.stringify(counts));
    })();`;
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out) as Record<string, number>;
}

describe('entry points load only the optional peers they use', () => {
  test('the main entry loads no @pulumi module', () => {
    expect(pulumiModulesLoadedBy('index.ts')).toEqual({});
  });

  test('kubestrata/pulumi loads @pulumi/pulumi and @pulumi/kubernetes, not @pulumi/aws or @pulumi/command', () => {
    expect(Object.keys(pulumiModulesLoadedBy('lib/pulumi/index.ts')).sort()).toEqual(['kubernetes', 'pulumi']);
  });

  test('kubestrata/testing loads no @pulumi module until its Pulumi harness is called', () => {
    expect(pulumiModulesLoadedBy('lib/testing/index.ts')).toEqual({});
    const harnessRun = `await entry.deployWithMocks(() => 'nothing to deploy')`;
    expect(Object.keys(pulumiModulesLoadedBy('lib/testing/index.ts', harnessRun)).sort()).toEqual(['pulumi']);
  });

  test('kubestrata/provision is the entry that loads @pulumi/aws and @pulumi/command', () => {
    expect(Object.keys(pulumiModulesLoadedBy('lib/pulumi/provision/index.ts')).sort()).toEqual(['aws', 'command', 'kubernetes', 'pulumi']);
  });
});
