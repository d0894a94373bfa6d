import * as path from 'path';
import { type Platform, PLATFORM_COLLECTOR } from '../core/platform';

/** The instance ts-node's `register()` leaves on `process`. */
const TS_NODE_INSTANCE = Symbol.for('ts-node.register.instance');

export interface LoadOptions {
  /** Type-check the TypeScript (as `ts-node <file>`) or only transpile it (`ts-node -T <file>`). @default true */
  readonly typeCheck?: boolean;
  /** `CDK8S_OUTDIR` while the module runs: where `new App()` writes. */
  readonly outdir?: string;
}

export interface LoadedModule {
  readonly exports: unknown;
  /** The platforms created while the module loaded, by any copy of kubestrata. */
  readonly platforms: readonly Platform[];
}

/**
 * Loads a JavaScript or TypeScript module in this process, TypeScript through the ts-node of the module's own project,
 * and collects the platforms it creates.
 */
export function loadModule(file: string, options: LoadOptions = {}): LoadedModule {
  const resolved = resolvedModule(path.resolve(file));
  if (/\.[cm]?tsx?$/.test(resolved)) registerTypeScript(path.dirname(resolved), options.typeCheck ?? true);
  const platforms: Platform[] = [];
  const global = globalThis as { [PLATFORM_COLLECTOR]?: (platform: Platform) => void };
  const previousOutdir = process.env.CDK8S_OUTDIR;
  global[PLATFORM_COLLECTOR] = (platform) => platforms.push(platform);
  if (options.outdir !== undefined) process.env.CDK8S_OUTDIR = options.outdir;
  try {
    return { exports: require(resolved), platforms };
  } finally {
    delete global[PLATFORM_COLLECTOR];
    if (previousOutdir === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = previousOutdir;
  }
}

function resolvedModule(file: string): string {
  try {
    return require.resolve(file);
  } catch {
    throw new Error(`no such module ${file}`);
  }
}

/** Registers the ts-node installed in `projectDir` (or above), as `npx ts-node` there would run; once per process. */
function registerTypeScript(projectDir: string, typeCheck: boolean): void {
  let tsNode: string;
  try {
    tsNode = require.resolve('ts-node', { paths: [projectDir] });
  } catch {
    throw new Error(`TypeScript needs ts-node, which is not installed in ${projectDir}: npm install --save-dev ts-node typescript`);
  }
  // Running from kubestrata's own sources, this process compiles TypeScript already (ts-node or Jest).
  if (__filename.endsWith('.ts') || (process as unknown as Record<symbol, unknown>)[TS_NODE_INSTANCE]) return;
  (require(tsNode) as typeof import('ts-node')).register({ projectSearchDir: projectDir, transpileOnly: !typeCheck });
}
