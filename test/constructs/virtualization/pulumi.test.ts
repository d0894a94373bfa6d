import { dependenciesOf, Deployed, deployWithMocks, freshModules, Modules, Registered } from '../../lib/pulumi/harness';
import { NAME } from '../../lib/pulumi/fixture';
import type { DeliveryKind, Platform } from '../../../lib/core/platform';
import type { PlatformDeployment } from '../../../lib/pulumi';
import { CDI_CHART, KUBEVIRT_CHART } from './fixtures';

const KUBEVIRT_CR = `${NAME}/kubevirt.io/v1/KubeVirt/kubevirt/kubevirt`;
const CDI_CR = `${NAME}/cdi.kubevirt.io/v1beta1/CDI/cdi`;
const KUBEVIRT_GATE = `${NAME}/gate/crds/platform/virtualization/kubevirt`;
const CDI_GATE = `${NAME}/gate/crds/platform/virtualization/cdi`;
const VM = `${NAME}/kubevirt.io/v1/VirtualMachine/tenant-acme/web`;
const ROOT = `${NAME}/cdi.kubevirt.io/v1beta1/DataVolume/tenant-acme/root`;
const IMAGE = `${NAME}/cdi.kubevirt.io/v1beta1/DataImportCron/tenant-acme/ubuntu`;

/** KubeVirt, CDI and a tenant VM whose disk is cloned from a refreshed golden image. */
function build(mods: Modules, delivery: DeliveryKind): Platform {
  const { ks, cdk8s } = mods;
  const platform = new ks.Platform(new cdk8s.App({ outdir: '/nonexistent' }), 'platform', { delivery });
  new ks.KubeVirt(platform, { chart: KUBEVIRT_CHART });
  new ks.Cdi(platform, { chart: CDI_CHART });
  const tenant = new ks.Tenant(platform, 'acme', { podSecurity: 'baseline', quota: { cpu: '8', memory: '32Gi' } });
  const image = new ks.VmImage(tenant, 'ubuntu', {
    registry: { url: 'docker://quay.io/containerdisks/ubuntu:24.04' },
    refresh: { schedule: '0 3 * * 1' },
  });
  const root = new ks.VmDisk(tenant, 'root', { clone: { image }, size: '20Gi' });
  new ks.VirtualMachine(tenant, 'web', { disks: [root], cloudInit: ks.SecretRef.fromConfig('web-cloud-init', ['userdata']) });
  return platform;
}

async function deploy(delivery: DeliveryKind): Promise<Deployed<PlatformDeployment>> {
  const mods = freshModules();
  const platform = build(mods, delivery);
  return deployWithMocks(
    mods,
    (opts) => new mods.bridge.PlatformDeployment(NAME, { platform, secrets: { 'web-cloud-init': { userdata: '#cloud-config\n' } } }, opts),
  );
}

function commands(resources: ReadonlyMap<string, Registered>, gate: string): string[] {
  const pod = resources.get(`${gate}/job`)!.inputs.spec.template.spec;
  return [...(pod.initContainers ?? []), ...pod.containers].map((c: any) => c.args.join(' '));
}

describe('virtualization under Pulumi (mocks)', () => {
  let resources: ReadonlyMap<string, Registered>;
  const get = (name: string) => {
    const found = resources.get(name);
    if (!found)
      throw new Error(
        `no resource ${name}; have ${[...resources.keys()].filter((k) => k.includes('virt') || k.includes('gate')).join(', ')}`,
      );
    return found;
  };

  beforeAll(async () => {
    resources = (await deploy('flux')).resources;
  });

  test('the KubeVirt and CDI CRs are awaited until Available, in the Pulumi resource only', () => {
    for (const cr of [KUBEVIRT_CR, CDI_CR]) {
      expect(get(cr).inputs.metadata.annotations).toEqual({ 'pulumi.com/waitFor': 'condition=Available' });
      expect(get(cr).customTimeouts).toEqual({ create: '600s', update: '600s' });
    }
    expect(get(KUBEVIRT_CR).dependsOn).toContain(`${NAME}/helm.toolkit.fluxcd.io/v2/HelmRelease/kubevirt/kubevirt-operator`);
  });

  test('the VM waits for the KubeVirt CR and for the gate that sees the VirtualMachine CRD established', () => {
    const vm = get(VM);
    expect(vm.dependsOn).toContain(KUBEVIRT_GATE);
    expect(vm.dependsOn).toContain(KUBEVIRT_CR);
    expect(dependenciesOf(resources, VM)).toContain(`${KUBEVIRT_GATE}/job`);
    expect(get(KUBEVIRT_GATE).dependsOn).toContain(KUBEVIRT_CR);
    expect(commands(resources, KUBEVIRT_GATE)).toEqual([
      'wait --for=create --timeout=10m customresourcedefinitions.apiextensions.k8s.io/virtualmachines.kubevirt.io',
      'wait --for=condition=established --timeout=10m customresourcedefinitions.apiextensions.k8s.io/virtualmachines.kubevirt.io',
    ]);
  });

  test('disks and images wait for the CDI CR and the gate on the DataVolume and DataImportCron CRDs; the VM follows its disk', () => {
    for (const object of [ROOT, IMAGE]) {
      expect(get(object).dependsOn).toContain(CDI_GATE);
      expect(dependenciesOf(resources, object)).toContain(CDI_CR);
    }
    expect(commands(resources, CDI_GATE)).toEqual([
      'wait --for=create --timeout=10m customresourcedefinitions.apiextensions.k8s.io/datavolumes.cdi.kubevirt.io',
      'wait --for=condition=established --timeout=10m customresourcedefinitions.apiextensions.k8s.io/datavolumes.cdi.kubevirt.io',
      'wait --for=create --timeout=10m customresourcedefinitions.apiextensions.k8s.io/dataimportcrons.cdi.kubevirt.io',
      'wait --for=condition=established --timeout=10m customresourcedefinitions.apiextensions.k8s.io/dataimportcrons.cdi.kubevirt.io',
    ]);
    expect(dependenciesOf(resources, VM)).toContain(ROOT);
    expect(dependenciesOf(resources, ROOT)).toContain(IMAGE);
    const order = [...resources.keys()];
    expect(order.indexOf(VM)).toBeGreaterThan(order.indexOf(`${KUBEVIRT_GATE}/job`));
    expect(order.indexOf(ROOT)).toBeGreaterThan(order.indexOf(`${CDI_GATE}/job`));
  });

  test('the cloud-init Secret is created from config as a secret and precedes the VM', () => {
    const secret = `${NAME}/v1/Secret/tenant-acme/web-cloud-init`;
    expect(get(VM).dependsOn).toContain(secret);
    expect(JSON.stringify(get(VM).inputs)).not.toContain('#cloud-config');
  });

  test('with the K3s helm-controller the CR also follows the install gate of the operator chart', async () => {
    const k3s = (await deploy('k3s')).resources;
    const install = `${NAME}/gate/helm.cattle.io/v1/HelmChart/kube-system/kubevirt-operator`;
    expect(k3s.get(KUBEVIRT_CR)!.dependsOn).toContain(install);
    expect(k3s.get(VM)!.dependsOn).toEqual(expect.arrayContaining([KUBEVIRT_GATE, KUBEVIRT_CR]));
  });
});
