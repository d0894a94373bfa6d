/**
 * CEL for the tenant admission policies, limited to what both Kubernetes' CEL environment and plain CEL provide:
 * `has()`, `all()`/`exists()`, `size()`, `in`, `startsWith`/`endsWith`/`contains`/`matches` and, from Kubernetes'
 * strings library, `split`/`trim`/`lowerAscii`. `object` and
 * `oldObject` are dynamic in a ValidatingAdmissionPolicy, so a field named `namespace` is read as `.namespace`.
 */

/** The namespace of the request: the tenant namespace the object is written to. */
export const OWN_NAMESPACE = 'request.namespace';

/** Prefix of every tenant namespace: service accounts of other namespaces belong to the platform. */
export const TENANT_NAMESPACE_PREFIX = 'tenant-';

/**
 * True when the request comes from the cluster's own controllers or the platform: kube-controller-manager (as
 * itself or, with per-controller credentials, as a kube-system service account), nodes, cluster admins
 * (`system:masters`) and the service accounts of every namespace that is not a tenant's (operators, Flux).
 */
export const PLATFORM_REQUESTER = [
  `request.userInfo.username == 'system:kube-controller-manager'`,
  `(request.userInfo.username.startsWith('system:serviceaccount:') && !request.userInfo.username.startsWith('system:serviceaccount:${TENANT_NAMESPACE_PREFIX}'))`,
  `(has(request.userInfo.groups) && request.userInfo.groups.exists(g, g == 'system:masters' || g == 'system:nodes'))`,
].join(' || ');

/**
 * CEL that is true when every value at `path` below `root` satisfies `check`, or is absent. `path` is dotted;
 * a `[]` suffix steps into each item of a list, e.g. `spec.pools[].volumeClaimTemplate.spec.storageClassName`.
 */
export function everyValueAt(root: string, path: string, check: (value: string) => string, depth = 0): string {
  const segments = path.split('.');
  const unset: string[] = [];
  let value = root;
  for (const [index, segment] of segments.entries()) {
    const list = segment.endsWith('[]');
    value = `${value}.${list ? segment.slice(0, -2) : segment}`;
    unset.push(`!has(${value})`);
    if (list && index < segments.length - 1) {
      const item = `i${depth}`;
      const rest = everyValueAt(item, segments.slice(index + 1).join('.'), check, depth + 1);
      return `${unset.join(' || ')} || ${value}.all(${item}, ${rest})`;
    }
  }
  return `${unset.join(' || ')} || ${check(value)}`;
}

/** A CEL string literal. */
export function celString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
