import { SchemaRegistry, schemasDirFromEnv } from '../validate';

const registries = new Map<string, SchemaRegistry>();

/**
 * The schemas `validated` checks against, loaded once per Kubernetes version (`1.32.0`; undefined for the newest
 * available): the schema directory named by `KUBESTRATA_SCHEMAS`.
 */
export function testSchemas(kubernetesVersion: string | undefined): SchemaRegistry {
  const dir = schemasDirFromEnv();
  if (dir === undefined) {
    throw new Error('validated() needs schemas: set KUBESTRATA_SCHEMAS to a schema directory (crds/, schemas/)');
  }
  const key = `${dir}\n${kubernetesVersion ?? ''}`;
  let registry = registries.get(key);
  if (registry === undefined) {
    registry = SchemaRegistry.load(dir, { kubernetesVersion });
    registries.set(key, registry);
  }
  return registry;
}
