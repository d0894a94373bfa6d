import { isJsonObject } from '../core/gvk';
import { JsonObject, ResourceScope, ValidationIssue } from './types';

/** apiVersion, kind and metadata.name are needed by every object, whatever its schema says. */
export function identityIssues(obj: JsonObject, object: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const field of ['apiVersion', 'kind'] as const) {
    if (typeof obj[field] !== 'string' || obj[field] === '') {
      issues.push({ object, path: '/', message: `missing required field "${field}"` });
    }
  }
  if (obj.metadata === undefined) {
    issues.push({ object, path: '/', message: 'missing required field "metadata"' });
  } else if (isJsonObject(obj.metadata) && (typeof obj.metadata.name !== 'string' || obj.metadata.name === '')) {
    issues.push({ object, path: '/metadata', message: 'missing required field "name"' });
  }
  return issues;
}

/** A namespaced kind needs metadata.namespace; a cluster-scoped kind must not have one. */
export function scopeIssues(obj: JsonObject, scope: ResourceScope, kind: string, object: string): ValidationIssue[] {
  if (!isJsonObject(obj.metadata)) {
    return [];
  }
  const namespace = obj.metadata.namespace;
  const hasNamespace = namespace !== undefined && namespace !== null && namespace !== '';
  if (scope === 'Namespaced' && !hasNamespace) {
    return [{ object, path: '/metadata', message: `missing required field "namespace": ${kind} is namespaced` }];
  }
  if (scope === 'Cluster' && hasNamespace) {
    return [{ object, path: '/metadata/namespace', message: `must not be set: ${kind} is cluster-scoped` }];
  }
  return [];
}

/** Drops issues that repeat the path and message of an earlier one. */
export function withoutRepeats(issues: readonly ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
