import { execFileSync } from 'child_process';
import * as path from 'path';
import { version } from '../../../package.json';

const ROOT = path.resolve(__dirname, '../../..');

function cli(...args: string[]): string {
  return execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'lib/cli/main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
}

describe('kubestrata command line', () => {
  test('--version prints the version of package.json', () => {
    expect(cli('--version').trim()).toBe(version);
  });

  test('synth --help states the --stack default once', () => {
    const stack = cli('synth', '--help')
      .split('\n')
      .find((line) => line.includes('--stack'));
    expect(stack).toMatch(/stacks to synthesize \(default: all\)$/);
  });
});
