import { JuiceFs } from '../../../constructs/storage/juicefs';
import { LocalPath } from '../../../constructs/storage/local-path';
import { SecretRef } from '../../../lib/core/secrets';
import { newPlatform } from '../../helpers';
import { problemOf, rendered } from './storage-helpers';

describe('LocalPath', () => {
  test('on K3s: the built-in local-path class, default, with no objects of its own', () => {
    const platform = newPlatform({ delivery: 'k3s' });
    const local = new LocalPath(platform);
    expect(rendered(platform)).toEqual([]);
    expect(local.storageClass).toMatchObject({ name: 'local-path', isDefault: true, provider: local });
    expect(LocalPath.PROVISIONER).toBe('rancher.io/local-path');
  });

  test('another default class on the same K3s platform names local-path', () => {
    const platform = newPlatform({ delivery: 'k3s' });
    new LocalPath(platform);
    const volume = SecretRef.fromConfig('jfs', ['name', 'metaurl', 'storage', 'bucket', 'access-key', 'secret-key']);
    expect(problemOf(() => new JuiceFs(platform, { volume, storageClass: { default: true } })).message).toContain(
      'storageClass.default: true would make "juicefs" a second default StorageClass beside "local-path" of platform/storage/local-path (storageClass)',
    );
  });

  test('with Flux delivery there is no provisioner to use', () => {
    const error = problemOf(() => new LocalPath(newPlatform()));
    expect(error.path).toBe('platform/storage/local-path');
    expect(error.message).toContain(
      '  - platform.delivery: "flux" has no local-path provisioner: kubestrata uses the one K3s runs, and upstream publishes its chart in no chart repository. Fix: use K3s delivery, or Linstor\'s local class on other clusters.',
    );
  });
});
