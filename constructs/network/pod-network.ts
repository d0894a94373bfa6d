import { ComponentClass } from '../../lib/core/component';
import { ChartComponent } from '../../lib/releases/chart-component';
import { Calico } from './calico';
import { Cilium } from './cilium';
import { KubeOvn } from './kube-ovn';

/**
 * Installs `operator` after the platform's CNI, whichever it is and whenever it was added: its pods need the pod
 * network. The edge is added when the platform is rendered, once every component exists.
 */
export function afterPodNetwork(operator: ChartComponent): void {
  operator.node.addValidation({
    validate: () => {
      for (const type of [Calico, KubeOvn, Cilium] as ComponentClass<ChartComponent>[]) {
        const cni = operator.platform.registry.find(type);
        if (cni && cni !== operator) {
          operator.platform.registry.require(operator, type);
          operator.release.addDependency(cni.release);
        }
      }
      return [];
    },
  });
}
