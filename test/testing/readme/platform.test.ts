import { App } from 'cdk8s';
import { Platform, Postgres, SecretRef, Tenant } from 'kubestrata';
import { snapshot, validated } from 'kubestrata/testing';

function shop() {
  const platform = new Platform(new App(), 'platform', { kubernetesVersion: '1.32' });
  const tenant = new Tenant(platform, 'shop', { quota: { cpu: '8', memory: '16Gi', storage: '100Gi' } });
  const orders = new Postgres(tenant, 'orders', {
    replicas: 3,
    storage: { size: '20Gi' },
    backup: {
      destinationPath: 's3://backups/shop',
      credentials: SecretRef.fromConfig('backup-s3', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']),
    },
  });
  return { platform, tenant, orders };
}

test('the orders database renders as reviewed', () => {
  expect(snapshot(shop().orders)).toMatchSnapshot();
});

test('every object passes the schemas and CEL rules the API server enforces', () => {
  const objects = validated(shop().platform);
  const cluster = objects.find((o) => o.kind === 'Cluster' && o.metadata.name === 'orders');
  expect(cluster.spec.instances).toBe(3);
});
