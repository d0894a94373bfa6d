import { Problems } from '../../lib/core/errors';
import { checkLabels } from '../../lib/core/names';

/** Checks the label keys and values of a node selector. */
export function checkNodeSelector(problems: Problems, property: string, selector: Readonly<Record<string, string>>): void {
  checkLabels(problems, property, selector, '{ "nvidia.com/gpu.present": "true" }');
}
