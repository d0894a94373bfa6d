import { SchemaRegistry, schemaSourcesFromEnv } from '../validate';

const registries = new Map<string, SchemaRegistry>();

/**
 * The schemas `validated` checks against, loaded once per Kubernetes version (`1.32.0`; undefined for the newest
 * available): the shipped bundle with the sources `KUBESTRATA_SCHEMAS` names on top, as `kubestrata validate` uses.
 */
export function testSchemas(kubernetesVersion: string | undefined): SchemaRegistry {
  const extra = schemaSourcesFromEnv();
  const key = `${extra.join('\n')}\n${kubernetesVersion ?? ''}`;
  let registry = registries.get(key);
  if (registry === undefined) {
    registry = SchemaRegistry.shipped({ kubernetesVersion, extra });
    registries.set(key, registry);
  }
  return registry;
}
