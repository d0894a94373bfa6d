import * as pulumi from '@pulumi/pulumi';
import type { K3sMachine, SshAccess } from './k3s-bootstrap';
import { K3sCluster } from '../../../constructs/nodes/k3s-cluster';
import { K3S_CONFIG_FILE, K3S_INSTALL_SCRIPT, K3S_REGISTRIES_FILE, K3S_TOKEN_FILE } from '../../../constructs/nodes/k3s-files';

export interface K3sMachinesOptions {
  /** How to log in to each node. @default - root at the node's address, with `privateKey` */
  readonly ssh: (nodeId: string, address: string) => SshAccess;
  /** The cluster token, the value of `cluster.token` (secret). */
  readonly token: pulumi.Input<string>;
  /** Run the K3s uninstall script when a node is removed from the stack. @default false */
  readonly uninstallOnDelete?: boolean;
  /** What must exist before each node can be reached. @default - nothing */
  readonly dependsOn?: (nodeId: string) => readonly pulumi.Resource[];
}

/** The machines of a `K3sCluster` in join order, each with its files, the token file and its install script. */
export function k3sMachines(cluster: K3sCluster, options: K3sMachinesOptions): K3sMachine[] {
  cluster.check();
  return cluster.joinOrder.map((node) => ({
    name: node.node.id,
    server: node.server,
    ssh: options.ssh(node.node.id, node.address),
    files: [
      { path: K3S_TOKEN_FILE, content: pulumi.secret(pulumi.interpolate`${options.token}\n`), mode: '0600' },
      { path: K3S_CONFIG_FILE, content: cluster.configYaml(node), mode: '0600' },
      { path: K3S_REGISTRIES_FILE, content: cluster.registriesYaml(), mode: '0600' },
      { path: K3S_INSTALL_SCRIPT, content: cluster.installScript(node), mode: '0700' },
    ],
    install: `sh ${K3S_INSTALL_SCRIPT}`,
    uninstall: options.uninstallOnDelete ? `/usr/local/bin/${node.server ? 'k3s-uninstall.sh' : 'k3s-agent-uninstall.sh'}` : undefined,
    dependsOn: options.dependsOn?.(node.node.id),
  }));
}
