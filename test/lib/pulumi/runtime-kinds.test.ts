import { dependenciesOf, Deployed, freshModules, Modules, Registered, registered } from './harness';
import { NAME, objectId } from './fixture';
import { deployEnginePlatform, ENGINE, ENGINE_PATH, EnginePlatform, widget, WIDGET_GATE } from './engine-fixture';
import type { PlatformDeployment } from '../../../lib/pulumi';

const GATE_TYPE = 'kubestrata:pulumi:ReadinessGate';
const CRD_READ = { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch'] };

/** The `kubectl` command lines of a gate's Job, in the order they run. */
function commands(resources: ReadonlyMap<string, Registered>, gate: string): string[] {
  const pod = resources.get(`${gate}/job`)!.inputs.spec.template.spec;
  return [...(pod.initContainers ?? []), ...pod.containers].map((c: any) => [...c.command, ...c.args].join(' '));
}

describe('PlatformDeployment and platform.readiness', () => {
  let mods: Modules;
  let deployed: Deployed<PlatformDeployment> & EnginePlatform;
  let resources: ReadonlyMap<string, Registered>;
  let manifests: any[];
  /** The resources of Engine's objects: every object whose construct path lies under the component. */
  let engineObjects: string[];
  const get = (name: string) => registered(resources, name);

  beforeAll(async () => {
    mods = freshModules();
    deployed = await deployEnginePlatform(mods);
    resources = deployed.resources;
    const objects = deployed.platform.render().flatMap((c) => c.objects);
    manifests = objects.map((o) => o.manifest);
    engineObjects = objects
      .filter((o) => o.apiObject.node.path.startsWith(`${ENGINE_PATH}/`))
      .map((o) => `${NAME}/${objectId(o.manifest)}`);
  });

  test('an object waited for by condition carries pulumi.com/waitFor and its timeout, in the Pulumi resource only', () => {
    const engine = get(ENGINE);
    expect(engine.type).toBe('kubernetes:example.io/v1:Engine');
    expect(engine.inputs.metadata.annotations).toEqual({ 'pulumi.com/waitFor': 'condition=Available' });
    expect(engine.customTimeouts).toEqual({ create: '600s', update: '600s' });
    const manifest = manifests.find((m) => m.kind === 'Engine');
    expect(manifest.metadata.annotations).toBeUndefined();
    for (const m of manifests) expect(JSON.stringify(m)).not.toContain('pulumi.com/');
    expect(get(`${NAME}/v1/Namespace/engine-system`).customTimeouts).toBeUndefined();
  });

  test('one gate waits for the CRDs of the emitted kinds: created, then established', () => {
    expect(get(WIDGET_GATE)).toMatchObject({ type: GATE_TYPE, parent: `${NAME}/platform/virtualization` });
    const job = get(`${WIDGET_GATE}/job`);
    expect(job.inputs.metadata).toMatchObject({ name: 'wait-crds-virtualization-engine', namespace: 'kube-system' });
    expect(commands(resources, WIDGET_GATE)).toEqual([
      'kubectl wait --for=create --timeout=10m customresourcedefinitions.apiextensions.k8s.io/widgets.example.io',
      'kubectl wait --for=condition=established --timeout=10m customresourcedefinitions.apiextensions.k8s.io/widgets.example.io',
    ]);
    expect(job.customTimeouts).toEqual({ create: `${2 * 600 + 300}s`, update: `${2 * 600 + 300}s` });
    expect(get(`${WIDGET_GATE}/cluster-role`).inputs.rules).toEqual([CRD_READ]);
    expect([...deployed.deployment.runtimeGates.keys()]).toEqual([ENGINE_PATH]);
  });

  test('every Widget depends on the gate; the gate on every object of Engine, whose CR waits for Available', () => {
    expect(engineObjects).toHaveLength(4);
    expect(engineObjects).toContain(ENGINE);
    expect(engineObjects).toContain(`${NAME}/helm.toolkit.fluxcd.io/v2/HelmRelease/engine-system/engine-operator`);
    expect(new Set(get(WIDGET_GATE).dependsOn)).toEqual(new Set(engineObjects));
    for (const tenant of ['acme', 'globex']) {
      const deps = get(widget(tenant, 'shop')).dependsOn;
      expect(deps).toContain(WIDGET_GATE);
      expect(deps).toContain(ENGINE);
      expect(dependenciesOf(resources, widget(tenant, 'shop'))).toContain(`${WIDGET_GATE}/job`);
    }
    const order = [...resources.keys()];
    expect(order.indexOf(WIDGET_GATE)).toBeGreaterThan(order.indexOf(ENGINE));
    expect(order.indexOf(widget('acme', 'shop'))).toBeGreaterThan(order.indexOf(`${WIDGET_GATE}/job`));
  });

  test('a declared kind nobody emits gets no wait, and a declaration none of whose kinds is emitted gets no gate', () => {
    const gates = [...resources.values()].filter((r) => r.type === GATE_TYPE);
    expect(gates.map((g) => g.name)).toEqual([WIDGET_GATE]);
    const all = [...resources.values()]
      .flatMap((r) => (r.name.endsWith('/job') ? commands(resources, r.name.replace(/\/job$/, '')) : []))
      .join('\n');
    expect(all).not.toMatch(/gadgets|sprockets/);
    expect(deployed.deployment.gates.size).toBe(0);
  });

  test('emitting a kind of the other declaration adds its own gate, with its own name and timeout', async () => {
    const { resources: more } = await deployEnginePlatform(freshModules(), {
      extend: (m, platform) =>
        new m.cdk8s.ApiObject(platform.node.findChild('acme') as any, 'sprocket', {
          apiVersion: 'example.io/v1',
          kind: 'Sprocket',
          metadata: { name: 'gear', namespace: 'tenant-acme' },
        }),
    });
    const second = `${WIDGET_GATE}#2`;
    expect(more.get(`${second}/job`)!.inputs.metadata.name).toBe('wait-crds-virtualization-engine-2');
    expect(commands(more, second)).toEqual([
      'kubectl wait --for=create --timeout=20m customresourcedefinitions.apiextensions.k8s.io/sprockets.example.io',
      'kubectl wait --for=condition=established --timeout=20m customresourcedefinitions.apiextensions.k8s.io/sprockets.example.io',
    ]);
    expect(new Set(more.get(second)!.dependsOn)).toEqual(new Set(engineObjects));
    expect(more.get(`${NAME}/example.io/v1/Sprocket/tenant-acme/gear`)!.dependsOn).toContain(second);
    expect(more.get(`${NAME}/example.io/v1/Sprocket/tenant-acme/gear`)!.dependsOn).not.toContain(WIDGET_GATE);
    expect(commands(more, WIDGET_GATE)).toEqual(commands(resources, WIDGET_GATE));
  });

  test('a condition added to a HelmRelease joins its Ready wait, with the longer timeout', async () => {
    const release = `${NAME}/helm.toolkit.fluxcd.io/v2/HelmRelease/engine-system/engine-operator`;
    expect(get(release).inputs.metadata.annotations).toEqual({ 'pulumi.com/waitFor': 'condition=Ready' });
    const { resources: more } = await deployEnginePlatform(freshModules(), {
      extend: (_m, platform) => {
        const engine = platform.node.findChild('virtualization').node.findChild('engine') as any;
        platform.readiness.waitForCondition(engine.release.readiness.object, 'Released', '1h');
      },
    });
    expect(more.get(release)!.inputs.metadata.annotations).toEqual({ 'pulumi.com/waitFor': '["condition=Ready","condition=Released"]' });
    expect(more.get(release)!.customTimeouts).toEqual({ create: '3600s', update: '3600s' });
  });

  test('with the K3s helm-controller, the gate also follows the install gate of the operator chart', async () => {
    const { resources: k3s } = await deployEnginePlatform(freshModules(), { delivery: 'k3s' });
    const install = `${NAME}/gate/helm.cattle.io/v1/HelmChart/kube-system/engine-operator`;
    expect(k3s.get(install)!.type).toBe(GATE_TYPE);
    expect(k3s.get(WIDGET_GATE)!.dependsOn).toEqual(
      expect.arrayContaining([ENGINE, `${NAME}/helm.cattle.io/v1/HelmChart/kube-system/engine-operator`, install]),
    );
    expect(k3s.get(ENGINE)!.dependsOn).toContain(install);
    expect(k3s.get(widget('acme', 'shop'))!.dependsOn).toContain(WIDGET_GATE);
  });

  test('a second deployment from fresh modules registers the same names, options and inputs', async () => {
    const second = await deployEnginePlatform(freshModules());
    const sorted = (all: ReadonlyMap<string, Registered>) => [...all.values()].sort((a, b) => a.name.localeCompare(b.name));
    expect(sorted(second.resources)).toEqual(sorted(resources));
    expect([...second.resources.keys()]).toEqual([...resources.keys()]);
  });
});
