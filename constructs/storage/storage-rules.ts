import { Problems } from '../../lib/core/errors';
import { isDnsSubdomain } from '../../lib/core/names';
import { Platform } from '../../lib/core/platform';

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(|[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;

/** A label key: an optional DNS subdomain prefix and a name of at most 63 characters. */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  return LABEL_NAME.test(name) && (slash < 0 || isDnsSubdomain(key.slice(0, slash)));
}

/** Checks a node selector: label keys and values as Kubernetes accepts them. */
export function checkNodeSelector(problems: Problems, property: string, selector: Readonly<Record<string, string>> | undefined): void {
  if (selector === undefined) return;
  if (typeof selector !== 'object' || selector === null || Array.isArray(selector)) {
    problems.add(property, selector, 'must be a map of node label keys to values', 'write it like { "node-role.kubernetes.io/storage": "" }');
    return;
  }
  for (const [key, value] of Object.entries(selector)) {
    problems.check(isLabelKey(key), `${property}.${key}`, key, 'is not a label key (an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" or ".")');
    problems.check(typeof value === 'string' && LABEL_VALUE.test(value), `${property}.${key}`, value, 'is not a label value (at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit)');
  }
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
