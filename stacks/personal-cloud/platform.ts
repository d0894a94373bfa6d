import { App } from 'cdk8s';
import { Platform } from '../../lib/core';
import { Tenant } from '../../constructs/platform/tenant';
import { Postgres } from '../../constructs/data/postgres';

/** Settings of the personal cloud that differ between installations. */
export interface PersonalCloudSettings {
  /** The owner's user name; their space is the tenant `user-<owner>`. */
  readonly owner: string;
}

export const examplePersonalCloudSettings: PersonalCloudSettings = { owner: 'alice' };

/**
 * An Olares-like personal cloud on one K3s machine: the K3s helm-controller delivers operators,
 * and the owner's space holds the shared PostgreSQL that personal apps use.
 */
export function personalCloudPlatform(app: App, settings: PersonalCloudSettings = examplePersonalCloudSettings): Platform {
  const platform = new Platform(app, 'personal-cloud', { delivery: 'k3s', kubernetesVersion: '1.33', storageClass: 'local-path' });
  const space = new Tenant(platform, `user-${settings.owner}`, { quota: { cpu: '8', memory: '16Gi', storage: '200Gi' } });
  new Postgres(space, 'apps', {
    replicas: 1,
    version: '16',
    resources: 's1.small',
    storage: { size: '20Gi' },
    databases: { nextcloud: { owner: 'nextcloud' }, immich: { owner: 'immich', extensions: ['vector', 'earthdistance'] } },
    users: { nextcloud: {}, immich: {} },
  });
  return platform;
}
