import * as fs from 'fs';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import * as YAML from 'yaml';
import { PLACEHOLDER } from '../pulumi/provision/stack-config';
import { MockedResource, runUnderMocks } from '../pulumi/mock-engine';
import { loadModule } from './load-module';

interface ProjectFile {
  readonly name?: unknown;
  readonly runtime?: unknown;
  readonly main?: unknown;
  readonly config?: Record<string, { readonly default?: unknown } | unknown>;
}

/**
 * Runs the Pulumi program of the project in `dir` (Pulumi.yaml, runtime nodejs) under mocks, with the config of a
 * stack config file: `configFile`, else the project's only `Pulumi.<stack>.yaml`. Secrets are stand-ins.
 */
export async function planProject(
  dir: string,
  configFile?: string,
): Promise<{ readonly name: string; readonly resources: ReadonlyMap<string, MockedResource> }> {
  const projectDir = path.resolve(dir);
  const projectFile = ['Pulumi.yaml', 'Pulumi.yml'].map((f) => path.join(projectDir, f)).find((f) => fs.existsSync(f));
  if (!projectFile) {
    throw new Error(
      `no Pulumi.yaml in ${projectDir}: pass the directory of a Pulumi program (plan <dir>), or --stack <name> for a kubestrata reference stack`,
    );
  }
  const project = (YAML.parse(fs.readFileSync(projectFile, 'utf8')) ?? {}) as ProjectFile;
  if (typeof project.name !== 'string') throw new Error(`${projectFile} has no name`);
  const runtime =
    typeof project.runtime === 'object' && project.runtime !== null ? (project.runtime as { name?: unknown }).name : project.runtime;
  if (runtime !== 'nodejs') throw new Error(`${projectFile}: runtime is ${JSON.stringify(runtime)}; kubestrata plan runs nodejs programs`);
  const stackFile = configFile ? path.resolve(configFile) : onlyStackFile(projectDir);
  const stack = stackFile ? (/Pulumi\.(.+)\.ya?ml$/.exec(stackFile)?.[1] ?? 'plan') : 'plan';
  const main = programFile(projectDir, project.main);
  const { config, secretKeys } = projectConfig(project.name, project, stackFile);
  pulumi.runtime.setAllConfig(config, secretKeys);
  // Mocks are set before the program's modules load, as Pulumi requires.
  const run = await runUnderMocks(project.name, stack, () => loadModule(main));
  return { name: `${project.name}/${stack}`, resources: run.resources };
}

function onlyStackFile(dir: string): string | undefined {
  const files = fs.readdirSync(dir).filter((f) => /^Pulumi\..+\.ya?ml$/.test(f));
  if (files.length > 1) throw new Error(`${dir} has several stack configs (${files.join(', ')}): pick one with --config <file>`);
  return files.length === 1 ? path.join(dir, files[0]) : undefined;
}

/** The program's entry: Pulumi.yaml's `main` (a file or a folder), else package.json's `main`, else index.ts or index.js. */
function programFile(projectDir: string, main: unknown): string {
  const base = typeof main === 'string' ? path.resolve(projectDir, main) : projectDir;
  if (fs.statSync(base, { throwIfNoEntry: false })?.isFile()) return base;
  const packageJson = path.join(base, 'package.json');
  if (fs.existsSync(packageJson)) {
    const packageMain = (JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { main?: unknown }).main;
    if (typeof packageMain === 'string') return path.resolve(base, packageMain);
  }
  const index = ['index.ts', 'index.js'].map((f) => path.join(base, f)).find((f) => fs.existsSync(f));
  if (!index) throw new Error(`no Pulumi program in ${base}: set main in Pulumi.yaml, or write index.ts`);
  return index;
}

/** Config as the engine passes it: `<project>:<key>` of the project's defaults, then of the stack file; objects as JSON. */
function projectConfig(projectName: string, project: ProjectFile, stackFile: string | undefined) {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const set = (key: string, value: unknown) => {
    const full = key.includes(':') ? key : `${projectName}:${key}`;
    const { plain, secret } = withStandIns(value);
    config[full] = typeof plain === 'string' ? plain : JSON.stringify(plain);
    if (secret) secretKeys.push(full);
  };
  for (const [key, spec] of Object.entries(project.config ?? {})) {
    const value = typeof spec === 'object' && spec !== null ? (spec as { default?: unknown }).default : spec;
    if (value !== undefined) set(key, value);
  }
  if (stackFile) {
    const parsed = (YAML.parse(fs.readFileSync(stackFile, 'utf8')) ?? {}) as { config?: Record<string, unknown> };
    for (const [key, value] of Object.entries(parsed.config ?? {})) set(key, value);
  }
  return { config, secretKeys };
}

/** A config value with each encrypted part (`secure: …`, also nested as `--path` sets them) replaced by a stand-in. */
function withStandIns(value: unknown): { readonly plain: unknown; readonly secret: boolean } {
  if (typeof value !== 'object' || value === null) return { plain: value, secret: false };
  if ('secure' in value) return { plain: PLACEHOLDER, secret: true };
  const entries = Object.entries(value).map(([k, v]) => [k, withStandIns(v)] as const);
  const plain = Object.fromEntries(entries.map(([k, v]) => [k, v.plain]));
  return { plain: Array.isArray(value) ? Object.values(plain) : plain, secret: entries.some(([, v]) => v.secret) };
}
