import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { DEFAULT_APP } from './load-stacks';

/** What `synth` and `graph` run: reference stacks, a module given with --app, or the app of the directory's cdk8s.yaml. */
export type AppSource =
  | { readonly kind: 'module'; readonly file: string; readonly stacks: readonly string[]; readonly typeCheck: boolean }
  | { readonly kind: 'cdk8s'; readonly file: string; readonly typeCheck: boolean; readonly output?: string }
  | { readonly kind: 'command'; readonly command: string; readonly output?: string };

export interface AppSelection {
  /** `--app <file>` */
  readonly app?: string;
  /** `--stack <name...>`: reference stacks, or stacks of --app's module */
  readonly stacks?: readonly string[];
  /** Where cdk8s.yaml is looked for. @default the working directory */
  readonly dir?: string;
}

/** Picks the app: --app, else --stack (the reference stacks), else cdk8s.yaml in the directory. */
export function appSource(selection: AppSelection): AppSource {
  const stacks = selection.stacks ?? [];
  if (selection.app) return { kind: 'module', file: path.resolve(selection.app), stacks, typeCheck: true };
  if (stacks.length > 0) return { kind: 'module', file: DEFAULT_APP, stacks, typeCheck: true };
  const dir = path.resolve(selection.dir ?? '.');
  const configFile = path.join(dir, 'cdk8s.yaml');
  if (!fs.existsSync(configFile)) {
    throw new Error(
      `no cdk8s.yaml in ${dir}: run this in a cdk8s project (cdk8s.yaml with app: npx ts-node main.ts), ` +
        'pass --app <file> (a cdk8s app, or a module that exports `stacks`), or --stack <name> for a kubestrata reference stack',
    );
  }
  const config = (YAML.parse(fs.readFileSync(configFile, 'utf8')) ?? {}) as { app?: unknown; output?: unknown };
  if (typeof config.app !== 'string' || config.app.trim() === '') {
    throw new Error(`${configFile} has no app: set the command that runs the cdk8s app, e.g. app: npx ts-node main.ts`);
  }
  const output = typeof config.output === 'string' ? config.output : undefined;
  const inProcess = moduleOfCommand(config.app);
  if (!inProcess) return { kind: 'command', command: config.app, output };
  return { kind: 'cdk8s', file: path.resolve(dir, inProcess.file), typeCheck: inProcess.typeCheck, output };
}

/**
 * The module an app command runs, when kubestrata can load it in this process as the command would run it:
 * `[npx] ts-node [-T|--transpile-only] <file>` or `node <file>`. Any other command runs as cdk8s runs it.
 */
export function moduleOfCommand(command: string): { readonly file: string; readonly typeCheck: boolean } | undefined {
  const words = command.trim().split(/\s+/);
  if (words[0] === 'npx') words.shift();
  const runner = words.shift();
  if (runner === 'node' && words.length === 1 && !words[0].startsWith('-')) return { file: words[0], typeCheck: false };
  if (runner !== 'ts-node') return undefined;
  const transpileOnly = words.length === 2 && ['-T', '--transpile-only'].includes(words[0]);
  if (transpileOnly) words.shift();
  if (words.length !== 1 || words[0].startsWith('-')) return undefined;
  return { file: words[0], typeCheck: !transpileOnly };
}
