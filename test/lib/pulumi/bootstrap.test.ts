import { App } from 'cdk8s';
import { dependenciesOf, Deployed, deployWithMocks, freshModules, Modules, Registered, registered } from './harness';
import { deployPlatform, manifestsOf, NAME, objectId } from './fixture';
import type { PlatformDeployment } from '../../../lib/pulumi';
import type { Platform } from '../../../lib/core/platform';
import { Platform as PlainPlatform } from '../../../lib/core/platform';
import { Release } from '../../../lib/releases/release';
import { planDeployment } from '../../../lib/pulumi/plan';

const CILIUM = `${NAME}/helm.sh/v3/Release/cilium/cilium`;
const FLUX = `${NAME}/flux`;
const CNPG = `${NAME}/helm.toolkit.fluxcd.io/v2/HelmRelease/cnpg-system/cloudnative-pg`;
const CILIUM_FLUX_OBJECTS = [
  `${NAME}/source.toolkit.fluxcd.io/v1/HelmRepository/cilium/cilium`,
  `${NAME}/helm.toolkit.fluxcd.io/v2/HelmRelease/cilium/cilium`,
];

describe('PlatformDeployment: a bootstrap release (Cilium) on a Flux platform with Postgres tenants', () => {
  let mods: Modules;
  let deployed: Deployed<PlatformDeployment> & { platform: Platform };
  let resources: ReadonlyMap<string, Registered>;
  let manifests: any[];
  const get = (name: string) => registered(resources, name);

  beforeAll(async () => {
    mods = freshModules();
    deployed = await deployPlatform(mods, { customize: (m, platform) => new m.ks.Cilium(platform) });
    resources = deployed.resources;
    manifests = manifestsOf(deployed.platform);
  });

  test('the CNI is a helm.sh/v3 Release of the pinned chart with the HelmRelease values, into its own Namespace', () => {
    const cilium = get(CILIUM);
    const { chart } = mods.ks.versions.cilium;
    const helmRelease = manifests.find((m) => m.kind === 'HelmRelease' && m.metadata.name === 'cilium');
    expect(cilium.type).toBe('kubernetes:helm.sh/v3:Release');
    expect(cilium.parent).toBe(`${NAME}/platform/network`);
    expect(cilium.inputs).toMatchObject({
      name: 'cilium',
      chart: chart.chart,
      version: chart.version,
      repositoryOpts: { repo: chart.repository },
      namespace: 'cilium',
      createNamespace: false,
      timeout: 600,
      atomic: true,
      cleanupOnFail: true,
      waitForJobs: true,
      maxHistory: 5,
    });
    expect(cilium.inputs.values).toEqual(helmRelease.spec.values);
    expect(cilium.inputs.values).toMatchObject({ kubeProxyReplacement: true, k8sServiceHost: 'localhost', k8sServicePort: 7445 });
    expect(cilium.dependsOn).toEqual([`${NAME}/v1/Namespace/cilium`]);
    expect(deployed.deployment.bootstrapReleases.size).toBe(1);
    expect(deployed.deployment.bootstrapReleases.has('helm.sh/v3/Release/cilium/cilium')).toBe(true);
  });

  test('its Flux objects are synthesized but not applied', () => {
    for (const name of CILIUM_FLUX_OBJECTS) {
      expect(resources.has(name)).toBe(false);
      expect(manifests.map((m) => `${NAME}/${objectId(m)}`)).toContain(name);
    }
    const kubernetes = [...resources.values()].filter((r) => r.type.startsWith('kubernetes:'));
    expect(
      kubernetes
        .filter((r) => r.type === 'kubernetes:helm.sh/v3:Release')
        .map((r) => r.name)
        .sort(),
    ).toEqual([FLUX, CILIUM]);
  });

  test('Flux is installed after the CNI, and so is every Flux object', () => {
    expect(get(FLUX).dependsOn).toEqual([CILIUM]);
    const fluxObjects = manifests.filter((m) => m.apiVersion.includes('.toolkit.fluxcd.io/') && m.metadata.namespace !== 'cilium');
    expect(fluxObjects.length).toBeGreaterThan(0);
    for (const m of fluxObjects) expect(get(`${NAME}/${objectId(m)}`).dependsOn).toEqual(expect.arrayContaining([FLUX, CILIUM]));
  });

  test('the Postgres operator follows Flux, which follows the CNI; every Postgres cluster follows both', () => {
    expect([...dependenciesOf(resources, CNPG)]).toEqual(expect.arrayContaining([FLUX, CILIUM]));
    expect([...dependenciesOf(resources, FLUX)]).toContain(CILIUM);
    expect([...dependenciesOf(resources, CILIUM)]).not.toContain(FLUX);
    for (const tenant of ['acme', 'globex']) {
      expect([...dependenciesOf(resources, `${NAME}/postgresql.cnpg.io/v1/Cluster/tenant-${tenant}/orders`)]).toEqual(
        expect.arrayContaining([CNPG, FLUX, CILIUM]),
      );
    }
    const order = [...resources.keys()];
    expect(order.indexOf(CILIUM)).toBeLessThan(order.indexOf(FLUX));
    expect(order.indexOf(FLUX)).toBeLessThan(order.indexOf(CNPG));
  });

  test('without the Flux install, Flux objects still wait for the CNI', async () => {
    const fresh = freshModules();
    const platform: Platform = new fresh.ks.Platform(new fresh.cdk8s.App({ outdir: '/nonexistent' }), 'platform', { delivery: 'flux' });
    new fresh.ks.Cilium(platform);
    new fresh.ks.CloudNativePg(platform);
    const { resources: all, deployment } = await deployWithMocks(
      fresh,
      (opts) => new fresh.bridge.PlatformDeployment(NAME, { platform, secrets: {}, installFlux: false }, opts),
    );
    expect(deployment.flux).toBeUndefined();
    expect(all.get(CILIUM)!.type).toBe('kubernetes:helm.sh/v3:Release');
    expect(all.get(CNPG)!.dependsOn).toContain(CILIUM);
  });
});

describe('PlatformDeployment: bootstrap releases that other releases depend on', () => {
  const TIGERA = `${NAME}/helm.sh/v3/Release/tigera-operator/tigera-operator`;
  const METALLB = `${NAME}/helm.toolkit.fluxcd.io/v2/HelmRelease/metallb-system/metallb`;
  let resources: ReadonlyMap<string, Registered>;
  let manifests: any[];

  beforeAll(async () => {
    const mods = freshModules();
    const platform: Platform = new mods.ks.Platform(new mods.cdk8s.App({ outdir: '/nonexistent' }), 'platform', { delivery: 'flux' });
    new mods.ks.MetalLb(platform, { addressPools: { default: { addresses: ['192.168.1.240/28'] } } });
    new mods.ks.Calico(platform);
    manifests = manifestsOf(platform);
    ({ resources } = await deployWithMocks(mods, (opts) => new mods.bridge.PlatformDeployment(NAME, { platform, secrets: {} }, opts)));
  });

  test('objects that followed the CNI HelmRelease follow its Helm install', () => {
    expect(resources.get(TIGERA)!.inputs).toMatchObject({
      name: 'tigera-operator',
      chart: 'tigera-operator',
      namespace: 'tigera-operator',
    });
    expect(resources.get(`${NAME}/operator.tigera.io/v1/Installation/default`)!.dependsOn).toContain(TIGERA);
    expect(resources.get(`${NAME}/gate/crds/platform/network/calico`)!.dependsOn).toContain(TIGERA);
    expect(resources.get(METALLB)!.dependsOn).toEqual(expect.arrayContaining([TIGERA, `${NAME}/flux`]));
  });

  test('a HelmRelease loses the Flux dependsOn on a bootstrap release, whose HelmRelease is never applied', () => {
    const synthesized = manifests.find((m) => m.kind === 'HelmRelease' && m.metadata.name === 'metallb');
    expect(synthesized.spec.dependsOn).toEqual([{ name: 'tigera-operator', namespace: 'tigera-operator' }]);
    const applied = resources.get(METALLB)!.inputs;
    expect(applied.spec.dependsOn).toBeUndefined();
    const { dependsOn: _dropped, ...rest } = synthesized.spec;
    expect(applied.spec).toEqual(rest);
  });
});

describe('PlatformDeployment: a bootstrap release from an OCI registry', () => {
  test('is installed from its oci:// reference, without a repository', async () => {
    const mods = freshModules();
    const platform: Platform = new mods.ks.Platform(new mods.cdk8s.App({ outdir: '/nonexistent' }), 'platform', { delivery: 'flux' });
    const chart = platform.layer('network');
    new mods.cdk8s.ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cni' } });
    const release = new mods.ks.Release(chart, 'cni', {
      name: 'cni',
      namespace: 'cni',
      bootstrap: true,
      timeout: '5m',
      source: { repository: 'oci://registry.example.com/charts/', chart: 'cni', version: '1.2.3' },
    });
    expect(release.bootstrap).toBe(true);
    const { resources } = await deployWithMocks(mods, (opts) => new mods.bridge.PlatformDeployment(NAME, { platform, secrets: {} }, opts));
    const cni = resources.get(`${NAME}/helm.sh/v3/Release/cni/cni`)!;
    expect(cni.inputs).toMatchObject({ chart: 'oci://registry.example.com/charts/cni', version: '1.2.3', timeout: 300, values: {} });
    expect(cni.inputs.repositoryOpts).toBeUndefined();
    expect(resources.has(`${NAME}/source.toolkit.fluxcd.io/v1/OCIRepository/cni/cni`)).toBe(false);
    expect(cni.dependsOn).toEqual([`${NAME}/v1/Namespace/cni`]);
    expect(resources.get(`${NAME}/flux`)!.dependsOn).toEqual([`${NAME}/helm.sh/v3/Release/cni/cni`]);
  });
});

describe('PlatformDeployment: K3s delivery keeps bootstrap HelmCharts', () => {
  test('no Helm install by Pulumi: a HelmChart with spec.bootstrap and its gate', async () => {
    const mods = freshModules();
    const platform: Platform = new mods.ks.Platform(new mods.cdk8s.App({ outdir: '/nonexistent' }), 'platform', { delivery: 'k3s' });
    new mods.ks.Calico(platform);
    const { resources, deployment } = await deployWithMocks(
      mods,
      (opts) => new mods.bridge.PlatformDeployment(NAME, { platform, secrets: {} }, opts),
    );
    expect([...resources.values()].filter((r) => r.type.includes('helm.sh'))).toEqual([]);
    expect(deployment.bootstrapReleases.size).toBe(0);
    const chart = resources.get(`${NAME}/helm.cattle.io/v1/HelmChart/kube-system/tigera-operator`)!;
    expect(chart.inputs.spec.bootstrap).toBe(true);
    expect(resources.has(`${NAME}/gate/helm.cattle.io/v1/HelmChart/kube-system/tigera-operator`)).toBe(true);
  });
});

describe('deployment plan: bootstrap release errors', () => {
  const source = { repository: 'https://charts.example.com', chart: 'x', version: '1.0.0' };
  const plan = (platform: PlainPlatform) => planDeployment(platform, platform.render(), [], true);

  test('a bootstrap release that depends on a release Flux installs', () => {
    const platform = new PlainPlatform(new App({ outdir: '/nonexistent' }), 'platform', { delivery: 'flux' });
    const chart = platform.layer('network');
    const cni = new Release(chart, 'cni', { name: 'cni', namespace: 'cni', source, bootstrap: true });
    cni.addDependency(new Release(chart, 'other', { name: 'other', namespace: 'other', source }));
    expect(() => plan(platform)).toThrow(
      [
        '[platform/network/cni] 1 problem:',
        '  - dependsOn: "platform/network/other" is not a bootstrap release: Flux installs it, and Flux needs the pod network that this bootstrap release creates. Fix: make that release a bootstrap release too, or drop the dependency.',
      ].join('\n'),
    );
  });

  test('a bootstrap release with values from Secrets', () => {
    const platform = new PlainPlatform(new App({ outdir: '/nonexistent' }), 'platform', { delivery: 'flux' });
    new Release(platform.layer('network'), 'cni', {
      name: 'cni',
      namespace: 'cni',
      source,
      bootstrap: true,
      valuesFrom: [{ secretName: 'cni-values', key: 'values.yaml' }],
    });
    expect(() => plan(platform)).toThrow(
      [
        '[platform/network/cni] 1 problem:',
        '  - valuesFrom: ["cni-values/values.yaml"] cannot be used by a bootstrap release on a Flux platform: Pulumi installs it with Helm, which takes values only. Fix: pass the settings as values.',
      ].join('\n'),
    );
  });

  test('both are fine under K3s delivery, and between bootstrap releases', () => {
    const k3s = new PlainPlatform(new App({ outdir: '/nonexistent' }), 'platform', { delivery: 'k3s' });
    const cni = new Release(k3s.layer('network'), 'cni', {
      name: 'cni',
      namespace: 'cni',
      source,
      bootstrap: true,
      valuesFrom: [{ secretName: 's', key: 'k' }],
    });
    cni.addDependency(new Release(k3s.layer('network'), 'other', { name: 'other', namespace: 'other', source }));
    expect(() => plan(k3s)).not.toThrow();
    const flux = new PlainPlatform(new App({ outdir: '/nonexistent' }), 'platform', { delivery: 'flux' });
    const first = new Release(flux.layer('network'), 'first', { name: 'first', namespace: 'net', source, bootstrap: true });
    const second = new Release(flux.layer('network'), 'second', { name: 'second', namespace: 'net', source, bootstrap: true });
    second.addDependency(first);
    const steps = plan(flux);
    expect(steps.map((s) => s.id)).toEqual(['helm.sh/v3/Release/net/first', 'helm.sh/v3/Release/net/second', 'flux']);
    expect(steps.find((s) => s.id === 'helm.sh/v3/Release/net/second')!.after).toEqual(['helm.sh/v3/Release/net/first']);
  });
});

describe('deployment plan: bootstrap release values', () => {
  test('values added after construction reach the Helm install', () => {
    const platform = new PlainPlatform(new App({ outdir: '/nonexistent' }), 'platform', { delivery: 'flux' });
    const source = { repository: 'https://charts.example.com', chart: 'x', version: '1.0.0' };
    const cni = new Release(platform.layer('network'), 'cni', {
      name: 'cni',
      namespace: 'cni',
      source,
      bootstrap: true,
      values: { image: { tag: '1' } },
    });
    cni.addValues({ image: { pullPolicy: 'Always' } });
    const step = planDeployment(platform, platform.render(), [], true).find((s) => s.id === 'helm.sh/v3/Release/cni/cni');
    expect(step).toMatchObject({ kind: 'helm', values: { image: { tag: '1', pullPolicy: 'Always' } } });
  });
});
