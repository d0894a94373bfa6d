import * as path from 'path';
import { App } from 'cdk8s';
import { Platform, PlatformProps } from '../lib/core/platform';

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
