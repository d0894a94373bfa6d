import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { appSource, moduleOfCommand } from '../../../lib/cli/app-source';
import { DEFAULT_APP } from '../../../lib/cli/load-stacks';

describe('which app synth and graph run', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-app-source-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const config = (text: string) => fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), text);

  test('loads [npx] ts-node <file> and node <file> in this process, and leaves any other command to the shell', () => {
    expect(moduleOfCommand('npx ts-node main.ts')).toEqual({ file: 'main.ts', typeCheck: true });
    expect(moduleOfCommand('ts-node -T src/main.ts')).toEqual({ file: 'src/main.ts', typeCheck: false });
    expect(moduleOfCommand('npx ts-node --transpile-only main.ts')).toEqual({ file: 'main.ts', typeCheck: false });
    expect(moduleOfCommand('node build/main.js')).toEqual({ file: 'build/main.js', typeCheck: false });
    for (const other of ['npx ts-node -P other.json main.ts', 'node -r esm main.js', 'npm run app', 'npx tsx main.ts', 'ts-node']) {
      expect(moduleOfCommand(other)).toBeUndefined();
    }
  });

  test("follows cdk8s.yaml's app and output in the directory", () => {
    config('language: typescript\napp: npx ts-node main.ts\noutput: manifests\n');
    expect(appSource({ dir })).toEqual({
      kind: 'cdk8s',
      file: path.join(dir, 'main.ts'),
      typeCheck: true,
      output: 'manifests',
    });
    config('app: npm run app\n');
    expect(appSource({ dir })).toEqual({ kind: 'command', command: 'npm run app', output: undefined });
  });

  test('--app and --stack come before cdk8s.yaml; --stack alone names reference stacks', () => {
    config('app: npx ts-node main.ts\n');
    expect(appSource({ dir, app: 'other.ts' })).toMatchObject({ kind: 'module', file: path.resolve('other.ts'), stacks: [] });
    expect(appSource({ dir, stacks: ['hosting'] })).toMatchObject({ kind: 'module', file: DEFAULT_APP, stacks: ['hosting'] });
  });

  test('without cdk8s.yaml, --app or --stack, says what it looked for and how to go on', () => {
    fs.rmSync(path.join(dir, 'cdk8s.yaml'), { force: true });
    expect(() => appSource({ dir })).toThrow(
      `no cdk8s.yaml in ${dir}: run this in a cdk8s project (cdk8s.yaml with app: npx ts-node main.ts), pass --app <file> ` +
        '(a cdk8s app, or a module that exports `stacks`), or --stack <name> for a kubestrata reference stack',
    );
  });

  test('a cdk8s.yaml without app names the setting', () => {
    config('language: typescript\n');
    expect(() => appSource({ dir })).toThrow(
      /cdk8s\.yaml has no app: set the command that runs the cdk8s app, e\.g\. app: npx ts-node main\.ts$/,
    );
  });
});
