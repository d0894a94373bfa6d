import * as path from 'path';
import { StackDefinition, StackModule } from './stack';

/** The reference stacks shipped with kubestrata. */
export const DEFAULT_APP = path.resolve(__dirname, '../../stacks/main');

/** Loads the `stacks` a module exports and selects some by name (all when none are named). */
export function loadStacks(appModule: string, names: readonly string[] = []): Array<[string, StackDefinition]> {
  const resolved = path.resolve(appModule);
  const loaded = require(resolved) as Partial<StackModule>;
  if (!loaded.stacks || typeof loaded.stacks !== 'object') {
    throw new Error(`${resolved} does not export "stacks": export const stacks = { name: { description, build: (app) => platform } }`);
  }
  const all = Object.entries(loaded.stacks);
  const unknown = names.filter((n) => !loaded.stacks![n]);
  if (unknown.length > 0) {
    throw new Error(`unknown stack ${unknown.map((n) => JSON.stringify(n)).join(', ')}; ${resolved} has ${all.map(([n]) => n).join(', ')}`);
  }
  return names.length === 0 ? all : all.filter(([n]) => names.includes(n));
}
