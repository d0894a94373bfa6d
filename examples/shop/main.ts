import { App } from 'cdk8s';
import { Platform, Postgres, SecretRef, Tenant } from 'kubestrata';

const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
const platform = new Platform(app, 'platform', { delivery: 'flux', kubernetesVersion: '1.32' });

const shop = new Tenant(platform, 'shop', { quota: { cpu: '8', memory: '16Gi', storage: '100Gi' } });

new Postgres(shop, 'orders', {
  replicas: 3,
  version: '17',
  resources: 'u1.medium',
  storage: { size: '20Gi' },
  databases: { orders: { owner: 'orders', extensions: ['pg_trgm'] } },
  users: { orders: {}, analytics: { inRoles: ['pg_read_all_data'] } },
  backup: {
    destinationPath: 's3://backups/shop',
    credentials: SecretRef.fromConfig('backup-s3', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']),
  },
  pooler: { instances: 2, mode: 'transaction' },
});

platform.synth();
