import { ApiObject } from 'cdk8s';
import { parseApiVersion } from './gvk';
import { scopeOfWellKnownKind } from './cluster-scoped-kinds';
import { Problems } from './errors';

/** A rendered object and the construct that rendered it. */
export interface RenderedObject {
  readonly apiObject: ApiObject;
  readonly manifest: any;
}

/**
 * What the API server keys an object by: group, kind, namespace and name (`apps/Deployment tenant-shop/web`).
 * Built-in cluster-scoped kinds have no namespace; an object without one is cluster-scoped or lands in whatever
 * namespace it is applied to, so it is keyed apart from every named namespace.
 */
export function identityOf(manifest: any): string | undefined {
  const name = manifest?.metadata?.name;
  if (typeof name !== 'string' || typeof manifest.apiVersion !== 'string' || typeof manifest.kind !== 'string') return undefined;
  const { group } = parseApiVersion(manifest.apiVersion);
  const namespace = manifest.metadata.namespace;
  const kind = group === '' ? manifest.kind : `${group}/${manifest.kind}`;
  if (scopeOfWellKnownKind(group, manifest.kind) === 'Cluster' || typeof namespace !== 'string') return `${kind} ${name}`;
  return `${kind} ${namespace}/${name}`;
}

/** Refuses two objects with one identity: applied together, the second would silently overwrite the first. */
export function checkUniqueIdentities(objects: Iterable<RenderedObject>): void {
  const owners = new Map<string, ApiObject>();
  for (const { apiObject, manifest } of objects) {
    const identity = identityOf(manifest);
    if (identity === undefined) continue;
    const first = owners.get(identity);
    if (!first) {
      owners.set(identity, apiObject);
      continue;
    }
    new Problems(apiObject.node.path)
      .add(
        'object',
        identity,
        `is also rendered by ${first.node.path}; applying both would overwrite one object with the other`,
        `give one of ${first.node.path} and ${apiObject.node.path} another name or id`,
      )
      .throwIfAny();
  }
}
