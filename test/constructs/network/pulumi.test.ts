import type { Platform } from '../../../lib/core/platform';
import type { PlatformDeployment } from '../../../lib/pulumi';
import { dependenciesOf, Deployed, deployWithMocks, freshModules, Modules, Registered } from '../../lib/pulumi/harness';

const NAME = 'platform';
const CALICO_GATE = `${NAME}/gate/crds/platform/network/calico`;
const CILIUM_GATE = `${NAME}/gate/crds/platform/network/cilium`;
const FELIX = `${NAME}/crd.projectcalico.org/v1/FelixConfiguration/default`;
const POOL = `${NAME}/crd.projectcalico.org/v1/IPPool/rack`;
const INSTALLATION = `${NAME}/operator.tigera.io/v1/Installation/default`;
/** CNIs are bootstrap releases: Pulumi installs them with Helm before Flux. */
const helmRelease = (namespace: string, name: string) => `${NAME}/helm.sh/v3/Release/${namespace}/${name}`;

async function deploy(build: (mods: Modules, platform: Platform) => void): Promise<Deployed<PlatformDeployment>> {
  const mods = freshModules();
  const platform: Platform = new mods.ks.Platform(new mods.cdk8s.App({ outdir: '/nonexistent' }), 'platform', { delivery: 'flux' });
  build(mods, platform);
  return deployWithMocks(mods, (opts) => new mods.bridge.PlatformDeployment(NAME, { platform, secrets: {} }, opts));
}

function commands(resources: ReadonlyMap<string, Registered>, gate: string): string[] {
  const pod = resources.get(`${gate}/job`)!.inputs.spec.template.spec;
  return [...(pod.initContainers ?? []), ...pod.containers].map((c: any) => [...c.command, ...c.args].join(' '));
}

describe('network layer under Pulumi (mocks)', () => {
  test('Calico: the Installation waits for Ready; Felix and IP pools wait for the CRDs the operator registers', async () => {
    const { resources } = await deploy(
      (mods, platform) => new mods.ks.Calico(platform, { ipPools: { rack: { cidr: '10.50.0.0/16', encapsulation: 'VXLAN' } } }),
    );
    const installation = resources.get(INSTALLATION)!;
    expect(installation.inputs.metadata.annotations).toEqual({ 'pulumi.com/waitFor': 'condition=Ready' });
    expect(commands(resources, CALICO_GATE)).toEqual([
      'kubectl wait --for=create --timeout=10m customresourcedefinitions.apiextensions.k8s.io/felixconfigurations.crd.projectcalico.org',
      'kubectl wait --for=condition=established --timeout=10m customresourcedefinitions.apiextensions.k8s.io/felixconfigurations.crd.projectcalico.org',
      'kubectl wait --for=create --timeout=10m customresourcedefinitions.apiextensions.k8s.io/ippools.crd.projectcalico.org',
      'kubectl wait --for=condition=established --timeout=10m customresourcedefinitions.apiextensions.k8s.io/ippools.crd.projectcalico.org',
    ]);
    expect(resources.get(CALICO_GATE)!.dependsOn).toEqual(
      expect.arrayContaining([INSTALLATION, helmRelease('tigera-operator', 'tigera-operator')]),
    );
    for (const object of [FELIX, POOL]) {
      expect(resources.get(object)!.dependsOn).toContain(CALICO_GATE);
      expect(dependenciesOf(resources, object)).toContain(`${CALICO_GATE}/job`);
    }
    const order = [...resources.keys()];
    expect(order.indexOf(FELIX)).toBeGreaterThan(order.indexOf(`${CALICO_GATE}/job`));
  });

  test('Cilium: an LB-IPAM pool waits for cilium-operator to register its CRD; Kube-OVN follows Cilium', async () => {
    const { resources } = await deploy((mods, platform) => {
      new mods.ks.KubeOvn(platform);
      new mods.ks.Cilium(platform, { loadBalancerIpPools: { public: { blocks: ['203.0.113.0/28'] } } });
    });
    const pool = `${NAME}/cilium.io/v2/CiliumLoadBalancerIPPool/public`;
    expect(resources.get(pool)!.dependsOn).toContain(CILIUM_GATE);
    expect(commands(resources, CILIUM_GATE)).toEqual([
      'kubectl wait --for=create --timeout=10m customresourcedefinitions.apiextensions.k8s.io/ciliumloadbalancerippools.cilium.io',
      'kubectl wait --for=condition=established --timeout=10m customresourcedefinitions.apiextensions.k8s.io/ciliumloadbalancerippools.cilium.io',
    ]);
    const kubeOvn = helmRelease('kube-ovn', 'kube-ovn');
    expect(resources.get(kubeOvn)!.type).toBe('kubernetes:helm.sh/v3:Release');
    expect(dependenciesOf(resources, kubeOvn)).toContain(helmRelease('cilium', 'cilium'));
    expect(resources.get(`${NAME}/flux`)!.dependsOn).toEqual([helmRelease('cilium', 'cilium'), kubeOvn]);
  });

  test('MetalLB custom resources follow its release, which follows the CNI', async () => {
    const { resources } = await deploy((mods, platform) => {
      new mods.ks.MetalLb(platform, { addressPools: { default: { addresses: ['192.168.1.240/28'] } } });
      new mods.ks.Calico(platform);
    });
    const release = `${NAME}/helm.toolkit.fluxcd.io/v2/HelmRelease/metallb-system/metallb`;
    expect(resources.get(`${NAME}/metallb.io/v1beta1/IPAddressPool/metallb-system/default`)!.dependsOn).toContain(release);
    expect(dependenciesOf(resources, release)).toContain(INSTALLATION);
  });
});
