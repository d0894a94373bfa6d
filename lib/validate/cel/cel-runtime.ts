import type * as Cel from '@marcbachmann/cel-js';

/**
 * The CEL library, loaded on first use with Node's own `require`: it is an ES module, which Node can require but
 * Jest's CommonJS runtime cannot. Jest also runs code in a realm of its own, while the library tells lists, maps,
 * timestamps and bytes apart by their constructors, so every value handed to it is built with the constructors of
 * Node's realm (`nodeRealm()`); outside Jest those are the ordinary globals.
 */
let library: typeof Cel | undefined;
let realm: Realm | undefined;

/** Node's own modules, past Jest's stand-ins (its `createRequire` gives Jest's require, which cannot load ES modules). */
function nodeBuiltin(name: string): any {
  return (process as unknown as { getBuiltinModule(name: string): unknown }).getBuiltinModule(name);
}

export function celLibrary(): typeof Cel {
  library ??= nodeBuiltin('node:module').createRequire(__filename)('@marcbachmann/cel-js') as typeof Cel;
  return library;
}

interface Realm {
  readonly Array: ArrayConstructor;
  readonly Date: DateConstructor;
  readonly Uint8Array: Uint8ArrayConstructor;
}

export function nodeRealm(): Realm {
  realm ??= nodeBuiltin('node:vm').runInThisContext('({ Array, Date, Uint8Array })') as Realm;
  return realm;
}

/** A list value for CEL. */
export function celList<T>(items: Iterable<T>): T[] {
  return nodeRealm().Array.from(items);
}

/** An empty map value for CEL: a prototype-less object is a map in every realm. */
export function celMap(): Record<string, unknown> {
  return Object.create(null);
}

/** An evaluation error the library reports like its own (a function handler's bad argument). */
export function celError(message: string): Error {
  return new (celLibrary().EvaluationError)(message);
}

let durationOf: ((context: object) => unknown) | undefined;

/** A Go duration string (`90s`, `1h30m`) as a CEL duration; undefined when it is not one. */
export function duration(text: string): unknown {
  durationOf ??= celLibrary().parse('duration(text)');
  try {
    return durationOf({ text });
  } catch {
    return undefined;
  }
}
