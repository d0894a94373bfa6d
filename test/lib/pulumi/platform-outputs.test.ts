import { freshModules, Modules } from './harness';
import { deployPlatform, SECRET_VALUES } from './fixture';

describe('PlatformDeployment outputs', () => {
  let mods: Modules;
  let registered: Record<string, unknown>;
  let deployment: Awaited<ReturnType<typeof deployPlatform>>['deployment'];

  beforeAll(async () => {
    mods = freshModules();
    const registerOutputs = jest.spyOn(mods.bridge.PlatformDeployment.prototype as any, 'registerOutputs');
    deployment = (await deployPlatform(mods)).deployment;
    // The base constructor also registers outputs, with none.
    const given = registerOutputs.mock.calls.map(([outputs]) => outputs).filter((outputs) => outputs !== undefined);
    expect(given).toHaveLength(1);
    registered = given[0] as Record<string, unknown>;
  });

  test('registers the connection of every data service by construct path', () => {
    expect(Object.keys(registered)).toEqual(['connections', 'secretsToProvide']);
    expect(registered.connections).toBe(deployment.connections);
    expect(Object.keys(deployment.connections)).toEqual(['platform/acme/orders', 'platform/globex/orders']);
    expect(deployment.connections['platform/acme/orders']).toMatchObject({
      host: 'orders-rw.tenant-acme.svc.cluster.local',
      hosts: { pooler: 'orders-pooler-rw.tenant-acme.svc.cluster.local' },
      ports: { postgres: 5432 },
      credentials: { app: { name: 'orders-app' }, reporting: { name: 'orders.reporting' } },
    });
  });

  test('registers the Secrets whose values come from config or exist already, and none that it generates', () => {
    expect(registered.secretsToProvide).toBe(deployment.secretsToProvide);
    expect(deployment.secretsToProvide.map((s) => `${s.source} ${s.namespace}/${s.name} [${s.keys.join(', ')}]`)).toEqual([
      'config tenant-acme/orders-backup [ACCESS_KEY_ID, ACCESS_SECRET_KEY]',
      'existing tenant-acme/s3-ca [ca.crt]',
      'config tenant-globex/orders-backup [ACCESS_KEY_ID, ACCESS_SECRET_KEY]',
      'existing tenant-globex/s3-ca [ca.crt]',
    ]);
    expect(deployment.secretsToProvide[0].usedBy).toEqual(['platform/acme/orders']);
  });

  test('no secret value appears in the outputs', () => {
    const text = JSON.stringify(registered);
    for (const value of Object.values(SECRET_VALUES).flatMap((keys) => Object.values(keys))) expect(text).not.toContain(value);
  });
});
