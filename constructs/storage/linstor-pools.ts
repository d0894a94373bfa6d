import { Problems } from '../../lib/core/errors';
import { LINSTOR_POOL_TYPES, LinstorPoolType, LinstorStoragePool } from './linstor-props';
import { checkNodeSelector } from './storage-rules';

/** LINSTOR object names: a letter or "_", then letters, digits, "_" or "-", 3 to 48 characters. */
const LINSTOR_NAME = /^[A-Za-z_][A-Za-z0-9_-]{2,47}$/;
/** LVM volume group and logical volume names. */
const LVM_NAME = /^[A-Za-z0-9+_.][A-Za-z0-9+_.-]{0,126}$/;
/** ZFS pool names: a letter first; "mirror", "raidz", "spare" and "log" are reserved. */
const ZPOOL_NAME = /^[A-Za-z][A-Za-z0-9_.:-]{0,254}$/;
const RESERVED_ZPOOL = /^(mirror|raidz|draid|spare|log)/;
const DEVICE = /^\/dev\/[A-Za-z0-9_./:-]+$/;
const KEY = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A storage pool with its defaults applied. */
export interface ResolvedPool {
  /** Key in `storagePools`; names the `LinstorSatelliteConfiguration` `storage-pool-<key>`. */
  readonly key: string;
  readonly name: string;
  readonly type: LinstorPoolType;
  /** Volume group or zpool. */
  readonly backing: string;
  readonly thinPool?: string;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly devices?: readonly string[];
}

export function resolvePools(pools: Readonly<Record<string, LinstorStoragePool>>): ResolvedPool[] {
  return Object.entries(pools).map(([key, pool]) => {
    const name = pool?.name ?? key;
    const base = { key, name, type: pool?.type, nodeSelector: pool?.nodeSelector, devices: pool?.devices };
    switch (pool?.type) {
      case 'lvmThin':
        return { ...base, type: pool.type, backing: pool.volumeGroup ?? name, thinPool: pool.thinPool ?? 'thinpool' };
      case 'lvm':
        return { ...base, type: pool.type, backing: pool.volumeGroup ?? name };
      default:
        return { ...base, backing: (pool as { zpool?: string } | undefined)?.zpool ?? name } as ResolvedPool;
    }
  });
}

export function checkPools(problems: Problems, pools: readonly ResolvedPool[]): void {
  const seen = new Map<string, string>();
  for (const pool of pools) {
    const at = `storagePools.${pool.key}`;
    problems.check(
      KEY.test(pool.key) && pool.key.length <= 50,
      `storagePools`,
      pool.key,
      'has a key that is not a DNS-1123 label of at most 50 characters; it names the LinstorSatelliteConfiguration "storage-pool-<key>"',
    );
    if (
      !problems.check(
        LINSTOR_POOL_TYPES.includes(pool.type),
        `${at}.type`,
        pool.type,
        `must be one of ${LINSTOR_POOL_TYPES.map((t) => JSON.stringify(t)).join(', ')}`,
      )
    )
      continue;
    problems.check(
      typeof pool.name === 'string' && LINSTOR_NAME.test(pool.name),
      `${at}.name`,
      pool.name,
      'is not a LINSTOR storage pool name (3 to 48 letters, digits, "_" or "-", starting with a letter or "_")',
    );
    if (pool.type === 'lvm' || pool.type === 'lvmThin') {
      problems.check(
        typeof pool.backing === 'string' && LVM_NAME.test(pool.backing),
        `${at}.volumeGroup`,
        pool.backing,
        'is not an LVM volume group name (letters, digits, "+", "_", "." and "-", not starting with "-")',
      );
    } else {
      problems.check(
        typeof pool.backing === 'string' && ZPOOL_NAME.test(pool.backing) && !RESERVED_ZPOOL.test(pool.backing),
        `${at}.zpool`,
        pool.backing,
        'is not a ZFS pool name (a letter, then letters, digits, "_", ".", ":" or "-"; not starting with mirror, raidz, draid, spare or log)',
      );
    }
    if (pool.thinPool !== undefined)
      problems.check(LVM_NAME.test(pool.thinPool), `${at}.thinPool`, pool.thinPool, 'is not an LVM logical volume name');
    if (pool.devices !== undefined) {
      if (
        problems.check(
          Array.isArray(pool.devices) && pool.devices.length > 0,
          `${at}.devices`,
          pool.devices,
          'must list at least one device, or be left out when the pool already exists',
        )
      ) {
        for (const device of pool.devices)
          problems.check(
            typeof device === 'string' && DEVICE.test(device),
            `${at}.devices`,
            device,
            'is not a block device path',
            'write it like "/dev/sdb" or "/dev/disk/by-id/…"',
          );
      }
    }
    checkNodeSelector(problems, `${at}.nodeSelector`, pool.nodeSelector);
    const scope = `${pool.name} on ${JSON.stringify(pool.nodeSelector ?? {})}`;
    const other = seen.get(scope);
    if (other !== undefined) {
      problems.add(
        at,
        pool.name,
        `declares pool "${pool.name}" on the same nodes as storagePools.${other}`,
        'give the pools different names or node selectors',
      );
    }
    seen.set(scope, pool.key);
  }
}

/** The `LinstorSatelliteConfiguration` spec that creates one pool on the selected nodes. */
export function poolSatelliteSpec(pool: ResolvedPool): Record<string, unknown> {
  const source = pool.devices ? { hostDevices: [...pool.devices] } : undefined;
  const backing = (() => {
    switch (pool.type) {
      case 'lvmThin':
        return { lvmThinPool: { volumeGroup: pool.backing, thinPool: pool.thinPool } };
      case 'lvm':
        return { lvmPool: { volumeGroup: pool.backing } };
      case 'zfs':
        return { zfsPool: { zPool: pool.backing } };
      case 'zfsThin':
        return { zfsThinPool: { zPool: pool.backing } };
    }
  })();
  return {
    nodeSelector: pool.nodeSelector && { ...pool.nodeSelector },
    storagePools: [{ name: pool.name, ...backing, source }],
  };
}

/**
 * Patches of the satellite DaemonSet for Talos Linux (Cozystack's `satellites-talos.yaml` for piraeus 2.10):
 * DRBD comes from the Talos extension, there is no systemd, and /etc/lvm is read-only.
 */
export const TALOS_SATELLITE_PATCH = [
  'apiVersion: apps/v1',
  'kind: DaemonSet',
  'metadata:',
  '  name: linstor-satellite',
  'spec:',
  '  template:',
  '    spec:',
  '      initContainers:',
  '      - name: drbd-shutdown-guard',
  '        $patch: delete',
  '      - name: drbd-module-loader',
  '        $patch: delete',
  '      volumes:',
  '      - name: run-systemd-system',
  '        $patch: delete',
  '      - name: run-drbd-shutdown-guard',
  '        $patch: delete',
  '      - name: systemd-bus-socket',
  '        $patch: delete',
  '      - name: lib-modules',
  '        $patch: delete',
  '      - name: usr-src',
  '        $patch: delete',
  '      - name: etc-lvm-backup',
  '        hostPath:',
  '          path: /var/etc/lvm/backup',
  '          type: DirectoryOrCreate',
  '      - name: etc-lvm-archive',
  '        hostPath:',
  '          path: /var/etc/lvm/archive',
  '          type: DirectoryOrCreate',
  '',
].join('\n');
