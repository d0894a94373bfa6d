import { App } from 'cdk8s';
import { Platform, SecretRef } from '../../lib/core';
import { Tenant, TenantQuota } from '../../constructs/platform/tenant';
import { Postgres } from '../../constructs/data/postgres';

/** Settings of the hosting platform that differ between installations. */
export interface HostingSettings {
  /** Tenants to create, each with its quota. */
  readonly tenants: Readonly<Record<string, TenantQuota>>;
  /** S3 bucket URL prefix for database backups, e.g. `s3://backups`. */
  readonly backupBucket: string;
  /** S3 endpoint (MinIO, SeaweedFS, Ceph RGW); omit for AWS S3. */
  readonly backupEndpoint?: string;
}

export const exampleHostingSettings: HostingSettings = {
  tenants: {
    acme: { cpu: '16', memory: '64Gi', storage: '500Gi', loadBalancers: 2 },
    globex: { cpu: '8', memory: '32Gi', storage: '200Gi', loadBalancers: 1 },
  },
  backupBucket: 's3://platform-backups',
  backupEndpoint: 'https://s3.example.net',
};

/**
 * A Cozystack-like hosting platform: Flux delivers every operator, each customer is a tenant with
 * quotas and isolation, and runs replicated PostgreSQL with backups to S3 and a connection pooler.
 */
export function hostingPlatform(app: App, settings: HostingSettings = exampleHostingSettings): Platform {
  const platform = new Platform(app, 'hosting', { delivery: 'flux', kubernetesVersion: '1.32', clusterDomain: 'cozy.local' });
  const backupCredentials = SecretRef.fromConfig('backup-s3', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']);
  for (const [name, quota] of Object.entries(settings.tenants)) {
    const tenant = new Tenant(platform, name, { quota });
    new Postgres(tenant, 'main', {
      replicas: 3,
      version: '17',
      resources: 'u1.medium',
      storage: { size: '50Gi' },
      databases: { shop: { owner: 'shop', extensions: ['pg_trgm', 'uuid-ossp'] } },
      users: { shop: {}, reporting: { inRoles: ['pg_read_all_data'] } },
      backup: {
        destinationPath: `${settings.backupBucket}/${name}`,
        endpointUrl: settings.backupEndpoint,
        credentials: backupCredentials,
        schedule: '0 0 3 * * *',
        retention: '30d',
      },
      pooler: { instances: 2, mode: 'transaction' },
      external: true,
    });
  }
  return platform;
}
