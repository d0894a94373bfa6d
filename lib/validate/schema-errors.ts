import type { ErrorObject } from 'ajv';
import { isJsonObject } from '../core/gvk';
import { describeBranch, joinOr, messageOf } from './schema-error-messages';
import { ValidationIssue } from './types';

/** An Ajv error reduced to what a message needs; summaries of anyOf/oneOf keep the combinator's schemaPath. */
interface SchemaError {
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly keyword: string;
  readonly message: string;
}

/**
 * Turns Ajv errors (run with allErrors and verbose) into one clear message per problem: unknown fields are
 * reported at their parent, the failed branches of anyOf/oneOf collapse into a single message (or into the
 * errors of the branch that came closest to matching), and repeated messages are dropped.
 */
export function issuesFromSchemaErrors(errors: readonly ErrorObject[], object: string): ValidationIssue[] {
  // An if/then failure is reported by the errors inside "then"; the "if" error itself says nothing more.
  const meaningful = errors.filter((error) => error.keyword !== 'if');
  const simplified = collapseAlternatives(meaningful.map((error, index) => ({ error, index })));
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const error of simplified) {
    const path = error.instancePath === '' ? '/' : error.instancePath;
    // Two failures of one rule at one place (allOf of two enums) are one problem; fields are told apart.
    const rule = error.keyword === 'required' || error.keyword === 'additionalProperties' ? error.message : error.keyword;
    const key = `${path}\u0000${rule}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push({ object, path, message: error.message });
    }
  }
  return issues;
}

function collapseAlternatives(errors: ReadonlyArray<{ readonly error: ErrorObject; readonly index: number }>): SchemaError[] {
  let remaining: Array<{ readonly index: number; readonly error: SchemaError }> = errors.map(({ error, index }) => ({
    index,
    error: plainError(error),
  }));
  const alternatives = errors
    .filter(({ error }) => error.keyword === 'anyOf' || error.keyword === 'oneOf')
    .sort((a, b) => depth(b.error.instancePath) - depth(a.error.instancePath) || b.error.schemaPath.length - a.error.schemaPath.length);
  for (const { error: alternative, index } of alternatives) {
    const prefix = `${alternative.schemaPath}/`;
    const isBranchError = (entry: { index: number; error: SchemaError }): boolean =>
      entry.index < index && entry.error.schemaPath.startsWith(prefix) && isWithin(entry.error.instancePath, alternative.instancePath);
    const branchErrors = remaining.filter(isBranchError);
    const replacement = summarizeAlternatives(alternative, branchErrors);
    remaining = remaining
      .filter((entry) => entry.index !== index && !isBranchError(entry))
      .concat(replacement.map((error) => ({ index, error })));
  }
  return remaining.sort((a, b) => a.index - b.index).map((entry) => entry.error);
}

function summarizeAlternatives(
  alternative: ErrorObject,
  branchErrors: ReadonlyArray<{ readonly index: number; readonly error: SchemaError }>,
): SchemaError[] {
  const branches = Array.isArray(alternative.schema) ? (alternative.schema as unknown[]) : [];
  const summary = (message: string): SchemaError[] => [
    { instancePath: alternative.instancePath, schemaPath: alternative.schemaPath, keyword: alternative.keyword, message },
  ];
  const passing = alternative.params.passingSchemas;
  if (Array.isArray(passing)) {
    const fields = requiredFieldsOf(branches);
    return summary(
      fields === undefined
        ? `must match exactly one of ${branches.length} alternatives, but matches ${passing.length}`
        : `must set only one of ${fields}`,
    );
  }
  // The branch that got furthest into the value tells what is wrong with it.
  const best = [...groupByBranch(branchErrors, alternative.schemaPath).values()].sort(
    (a, b) => maxDepth(b) - maxDepth(a) || a.length - b.length,
  )[0];
  if (best !== undefined && maxDepth(best) > depth(alternative.instancePath)) {
    return best;
  }
  const fields = requiredFieldsOf(branches);
  if (fields !== undefined) {
    return summary(`must set ${alternative.keyword === 'oneOf' ? 'exactly one' : 'at least one'} of ${fields}`);
  }
  const typeErrors = branchErrors.filter((entry) => entry.error.keyword === 'type');
  if (typeErrors.length === branchErrors.length && typeErrors.length > 0) {
    const types = branches.flatMap((branch) => (isJsonObject(branch) ? [branch.type].flat() : []));
    return summary(`must be ${joinOr(types.map(String))}`);
  }
  const described = branches.map(describeBranch);
  return summary(`must match ${alternative.keyword === 'oneOf' ? 'exactly one' : 'at least one'} of: ${described.join('; ')}`);
}

/** For branches that only require fields (`oneOf: [{required: [a]}, {required: [b]}]`): `"a", "b"`. */
function requiredFieldsOf(branches: readonly unknown[]): string | undefined {
  const alternatives: string[] = [];
  for (const branch of branches) {
    if (
      !isJsonObject(branch) ||
      !Array.isArray(branch.required) ||
      Object.keys(branch).some((key) => key !== 'required' && key !== 'properties')
    ) {
      return undefined;
    }
    alternatives.push(branch.required.map((field) => JSON.stringify(field)).join(' + '));
  }
  return alternatives.length > 0 ? alternatives.join(', ') : undefined;
}

function groupByBranch(entries: ReadonlyArray<{ readonly error: SchemaError }>, alternativePath: string): Map<string, SchemaError[]> {
  const groups = new Map<string, SchemaError[]>();
  for (const { error } of entries) {
    const branch = error.schemaPath.slice(alternativePath.length + 1).split('/')[0] ?? '';
    groups.set(branch, [...(groups.get(branch) ?? []), error]);
  }
  return groups;
}

function plainError(error: ErrorObject): SchemaError {
  return {
    instancePath: error.instancePath,
    schemaPath: error.schemaPath,
    keyword: error.keyword,
    message: messageOf(error),
  };
}

function depth(instancePath: string): number {
  return instancePath === '' ? 0 : instancePath.split('/').length - 1;
}

function maxDepth(errors: readonly SchemaError[]): number {
  return Math.max(...errors.map((error) => depth(error.instancePath)));
}

function isWithin(instancePath: string, parent: string): boolean {
  return instancePath === parent || instancePath.startsWith(`${parent}/`);
}
