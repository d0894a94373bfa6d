import { App } from 'cdk8s';
import { Platform, SecretRef } from '../../lib/core';
import { Tenant } from '../../constructs/platform/tenant';
import { Hami } from '../../constructs/platform/hami';
import { Postgres } from '../../constructs/data/postgres';
import { Kvrocks } from '../../constructs/data/kvrocks';
import { Nats } from '../../constructs/data/nats';
import { Calico } from '../../constructs/network/calico';
import { CoreDns } from '../../constructs/network/core-dns';
import { LocalPath } from '../../constructs/storage/local-path';
import { MinioTenant } from '../../constructs/storage/minio-tenant';
import { JuiceFs } from '../../constructs/storage/juicefs';
import { K3sCluster } from '../../constructs/nodes/k3s-cluster';

/** Settings of the personal cloud that differ between installations. */
export interface PersonalCloudSettings {
  /** The owner's user name; their space is the tenant `user-<owner>`. */
  readonly owner: string;
  /** Share NVIDIA GPUs between apps with HAMi. @default false */
  readonly gpu?: boolean;
  /** Names the home network resolves, e.g. a NAS. @default {} */
  readonly hosts?: Readonly<Record<string, string>>;
  /** The machine, for node configuration files. @default - none (the Pulumi program adds its own) */
  readonly k3s?: { readonly clusterName: string; readonly address: string };
}

export const examplePersonalCloudSettings: PersonalCloudSettings = {
  owner: 'alice',
  gpu: true,
  hosts: { 'nas.home.arpa': '192.168.1.20' },
  k3s: { clusterName: 'home', address: '192.168.1.10' },
};

/**
 * An Olares-like personal cloud on one K3s machine: Calico, local-path volumes, MinIO as the object store with
 * JuiceFS on top, GPU sharing with HAMi, and the owner's space with PostgreSQL, Kvrocks and NATS for apps.
 */
export function personalCloudPlatform(app: App, settings: PersonalCloudSettings = examplePersonalCloudSettings): Platform {
  const platform = new Platform(app, 'personal-cloud', { delivery: 'k3s', kubernetesVersion: '1.33', storageClass: 'local-path' });
  new Calico(platform);
  new LocalPath(platform);
  if (settings.hosts) new CoreDns(platform, { hosts: { ...settings.hosts } });
  if (settings.gpu) new Hami(platform);
  new MinioTenant(platform, 'minio', {
    credentials: SecretRef.fromConfig('minio-root', ['config.env']),
    pools: { 'pool-0': { size: '100Gi' } },
    buckets: { olares: {} },
    users: [SecretRef.fromConfig('minio-juicefs', ['CONSOLE_ACCESS_KEY', 'CONSOLE_SECRET_KEY'])],
  });
  new JuiceFs(platform, {
    volume: SecretRef.fromConfig('juicefs-rootfs', ['name', 'metaurl', 'storage', 'bucket', 'access-key', 'secret-key']),
  });
  if (settings.k3s) new K3sCluster(platform, settings.k3s.clusterName).addNode('home', { role: 'server', address: settings.k3s.address });

  const space = new Tenant(platform, `user-${settings.owner}`, { quota: { cpu: '8', memory: '16Gi', storage: '200Gi' } });
  new Postgres(space, 'apps', {
    replicas: 1,
    version: '16',
    resources: 's1.small',
    storage: { size: '20Gi' },
    databases: { nextcloud: { owner: 'nextcloud' }, immich: { owner: 'immich', extensions: ['vector', 'earthdistance'] } },
    users: { nextcloud: {}, immich: {} },
  });
  new Kvrocks(space, 'kv', { storage: { size: '10Gi' } });
  new Nats(space, 'events', { replicas: 1, users: { apps: {} } });
  return platform;
}
