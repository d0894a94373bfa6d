import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { version } from '../../../package.json';

const ROOT = path.resolve(__dirname, '../../..');
const TS_NODE = require.resolve('ts-node/register/transpile-only');

/** The command line from the sources, run in `cwd`. */
function run(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, ['-r', TS_NODE, path.join(ROOT, 'lib/cli/main.ts'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
  });
}

function cli(...args: string[]): string {
  return execFileSync(process.execPath, ['-r', TS_NODE, path.join(ROOT, 'lib/cli/main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
}

describe('kubestrata command line', () => {
  test('--version prints the version of package.json', () => {
    expect(cli('--version').trim()).toBe(version);
  });

  test('synth and graph --help say which app they run, plan --help which program, each in one line', () => {
    const appRule =
      'Which app: --app <file> (a cdk8s app, or a module that exports `stacks`; .ts through ts-node), else --stack <name> ' +
      "(kubestrata's reference stacks), else the app: of cdk8s.yaml here, run as cdk8s synth runs it";
    const synth = cli('synth', '--help').split('\n');
    expect(synth).toContain(`${appRule}.`);
    expect(synth).toContain('Where: a cdk8s app writes to <out>/, each stack of a `stacks` module to <out>/<stack>/.');
    // No "(default: [])" of commander's beside the option's own default, however the help is wrapped.
    expect(synth.join(' ').replace(/\s+/g, ' ')).toContain(
      "--stack <name...> reference stacks, or stacks of --app's module (default: all of --app's) --out",
    );
    expect(cli('graph', '--help').split('\n')).toContain(`${appRule}; a cdk8s.yaml app must be [npx] ts-node <file> or node <file>.`);
    expect(cli('plan', '--help').split('\n')).toContain(
      'Which program: --stack <name> plans a kubestrata reference stack, else [dir] (default .) holds Pulumi.yaml (runtime nodejs).',
    );
  });

  test('synth in a directory without cdk8s.yaml says what it looked for and synthesizes nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-cli-'));
    try {
      const result = run(dir, 'synth');
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        /^no cdk8s\.yaml in \S+: run this in a cdk8s project .* or --stack <name> for a kubestrata reference stack\n$/,
      );
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
