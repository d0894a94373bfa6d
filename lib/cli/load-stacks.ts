import * as path from 'path';
import { loadModule } from './load-module';
import { StackDefinition, StackModule } from './stack';

/** The reference stacks shipped with kubestrata. */
export const DEFAULT_APP = path.resolve(__dirname, '../../stacks/main');

/** Loads the `stacks` a module exports and selects some by name (all when none are named). */
export function loadStacks(appModule: string, names: readonly string[] = []): Array<[string, StackDefinition]> {
  const resolved = path.resolve(appModule);
  const { exports } = loadModule(resolved);
  if (!exportsStacks(exports)) {
    throw new Error(`${resolved} does not export "stacks": export const stacks = { name: { description, build: (app) => platform } }`);
  }
  return selectStacks(resolved, exports, names);
}

export function exportsStacks(exports: unknown): exports is StackModule {
  const stacks = (exports as Partial<StackModule> | undefined)?.stacks;
  return typeof stacks === 'object' && stacks !== null;
}

/** The stacks of `module` named in `names`, all when none are named. */
export function selectStacks(file: string, module: StackModule, names: readonly string[]): Array<[string, StackDefinition]> {
  const all = Object.entries(module.stacks);
  const unknown = names.filter((n) => !module.stacks[n]);
  if (unknown.length > 0) {
    throw new Error(`unknown stack ${unknown.map((n) => JSON.stringify(n)).join(', ')}; ${file} has ${all.map(([n]) => n).join(', ')}`);
  }
  return names.length === 0 ? all : all.filter(([n]) => names.includes(n));
}
