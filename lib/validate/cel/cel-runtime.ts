import type * as Cel from '@marcbachmann/cel-js';

/**
 * The CEL library, loaded with Node's own `require`: it is an ES module, which Node 20 can require but Jest's
 * CommonJS runtime cannot. Jest also runs code in a realm of its own, while the library tells lists, maps,
 * timestamps and errors apart by their constructors, so every value handed to it is built with the constructors of
 * Node's realm (`nodeRealm`); outside Jest those are the ordinary globals.
 */
const builtin = (process as unknown as { getBuiltinModule(name: string): any }).getBuiltinModule;

export const cel: typeof Cel = builtin('node:module').createRequire(__filename)('@marcbachmann/cel-js');

interface Realm {
  readonly Array: ArrayConstructor;
  readonly Date: DateConstructor;
  readonly Uint8Array: Uint8ArrayConstructor;
}

export const nodeRealm: Realm = builtin('node:vm').runInThisContext('({ Array, Date, Uint8Array })');

/** A list value for CEL. */
export function celList<T>(items: Iterable<T>): T[] {
  return nodeRealm.Array.from(items);
}

/** An empty map value for CEL: a prototype-less object is a map in every realm. */
export function celMap(): Record<string, unknown> {
  return Object.create(null);
}

/** An evaluation error the library reports like its own (a function handler's bad argument). */
export function celError(message: string): Error {
  return new cel.EvaluationError(message);
}

const durationOf = cel.parse('duration(text)');

/** A Go duration string (`90s`, `1h30m`) as a CEL duration; undefined when it is not one. */
export function duration(text: string): unknown {
  try {
    return durationOf({ text });
  } catch {
    return undefined;
  }
}
