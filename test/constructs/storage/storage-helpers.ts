import { ConfigurationError } from '../../../lib/core/errors';
import { Platform } from '../../../lib/core/platform';
import { SchemaRegistry } from '../../../lib/validate';
import { manifests, SCHEMAS_DIR } from '../../helpers';

let registry: SchemaRegistry | undefined;

/** The platform's manifests, each checked against the upstream schemas of Kubernetes 1.32. */
export function rendered(platform: Platform): any[] {
  registry ??= SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: '1.32.0' });
  const all = manifests(platform);
  expect(all.flatMap((m) => registry!.validate(m))).toEqual([]);
  return all;
}

/** `Kind/namespace/name` of every object the named object follows in the synthesized graph. */
export function dependsOn(platform: Platform, kind: string, name: string): string[] {
  const objects = platform.render().flatMap((c) => c.objects);
  const found = objects.filter((o) => o.manifest.kind === kind && o.manifest.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0].dependsOn.map((d) => {
    const m = d.toJson();
    return [m.kind, m.metadata.namespace, m.metadata.name].filter(Boolean).join('/');
  });
}

/** The message of the ConfigurationError that `create` throws. */
export function problemOf(create: () => unknown): ConfigurationError {
  try {
    create();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError);
    return e as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}
