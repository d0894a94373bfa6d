import type { NodeTraffic } from './aws-firewall';
import { K3sCluster } from '../../../constructs/nodes/k3s-cluster';
import { platformNetwork } from '../../../constructs/nodes/platform-network';
import { TalosCluster } from '../../../constructs/nodes/talos-cluster';

/** The traffic the cluster's CNI exchanges between nodes, as the platform configures it. */
export function nodeTraffic(cluster: TalosCluster | K3sCluster): NodeTraffic[] {
  const network = platformNetwork(cluster.platform);
  const traffic: NodeTraffic[] = [];
  if (cluster.cni === 'flannel') traffic.push('flannel-vxlan');
  const { calico, kubeOvn, cilium } = network;
  if (calico) {
    const encapsulations = [calico.encapsulation, ...Object.values(calico.ipPools).map((p) => p.encapsulation)];
    if (encapsulations.some((e) => e.startsWith('IPIP'))) traffic.push('calico-ipip');
    if (encapsulations.some((e) => e.startsWith('VXLAN'))) traffic.push('calico-vxlan');
    if (calico.bgp) traffic.push('calico-bgp');
    traffic.push('calico-typha');
    if (calico.felix.wireguard) traffic.push('wireguard');
  }
  if (kubeOvn) traffic.push('geneve', 'ovn-databases');
  if (cilium) {
    traffic.push('cilium-health');
    if (cilium.mode === 'standalone') traffic.push('cilium-vxlan');
    if (cilium.hubble) traffic.push('hubble');
  }
  return [...new Set(traffic)];
}
