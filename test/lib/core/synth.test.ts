import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { Platform } from '../../../lib/core/platform';
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
  return Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

describe('synthesis', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-synth-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('platform.synth() writes exactly what cdk8s App.synth() writes', () => {
    const fast = build(path.join(tmp, 'fast'));
    const summary = fast.synth();
    build(path.join(tmp, 'cdk8s')).app.synth();
    const ours = read(path.join(tmp, 'fast'));
    expect(Object.keys(ours)).toEqual([
      '0000-platform-c8b34537.k8s.yaml',
      '0001-platform-data-c8f996db.k8s.yaml',
      '0002-platform-a-c8552220.k8s.yaml',
      '0003-platform-b-c8a78e2e.k8s.yaml',
      '0004-platform-c-c8f3894a.k8s.yaml',
    ].sort());
    expect(ours).toEqual(read(path.join(tmp, 'cdk8s')));
    expect(summary).toMatchObject({ tenants: 3, releases: 3 });
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
