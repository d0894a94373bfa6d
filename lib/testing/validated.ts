import { IConstruct } from 'constructs';
import { KubernetesVersion } from '../core/platform';
import { SchemaRegistry, ValidationIssue } from '../validate';
import { platformAbove, renderedUnder } from './rendered';
import { testSchemas } from './schemas';

export interface ValidatedOptions {
  /**
   * The Kubernetes version whose schemas built-in kinds are checked against.
   * @default the platform's; for plain objects, the newest the schemas have
   */
  readonly kubernetesVersion?: KubernetesVersion;
  /** The schemas to check against. @default the shipped schemas, with the sources `KUBESTRATA_SCHEMAS` names on top */
  readonly schemas?: SchemaRegistry;
}

/**
 * The manifests under `subject` (a platform, a tenant or any construct; or objects already rendered), after checking
 * every one strictly against the schema of its kind — unknown fields, types, required fields, scope — and the CEL
 * rules of its CRD, as the API server would on create. Throws one error that lists each problem (object, path,
 * message) when any object is invalid.
 */
export function validated(subject: IConstruct | readonly unknown[], options: ValidatedOptions = {}): any[] {
  const objects = isObjectList(subject) ? [...subject] : renderedUnder(subject).flatMap((c) => c.objects.map((o) => o.manifest));
  const version = options.kubernetesVersion ?? (isObjectList(subject) ? undefined : platformAbove(subject)?.kubernetesVersion);
  const registry = options.schemas ?? testSchemas(version === undefined ? undefined : `${version}.0`);
  const issues = objects.flatMap((o) => registry.validate(o));
  if (issues.length > 0) throw new Error(describeIssues(issues, objects.length, registry.kubernetesVersion));
  return objects;
}

function isObjectList(subject: IConstruct | readonly unknown[]): subject is readonly unknown[] {
  return Array.isArray(subject);
}

function describeIssues(issues: readonly ValidationIssue[], checked: number, kubernetesVersion: string | undefined): string {
  const invalid = new Set(issues.map((i) => i.object)).size;
  const against = kubernetesVersion === undefined ? '' : ` (Kubernetes ${kubernetesVersion})`;
  const lines = issues.map((i) => `  - ${i.object} ${i.path}: ${i.message}`);
  return [`${invalid} of ${checked} objects are invalid${against}:`, ...lines].join('\n');
}
