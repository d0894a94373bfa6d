import { Problems } from '../../lib/core/errors';

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** Checks the label keys and values of a node selector. */
export function checkNodeSelector(problems: Problems, property: string, selector: Readonly<Record<string, string>>): void {
  if (!problems.check(typeof selector === 'object' && selector !== null && !Array.isArray(selector), property, selector, 'must be a map of node labels')) return;
  for (const [key, value] of Object.entries(selector)) {
    problems.check(LABEL_KEY.test(key), `${property}.${key}`, key, 'is not a label key ([prefix/]name)');
    problems.check(typeof value === 'string' && LABEL_VALUE.test(value), `${property}.${key}`, value, 'must be a label value (a string of at most 63 letters, digits, "-", "_" or ".")');
  }
}
