import { isJsonObject } from '../../core/gvk';
import { ValidationIssue } from '../types';
import { celLibrary } from './cel-runtime';
import { CelRule, CelRuleNode } from './cel-rules';
import { propertyValue, toCelValue } from './cel-values';

/** How often rules met in validated objects were evaluated, skipped as transition rules, or could not be evaluated. */
export interface CelRuleCounts {
  evaluated: number;
  /** Rules that compare with `oldSelf`: they only apply to updates. */
  transition: number;
  /** Rules calling a function this validator lacks: neither passed nor failed. */
  unsupported: number;
  /** The functions (or compiler complaints) that kept rules from being evaluated, with how often. */
  readonly unsupportedBy: Record<string, number>;
}

export function noCelRuleCounts(): CelRuleCounts {
  return { evaluated: 0, transition: 0, unsupported: 0, unsupportedBy: {} };
}

/** One line for a summary: `CEL rules: 62 evaluated, 6 transition rules skipped (they apply to updates), 0 not evaluated`. */
export function describeCelRuleCounts(counts: CelRuleCounts): string {
  const reasons = Object.entries(counts.unsupportedBy).map(([reason, n]) => `${reason} ×${n}`);
  return (
    `CEL rules: ${counts.evaluated} evaluated, ${counts.transition} transition rules skipped (they apply to updates), ` +
    `${counts.unsupported} not evaluated${reasons.length > 0 ? ` (unsupported: ${reasons.join(', ')})` : ''}`
  );
}

const REASON_PREFIXES: Record<string, string> = {
  FieldValueForbidden: 'Forbidden: ',
  FieldValueRequired: 'Required value: ',
  FieldValueDuplicate: 'Duplicate value: ',
};

/**
 * Evaluates the rules of a kind on one object as the API server does on create: each rule with `self` bound to
 * the value of its node (each item, each map value), nodes absent from the object skipped, defaults applied.
 * A node at or above a path that already has a schema issue is not evaluated, so rules only see well-typed values.
 */
export function celRuleIssues(
  root: CelRuleNode,
  obj: unknown,
  object: string,
  schemaIssues: readonly ValidationIssue[],
  counts: CelRuleCounts,
): ValidationIssue[] {
  const invalid = schemaIssues.map(({ path }) => (path === '/' ? '' : path));
  const issues: ValidationIssue[] = [];
  const visit = (node: CelRuleNode, value: unknown, path: string): void => {
    if (value === undefined || value === null) return;
    if (node.rules.length > 0 && !invalid.some((bad) => bad === path || bad.startsWith(`${path}/`))) {
      const self = toCelValue(value, node.schema);
      for (const rule of node.rules) {
        const message = failure(rule, self, counts);
        if (message !== undefined) issues.push({ object, path: pathOf(path, rule.fieldPath), message });
      }
    }
    if (isJsonObject(value)) {
      for (const [name, child] of node.properties) visit(child, propertyValue(value, name, child.schema), `${path}/${pointerToken(name)}`);
      if (node.values !== undefined) {
        for (const [key, item] of Object.entries(value)) {
          if (!node.properties.has(key)) visit(node.values, item, `${path}/${pointerToken(key)}`);
        }
      }
    }
    if (Array.isArray(value) && node.items !== undefined) value.forEach((item, index) => visit(node.items!, item, `${path}/${index}`));
  };
  visit(root, obj, '');
  return issues;
}

/** The message of a rule that fails for `self`, undefined when it holds or is not evaluated. */
function failure(rule: CelRule, self: unknown, counts: CelRuleCounts): string | undefined {
  const { compiled } = rule;
  if ('unsupported' in compiled) {
    counts.unsupported++;
    for (const reason of compiled.unsupported) counts.unsupportedBy[reason] = (counts.unsupportedBy[reason] ?? 0) + 1;
    return undefined;
  }
  if (compiled.readsOldSelf && !rule.optionalOldSelf) {
    counts.transition++;
    return undefined;
  }
  counts.evaluated++;
  try {
    if (compiled.program(rule.optionalOldSelf ? { self, oldSelf: celLibrary().Optional.none() } : { self }) === true) return undefined;
  } catch (error) {
    return `rule ${JSON.stringify(rule.rule)} could not be evaluated: ${(error as { summary?: string }).summary ?? (error as Error).message}`;
  }
  return (REASON_PREFIXES[rule.reason ?? ''] ?? '') + messageOf(rule, self);
}

/** messageExpression when it yields a one-line text, else message, else the rule itself. */
function messageOf(rule: CelRule, self: unknown): string {
  const expression = rule.messageExpression;
  if (expression !== undefined && 'program' in expression) {
    try {
      const text: unknown = expression.program({ self });
      if (typeof text === 'string' && text.trim() !== '' && !text.includes('\n')) return text;
    } catch {
      // the API server falls back to the static message too
    }
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}

function pointerToken(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The JSON pointer of a node, with a rule's relative JSONPath (`.a.b`, `['a.b']`, `[0]`) appended. */
function pathOf(nodePath: string, fieldPath: string | undefined): string {
  let path = nodePath;
  for (const [, name, quoted, index] of (fieldPath ?? '').matchAll(/\.([^.[\]]+)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/g)) {
    path += `/${pointerToken(name ?? quoted ?? index)}`;
  }
  return path === '' ? '/' : path;
}
