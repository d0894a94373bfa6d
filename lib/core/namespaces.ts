import { Problems } from './errors';
import type { Platform } from './platform';

/** Namespaces Kubernetes creates and uses itself; kubestrata never declares or relabels them. */
export const RESERVED_NAMESPACES: readonly string[] = ['default', 'kube-public', 'kube-node-lease', 'kube-system'];
/** Every tenant namespace is `tenant-<name>`. */
export const TENANT_NAMESPACE_PREFIX = 'tenant-';

type Owner = { readonly role: 'tenant' | 'system'; readonly path: string };
const owners = new WeakMap<Platform, Map<string, Owner>>();

function ownersOf(platform: Platform): Map<string, Owner> {
  let found = owners.get(platform);
  if (!found) owners.set(platform, (found = new Map()));
  return found;
}

/** Whether `namespace` is or could become a tenant's. */
export function isTenantNamespace(platform: Platform, namespace: string): boolean {
  return namespace.startsWith(TENANT_NAMESPACE_PREFIX) || ownersOf(platform).get(namespace)?.role === 'tenant';
}

/**
 * Checks a namespace that platform-wide pods run in or that tenants admit (`property` of the construct at
 * `problems`): never a tenant's, never one Kubernetes reserves, except kube-system when `allowKubeSystem`.
 */
export function checkSystemNamespace(
  problems: Problems,
  platform: Platform,
  property: string,
  namespace: string,
  allowKubeSystem = false,
): boolean {
  if (isTenantNamespace(platform, namespace)) {
    const tenant = ownersOf(platform).get(namespace);
    return problems.check(
      false,
      property,
      namespace,
      `is ${tenant ? `the namespace of the tenant at ${tenant.path}` : `a tenant namespace (every "${TENANT_NAMESPACE_PREFIX}*" namespace is)`}; platform components must not share a tenant's namespace`,
      `choose a namespace that does not start with "${TENANT_NAMESPACE_PREFIX}"`,
    );
  }
  if (RESERVED_NAMESPACES.includes(namespace) && !(allowKubeSystem && namespace === 'kube-system')) {
    return problems.check(
      false,
      property,
      namespace,
      `is a namespace Kubernetes reserves (${RESERVED_NAMESPACES.join(', ')})`,
      'give the component a namespace of its own, e.g. its default',
    );
  }
  return true;
}

/** Records the namespace of a system component; refuses one a tenant owns. */
export function claimSystemNamespace(platform: Platform, namespace: string, path: string): void {
  const owner = ownersOf(platform).get(namespace);
  if (owner?.role === 'tenant') {
    new Problems(path)
      .add('namespace', namespace, `is the namespace of the tenant at ${owner.path}`, 'give the component a namespace of its own')
      .throwIfAny();
  }
  if (!owner) ownersOf(platform).set(namespace, { role: 'system', path });
}

/**
 * Records a tenant's namespace; refuses one a system component has. (Components cannot take `tenant-*` namespaces
 * today, so this only guards against that rule being loosened.)
 */
export function claimTenantNamespace(platform: Platform, namespace: string, path: string): void {
  const owner = ownersOf(platform).get(namespace);
  if (owner) {
    new Problems(path)
      .add(
        'namespace',
        namespace,
        `is already the namespace of the ${owner.role === 'tenant' ? 'tenant' : 'system component'} at ${owner.path}`,
        'give the tenant another name',
      )
      .throwIfAny();
  }
  ownersOf(platform).set(namespace, { role: 'tenant', path });
}
