import { Tenant } from '../../constructs/platform/tenant';
import { Nats } from '../../constructs/data/nats';
import { Platform } from '../../lib/core/platform';
import { SecretRef } from '../../lib/core/secrets';
import { planDeployment } from '../../lib/pulumi/plan';
import { manifests, newPlatform, problemsOf } from '../helpers';

const helmCharts = (all: any[]) => all.filter((m) => m.kind === 'HelmChart' && m.spec.targetNamespace.startsWith('tenant-'));

describe('tenant chart releases under K3s delivery', () => {
  test("new Nats(t, 'bus') in two tenants gives two HelmCharts in kube-system, each named after its tenant namespace", () => {
    const platform = newPlatform({ delivery: 'k3s' });
    for (const name of ['shop', 'blog']) new Nats(new Tenant(platform, name), 'bus');
    const charts = helmCharts(manifests(platform));
    expect(charts.map((c) => [c.metadata.namespace, c.metadata.name, c.spec.targetNamespace])).toEqual([
      ['kube-system', 'tenant-shop.bus', 'tenant-shop'],
      ['kube-system', 'tenant-blog.bus', 'tenant-blog'],
    ]);
  });

  test('names stay apart where a plain "-" would join them: tenant shop id a-bus, tenant shop-a id bus', () => {
    const platform = newPlatform({ delivery: 'k3s' });
    new Nats(new Tenant(platform, 'shop'), 'a-bus');
    new Nats(new Tenant(platform, 'shop-a'), 'bus');
    expect(helmCharts(manifests(platform)).map((c) => c.metadata.name)).toEqual(['tenant-shop.a-bus', 'tenant-shop-a.bus']);
  });

  test("the chart's objects keep their names; the pods the construct selects carry the qualified release name", () => {
    const platform = newPlatform({ delivery: 'k3s' });
    const nats = new Nats(new Tenant(platform, 'shop'), 'bus', { external: true });
    const all = manifests(platform);
    const [chart] = helmCharts(all);
    expect(nats.release.readiness).toMatchObject({ kind: 'job', jobName: 'helm-install-tenant-shop.bus', jobNamespace: 'kube-system' });
    expect(nats.url).toBe('tls://bus.tenant-shop.svc.cluster.local:4222');
    expect(chart.spec.valuesContent).toContain('fullnameOverride: bus');
    expect(chart.spec.valuesContent).toContain('app.kubernetes.io/instance: tenant-shop.bus');
    const external = all.find((m) => m.kind === 'Service' && m.metadata.name === 'bus-external');
    expect(external.spec.selector).toEqual({ 'app.kubernetes.io/name': 'nats', 'app.kubernetes.io/instance': 'tenant-shop.bus' });
  });

  test('Flux keeps the plain release name in the tenant namespace', () => {
    const platform = newPlatform();
    new Nats(new Tenant(platform, 'shop'), 'bus');
    const release = manifests(platform).find((m) => m.kind === 'HelmRelease' && m.metadata.namespace === 'tenant-shop');
    expect(release.metadata.name).toBe('bus');
    expect(release.spec.releaseName).toBe('bus');
  });

  test('a qualified name too long for Helm and the helm-install Job is refused with the lengths', () => {
    const platform = newPlatform({ delivery: 'k3s' });
    const tenant = new Tenant(platform, 'a-rather-long-tenant-name');
    const error = problemsOf(() => new Nats(tenant, 'and-a-long-service-id'));
    expect(error.message).toContain('[platform/a-rather-long-tenant-name/and-a-long-service-id/release] 1 problem');
    expect(error.message).toContain(
      'name: "and-a-long-service-id" makes the K3s HelmChart (and Helm release) "tenant-a-rather-long-tenant-name.and-a-long-service-id" 54 characters long',
    );
    expect(error.message).toContain('Fix: shorten the tenant name or the id so that together they have at most 42 characters');
  });

  test('authValues under K3s must carry the tenant namespace: kube-system is shared by every tenant', () => {
    const platform = newPlatform({ delivery: 'k3s' });
    const error = problemsOf(
      () => new Nats(new Tenant(platform, 'evil'), 'bus', { authValues: SecretRef.existing('bus-auth', ['values.yaml']) }),
    );
    expect(error.message).toContain('authValues.name: "bus-auth" must start with "tenant-evil." under K3s delivery');
    expect(error.message).toContain('Fix: name the Secret "tenant-evil.bus-auth"');
    expect(platform.secrets.all()).toEqual([]);
  });
});

describe('readiness gates of tenant releases under Pulumi', () => {
  const plan = (platform: Platform) => planDeployment(platform, platform.render(), [], false);

  test('gate Jobs of releases whose names differ only in "." and "-" are refused instead of sharing one Job', () => {
    const platform = newPlatform({ delivery: 'k3s' });
    new Nats(new Tenant(platform, 'shop'), 'a-bus');
    new Nats(new Tenant(platform, 'shop-a'), 'bus');
    const error = problemsOf(() => plan(platform));
    expect(error.message).toContain(
      'name: "tenant-shop-a.bus" needs the gate Job wait-tenant-shop-a-bus in kube-system, which another release\'s gate already has',
    );
  });

  test('gate Jobs of tenant releases are DNS labels', () => {
    const platform = newPlatform({ delivery: 'k3s' });
    new Nats(new Tenant(platform, 'shop'), 'bus');
    const gates = plan(platform).flatMap((s) => (s.kind === 'gate' ? [s.name] : []));
    expect(gates).toContain('wait-tenant-shop-bus');
  });
});
