import { ApiObject, App, Chart } from 'cdk8s';
import { Platform } from '../../lib/core/platform';
import { synthesize } from '../../lib/core/synth';
import { identityOf } from '../../lib/core/object-identity';
import { Tenant } from '../../constructs/platform/tenant';
import { Postgres } from '../../constructs/data/postgres';
import { Redis } from '../../constructs/data/redis';
import { BarmanCloudPlugin } from '../../constructs/data/barman-cloud-plugin';
import { CertManager } from '../../constructs/platform/cert-manager';
import { CloudNativePg } from '../../constructs/data/cloudnative-pg';
import { newPlatform, problemsOf } from '../helpers';

const configMap = (scope: Chart, id: string, metadata: Record<string, unknown>) =>
  new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata });

describe('one identity per object', () => {
  test('two constructs rendering one object are refused, naming both paths, the identity and a fix', () => {
    const platform = newPlatform();
    const shop = new Tenant(platform, 'shop');
    const other = new Tenant(platform, 'other');
    configMap(shop, 'settings', { name: 'settings', namespace: 'tenant-shop' });
    configMap(other, 'overwrite', { name: 'settings', namespace: 'tenant-shop' });
    const error = problemsOf(() => platform.render());
    expect(error.message).toContain('platform/other/overwrite');
    expect(error.message).toContain('"ConfigMap tenant-shop/settings" is also rendered by platform/shop/settings');
    expect(error.message).toContain('Fix: give one of platform/shop/settings and platform/other/overwrite another name or id');
  });

  test("a tenant cannot re-declare another tenant's Namespace", () => {
    const platform = newPlatform();
    new Tenant(platform, 'shop');
    const evil = new Tenant(platform, 'evil');
    new ApiObject(evil, 'takeover', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'tenant-shop', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } },
    });
    expect(problemsOf(() => platform.render()).message).toMatch(/"Namespace tenant-shop" is also rendered by platform\/shop\/namespace/);
  });

  test('cluster-scoped kinds collide whatever namespace an object claims', () => {
    const platform = newPlatform();
    const a = new Tenant(platform, 'a');
    new ApiObject(a, 'one', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' } });
    new ApiObject(a, 'two', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'reader', namespace: 'tenant-a' },
    });
    expect(problemsOf(() => platform.render()).message).toContain(
      '"rbac.authorization.k8s.io/ClusterRole reader" is also rendered by platform/a/one',
    );
  });

  test('the identity is group, kind, namespace and name; versions do not matter, a missing namespace is its own key', () => {
    expect(identityOf({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'tenant-a' } })).toBe(
      'apps/Deployment tenant-a/web',
    );
    expect(identityOf({ apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: { name: 'web', namespace: 'tenant-a' } })).toBe(
      'apps/Deployment tenant-a/web',
    );
    expect(identityOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', namespace: 'y' } })).toBe('Namespace x');
    expect(identityOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toBe('ConfigMap x');
    expect(identityOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} })).toBeUndefined();
  });

  test('objects that differ in group, kind or namespace are all kept', () => {
    const platform = newPlatform();
    const a = new Tenant(platform, 'a');
    configMap(a, 'one', { name: 'x', namespace: 'tenant-a' });
    configMap(a, 'two', { name: 'x', namespace: 'tenant-b' });
    configMap(a, 'three', { name: 'x' });
    new ApiObject(a, 'four', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'tenant-a' } });
    new ApiObject(a, 'five', { apiVersion: 'example.com/v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'tenant-a' } });
    expect(() => platform.render()).not.toThrow();
  });

  test('the system Namespace shared by two operators is rendered once', () => {
    const platform = newPlatform();
    new CloudNativePg(platform, { namespace: 'data-system' });
    new BarmanCloudPlugin(platform);
    const namespaces = platform
      .render()
      .flatMap((c) => c.objects)
      .filter((o) => o.manifest.kind === 'Namespace' && o.manifest.metadata.name === 'data-system');
    expect(namespaces).toHaveLength(1);
  });
});

describe('stable file names', () => {
  /** Two independent tenants and an operator they use, created in either order. */
  function files(order: readonly string[]): string[] {
    const platform = new Platform(new App({ outdir: '/nonexistent' }), 'platform');
    new CertManager(platform);
    for (const name of order) {
      const tenant = new Tenant(platform, name);
      if (name === 'shop') new Postgres(tenant, 'db');
      else new Redis(tenant, 'cache');
    }
    return synthesize(platform.app)
      .map((c) => c.file)
      .sort();
  }

  test('reordering independent tenants changes no file name', () => {
    expect(files(['shop', 'blog'])).toEqual(files(['blog', 'shop']));
  });

  test('a new independent tenant renames no existing file', () => {
    const before = files(['shop']);
    const after = files(['aaa', 'shop']);
    expect(after).toEqual(expect.arrayContaining(before));
  });

  test("the prefix is the chart's depth: tenants after the layers whose operators they need", () => {
    expect(files(['shop', 'blog']).map((f) => f.replace(/-c8[0-9a-f]{6}\.k8s\.yaml$/, ''))).toEqual([
      '0000-platform',
      '0000-platform-data',
      '0001-platform-blog',
      '0001-platform-shop',
    ]);
  });
});
