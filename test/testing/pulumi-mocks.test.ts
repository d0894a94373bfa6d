import { App } from 'cdk8s';
import { Platform, Postgres, SecretRef, Tenant } from '../../index';
import { deployWithMocks } from '../../lib/testing';

function shop(): Platform {
  const platform = new Platform(new App(), 'platform', { delivery: 'k3s' });
  const tenant = new Tenant(platform, 'shop', { quota: { cpu: '4', memory: '8Gi', storage: '50Gi' } });
  new Postgres(tenant, 'orders', {
    backup: {
      destinationPath: 's3://backups/shop',
      credentials: SecretRef.fromConfig('backup-s3', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']),
    },
  });
  return platform;
}

const CREDENTIALS = { ACCESS_KEY_ID: 'AKIA0TESTING', ACCESS_SECRET_KEY: 'not-a-real-key' };

describe('deployWithMocks', () => {
  test('deploys a platform: every resource with its type, inputs, secret inputs, dependencies and parent', async () => {
    const platform = shop();
    const { result, resources } = await deployWithMocks(platform, { secrets: { 'backup-s3': CREDENTIALS } });
    expect(result.resources.size).toBe(platform.render().flatMap((c) => c.objects).length + 1);
    const byName = new Map(resources.map((r) => [r.name, r]));
    expect(byName.get('platform')).toMatchObject({ type: 'kubestrata:pulumi:PlatformDeployment', dependsOn: [], secretInputs: [] });
    const secret = byName.get('platform/v1/Secret/tenant-shop/backup-s3')!;
    expect(secret).toMatchObject({ type: 'kubernetes:core/v1:Secret', parent: 'platform/platform/shop', secretInputs: ['/stringData'] });
    expect(secret.inputs).toMatchObject({ metadata: { name: 'backup-s3', namespace: 'tenant-shop' }, stringData: CREDENTIALS });
    expect(secret.dependsOn).toEqual(['platform/v1/Namespace/tenant-shop']);
    const cluster = byName.get('platform/postgresql.cnpg.io/v1/Cluster/tenant-shop/orders')!;
    expect(cluster.dependsOn).toContain('platform/v1/Secret/tenant-shop/backup-s3');
    expect(resources.filter((r) => r.secretInputs.length > 0).map((r) => r.name)).toEqual(['platform/v1/Secret/tenant-shop/backup-s3']);
  });

  test('runs a program that loads its modules inside the callback, with its config set first and cleared after', async () => {
    const config = { 'shop:namespace': 'shop', 'shop:token': 's3cr3t' };
    const { result, resources } = await deployWithMocks(() => require('./fixtures/program'), {
      project: 'shop',
      config,
      secretConfig: ['shop:token'],
    });
    expect(Object.keys(result)).toEqual(['token']);
    expect(resources.map((r) => ({ name: r.name, type: r.type, dependsOn: r.dependsOn, secretInputs: r.secretInputs }))).toEqual([
      { name: 'shop', type: 'kubernetes:core/v1:Namespace', dependsOn: [], secretInputs: [] },
      { name: 'token', type: 'kubernetes:core/v1:Secret', dependsOn: ['shop'], secretInputs: ['/stringData'] },
    ]);
    expect(resources[1].inputs.stringData).toEqual({ token: 's3cr3t' });
    const pulumi = await import('@pulumi/pulumi');
    expect(new pulumi.Config('shop').get('namespace')).toBeUndefined();
  });

  test('leaves the config set beforehand in place when given none', async () => {
    const pulumi = await import('@pulumi/pulumi');
    pulumi.runtime.setAllConfig({ 'shop:namespace': 'preset', 'shop:token': 't' }, ['shop:token']);
    try {
      const { resources } = await deployWithMocks(() => jest.isolateModules(() => require('./fixtures/program')), { project: 'shop' });
      expect(resources[0].inputs.metadata).toEqual({ name: 'preset' });
      expect(new pulumi.Config('shop').get('namespace')).toBe('preset');
    } finally {
      pulumi.runtime.setAllConfig({}, []);
    }
  });

  test('records the resources an async program registers after it awaits', async () => {
    const { result, resources } = await deployWithMocks(async () => {
      const k8s = await import('@pulumi/kubernetes');
      await new Promise((resolve) => setTimeout(resolve, 10));
      return new k8s.core.v1.ConfigMap('late', { metadata: { name: 'late', namespace: 'web' }, data: { at: 'later' } });
    });
    expect(resources.map((r) => r.name)).toEqual(['late']);
    expect(resources[0].inputs.data).toEqual({ at: 'later' });
    expect(result.constructor.name).toBe('ConfigMap');
  });

  test("fails with the program's own error", async () => {
    await expect(
      deployWithMocks(() => {
        throw new Error('the program broke');
      }),
    ).rejects.toThrow('the program broke');
  });
});
