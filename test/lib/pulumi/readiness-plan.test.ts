import { ApiObject, App, Chart } from 'cdk8s';
import { Component } from '../../../lib/core/component';
import { isDnsLabel } from '../../../lib/core/names';
import { Platform } from '../../../lib/core/platform';
import { planDeployment, PlanStep } from '../../../lib/pulumi/plan';
import { crdEstablished } from '../../../lib/pulumi/waits';
import { freshModules } from './harness';
import { buildEnginePlatform, ENGINE_PATH } from './engine-fixture';

const WIDGETS = [{ group: 'example.io', kind: 'Widget', plural: 'widgets' }];

function plan(platform: Platform): PlanStep[] {
  return planDeployment(platform, platform.render(), [], false);
}

function gatesOf(steps: readonly PlanStep[]) {
  return steps.flatMap((s) => (s.kind === 'gate' ? [s] : []));
}

/** A platform whose components are made by `make`, each serving Widgets at run time, plus one Widget outside them. */
function platformWith(make: (platform: Platform) => void): Platform {
  const platform = new Platform(new App({ outdir: '/nonexistent' }), 'platform');
  make(platform);
  new ApiObject(new Chart(platform, 'apps'), 'widget', {
    apiVersion: 'example.io/v1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'apps' },
  });
  return platform;
}

describe('platform.readiness in the deployment plan', () => {
  test('the plan carries the condition wait, and the gate with its waits, provider, kinds and users, in order', () => {
    const { platform } = buildEnginePlatform(freshModules());
    const before = JSON.stringify(platform.render().map((c) => c.objects.map((o) => o.manifest)));
    const steps = plan(platform);
    const engine = steps.find((s) => s.id === 'example.io/v1/Engine/engine-system/engine');
    expect(engine).toMatchObject({ kind: 'object', wait: { waitFor: ['condition=Available'], timeout: '600s' } });
    const gates = gatesOf(steps);
    expect(gates).toHaveLength(1);
    const [gate] = gates;
    expect(gate).toMatchObject({
      id: `gate/crds/${ENGINE_PATH}`,
      name: 'wait-crds-virtualization-engine',
      waits: crdEstablished('widgets.example.io', '10m'),
      cause: {
        kind: 'runtime-kinds',
        key: ENGINE_PATH,
        kinds: WIDGETS,
        users: ['example.io/v1/Widget/tenant-acme/shop', 'example.io/v1/Widget/tenant-globex/shop'],
      },
    });
    expect(gate.chart?.node.path).toBe('platform/virtualization');
    expect(gate.after).toContain(engine!.id);
    const ids = steps.map((s) => s.id);
    for (const user of ['example.io/v1/Widget/tenant-acme/shop', 'example.io/v1/Widget/tenant-globex/shop']) {
      expect(steps.find((s) => s.id === user)!.after).toContain(gate.id);
      expect(ids.indexOf(user)).toBeGreaterThan(ids.indexOf(gate.id));
    }
    expect(ids.indexOf(gate.id)).toBeGreaterThan(ids.indexOf(engine!.id));
    expect(JSON.stringify(platform.render().map((c) => c.objects.map((o) => o.manifest)))).toBe(before);
    expect(plan(platform)).toEqual(steps);
  });

  test('an object of a served kind inside its provider follows the gate, which does not follow it', () => {
    class Serving extends Component {
      constructor(platform: Platform) {
        super(platform, 'virtualization', 'serving');
        new ApiObject(this, 'operator', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'op', namespace: 'kube-system' } });
        new ApiObject(this, 'default', {
          apiVersion: 'example.io/v1',
          kind: 'Widget',
          metadata: { name: 'default', namespace: 'kube-system' },
        });
        platform.readiness.servedAtRuntime(this, WIDGETS);
      }
    }
    const steps = plan(platformWith((p) => new Serving(p)));
    const [gate] = gatesOf(steps);
    expect(gate.after).toEqual(['apps/v1/Deployment/kube-system/op']);
    expect(steps.find((s) => s.id === 'example.io/v1/Widget/kube-system/default')!.after).toContain(gate.id);
    expect(steps.find((s) => s.id === 'example.io/v1/Widget/apps/w')!.after).toEqual([gate.id]);
  });

  test('gate names are stable DNS labels: long paths and clashing names are cut and get a hash of the path', () => {
    const long = 'an-operator-with-a-rather-long-name-that-no-label-could-hold-whole';
    const build = () =>
      platformWith((platform) => {
        for (const [index, id] of [long, 'Engine', 'engine'].entries()) {
          const Type = class extends Component {
            constructor(p: Platform) {
              super(p, 'virtualization', id);
              new ApiObject(this, 'operator', {
                apiVersion: 'apps/v1',
                kind: 'Deployment',
                metadata: { name: `operator-${index}`, namespace: 'kube-system' },
              });
              p.readiness.servedAtRuntime(this, WIDGETS);
            }
          };
          new Type(platform);
        }
      });
    const names = gatesOf(plan(build())).map((g) => g.name);
    expect(names).toHaveLength(3);
    expect(names[0]).toMatch(/^wait-crds-virtualization-an-operator-with-a-rather-lon-[0-9a-f]{8}$/);
    expect(names[1]).toBe('wait-crds-virtualization-engine');
    expect(names[2]).toMatch(/^wait-crds-virtualization-engine-[0-9a-f]{8}$/);
    for (const name of names) expect(isDnsLabel(name)).toBe(true);
    expect(new Set(names).size).toBe(3);
    expect(gatesOf(plan(build())).map((g) => g.name)).toEqual(names);
  });

  test('invalid declarations are reported together, naming the construct, before anything is planned', () => {
    const other = new ApiObject(new Chart(new App({ outdir: '/nonexistent' }), 'elsewhere'), 'cm', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm' },
    });
    class Faulty extends Component {
      constructor(platform: Platform) {
        super(platform, 'virtualization', 'faulty');
        const cr = new ApiObject(this, 'cr', { apiVersion: 'example.io/v1', kind: 'Engine', metadata: { name: 'e' } });
        platform.readiness.waitForCondition(cr, 'Has Space', 'ten');
        platform.readiness.waitForCondition(other, 'Ready');
        platform.readiness.servedAtRuntime(this, [{ group: 'widgets', kind: 'widget', plural: 'Widgets' }], 'soon');
        platform.readiness.servedAtRuntime(other.chart, []);
      }
    }
    const platform = platformWith((p) => new Faulty(p));
    let message = '';
    try {
      plan(platform);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      [
        '[platform] 9 problems:',
        '  - waitForCondition(platform/virtualization/faulty/cr).condition: "Has Space" must be a condition type such as Available (optionally Type=Value).',
        '  - waitForCondition(platform/virtualization/faulty/cr).timeout: "ten" must be a duration such as 10m or 1h30m.',
        '  - waitForCondition(elsewhere/cm).object: "elsewhere/cm" is not an object of this platform. Fix: use Platform.of(object).readiness.',
        '  - servedAtRuntime(platform/virtualization/faulty).kinds[0].group: "widgets" must be the API group of a CRD, a DNS subdomain with a dot such as kubevirt.io.',
        '  - servedAtRuntime(platform/virtualization/faulty).kinds[0].kind: "widget" must be a kind in CamelCase such as VirtualMachine.',
        '  - servedAtRuntime(platform/virtualization/faulty).kinds[0].plural: "Widgets" must be the lower-case plural resource name such as virtualmachines.',
        '  - servedAtRuntime(platform/virtualization/faulty).timeout: "soon" must be a duration such as 10m or 1h30m.',
        '  - servedAtRuntime(elsewhere).provider: "elsewhere" is not part of this platform. Fix: use Platform.of(provider).readiness.',
        '  - servedAtRuntime(elsewhere).kinds: [] must name at least one kind.',
      ].join('\n'),
    );
  });
});
