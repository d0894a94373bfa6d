import * as path from 'path';
import { App } from 'cdk8s';
import { Platform } from '../lib/core/platform';
import type { SchemaRegistry } from '../lib/validate';
import { StackDefinition } from '../lib/cli/stack';
import { nodeClustersOf, validateNodeConfigs, writeNodeFiles } from '../constructs/nodes/node-files';
import { hostingPlatform } from './hosting/platform';
import { personalCloudPlatform } from './personal-cloud/platform';

/** Node configuration files of every node cluster of the platform, checked against the Talos schema when schemas are given. */
function writeNodes(platform: Platform, outdir: string, schemas?: SchemaRegistry) {
  const clusters = nodeClustersOf(platform);
  return {
    files: clusters.flatMap((cluster) => writeNodeFiles(cluster, outdir)),
    issues: schemas ? clusters.flatMap((cluster) => validateNodeConfigs(cluster, schemas)) : [],
  };
}

/** The reference stacks, with their example settings. */
export const stacks: Record<string, StackDefinition> = {
  hosting: {
    description: 'Cozystack-like hosting platform: Talos, Kube-OVN + Cilium, MetalLB, LINSTOR, KubeVirt, Flux, tenants with data services',
    build: (app) => hostingPlatform(app),
    writeFiles: writeNodes,
  },
  'personal-cloud': {
    description: 'Olares-like personal cloud: K3s, Calico, MinIO + JuiceFS, HAMi, a user space with PostgreSQL, Kvrocks and NATS',
    build: (app) => personalCloudPlatform(app),
    writeFiles: writeNodes,
  },
};

/** `cdk8s synth` entry: every stack into `<CDK8S_OUTDIR>/<stack>/`. */
if (require.main === module) {
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  for (const [name, stack] of Object.entries(stacks)) {
    const dir = path.join(outdir, name);
    const platform = stack.build(new App({ outdir: dir }));
    platform.synth();
    stack.writeFiles?.(platform, dir);
  }
}
