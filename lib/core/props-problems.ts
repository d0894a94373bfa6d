import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Problem } from './errors';
import schemas from './props-schemas.json';

type Schema = Record<string, unknown>;
type Kind = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

const KINDS: readonly Kind[] = ['null', 'boolean', 'number', 'string', 'array', 'object'];
const MAX_LISTED = 12;

/**
 * The one place where schema errors become plain words: each problem names the property in dotted form
 * (`users.app.inRoles[0]`), the value given and the rule. A value that fits none of the alternatives of a union is
 * reported against the alternative of its own kind (or the closest one), not once per alternative.
 */
export function propsProblems(
  errors: readonly ErrorObject[],
  data: unknown,
  validatorOf: (pointer: string) => ValidateFunction,
): Problem[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const inUnion = (e: ErrorObject) =>
    unions.some((u) => u !== e && (e.instancePath === u.instancePath || e.instancePath.startsWith(`${u.instancePath}/`)));
  const problems: Problem[] = [];
  for (const error of errors) {
    if (inUnion(error)) continue;
    const segments = pointerSegments(error.instancePath);
    const value = valueAt(data, segments);
    if (unions.includes(error)) {
      problems.push(...unionProblems(error, segments, data, value, validatorOf));
    } else {
      problems.push(problemOf(error, segments, data, value));
    }
  }
  return problems;
}

function unionProblems(
  error: ErrorObject,
  segments: string[],
  data: unknown,
  value: unknown,
  validatorOf: (pointer: string) => ValidateFunction,
): Problem[] {
  const branches = error.schema as Schema[];
  const base = pointerOf(error.parentSchema as Schema);
  const kind = kindOf(value);
  let candidates = branches.map((_, i) => i).filter((i) => kindsOf(branches[i]).includes(kind));
  // A plain object is never a class instance; prefer the alternatives it can be.
  const plain = isPlainObject(value);
  if (plain && candidates.some((i) => !isInstanceBranch(branches[i])))
    candidates = candidates.filter((i) => !isInstanceBranch(branches[i]));
  if (base === undefined || candidates.length === 0) {
    return [{ property: propertyPath(data, segments), value, rule: `must be ${joinOr(branches.map(describe))}` }];
  }
  const tag = plain ? discriminator(candidates.map((i) => resolve(branches[i]))) : undefined;
  if (tag) {
    const given = (value as Record<string, unknown>)[tag.property];
    const matching = candidates.filter((_, n) => tag.values[n].includes(given));
    if (matching.length === 0) {
      const property = propertyPath(data, [...segments, tag.property]);
      return [{ property, value: given, rule: `must be ${oneOf(tag.values.flat())}` }];
    }
    candidates = matching;
  }
  let best: Problem[] | undefined;
  for (const i of candidates) {
    const validate = validatorOf(`${base}/${error.keyword}/${i}`);
    if (validate(value)) return [];
    const found = propsProblems(validate.errors ?? [], value, validatorOf).map((p) => ({
      ...p,
      property: joinPath(propertyPath(data, segments), p.property),
    }));
    if (!best || found.length < best.length) best = found;
  }
  return best!;
}

function isPlainObject(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isInstanceBranch(schema: Schema): boolean {
  return typeof resolve(schema).instanceOf === 'string';
}

/** The property whose constant values tell the object alternatives of a union apart, such as a pool's `type`. */
function discriminator(alternatives: readonly Schema[]): { property: string; values: unknown[][] } | undefined {
  if (alternatives.length < 2) return undefined;
  const constantsOf = (schema: Schema, property: string): unknown[] => {
    const child = resolve(((schema.properties as Schema | undefined)?.[property] as Schema | undefined) ?? {});
    if ('const' in child) return [child.const];
    return Array.isArray(child.enum) ? child.enum : [];
  };
  for (const property of Object.keys((alternatives[0].properties as Schema | undefined) ?? {})) {
    const values = alternatives.map((a) => constantsOf(a, property));
    const all = values.flat();
    if (values.every((v) => v.length > 0) && new Set(all).size === all.length) return { property, values };
  }
  return undefined;
}

function problemOf(error: ErrorObject, segments: string[], data: unknown, value: unknown): Problem {
  const params = error.params as Record<string, any>;
  const property = propertyPath(data, segments);
  const at = (rule: string, fix?: string): Problem => ({ property, value, rule, ...(fix ? { fix } : {}) });
  switch (error.keyword) {
    case 'type': {
      const schema = error.parentSchema as Schema;
      if (schema.type === 'object' && !schema.properties && schema.additionalProperties !== undefined)
        return at('must be a map of names to values');
      const types = String(params.type).split(',');
      return at(`must be ${joinOr(types.map(describeType))}`, retyped(types, value));
    }
    case 'enum':
      return at(`must be ${oneOf(params.allowedValues)}`);
    case 'const':
      return at(`must be ${JSON.stringify(params.allowedValue)}`);
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys(((error.parentSchema as Schema).properties as Schema | undefined) ?? {});
      return {
        property: propertyPath(data, [...segments, key]),
        value: (value as Record<string, unknown>)[key],
        rule: 'is not a known property',
        fix: known.length ? `use one of ${known.join(', ')}` : 'remove it',
      };
    }
    case 'required': {
      const missing = String(params.missingProperty);
      // Why and how, from the `@requiredBecause` and `@requiredFix` tags of the prop.
      const declared = ((error.parentSchema as Schema).properties as Record<string, Schema> | undefined)?.[missing] ?? {};
      const because = declared.requiredBecause;
      const fix = declared.requiredFix;
      return {
        property: propertyPath(data, [...segments, missing]),
        value: undefined,
        rule: because ? `is required: ${because}` : 'is required',
        ...(fix ? { fix: String(fix) } : {}),
      };
    }
    case 'minimum':
      return at(`must be at least ${params.limit}`);
    case 'maximum':
      return at(`must be at most ${params.limit}`);
    case 'exclusiveMinimum':
      return at(`must be greater than ${params.limit}`);
    case 'exclusiveMaximum':
      return at(`must be less than ${params.limit}`);
    case 'minItems':
    case 'minProperties':
      return at(`must have at least ${params.limit} ${params.limit === 1 ? 'entry' : 'entries'}`);
    case 'maxItems':
    case 'maxProperties':
      return at(`must have at most ${params.limit} ${params.limit === 1 ? 'entry' : 'entries'}`);
    case 'minLength':
      return at(`must be at least ${params.limit} characters long`);
    case 'maxLength':
      return at(`must be at most ${params.limit} characters long`);
    case 'pattern':
      return at(`must match the pattern ${params.pattern}`);
    case 'uniqueItems':
      return at('must not repeat an entry');
    case 'instanceOf':
      return at(`must be ${describeInstance(String(error.schema))}`);
    default:
      return at(error.message ?? `breaks the rule "${error.keyword}"`);
  }
}

/** The same value written as the type wants it, when that is obvious: `"200"` for 200, `false` for "false". */
function retyped(types: readonly string[], value: unknown): string | undefined {
  if (types.includes('string') && (typeof value === 'number' || typeof value === 'boolean'))
    return `write it as ${JSON.stringify(String(value))}`;
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return `write it as ${value}`;
  if (types.includes('number') && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return `write it as ${Number(value)}`;
  if (types.includes('array') && typeof value === 'string') return `write it as a list: ${JSON.stringify([value])}`;
  return undefined;
}

/** The property in dotted form; `props` for the props object itself. */
function propertyPath(data: unknown, segments: readonly string[]): string {
  let path = '';
  let node = data;
  for (const segment of segments) {
    if (Array.isArray(node)) path += `[${segment}]`;
    else path += path ? `.${segment}` : segment;
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return path || 'props';
}

function joinPath(outer: string, inner: string): string {
  if (inner === 'props') return outer;
  if (outer === 'props') return inner;
  return inner.startsWith('[') ? `${outer}${inner}` : `${outer}.${inner}`;
}

function pointerSegments(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(data: unknown, segments: readonly string[]): unknown {
  let node = data;
  for (const segment of segments) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
  return node;
}

function kindOf(value: unknown): Kind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  if (type === 'boolean' || type === 'number' || type === 'string') return type;
  return 'object';
}

/** The kinds of value a branch of a union can accept. */
function kindsOf(schema: Schema): Kind[] {
  const resolved = resolve(schema);
  if (typeof resolved.instanceOf === 'string') return ['object'];
  if (Array.isArray(resolved.enum)) return [...new Set(resolved.enum.map(kindOf))];
  if ('const' in resolved) return [kindOf(resolved.const)];
  const union = (resolved.anyOf ?? resolved.oneOf) as Schema[] | undefined;
  if (union) return [...new Set(union.flatMap(kindsOf))];
  if (resolved.type === undefined) return [...KINDS];
  return [resolved.type].flat().map((t) => (t === 'integer' ? 'number' : t) as Kind);
}

function describe(schema: Schema): string {
  const resolved = resolve(schema);
  if (typeof resolved.instanceOf === 'string') return describeInstance(resolved.instanceOf);
  if (Array.isArray(resolved.enum)) return oneOf(resolved.enum);
  if ('const' in resolved) return JSON.stringify(resolved.const);
  const union = (resolved.anyOf ?? resolved.oneOf) as Schema[] | undefined;
  if (union) return joinOr(union.map(describe));
  if (resolved.type === undefined) return 'any value';
  return joinOr([resolved.type].flat().map((t) => describeType(String(t))));
}

function describeType(type: string): string {
  switch (type) {
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
      return 'an object';
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'null':
      return 'null';
    default:
      return `a ${type}`;
  }
}

function describeInstance(className: string): string {
  return className === 'Function' ? 'a function' : `a ${className}`;
}

function resolve(schema: Schema): Schema {
  let resolved = schema;
  for (let depth = 0; typeof resolved.$ref === 'string' && depth < 10; depth++) {
    const name = /^#\/definitions\/(.+)$/.exec(resolved.$ref as string)?.[1];
    resolved = (name && (schemas.definitions as Record<string, Schema>)[name]) || {};
  }
  return resolved;
}

let pointers: WeakMap<object, string> | undefined;

/** The JSON pointer of a schema object inside the generated definitions. */
function pointerOf(schema: Schema): string | undefined {
  if (!pointers) {
    const map = new WeakMap<object, string>();
    const walk = (node: unknown, pointer: string) => {
      if (node === null || typeof node !== 'object') return;
      map.set(node, pointer);
      for (const [key, child] of Object.entries(node)) walk(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    };
    walk(schemas.definitions, '#/definitions');
    pointers = map;
  }
  return pointers.get(schema);
}

function joinOr(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** `"a"` or `one of "a", "b"`. */
function oneOf(values: readonly unknown[]): string {
  if (values.length === 1) return JSON.stringify(values[0]);
  return `one of ${listValues(values)}`;
}

function listValues(values: readonly unknown[]): string {
  const shown = values.slice(0, MAX_LISTED).map((v) => JSON.stringify(v));
  return values.length > shown.length ? `${shown.join(', ')}, … (${values.length} values)` : shown.join(', ');
}
