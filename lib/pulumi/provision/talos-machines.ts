import * as YAML from 'yaml';
import type { TalosBootstrapArgs, TalosMachine } from './talos-bootstrap';
import { TalosCluster } from '../../../constructs/nodes/talos-cluster';
import { TalosSecretsBundle } from '../../../constructs/nodes/talos-secrets';

/** The complete config of one node of `cluster`, from the YAML that `talosctl gen secrets` writes. */
export function talosMachineConfig(cluster: TalosCluster, nodeId: string, secretsYaml: string): string {
  const node = cluster.nodes.find((n) => n.node.id === nodeId);
  if (!node) throw new Error(`${cluster.node.path} has no node "${nodeId}"`);
  return cluster.machineConfigYaml(node, YAML.parse(secretsYaml) as TalosSecretsBundle);
}

/**
 * What `TalosBootstrap` needs to know of a `TalosCluster`: its machines (reached at their node addresses unless
 * `endpoints` names others) and how to render each one's complete config.
 */
export function talosBootstrapArgs(
  cluster: TalosCluster,
  machines: (nodeId: string) => Partial<Omit<TalosMachine, 'name' | 'controlPlane'>> = () => ({}),
): Pick<TalosBootstrapArgs, 'clusterName' | 'endpoint' | 'machines' | 'machineConfig'> {
  cluster.check();
  const bootstrap = cluster.bootstrapNode!;
  const ordered = [bootstrap, ...cluster.nodes.filter((n) => n !== bootstrap)];
  return {
    clusterName: cluster.clusterName,
    endpoint: cluster.endpoint,
    machines: ordered.map((n) => ({ name: n.node.id, controlPlane: n.controlPlane, endpoint: n.ip.address, ...machines(n.node.id) })),
    machineConfig: (nodeId, secretsYaml) => talosMachineConfig(cluster, nodeId, secretsYaml),
  };
}
