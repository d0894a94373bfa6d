import { App } from 'cdk8s';
import { Platform, Postgres, SecretRef, Tenant } from 'kubestrata';
import { deployWithMocks } from 'kubestrata/testing';

function shop(): Platform {
  const platform = new Platform(new App(), 'platform');
  const tenant = new Tenant(platform, 'shop', { quota: { cpu: '8', memory: '16Gi', storage: '100Gi' } });
  new Postgres(tenant, 'orders', {
    backup: {
      destinationPath: 's3://backups/shop',
      credentials: SecretRef.fromConfig('backup-s3', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']),
    },
  });
  return platform;
}

test('backup credentials reach the cluster as secrets, after their namespace', async () => {
  const credentials = { ACCESS_KEY_ID: 'test-id', ACCESS_SECRET_KEY: 'test-secret' };
  const { resources } = await deployWithMocks(shop(), { secrets: { 'backup-s3': credentials } });
  const secret = resources.find((r) => r.name === 'platform/v1/Secret/tenant-shop/backup-s3')!;
  expect(secret.secretInputs).toEqual(['/stringData']);
  expect(secret.inputs.stringData).toEqual(credentials);
  expect(secret.dependsOn).toContain('platform/v1/Namespace/tenant-shop');
});

test('the Pulumi program deploys the database after its operator', async () => {
  const { resources } = await deployWithMocks(
    async () => {
      // Import Pulumi programs inside the callback: the mocks must be in place before they create resources.
      const { PlatformDeployment } = await import('kubestrata/pulumi');
      return new PlatformDeployment('platform', { platform: shop() });
    },
    {
      config: { 'kubestrata:secrets': { 'backup-s3': { ACCESS_KEY_ID: 'id', ACCESS_SECRET_KEY: 'secret' } } },
      secretConfig: ['kubestrata:secrets'],
    },
  );
  const cluster = resources.find((r) => r.type === 'kubernetes:postgresql.cnpg.io/v1:Cluster')!;
  expect(cluster.dependsOn).toContain('platform/helm.toolkit.fluxcd.io/v2/HelmRelease/cnpg-system/cloudnative-pg');
});
