import Ajv, { ValidateFunction } from 'ajv';
import { IConstruct } from 'constructs';
import { Problem, Problems } from './errors';
import { propsProblems } from './props-problems';
import schemas from './props-schemas.json';

/** The props types whose schema `lib/core/props-schemas.json` holds (`npm run props-schemas` regenerates it). */
export const PROPS_TYPES: readonly string[] = schemas.types;

const SCHEMA_ID = 'props';
const MAX_PROBLEMS = 50;

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/**
 * Checks props against the JSON Schema generated from their TypeScript type, before anything reads them: values
 * from JavaScript, JSON, YAML or Pulumi config are untyped. Throws one ConfigurationError listing every property of
 * the wrong type or shape, out of bounds, or unknown. `scope` and `id` name the construct the props are for.
 */
export function checkProps(scope: IConstruct, id: string, type: string, props: unknown): void {
  checkPropsAt(scope.node.path ? `${scope.node.path}/${id}` : id, type, props);
}

/** `checkProps` for what is not a construct; `path` names it in the message. */
export function checkPropsAt(path: string, type: string, props: unknown): void {
  const problems = new Problems(path);
  for (const p of propsErrors(type, props)) problems.add(p.property, p.value, p.rule, p.fix);
  problems.throwIfAny();
}

/** The problems of `props` as a `type`, in plain words; empty when they conform. */
export function propsErrors(type: string, props: unknown): Problem[] {
  const data = props === undefined ? {} : withoutUndefined(props, new Map());
  const validate = validatorOf(`#/definitions/${type}`);
  if (validate(data)) return [];
  const problems = propsProblems(validate.errors ?? [], data, (pointer) => validatorOf(pointer));
  if (problems.length <= MAX_PROBLEMS) return problems;
  const rest = problems.length - MAX_PROBLEMS;
  return [...problems.slice(0, MAX_PROBLEMS), { property: 'props', value: undefined, rule: `has ${rest} more problems not listed` }];
}

/** The generated schema of one definition, e.g. `PostgresProps`; for property-based tests. */
export function propsSchema(type: string): { readonly $ref: string; readonly definitions: Record<string, unknown> } {
  if (!(type in schemas.definitions)) throw new Error(`no props schema for ${type}; run npm run props-schemas`);
  return { $ref: `#/definitions/${type}`, definitions: schemas.definitions };
}

function validatorOf(pointer: string): ValidateFunction {
  let validate = validators.get(pointer);
  if (!validate) {
    const name = /^#\/definitions\/([^/]+)$/.exec(pointer)?.[1];
    if (name && !(name in schemas.definitions)) throw new Error(`no props schema for ${name}; run npm run props-schemas`);
    validate = propsAjv().compile({ $ref: `${SCHEMA_ID}${pointer}` });
    validators.set(pointer, validate);
  }
  return validate;
}

function propsAjv(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, verbose: true, strict: false, logger: false });
    ajv.addKeyword({ keyword: 'instanceOf', schemaType: 'string', errors: true, validate: isInstanceOf });
    ajv.addSchema({ $id: SCHEMA_ID, definitions: schemas.definitions });
  }
  return ajv;
}

/**
 * Class-typed props (SecretRef, StorageClassRef, constructs) hold instances, recognised by the class name in
 * their prototype chain; a name, unlike `instanceof`, still matches when a program loads two copies of the
 * library. `Function` stands for callbacks.
 */
function isInstanceOf(className: string, value: unknown): boolean {
  if (className === 'Function') return typeof value === 'function';
  if (value === null || typeof value !== 'object') return false;
  for (let proto = Object.getPrototypeOf(value); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if (proto.constructor?.name === className) return true;
  }
  return false;
}

/**
 * A copy of the plain objects and lists in `value` without properties set to `undefined`, which TypeScript treats
 * as absent; class instances are kept as they are. `copies` keeps shared and cyclic parts shared and cyclic.
 */
function withoutUndefined(value: unknown, copies: Map<object, unknown>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (copies.has(value)) return copies.get(value);
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    copies.set(value, copy);
    for (const item of value) copy.push(withoutUndefined(item, copies));
    return copy;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const copy: Record<string, unknown> = {};
  copies.set(value, copy);
  for (const [key, child] of Object.entries(value)) {
    // defineProperty: an own `__proto__` key stays a property instead of replacing the copy's prototype.
    if (child !== undefined)
      Object.defineProperty(copy, key, { value: withoutUndefined(child, copies), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}
