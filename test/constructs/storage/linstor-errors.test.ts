import { Linstor, LinstorProps } from '../../../constructs/storage/linstor';
import { newPlatform } from '../../helpers';
import { problemOf } from './storage-helpers';

const PATH = '[platform/storage/linstor]';

/** Each case: props, and the problem line it must produce: `<property>: <value> <rule>`. */
const CASES: ReadonlyArray<[string, LinstorProps, string]> = [
  [
    'pool key not a label',
    { storagePools: { Data_Pool: { type: 'zfs', name: 'data' } } },
    'storagePools: "Data_Pool" has a key that is not a DNS-1123 label of at most 50 characters; it names the LinstorSatelliteConfiguration "storage-pool-<key>".',
  ],
  [
    'unknown pool type',
    { storagePools: { data: { type: 'ceph' } as any } },
    'storagePools.data.type: "ceph" must be one of "lvmThin", "lvm", "zfs", "zfsThin".',
  ],
  [
    'pool name too short',
    { storagePools: { ab: { type: 'zfs', zpool: 'tank' } } },
    'storagePools.ab.name: "ab" is not a LINSTOR storage pool name (3 to 48 letters, digits, "_" or "-", starting with a letter or "_").',
  ],
  [
    'volume group name',
    { storagePools: { data: { type: 'lvm', volumeGroup: '-vg' } } },
    'storagePools.data.volumeGroup: "-vg" is not an LVM volume group name (letters, digits, "+", "_", "." and "-", not starting with "-").',
  ],
  [
    'reserved zpool name',
    { storagePools: { data: { type: 'zfsThin', zpool: 'mirror0' } } },
    'storagePools.data.zpool: "mirror0" is not a ZFS pool name (a letter, then letters, digits, "_", ".", ":" or "-"; not starting with mirror, raidz, draid, spare or log).',
  ],
  [
    'thin pool name',
    { storagePools: { data: { type: 'lvmThin', thinPool: 'thin pool' } } },
    'storagePools.data.thinPool: "thin pool" is not an LVM logical volume name.',
  ],
  [
    'empty device list',
    { storagePools: { data: { type: 'zfs', devices: [] } } },
    'storagePools.data.devices: [] must list at least one device, or be left out when the pool already exists.',
  ],
  [
    'device not a path',
    { storagePools: { data: { type: 'zfs', devices: ['sdb'] } } },
    'storagePools.data.devices: "sdb" is not a block device path. Fix: write it like "/dev/sdb" or "/dev/disk/by-id/…".',
  ],
  [
    'node selector not a map',
    { storagePools: { data: { type: 'zfs', nodeSelector: ['ssd'] as any } } },
    'storagePools.data.nodeSelector: ["ssd"] must be a map of names to values.',
  ],
  [
    'node label key',
    { nodeSelector: { 'storage pool': 'yes' } },
    'nodeSelector.storage pool: "storage pool" is not a label key (an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit).',
  ],
  [
    'node label value',
    { storagePools: { data: { type: 'zfs', nodeSelector: { disk: 'fast ssd' } } } },
    'storagePools.data.nodeSelector.disk: "fast ssd" is not a label value (a string of at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit).',
  ],
  [
    'the same pool twice on the same nodes',
    { storagePools: { a: { name: 'data', type: 'zfs' }, b: { name: 'data', type: 'lvm' } } },
    'storagePools.b: "data" declares pool "data" on the same nodes as storagePools.a. Fix: give the pools different names or node selectors.',
  ],
  [
    'controller property',
    { properties: { '/DrbdOptions': 'x' } },
    'properties./DrbdOptions: "x" must be a LINSTOR property: a key like "DrbdOptions/Net/max-buffers" with a string value.',
  ],
  [
    'class on an undeclared pool',
    { storagePools: { ssd: { type: 'zfs' } } },
    'localClass.storagePool: "data" is not one of the declared storage pools ("ssd"). Fix: use "ssd" or declare the pool in storagePools.',
  ],
  [
    'reclaim policy',
    { localClass: { reclaimPolicy: 'Recycle' as any } },
    'localClass.reclaimPolicy: "Recycle" must be one of "Delete", "Retain".',
  ],
  [
    'class name',
    { replicatedClass: { name: 'Replicated' } },
    'replicatedClass.name: "Replicated" must be a StorageClass name (a DNS-1123 subdomain).',
  ],
  [
    'both classes with one name',
    { replicatedClass: { name: 'local' } },
    'replicatedClass.name: "local" is already the StorageClass declared by platform/storage/linstor (localClass). Fix: give one of the classes another name.',
  ],
  [
    'two default classes',
    { localClass: { default: true }, replicatedClass: { default: true } },
    'replicatedClass.default: true would make "replicated" a second default StorageClass beside "local" of platform/storage/linstor (localClass); Kubernetes then picks the newest one for claims without a class. Fix: set default on only one of "replicated" and "local".',
  ],
  [
    'one replica is not replicated',
    { replicatedClass: { placementCount: 1 } },
    'replicatedClass.placementCount: 1 must be a whole number from 2 to 16.',
  ],
  [
    'DRBD option',
    { replicatedClass: { drbdOptions: { 'Net/max buffers': '8000' } } },
    'replicatedClass.drbdOptions.Net/max buffers: "8000" must be a DRBD option path below DrbdOptions/ (like "Net/max-buffers") with a non-empty string value.',
  ],
];

describe('Linstor errors', () => {
  test.each(CASES)('%s', (_name, props, line) => {
    const error = problemOf(() => new Linstor(newPlatform(), props));
    expect(error.path).toBe('platform/storage/linstor');
    expect(error.message.startsWith(`${PATH} `)).toBe(true);
    expect(error.message).toContain(`  - ${line}`);
  });

  test('every problem of the construct is reported at once', () => {
    const error = problemOf(
      () =>
        new Linstor(newPlatform(), {
          storagePools: { data: { type: 'zfs', devices: ['sdb'] } },
          replicatedClass: { placementCount: 0 },
        }),
    );
    expect(error.problems.map((p) => p.property)).toEqual(['storagePools.data.devices', 'replicatedClass.placementCount']);
    expect(error.message).toContain('2 problems');
  });

  test('a namespace that is not a DNS label is reported by the release', () => {
    const error = problemOf(() => new Linstor(newPlatform(), { namespace: 'Piraeus' }));
    expect(error.path).toBe('platform/storage/linstor/release');
    expect(error.problems).toEqual([{ property: 'namespace', value: 'Piraeus', rule: 'must be a DNS-1123 label', fix: undefined }]);
  });

  test('a second Linstor names the first', () => {
    const platform = newPlatform();
    new Linstor(platform);
    expect(problemOf(() => new Linstor(platform)).message).toContain('component: "Linstor" already exists at platform/storage/linstor');
  });
});
