import { ManagedService } from '../../constructs/data/managed-service';
import { ServiceConnection } from '../../constructs/data/service-connection';
import { Platform } from '../core/platform';
import { SecretSource } from '../core/secrets';

/** A Secret the deployment does not generate: someone provides its values (secret config, or a secret store). */
export interface SecretToProvide {
  readonly namespace: string;
  readonly name: string;
  readonly keys: readonly string[];
  readonly source: Exclude<SecretSource, 'generated'>;
  /** Construct paths that use it. */
  readonly usedBy: readonly string[];
}

/** The connection of every data service of the platform, by construct path. */
export function serviceConnections(platform: Platform): Record<string, ServiceConnection> {
  return Object.fromEntries(
    platform.node
      .findAll()
      .filter((c): c is ManagedService => c instanceof ManagedService)
      .map((service) => [service.node.path, service.connection]),
  );
}

/** The Secrets of the platform's catalog whose values come from outside the deployment: names and keys, never values. */
export function secretsToProvide(platform: Platform): SecretToProvide[] {
  return platform.secrets
    .all()
    .filter((use) => use.ref.source !== 'generated')
    .map(({ namespace, ref, users }) => ({
      namespace,
      name: ref.name,
      keys: [...ref.keys],
      source: ref.source as SecretToProvide['source'],
      usedBy: [...users],
    }));
}
