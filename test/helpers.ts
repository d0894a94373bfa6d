import * as path from 'path';
import { App } from 'cdk8s';
import { ConfigurationError } from '../lib/core/errors';
import { Platform, PlatformProps } from '../lib/core/platform';
import { SchemaRegistry } from '../lib/validate';

/** The schemas directory: KUBESTRATA_SCHEMAS or the shared folder beside the repository. */
export const SCHEMAS_DIR = process.env.KUBESTRATA_SCHEMAS ?? path.resolve(__dirname, '../../shared');

export function newPlatform(props: PlatformProps = {}): Platform {
  return new Platform(new App({ outdir: '/nonexistent' }), 'platform', props);
}

/** Every manifest the platform renders, in output order. */
export function manifests(platform: Platform): any[] {
  return platform.render().flatMap((c) => c.objects.map((o) => o.manifest));
}

export function find(all: any[], kind: string, name?: string): any {
  const found = all.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
}

let registry: SchemaRegistry | undefined;

/** Every manifest the platform renders, after asserting that all validate against the Kubernetes 1.32 schemas. */
export function validated(platform: Platform): any[] {
  registry ??= SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: '1.32.0' });
  const all = manifests(platform);
  expect(all.flatMap((m) => registry!.validate(m))).toEqual([]);
  return all;
}

/** The ConfigurationError `f` throws; fails when it throws nothing or something else. */
export function problemsOf(f: () => unknown): ConfigurationError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigurationError) return e;
    throw e;
  }
  throw new Error('expected a ConfigurationError');
}
