import { IpPrefix } from '../../lib/core/addresses';
import { Problems } from '../../lib/core/errors';

/** What the topology rules need to know of one node. */
export interface TopologyNode {
  /** The node's id in the cluster. */
  readonly id: string;
  /** Its Kubernetes node name (hostname). */
  readonly nodeName: string;
  /** Whether it runs etcd and the API server. */
  readonly controlPlane: boolean;
  readonly ip?: IpPrefix;
}

/**
 * The rules every cluster shares: at least one control-plane node, an odd number of etcd members, and no two
 * nodes with the same name or address.
 */
export function checkTopology(problems: Problems, nodes: readonly TopologyNode[], controlPlaneRole: string): void {
  const controlPlanes = nodes.filter((n) => n.controlPlane);
  if (controlPlanes.length === 0) {
    problems.add(
      'nodes',
      nodes.map((n) => n.id),
      `has no node with role "${controlPlaneRole}"; etcd and the Kubernetes API run on those nodes`,
      `give one node (or three, or five) role: "${controlPlaneRole}"`,
    );
  } else if (controlPlanes.length % 2 === 0) {
    problems.add(
      'nodes',
      controlPlanes.map((n) => n.id),
      `are ${controlPlanes.length} "${controlPlaneRole}" nodes, an even number of etcd members: quorum needs ${controlPlanes.length / 2 + 1} of them, so the cluster tolerates ${controlPlanes.length / 2 - 1} failed members, no more than with ${controlPlanes.length - 1}`,
      `use an odd number of "${controlPlaneRole}" nodes (${controlPlanes.length - 1} or ${controlPlanes.length + 1})`,
    );
  }
  nodes.forEach((node, i) => {
    const sameName = nodes.slice(0, i).find((other) => other.nodeName === node.nodeName);
    if (sameName) {
      problems.add(
        `nodes.${node.id}.hostname`,
        node.nodeName,
        `is also the name of node "${sameName.id}"; Kubernetes node names must be unique`,
        'give each node its own hostname',
      );
    }
    const sameIp =
      node.ip && nodes.slice(0, i).find((other) => other.ip && other.ip.family === node.ip!.family && other.ip.value === node.ip!.value);
    if (sameIp) {
      problems.add(
        `nodes.${node.id}.address`,
        node.ip!.address,
        `is also the address of node "${sameIp.id}"`,
        'give each node its own address',
      );
    }
  });
}
