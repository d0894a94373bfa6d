import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';

/** A Kubernetes object as synthesized: apiVersion, kind, metadata and its other top-level fields. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [field: string]: unknown;
}

/** The module of `@pulumi/kubernetes` that holds the typed classes of each built-in API group. */
const BUILT_IN_GROUPS: Readonly<Record<string, string>> = {
  '': 'core',
  'admissionregistration.k8s.io': 'admissionregistration',
  'apiextensions.k8s.io': 'apiextensions',
  'apiregistration.k8s.io': 'apiregistration',
  apps: 'apps',
  autoscaling: 'autoscaling',
  batch: 'batch',
  'certificates.k8s.io': 'certificates',
  'coordination.k8s.io': 'coordination',
  'discovery.k8s.io': 'discovery',
  'events.k8s.io': 'events',
  'flowcontrol.apiserver.k8s.io': 'flowcontrol',
  'networking.k8s.io': 'networking',
  'node.k8s.io': 'node',
  policy: 'policy',
  'rbac.authorization.k8s.io': 'rbac',
  'resource.k8s.io': 'resource',
  'scheduling.k8s.io': 'scheduling',
  'storage.k8s.io': 'storage',
  'storagemigration.k8s.io': 'storagemigration',
};

type ResourceClass = new (name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

export function parseApiVersion(apiVersion: string): { readonly group: string; readonly version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Identifies an object across runs: `apiVersion/kind/namespace/name`, or `apiVersion/kind/name` when cluster-scoped. */
export function objectId(manifest: Manifest): string {
  const { namespace, name } = manifest.metadata;
  return [manifest.apiVersion, manifest.kind, namespace, name].filter((part) => part !== undefined && part !== '').join('/');
}

/** The typed class of a built-in kind, or undefined for custom resources. */
export function builtInClass(apiVersion: string, kind: string): ResourceClass | undefined {
  const { group, version } = parseApiVersion(apiVersion);
  const module = BUILT_IN_GROUPS[group];
  if (module === undefined) return undefined;
  const found = (k8s as any)[module]?.[version]?.[kind];
  return typeof found === 'function' ? (found as ResourceClass) : undefined;
}

/** Creates the Pulumi resource of one object: its typed class when built in, otherwise a CustomResource with every field. */
export function objectResource(name: string, manifest: Manifest, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
  const type = builtInClass(manifest.apiVersion, manifest.kind);
  return type ? new type(name, { ...manifest }, opts) : new k8s.apiextensions.CustomResource(name, { ...manifest }, opts);
}
