import { isJsonObject } from '../core/gvk';
import { JsonObject } from './types';

/** How a source's schemas treat objects; CRDs and Go-generated OpenAPI differ. */
export interface StrictSchemaOptions {
  /**
   * CRD structural schemas prune every field that is not listed, so `type: object` without `properties`,
   * `additionalProperties` or `x-kubernetes-preserve-unknown-fields` accepts only `{}`. In OpenAPI generated
   * from Go types, such an object (RawExtension, FieldsV1, …) holds arbitrary content.
   */
  readonly emptyObjectsAreClosed: boolean;
  /** `$ref` to the Kubernetes ObjectMeta schema, for `x-kubernetes-embedded-resource` objects. */
  readonly objectMetaRef?: string;
}

/** Keywords that only document a schema; dropped to keep compiled schemas small. */
const DOCUMENTATION_KEYWORDS: ReadonlySet<string> = new Set([
  'description',
  'title',
  'example',
  'examples',
  'default',
  'markdownDescription',
  'x-intellij-html-description',
  'x-kubernetes-validations',
]);

/**
 * Returns a deep copy of a Kubernetes schema (CRD openAPIV3Schema, Kubernetes or swagger definition) rewritten
 * into plain JSON Schema that Ajv checks the way `kubectl apply --validate=strict` does: objects that list
 * `properties` reject unknown fields unless `x-kubernetes-preserve-unknown-fields` is set; `nullable`,
 * `x-kubernetes-int-or-string` and `x-kubernetes-embedded-resource` become ordinary keywords. The input is
 * never modified.
 */
export function toStrictSchema(schema: unknown, options: StrictSchemaOptions): unknown {
  return transform(schema, options, false);
}

/**
 * Like toStrictSchema, for a schema used as a value validation only (inside allOf/anyOf/oneOf/not, where
 * `properties` lists fields to check rather than the fields that exist): objects are not closed.
 */
export function toValueValidationSchema(schema: unknown, options: StrictSchemaOptions): unknown {
  return transform(schema, options, true);
}

function transform(node: unknown, options: StrictSchemaOptions, valueValidation: boolean): unknown {
  if (!isJsonObject(node)) {
    return node;
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (DOCUMENTATION_KEYWORDS.has(key)) {
      continue;
    }
    out[key] = transformKeyword(key, value, options, valueValidation);
  }
  foldTypeAlternatives(node, out);
  applyNullable(node, out);
  if (!valueValidation) {
    applyEmbeddedResource(node, out, options);
    closeObject(node, out, options);
  }
  return out;
}

function transformKeyword(key: string, value: unknown, options: StrictSchemaOptions, valueValidation: boolean): unknown {
  switch (key) {
    case 'properties':
    case 'patternProperties':
    case 'definitions':
    case '$defs':
      return mapValues(value, (child) => transform(child, options, valueValidation));
    case 'items':
      return Array.isArray(value)
        ? value.map((child) => transform(child, options, valueValidation))
        : transform(value, options, valueValidation);
    case 'additionalProperties':
      return transform(value, options, valueValidation);
    case 'allOf':
    case 'anyOf':
    case 'oneOf':
      return Array.isArray(value) ? value.map((child) => transform(child, options, true)) : value;
    case 'not':
      return transform(value, options, true);
    default:
      return value;
  }
}

function mapValues(value: unknown, f: (child: unknown) => unknown): unknown {
  if (!isJsonObject(value)) {
    return value;
  }
  return Object.fromEntries(Object.entries(value).map(([name, child]) => [name, f(child)]));
}

/** `{oneOf: [{type: string}, {type: integer}]}` (IntOrString, Quantity) and int-or-string markers become a type list. */
function foldTypeAlternatives(node: JsonObject, out: JsonObject): void {
  if (node['x-kubernetes-int-or-string'] === true || node.format === 'int-or-string') {
    for (const keyword of ['anyOf', 'oneOf'] as const) {
      if (typeOnlyAlternatives(out[keyword]) !== undefined) {
        delete out[keyword];
      }
    }
    delete out.format;
    out.type = ['integer', 'string'];
    return;
  }
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const types = typeOnlyAlternatives(out[keyword]);
    if (types !== undefined && out.type === undefined) {
      delete out[keyword];
      out.type = types;
    }
  }
}

function typeOnlyAlternatives(alternatives: unknown): string[] | undefined {
  if (!Array.isArray(alternatives) || alternatives.length === 0) {
    return undefined;
  }
  const types: string[] = [];
  for (const alternative of alternatives) {
    if (!isJsonObject(alternative) || Object.keys(alternative).some((key) => key !== 'type' && key !== 'format')) {
      return undefined;
    }
    const type = alternative.type;
    if (typeof type !== 'string') {
      return undefined;
    }
    types.push(type);
  }
  return [...new Set(types)].sort((a, b) => typeRank(a) - typeRank(b));
}

/** Type lists read the same whatever order a schema wrote them in: `integer or string`, `number or string`. */
const TYPE_ORDER = ['integer', 'number', 'string', 'boolean', 'array', 'object', 'null'];

function typeRank(type: string): number {
  const rank = TYPE_ORDER.indexOf(type);
  return rank < 0 ? TYPE_ORDER.length : rank;
}

function applyNullable(node: JsonObject, out: JsonObject): void {
  if (node.nullable !== true && node['x-nullable'] !== true) {
    return;
  }
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
  } else if (Array.isArray(out.type) && !out.type.includes('null')) {
    out.type = [...out.type, 'null'];
  }
  if (Array.isArray(out.enum) && !out.enum.includes(null)) {
    out.enum = [...out.enum, null];
  }
}

/** An embedded object must carry apiVersion and kind; its metadata is ObjectMeta. */
function applyEmbeddedResource(node: JsonObject, out: JsonObject, options: StrictSchemaOptions): void {
  if (node['x-kubernetes-embedded-resource'] !== true) {
    return;
  }
  const properties = isJsonObject(out.properties) ? { ...out.properties } : {};
  properties.apiVersion = properties.apiVersion ?? { type: 'string' };
  properties.kind = properties.kind ?? { type: 'string' };
  properties.metadata = metadataSchema(isJsonObject(node.properties) ? node.properties.metadata : undefined, options);
  out.properties = properties;
  const required = Array.isArray(out.required) ? out.required : [];
  out.required = [...new Set([...required, 'apiVersion', 'kind'])];
}

/**
 * The schema for an object's `metadata`: Kubernetes ObjectMeta (strict), combined with whatever extra rules the
 * original schema states (a CRD may restrict `metadata.name`).
 */
export function metadataSchema(original: unknown, options: StrictSchemaOptions): unknown {
  const extra = toValueValidationSchema(original ?? { type: 'object' }, options);
  if (options.objectMetaRef === undefined) {
    return extra;
  }
  const objectMeta = { $ref: options.objectMetaRef };
  const hasExtraRules = isJsonObject(extra) && Object.keys(extra).some((key) => key !== 'type');
  return hasExtraRules ? { allOf: [objectMeta, extra] } : objectMeta;
}

function closeObject(node: JsonObject, out: JsonObject, options: StrictSchemaOptions): void {
  if (out.additionalProperties !== undefined || node['x-kubernetes-preserve-unknown-fields'] === true) {
    return;
  }
  const listsProperties = isJsonObject(out.properties);
  const isEmptyObject = node.type === 'object' && !listsProperties && out.patternProperties === undefined;
  if (listsProperties || (isEmptyObject && options.emptyObjectsAreClosed)) {
    out.additionalProperties = false;
  }
}
