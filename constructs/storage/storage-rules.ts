import { Problems } from '../../lib/core/errors';
import { checkLabels } from '../../lib/core/names';
import { Platform } from '../../lib/core/platform';

/** Checks a node selector: label keys and values as Kubernetes accepts them. */
export function checkNodeSelector(problems: Problems, property: string, selector: Readonly<Record<string, string>> | undefined): void {
  if (selector !== undefined) checkLabels(problems, property, selector);
}

/** Checks a whole number of instances, at least `min`. */
export function checkCount(problems: Problems, property: string, value: unknown, min: number, max?: number): boolean {
  const ok = Number.isInteger(value) && (value as number) >= min && (max === undefined || (value as number) <= max);
  return problems.check(ok, property, value, max === undefined ? `must be a whole number ≥ ${min}` : `must be a whole number from ${min} to ${max}`);
}

/**
 * How many replicas a clustered component gets by default: one on a single-machine platform (K3s
 * delivery, as Olares), where required pod anti-affinity would leave the others Pending, else `many`.
 */
export function defaultReplicas(platform: Platform, many: number): number {
  return platform.delivery === 'k3s' ? 1 : many;
}

/** Chart values with `extra` merged deeply over `base`; lists and scalars of `extra` replace those of `base`. */
export function mergeValues(base: Record<string, unknown>, extra: Record<string, unknown> | undefined): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra ?? {})) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? mergeValues(current, value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
