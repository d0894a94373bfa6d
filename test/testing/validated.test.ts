import { ApiObject, App } from 'cdk8s';
import { Platform, Postgres, Tenant } from '../../index';
import { SchemaRegistry, snapshot, validated } from '../../lib/testing';

const BROKEN = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'web' }, data: { a: 'b' }, colour: 'red' },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'web' }, spec: { replicas: 'two', template: {} } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fine', namespace: 'web' } },
  { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'widget' } },
];

function platformWithTenant(kubernetesVersion?: '1.32' | '1.33'): { platform: Platform; tenant: Tenant } {
  const platform = new Platform(new App(), 'platform', { kubernetesVersion });
  const tenant = new Tenant(platform, 'shop', { quota: { cpu: '4', memory: '8Gi', storage: '50Gi' } });
  new Postgres(tenant, 'orders', { replicas: 2 });
  return { platform, tenant };
}

describe('validated', () => {
  test('returns the manifests of a valid platform, in synthesis order', () => {
    const { platform } = platformWithTenant();
    expect(validated(platform)).toEqual(Object.values(snapshot(platform)).flat());
  });

  test('of a construct checks and returns only the objects under it', () => {
    const { tenant } = platformWithTenant();
    const objects = validated(tenant);
    expect(objects).toEqual(snapshot(tenant)['platform/shop']);
    expect(objects.every((o) => o.metadata.namespace === 'tenant-shop' || o.kind === 'Namespace')).toBe(true);
  });

  test('throws one error listing each problem of each invalid object: object, path and message', () => {
    expect(() => validated(BROKEN, { kubernetesVersion: '1.32' })).toThrow(
      [
        '3 of 4 objects are invalid (Kubernetes 1.32.0):',
        '  - v1 ConfigMap web/settings /: unknown field "colour"',
        '  - apps/v1 Deployment web/web /spec: missing required field "selector"',
        '  - apps/v1 Deployment web/web /spec/replicas: must be integer',
        '  - example.io/v1 Widget widget /: no schema for example.io/v1 Widget',
      ].join('\n'),
    );
  });

  test("checks built-in kinds against the platform's Kubernetes version", () => {
    const { platform, tenant } = platformWithTenant('1.33');
    new ApiObject(tenant, 'broken', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'broken', namespace: 'tenant-shop' },
      colour: 'red',
    });
    expect(() => validated(platform)).toThrow(
      /^1 of \d+ objects are invalid \(Kubernetes 1\.33\.0\):\n {2}- v1 ConfigMap tenant-shop\/broken \/: unknown field "colour"$/,
    );
  });

  test('takes the schemas to check against', () => {
    const registry = SchemaRegistry.shipped({ kubernetesVersion: '1.28.0' });
    expect(() => validated(BROKEN.slice(0, 1), { schemas: registry })).toThrow('1 of 1 objects are invalid (Kubernetes 1.28.0):');
    expect(validated(BROKEN.slice(2, 3), { schemas: registry })).toEqual([BROKEN[2]]);
  });

  test('without KUBESTRATA_SCHEMAS, checks against the shipped schemas', () => {
    const saved = process.env.KUBESTRATA_SCHEMAS;
    delete process.env.KUBESTRATA_SCHEMAS;
    try {
      expect(() => validated(BROKEN.slice(0, 1), { kubernetesVersion: '1.32' })).toThrow(
        '1 of 1 objects are invalid (Kubernetes 1.32.0):\n  - v1 ConfigMap web/settings /: unknown field "colour"',
      );
    } finally {
      if (saved !== undefined) process.env.KUBESTRATA_SCHEMAS = saved;
    }
  });

  test('checks the CEL rules of a CRD, reporting the rule message at its path', () => {
    const chart = { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } };
    const release = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'both', namespace: 'flux-system' },
      spec: { interval: '5m', chart, chartRef: { kind: 'OCIRepository', name: 'podinfo' } },
    };
    expect(() => validated([release], { kubernetesVersion: '1.32' })).toThrow(
      '1 of 1 objects are invalid (Kubernetes 1.32.0):\n  - helm.toolkit.fluxcd.io/v2 HelmRelease flux-system/both /spec: either chart or chartRef must be set',
    );
  });
});
