import * as fs from 'node:fs';
import * as path from 'node:path';
import { IConstruct } from 'constructs';
import { Problems } from '../../lib/core/errors';
import { SchemaRegistry, talosValidator, ValidationIssue } from '../../lib/validate';
import { versions } from '../../lib/versions';
import { K3sCluster } from './k3s-cluster';
import { K3S_TOKEN_FILE, k3sConfig, k3sInstallScript, k3sRegistries, k3sUserData, k3sYaml } from './k3s-files';
import { TalosCluster } from './talos-cluster';
import { withoutPatchDirectives } from './talos-merge';
import { talosNodePatch, talosYaml } from './talos-patch';

/** A cluster of machines whose configuration kubestrata renders. */
export type NodeCluster = TalosCluster | K3sCluster;

/** One generated node file, relative to the `nodes/` directory. */
export interface NodeFile {
  /** `<node>/<file>`, or `<file>` for files of the whole cluster. */
  readonly path: string;
  readonly content: string;
  /** File mode: 0o755 for scripts, else 0o644. None holds a secret. */
  readonly mode: number;
}

/** Every node cluster (Talos or K3s) under `scope`, e.g. a platform. */
export function nodeClustersOf(scope: IConstruct): NodeCluster[] {
  return scope.node.findAll().filter((c): c is NodeCluster => c instanceof TalosCluster || c instanceof K3sCluster);
}

/** The files of every node: Talos machine-config patches, or K3s config, registries, install script and user data. */
export function nodeFiles(cluster: NodeCluster): NodeFile[] {
  const file = (p: string, content: string, mode = 0o644): NodeFile => ({ path: p, content, mode });
  if (cluster instanceof TalosCluster) {
    cluster.check();
    const usesSchematic = cluster.installerImage === cluster.schematic.installerImage(cluster.talosVersion, cluster.imagePlatform);
    return [
      file('cluster.yaml', k3sYaml(summary(cluster))),
      ...(usesSchematic ? [file('talos-schematic.yaml', cluster.schematic.schematicYaml)] : []),
      ...cluster.nodes.map((node) => file(`${node.node.id}/talos-patch.yaml`, talosYaml(talosNodePatch(cluster, node)))),
    ];
  }
  cluster.check();
  const registries = k3sYaml(k3sRegistries(cluster));
  return [
    file('cluster.yaml', k3sYaml(summary(cluster))),
    ...cluster.joinOrder.flatMap((node) => [
      file(`${node.node.id}/config.yaml`, k3sYaml(k3sConfig(cluster, node))),
      file(`${node.node.id}/registries.yaml`, registries),
      file(`${node.node.id}/install.sh`, k3sInstallScript(cluster, node), 0o755),
      file(`${node.node.id}/user-data`, k3sUserData(cluster, node)),
    ]),
  ];
}

/**
 * Writes the node files of `cluster` to `<outdir>/nodes/`, replacing what was there, and returns their paths.
 * Manifest validation skips `nodes/` directories.
 */
export function writeNodeFiles(cluster: NodeCluster, outdir: string): string[] {
  const files = nodeFiles(cluster);
  const root = path.join(outdir, 'nodes');
  const outside = files.filter((f) => !isInside(root, path.resolve(root, f.path)));
  if (outside.length > 0) {
    new Problems(cluster.node.path)
      .add(
        'nodes',
        outside.map((f) => f.path),
        `would be written outside ${root}`,
        'give every node an id that is a DNS-1123 label',
      )
      .throwIfAny();
  }
  fs.rmSync(root, { recursive: true, force: true });
  return files.map((f) => {
    const target = path.join(root, f.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.content, { mode: f.mode });
    fs.chmodSync(target, f.mode);
    return target;
  });
}

function isInside(folder: string, target: string): boolean {
  const relative = path.relative(path.resolve(folder), target);
  return relative !== '' && relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative);
}

/**
 * Validates every Talos machine-config patch of `cluster` against the Talos schema of the pinned version that
 * `schemas` holds (the shipped bundle, or `schemas/talos/<version>/config.schema.json` of a directory), as Talos reads
 * it (merge directives removed). K3s configs have no published schema: none are checked.
 */
export function validateNodeConfigs(
  cluster: NodeCluster,
  schemas: SchemaRegistry | string,
  talosSchema: string = versions.talos.version.slice(1),
): ValidationIssue[] {
  if (!(cluster instanceof TalosCluster)) return [];
  const validate = talosValidator(schemas, talosSchema);
  return cluster.nodes.flatMap((node) =>
    cluster
      .patch(node)
      .flatMap((doc) => validate(withoutPatchDirectives(doc)).map((issue) => ({ ...issue, object: `${node.node.id}: ${issue.object}` }))),
  );
}

/** What the deployment needs to know to bring the machines up, in order, without reading the node files. */
function summary(cluster: NodeCluster): Record<string, unknown> {
  if (cluster instanceof TalosCluster) {
    return {
      distribution: 'talos',
      clusterName: cluster.clusterName,
      talosVersion: cluster.talosVersion,
      kubernetesVersion: cluster.kubernetesVersion,
      endpoint: cluster.endpoint,
      installerImage: cluster.installerImage,
      ...(cluster.installerImage.includes(cluster.schematic.id) ? { schematicId: cluster.schematic.id } : {}),
      bootstrapNode: cluster.bootstrapNode?.node.id,
      nodes: cluster.nodes.map((n) => ({ name: n.node.id, hostname: n.hostname, role: n.role, address: n.ip.address })),
    };
  }
  return {
    distribution: 'k3s',
    clusterName: cluster.clusterName,
    k3sVersion: cluster.version,
    server: cluster.serverUrl,
    token: { secret: cluster.token.name, key: 'token', source: cluster.token.source, file: K3S_TOKEN_FILE },
    nodes: cluster.joinOrder.map((n) => ({ name: n.node.id, hostname: n.hostname, role: n.role, address: n.address })),
  };
}
