import type { NodeTraffic } from './aws-firewall';
import { K3sCluster } from '../../../constructs/nodes/k3s-cluster';
import { TalosCluster } from '../../../constructs/nodes/talos-cluster';

/** The traffic the cluster's CNI exchanges between nodes, as the platform configures it. */
export function nodeTraffic(cluster: TalosCluster | K3sCluster): NodeTraffic[] {
  const traffic: NodeTraffic[] = [];
  if (cluster.cni === 'flannel') traffic.push('flannel-vxlan');
  for (const member of cluster.platform.podNetwork.all) traffic.push(...member.nodes.traffic);
  return [...new Set(traffic)];
}
