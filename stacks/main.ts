import * as path from 'path';
import { App } from 'cdk8s';
import { StackDefinition } from '../lib/core/stack';
import { hostingPlatform } from './hosting/platform';
import { personalCloudPlatform } from './personal-cloud/platform';

/** The reference stacks, with their example settings. */
export const stacks: Record<string, StackDefinition> = {
  'hosting': {
    description: 'Cozystack-like hosting platform: Flux, tenants, PostgreSQL with backups and pooler',
    build: (app) => hostingPlatform(app),
  },
  'personal-cloud': {
    description: 'Olares-like personal cloud: K3s helm-controller, one user space with PostgreSQL',
    build: (app) => personalCloudPlatform(app),
  },
};

/** `cdk8s synth` entry: every stack into `<CDK8S_OUTDIR>/<stack>/`. */
if (require.main === module) {
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  for (const [name, stack] of Object.entries(stacks)) {
    stack.build(new App({ outdir: path.join(outdir, name) })).synth();
  }
}
