import { freshModules, isSecretInput } from './harness';
import { buildPlatform, deployPlatform, NAME, SECRET_VALUES } from './fixture';

describe('Secrets of a PlatformDeployment', () => {
  test('a missing config value names every Secret that needs it and the command that sets it, before anything is registered', async () => {
    const mods = freshModules();
    const registered: string[] = [];
    await mods.pulumi.runtime.setMocks({
      newResource: (args) => {
        registered.push(args.name);
        return { id: args.name, state: args.inputs };
      },
      call: () => ({}),
    });
    const platform = buildPlatform(mods);
    const secrets = { 'orders-backup': { ACCESS_KEY_ID: 'AKIA0KUBESTRATA0TEST' } };
    expect(() => new mods.bridge.PlatformDeployment(NAME, { platform, secrets })).toThrow(
      new mods.ks.ConfigurationError('platform', [
        {
          property: 'secrets.orders-backup.ACCESS_SECRET_KEY',
          value: undefined,
          rule: 'is needed for Secret tenant-acme/orders-backup (used by platform/acme/orders) and tenant-globex/orders-backup (used by platform/globex/orders)',
          fix: "pulumi config set --secret --path 'kubestrata:secrets.orders-backup.ACCESS_SECRET_KEY' <value>",
        },
      ]).message,
    );
    expect(() => new mods.bridge.PlatformDeployment(NAME, { platform, secrets: {} })).toThrow(
      /^\[platform\] 2 problems:\n {2}- secrets\.orders-backup\.ACCESS_KEY_ID: \(not set\) is needed for Secret tenant-acme\/orders-backup .*\n {2}- secrets\.orders-backup\.ACCESS_SECRET_KEY: /,
    );
    expect(registered).toEqual([]);
  });

  test('by default the values come from the secret config object kubestrata:secrets', async () => {
    const mods = freshModules();
    mods.pulumi.runtime.setAllConfig({ 'kubestrata:secrets': JSON.stringify(SECRET_VALUES) }, ['kubestrata:secrets']);
    try {
      const { resources } = await deployPlatform(mods, { secrets: null });
      const secret = resources.get(`${NAME}/v1/Secret/tenant-globex/orders-backup`)!;
      expect(isSecretInput(secret.inputs.stringData)).toBe(true);
      expect(secret.inputs.stringData.value).toEqual(SECRET_VALUES['orders-backup']);
    } finally {
      mods.pulumi.runtime.setAllConfig({}, []);
    }
  });

  test('without config, the error points at the config path', () => {
    const mods = freshModules();
    expect(() => new mods.bridge.PlatformDeployment(NAME, { platform: buildPlatform(mods) })).toThrow(
      "Fix: pulumi config set --secret --path 'kubestrata:secrets.orders-backup.ACCESS_KEY_ID' <value>",
    );
  });
});
