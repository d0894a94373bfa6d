/** Kubernetes API identity: group, version and kind of an object, and whether a kind is namespaced. */

/** Whether objects of a kind live in a namespace. */
export type ResourceScope = 'Namespaced' | 'Cluster';

export interface GroupVersionKind {
  /** API group, `''` for the core group. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** A JSON value that is an object (schemas and Kubernetes objects alike). */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Splits `apps/v1` into group `apps` and version `v1`; `v1` is the core group `''`. */
export function parseApiVersion(apiVersion: string): { readonly group: string; readonly version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function apiVersionOf(gvk: GroupVersionKind): string {
  return gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`;
}

/** A map key for one kind at one version: `apps/v1/Deployment`, `/v1/Namespace`. */
export function gvkKey(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`;
}

/** A map key for one kind at any version: `apps/Deployment`, `/Namespace`. */
export function groupKindKey(group: string, kind: string): string {
  return `${group}/${kind}`;
}

/** The group, version and kind an object declares, or undefined when apiVersion or kind is not a string. */
export function gvkOfObject(obj: JsonObject): GroupVersionKind | undefined {
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '') {
    return undefined;
  }
  return { ...parseApiVersion(apiVersion), kind };
}

/** Names an object for humans: `postgresql.cnpg.io/v1 Cluster tenant-acme/orders`. */
export function describeObject(obj: unknown): string {
  if (!isJsonObject(obj)) {
    return `(not an object: ${obj === null ? 'null' : Array.isArray(obj) ? 'array' : typeof obj})`;
  }
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '(no apiVersion)';
  const kind = typeof obj.kind === 'string' ? obj.kind : '(no kind)';
  const metadata = isJsonObject(obj.metadata) ? obj.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '(unnamed)';
  const namespace = typeof metadata.namespace === 'string' ? `${metadata.namespace}/` : '';
  return `${apiVersion} ${kind} ${namespace}${name}`;
}
