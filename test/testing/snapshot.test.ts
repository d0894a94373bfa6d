import { ApiObject, App, Chart } from 'cdk8s';
import { Platform, Postgres, SecretRef, Tenant } from '../../index';
import { snapshot } from '../../lib/testing';

function shop() {
  const platform = new Platform(new App(), 'platform');
  const tenant = new Tenant(platform, 'shop', { quota: { cpu: '4', memory: '8Gi', storage: '50Gi' } });
  const orders = new Postgres(tenant, 'orders', {
    backup: {
      destinationPath: 's3://backups/shop',
      credentials: SecretRef.fromConfig('backup-s3', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']),
    },
  });
  return { platform, tenant, orders };
}

const ids = (manifests: any[]) => manifests.map((m) => `${m.kind}/${m.metadata.name}`);

describe('snapshot', () => {
  test('groups the manifests of a platform by chart path, in synthesis order', () => {
    const { platform } = shop();
    const byChart = snapshot(platform);
    const rendered = platform.render();
    expect(Object.keys(byChart)).toEqual(['platform/platform', 'platform/data', 'platform/shop']);
    expect(Object.keys(byChart)).toEqual(rendered.map((c) => c.chart.node.path));
    expect(Object.values(byChart)).toEqual(rendered.map((c) => c.objects.map((o) => o.manifest)));
  });

  test('of a tenant holds only its chart, and of a construct only the objects under it', () => {
    const { tenant, orders } = shop();
    expect(Object.keys(snapshot(tenant))).toEqual(['platform/shop']);
    expect(snapshot(tenant)['platform/shop']).toContainEqual(
      expect.objectContaining({ kind: 'Namespace', metadata: expect.objectContaining({ name: 'tenant-shop' }) }),
    );
    expect(ids(snapshot(orders)['platform/shop'])).toEqual([
      'NetworkPolicy/orders-from-operator',
      'Cluster/orders',
      'ObjectStore/orders-backup',
      'ScheduledBackup/orders-backup',
    ]);
  });

  test('is the same for the same platform built twice', () => {
    expect(JSON.stringify(snapshot(shop().platform))).toBe(JSON.stringify(snapshot(shop().platform)));
  });

  test('renders a plain cdk8s chart outside any platform', () => {
    const app = new App();
    const chart = new Chart(app, 'web');
    new ApiObject(chart, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'web' }, data: { a: 'b' } });
    expect(snapshot(app)).toEqual({
      web: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'web' }, data: { a: 'b' } }],
    });
  });
});
