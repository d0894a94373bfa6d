import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

/** Runs `npm run arch` on a source tree: its exit status and report. */
function checkArchitecture(tree?: string): { status: number | null; report: string } {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/check-architecture.mjs'), ...(tree ? [tree] : [])], {
    encoding: 'utf8',
  });
  return { status: run.status, report: run.stdout + run.stderr };
}

describe('architecture guard', () => {
  const fixture = checkArchitecture(path.join(__dirname, 'fixtures/architecture'));

  test('fails on a tree with a wrong import', () => {
    expect(fixture.status).toBe(1);
  });

  test.each([
    ['core-is-the-bottom', 'lib/core/defaults.ts → constructs/widget.ts'],
    ['constructs-need-no-pulumi', 'constructs/widget.ts → lib/pulumi/deploy-widget.ts'],
    ['validation-knows-no-construct', 'lib/validate/widget-check.ts → constructs/widget.ts'],
    ['testing-loads-pulumi-when-called', 'lib/testing/widget-harness.ts → lib/pulumi/deploy-widget.ts'],
    ['testing-uses-core-and-validation', 'lib/testing/widget-snapshot.ts → constructs/widget.ts'],
    ['nothing-needs-testing', 'lib/pulumi/widget-fixture.ts → lib/testing/widget-snapshot.ts'],
  ])('names the import that breaks %s: %s', (rule, edge) => {
    expect(fixture.report).toContain(`error ${rule}: ${edge}`);
  });

  test('names a Pulumi package imported by a construct', () => {
    expect(fixture.report).toMatch(/error constructs-need-no-pulumi: constructs\/widget\.ts → \S*node_modules\/@pulumi\/pulumi\//);
  });

  test('reports a cycle of run-time imports and allows one closed by a type-only import', () => {
    expect(fixture.report).toMatch(/error no-circular: lib\/core\/ledger\.ts → \s*lib\/core\/registry\.ts →\s*lib\/core\/ledger\.ts/);
    expect(fixture.report).not.toMatch(/no-circular: lib\/core\/(component|registry)\.ts → \s*lib\/core\/(component|registry)\.ts/);
    expect(fixture.report).toContain('8 dependency violations');
  });

  test('lets kubestrata/testing import Pulumi dynamically, when its harness is called', () => {
    expect(fixture.report).not.toMatch(/testing-loads-pulumi-when-called: \S+ → \S*node_modules\/@pulumi\//);
    expect(fixture.report).not.toContain('lib/testing/widget-snapshot.ts → lib/pulumi/deploy-widget.ts');
  });

  test('the source tree keeps every rule', () => {
    const tree = checkArchitecture();
    expect(tree.report).toContain('no dependency violations found');
    expect(tree.status).toBe(0);
  });
});
