import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct, ConstructOrder, IConstruct } from 'constructs';
import { SecretRef } from '../../../lib/core';
import { synthesize, writeCharts } from '../../../lib/core/synth';
import { Kafka } from '../../../constructs/data/kafka';
import { Postgres } from '../../../constructs/data/postgres';
import { Redis } from '../../../constructs/data/redis';
import { Platform, PLATFORM_COLLECTOR } from '../../../lib/core/platform';
import { Tenant } from '../../../constructs/platform/tenant';
import { BarmanCloudPlugin } from '../../../constructs/data/barman-cloud-plugin';

function build(outdir: string): Platform {
  const platform = new Platform(new App({ outdir }), 'platform');
  for (const name of ['a', 'b', 'c']) {
    const tenant = new Tenant(platform, name, { quota: { cpu: '2' } });
    platform.registry.require(tenant.namespaceObject, BarmanCloudPlugin);
  }
  return platform;
}

function read(dir: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .sort()
      .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
  );
}

/** File name without the numeric prefix, which cdk8s takes from the chart's position and kubestrata from its depth. */
const unprefixed = (file: string) => file.replace(/^\d{4}-/, '');

/** The files of `dir` keyed by their unprefixed names. */
function readUnprefixed(dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(read(dir)).map(([f, content]) => [unprefixed(f), content]));
}

describe('synthesis', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-synth-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test("platform.synth() writes what cdk8s App.synth() writes, prefixed with each chart's dependency depth", () => {
    const fast = build(path.join(tmp, 'fast'));
    const summary = fast.synth();
    build(path.join(tmp, 'cdk8s')).app.synth();
    const ours = read(path.join(tmp, 'fast'));
    expect(Object.keys(ours)).toEqual([
      '0000-platform-c8b34537.k8s.yaml',
      '0001-platform-data-c8f996db.k8s.yaml',
      '0002-platform-a-c8552220.k8s.yaml',
      '0002-platform-b-c8a78e2e.k8s.yaml',
      '0002-platform-c-c8f3894a.k8s.yaml',
    ]);
    expect(readUnprefixed(path.join(tmp, 'fast'))).toEqual(readUnprefixed(path.join(tmp, 'cdk8s')));
    expect(summary).toMatchObject({ tenants: 3, releases: 3 });
  });

  test("summary() reports what synth() does without writing, also after cdk8s's app.synth()", () => {
    const written = build(path.join(tmp, 'written')).synth();
    const cdk8s = build(path.join(tmp, 'cdk8s-then-summary'));
    cdk8s.app.synth();
    const files = fs.readdirSync(path.join(tmp, 'cdk8s-then-summary')).sort();
    expect(cdk8s.summary()).toEqual({ ...written, outdir: path.join(tmp, 'cdk8s-then-summary') });
    expect(fs.readdirSync(path.join(tmp, 'cdk8s-then-summary')).sort()).toEqual(files);
  });

  test('platforms report to the collector on globalThis while one is set', () => {
    const collected: Platform[] = [];
    const global = globalThis as { [PLATFORM_COLLECTOR]?: (platform: Platform) => void };
    global[PLATFORM_COLLECTOR] = (platform) => collected.push(platform);
    const platform = build(path.join(tmp, 'collected'));
    delete global[PLATFORM_COLLECTOR];
    build(path.join(tmp, 'not-collected'));
    expect(collected).toEqual([platform]);
  });

  test('the same program gives byte-identical files', () => {
    build(path.join(tmp, 'one')).synth();
    build(path.join(tmp, 'two')).synth();
    expect(read(path.join(tmp, 'one'))).toEqual(read(path.join(tmp, 'two')));
  });

  test('operators come before the tenants that use them', () => {
    const charts = build(path.join(tmp, 'order')).render();
    expect(charts.map((c) => Platform.chartRole(c.chart))).toEqual(['layer', 'layer', 'tenant', 'tenant', 'tenant']);
    const tenant = charts[2].objects.find((o) => o.manifest.kind === 'Namespace')!;
    expect(tenant.dependsOn.map((d) => d.node.path)).toEqual(expect.arrayContaining(['platform/data/barman-cloud-plugin/release/release']));
  });
});

/** A small deterministic PRNG, so that every seed builds the same app twice. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/**
 * A random app: top-level charts (some with array-index ids, which cdk8s orders first), charts nested in charts,
 * plain constructs and API objects nested in each other, and dependencies between constructs in the same and in
 * other charts. Dependencies only point to constructs that are earlier in (chart post-order, construct pre-order)
 * and not related by nesting, so that neither cdk8s nor we find a cycle.
 */
function randomApp(seed: number, outdir: string): App {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const app = new App({ outdir });
  const charts: Chart[] = [];
  const ids = ['12', '3', 'alpha', '0', 'beta', '7', 'gamma'];
  for (const id of ids.slice(0, 2 + Math.floor(rnd() * 5))) charts.push(new Chart(app, id));
  const constructs: Construct[] = [...charts];
  let n = 0;
  for (let i = 0; i < 40; i++) {
    const scope = pick(constructs);
    const r = rnd();
    const id = `c${n++}`;
    const c =
      r < 0.1 && !(scope instanceof ApiObject)
        ? new Chart(scope, id)
        : r < 0.6
          ? new ApiObject(scope, id, {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: `${scope.node.path.replace(/\//g, '-')}-${id}`.toLowerCase() },
            })
          : new Construct(scope, id);
    if (c instanceof Chart) charts.push(c);
    constructs.push(c);
  }
  const pre = new Map(app.node.findAll().map((c, i) => [c as IConstruct, i]));
  const post = new Map(app.node.findAll(ConstructOrder.POSTORDER).map((c, i) => [c as IConstruct, i]));
  const key = (c: IConstruct) => [post.get(Chart.of(c))!, pre.get(c)!];
  const before = (a: IConstruct, b: IConstruct) => key(a)[0] < key(b)[0] || (key(a)[0] === key(b)[0] && key(a)[1] < key(b)[1]);
  const related = (a: IConstruct, b: IConstruct) => a.node.scopes.includes(b) || b.node.scopes.includes(a);
  for (let i = 0; i < 30; i++) {
    const source = pick(constructs);
    const target = pick(constructs);
    if (source !== target && before(target, source) && !related(source, target)) source.node.addDependency(target);
  }
  return app;
}

/** Platforms with components that require each other across charts, tenants that depend on each other and nested charts. */
function richPlatform(variant: number, outdir: string): App {
  const app = new App({ outdir });
  const platform = new Platform(app, 'platform');
  const credentials = SecretRef.fromConfig('backup-s3', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']);
  const tenants = ['x', 'y', 'z', 'w'].slice(0, 2 + variant).map((name) => new Tenant(platform, name, { quota: { cpu: '2' } }));
  tenants.forEach((tenant, i) => {
    if (i % 2 === 0) new Postgres(tenant, 'db', { backup: { destinationPath: `s3://backups/${i}`, credentials }, pooler: true });
    if (variant > 0 && i === 1) new Redis(tenant, 'cache');
    if (variant > 1 && i === 2) new Kafka(tenant, 'events');
    platform.registry.require(tenant.namespaceObject, BarmanCloudPlugin);
  });
  // Tenants that depend on each other, whole or in part.
  tenants[1].node.addDependency(tenants[0]);
  if (tenants[2]) tenants[2].namespaceObject.node.addDependency(tenants[1].namespaceObject);
  // A chart nested in a tenant chart, with nested constructs that depend on the tenant's objects.
  const extras = new Chart(tenants[0], 'extras');
  const group = new Construct(extras, 'group');
  const first = new ApiObject(group, 'first', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'first', namespace: 'tenant-x' } });
  const second = new ApiObject(extras, 'second', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'second', namespace: 'tenant-x' },
  });
  first.node.addDependency(second);
  if (variant > 0) tenants[tenants.length - 1].node.addDependency(new Chart(extras, 'deeper'));
  return app;
}

/** Every chart's file sorts after the files of the charts it depends on. */
function expectAlphabeticalApplyOrder(charts: ReturnType<typeof synthesize>): void {
  const fileOf = new Map(charts.map((c) => [c.chart as IConstruct, c.file]));
  for (const { chart, file } of charts) {
    for (const dependency of chart.node.dependencies) {
      const target = fileOf.get(Chart.of(dependency));
      if (target !== undefined && target !== file) expect([target, file].sort()).toEqual([target, file]);
    }
  }
}

describe('synthesize() matches cdk8s', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-order-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** Builds the app twice: once for cdk8s's App.synth(), app.charts and chart.toJson(), once for synthesize(). */
  function expectSameAsCdk8s(build: (outdir: string) => App, name: string): void {
    const reference = build(path.join(tmp, name, 'cdk8s'));
    reference.synth();
    const expected = reference.charts.map((chart) => ({ chart: chart.node.path, objects: chart.toJson() }));
    const ours = synthesize(build(path.join(tmp, name, 'ours')));
    expect(ours.map((c) => ({ chart: c.chart.node.path, objects: c.objects.map((o) => o.manifest) }))).toEqual(expected);
    const expectedFiles = fs
      .readdirSync(path.join(tmp, name, 'cdk8s'))
      .map(unprefixed)
      .sort();
    expect(ours.map((c) => unprefixed(c.file)).sort()).toEqual(expectedFiles);
    expectAlphabeticalApplyOrder(ours);
    writeCharts(ours, path.join(tmp, name, 'ours'));
    expect(readUnprefixed(path.join(tmp, name, 'ours'))).toEqual(readUnprefixed(path.join(tmp, name, 'cdk8s')));
  }

  test.each([0, 1, 2])('platform variant %i: same charts, files and objects in the same order', (variant) => {
    expectSameAsCdk8s((outdir) => richPlatform(variant, outdir), `platform-${variant}`);
  });

  test.each(Array.from({ length: 25 }, (_, i) => i + 1))('random app %i: same charts, files and objects in the same order', (seed) => {
    expectSameAsCdk8s((outdir) => randomApp(seed, outdir), `random-${seed}`);
  });

  test('top-level charts with array-index ids come first, in numeric order, as in cdk8s', () => {
    const build = (outdir: string) => {
      const app = new App({ outdir });
      for (const id of ['b', '10', 'a', '2', '0']) new ApiObject(new Chart(app, id), 'o', { apiVersion: 'v1', kind: 'ConfigMap' });
      return app;
    };
    expect(synthesize(build(path.join(tmp, 'ids'))).map((c) => c.chart.node.id)).toEqual(['0', '2', '10', 'b', 'a']);
    expectSameAsCdk8s(build, 'ids');
  });

  test('a dependency cycle throws as cdk8s does', () => {
    const build = () => {
      const app = new App({ outdir: path.join(tmp, 'cycle') });
      const chart = new Chart(app, 'chart');
      const a = new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap' });
      const b = new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap' });
      const c = new ApiObject(chart, 'c', { apiVersion: 'v1', kind: 'ConfigMap' });
      a.node.addDependency(b);
      b.node.addDependency(c);
      c.node.addDependency(a);
      return app;
    };
    expect(() => build().synth()).toThrow(/^Dependency cycle detected: chart\/\w => chart\/\w => chart\/\w => chart\/\w$/);
    expect(() => synthesize(build())).toThrow(/^Dependency cycle detected: chart\/(\w) => chart\/\w => chart\/\w => chart\/\1$/);
    expect(() => synthesize(build())).toThrow('Dependency cycle detected: chart/a => chart/b => chart/c => chart/a');
  });

  test('a cycle between charts throws', () => {
    const app = new App({ outdir: path.join(tmp, 'chart-cycle') });
    const one = new Chart(app, 'one');
    const two = new Chart(app, 'two');
    const a = new ApiObject(one, 'a', { apiVersion: 'v1', kind: 'ConfigMap' });
    const b = new ApiObject(two, 'b', { apiVersion: 'v1', kind: 'ConfigMap' });
    a.node.addDependency(b);
    b.node.addDependency(a);
    expect(() => synthesize(app)).toThrow(/^Dependency cycle detected: (one|two) => (one|two) => \1$/);
  });
});
