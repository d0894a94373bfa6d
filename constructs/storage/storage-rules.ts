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
  return problems.check(
    ok,
    property,
    value,
    max === undefined ? `must be a whole number ≥ ${min}` : `must be a whole number from ${min} to ${max}`,
  );
}

/**
 * How many replicas a clustered component gets by default: one on a single-machine platform (K3s
 * delivery, as Olares), where required pod anti-affinity would leave the others Pending, else `many`.
 */
export function defaultReplicas(platform: Platform, many: number): number {
  return platform.delivery === 'k3s' ? 1 : many;
}
