import type { ErrorObject } from 'ajv';
import { isJsonObject } from '../core/gvk';

/** The message for one Ajv error, in the words `kubectl` users know: unknown field, missing required field, … */
export function messageOf(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown field ${JSON.stringify(params.additionalProperty)}`;
    case 'required':
      return `missing required field ${JSON.stringify(params.missingProperty)}`;
    case 'type':
      return `must be ${joinOr(String(params.type).split(','))}`;
    case 'enum':
      return `must be one of ${listValues(Array.isArray(params.allowedValues) ? params.allowedValues : [])}${got(error)}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}${got(error)}`;
    case 'not':
      return isJsonObject(error.schema) && Array.isArray(error.schema.enum)
        ? `must not be one of ${listValues(error.schema.enum)}`
        : 'must not match the excluded schema';
    default:
      return error.message ?? `fails "${error.keyword}"`;
  }
}

/** One alternative of an anyOf/oneOf, for a message that lists them: `format "ipv4"`, `pattern "^…"`. */
export function describeBranch(branch: unknown): string {
  if (!isJsonObject(branch)) {
    return JSON.stringify(branch);
  }
  const parts: string[] = [];
  if (branch.type !== undefined) parts.push(`type ${[branch.type].flat().join(' or ')}`);
  if (typeof branch.format === 'string') parts.push(`format "${branch.format}"`);
  if (typeof branch.pattern === 'string') parts.push(`pattern "${shorten(branch.pattern)}"`);
  if (Array.isArray(branch.enum)) parts.push(`one of ${listValues(branch.enum)}`);
  if (Array.isArray(branch.required)) parts.push(`fields ${branch.required.map((f) => JSON.stringify(f)).join(', ')}`);
  return parts.length > 0 ? parts.join(', ') : JSON.stringify(branch);
}

/** `a`, `a or b`, `a, b or c`. */
export function joinOr(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function got(error: ErrorObject): string {
  if (error.data === undefined) {
    return '';
  }
  const value = JSON.stringify(error.data);
  return ` (got ${value.length > 80 ? `${value.slice(0, 77)}...` : value})`;
}

function listValues(values: readonly unknown[]): string {
  const shown = values.slice(0, 12).map((value) => JSON.stringify(value));
  return values.length > shown.length ? `${shown.join(', ')}, … (${values.length} values)` : shown.join(', ');
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
