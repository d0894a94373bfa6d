import { SchemaRegistry, ValidationIssue } from '../validate';
import { SchemaBundle } from '../validate/schema-bundle';

/**
 * One line naming the schemas a run used: the shipped bundle (what it was built from) and the sources on top of it;
 * and, when a kind had no schema, how to add one.
 */
export function schemasUsed(registry: SchemaRegistry, issues: readonly ValidationIssue[]): string {
  const overlays = registry.sources.filter((source) => source !== 'shipped bundle');
  const { source } = SchemaBundle.shipped();
  const openApi = Object.entries(source.openApi).map(([name, versions]) => `${name} ${versions.join('/')}`);
  const bundle =
    `shipped bundle (CRDs of ${Object.keys(source.crds).length} components, Kubernetes ${source.kubernetes.join('/')}, ` +
    `${[...openApi, `talos ${source.talos.join('/')}`].join(', ')})`;
  const lines = [
    `schemas: ${registry.sources.includes('shipped bundle') ? bundle : 'no bundle'}` +
      (overlays.length === 0 ? '' : ` + ${overlays.length} overlay${overlays.length === 1 ? '' : 's'}: ${overlays.join(', ')}`),
  ];
  if (issues.some((issue) => issue.message.startsWith('no schema for '))) {
    lines.push(
      'a kind without a schema: add its CRD with --schemas <file or dir>, e.g. kubectl get crd <name> -o yaml > crds.yaml (or set KUBESTRATA_SCHEMAS)',
    );
  }
  return lines.join('\n');
}
