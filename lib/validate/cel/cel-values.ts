import { isJsonObject } from '../../core/gvk';
import { JsonObject } from '../types';
import { celList, celMap, duration, nodeRealm } from './cel-runtime';

/** CEL keywords: a property of that name is reached as `self.__<name>__`. */
const RESERVED = new Set(
  'true false null in as break const continue else for function if import let loop package namespace return var void while'.split(' '),
);
const ESCAPES: Record<string, string> = { __: '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__' };

/** A property name as CEL rules write it (Kubernetes' escaping of keywords, `__`, `.`, `-` and `/`). */
export function escapePropertyName(name: string): string {
  return RESERVED.has(name) ? `__${name}__` : name.replace(/__|[./-]/g, (match) => ESCAPES[match]);
}

function schemaOf(value: unknown): JsonObject {
  return isJsonObject(value) ? value : {};
}

/**
 * A property's value as the API server validates it on create: a null in a field that is not nullable is pruned,
 * and a missing field takes its schema default.
 */
export function propertyValue(object: JsonObject, name: string, schema: unknown): unknown {
  const value = object[name];
  const { nullable, default: fallback } = schemaOf(schema);
  return value === undefined || (value === null && nullable !== true) ? fallback : value;
}

/** The schema of a map's values, or undefined when the object is not a map. */
export function mapValueSchema(schema: JsonObject): JsonObject | undefined {
  const { additionalProperties } = schema;
  return isJsonObject(additionalProperties) ? additionalProperties : undefined;
}

/**
 * A JSON value as a CEL value typed by its schema, as the API server hands it to rules: integers as ints,
 * numbers as doubles, `int-or-string` as either, strings of the formats duration, date, date-time and byte as
 * durations, timestamps and bytes, objects with properties as messages with escaped field names, maps keyed as
 * written, and untyped (preserved) values with whole numbers as ints.
 */
export function toCelValue(value: unknown, schemaNode: unknown): unknown {
  const schema = schemaOf(schemaNode);
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return schema.type === 'number' || !Number.isInteger(value) ? value : BigInt(value);
  if (typeof value === 'string') return schema.type === 'string' ? formatted(value, schema.format) : value;
  if (Array.isArray(value)) return celList(value.map((item) => toCelValue(item, schema.items)));
  if (!isJsonObject(value)) return value;
  const properties = schemaOf(schema.properties);
  const additional = mapValueSchema(schema);
  const result = celMap();
  for (const name of Object.keys(value)) {
    if (name in properties) continue;
    result[name] = toCelValue(value[name], additional);
  }
  for (const [name, propertySchema] of Object.entries(properties)) {
    const propertyValueOf = propertyValue(value, name, propertySchema);
    if (propertyValueOf !== undefined) result[escapePropertyName(name)] = toCelValue(propertyValueOf, propertySchema);
  }
  return result;
}

function formatted(value: string, format: unknown): unknown {
  switch (format) {
    case 'duration':
      return duration(value) ?? value;
    case 'date':
      return (/^\d{4}-\d{2}-\d{2}$/.test(value) ? timestamp(`${value}T00:00:00Z`) : undefined) ?? value;
    case 'date-time':
      return timestamp(value) ?? value;
    case 'byte':
      return /^[A-Za-z0-9+/]*={0,2}$/.test(value) ? nodeRealm().Uint8Array.from(Buffer.from(value, 'base64')) : value;
    default:
      return value;
  }
}

function timestamp(value: string): Date | undefined {
  const date = new (nodeRealm().Date)(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
