import { Calico } from '../../../constructs/network/calico';
import { Cilium } from '../../../constructs/network/cilium';
import { KubeOvn } from '../../../constructs/network/kube-ovn';
import { MetalLb } from '../../../constructs/network/metal-lb';
import { newPlatform } from '../../helpers';

const POOLS = { addressPools: { default: { addresses: ['10.0.0.240-10.0.0.250'] } } };

describe('the pod network role', () => {
  test('a CNI registers as the member that gives pods their addresses; a chained Cilium as the member behind it', () => {
    const platform = newPlatform();
    const kubeOvn = new KubeOvn(platform);
    const cilium = new Cilium(platform);
    expect(platform.podNetwork.ipam?.component).toBe(kubeOvn);
    expect(platform.podNetwork.chained?.component).toBe(cilium);
    expect(platform.podNetwork.cni?.component).toBe(kubeOvn);
    expect(platform.podNetwork.all.map((m) => m.product)).toEqual(['Kube-OVN', 'Cilium']);
  });

  test.each([
    [
      'before',
      (p: any) => {
        const m = new MetalLb(p, POOLS);
        return { metalLb: m, calico: new Calico(p) };
      },
    ],
    [
      'after',
      (p: any) => {
        const calico = new Calico(p);
        return { calico, metalLb: new MetalLb(p, POOLS) };
      },
    ],
  ])('MetalLB created %s the CNI is installed after it', (_, create) => {
    const platform = newPlatform();
    const { metalLb, calico } = create(platform);
    expect(platform.registry.requirementsOf(metalLb)).toEqual([calico]);
    expect(metalLb.release.dependsOn).toEqual([calico.release]);
  });

  test('MetalLB created before Kube-OVN and its chained Cilium waits for both', () => {
    const platform = newPlatform();
    const metalLb = new MetalLb(platform, POOLS);
    const kubeOvn = new KubeOvn(platform);
    const cilium = new Cilium(platform);
    expect(metalLb.release.dependsOn).toEqual([kubeOvn.release, cilium.release]);
  });

  test.each([
    [
      'Kube-OVN first',
      (p: any) => {
        const kubeOvn = new KubeOvn(p);
        return { kubeOvn, cilium: new Cilium(p) };
      },
    ],
    [
      'Cilium first',
      (p: any) => {
        const cilium = new Cilium(p, { mode: 'kube-ovn-chained' });
        return { cilium, kubeOvn: new KubeOvn(p) };
      },
    ],
  ])('Kube-OVN is installed after the Cilium chained behind it (%s)', (_, create) => {
    const platform = newPlatform();
    const { kubeOvn, cilium } = create(platform);
    expect(platform.registry.requirementsOf(kubeOvn)).toEqual([cilium]);
    expect(kubeOvn.release.dependsOn).toEqual([cilium.release]);
  });
});
