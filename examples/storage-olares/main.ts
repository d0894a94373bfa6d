import { App } from 'cdk8s';
import { JuiceFs, LocalPath, MinioTenant, Platform, Postgres, SecretRef, Tenant } from 'kubestrata';

const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
const platform = new Platform(app, 'platform', { delivery: 'k3s', kubernetesVersion: '1.33' });

const localPath = new LocalPath(platform);

// MinIO holds the JuiceFS bucket `olares` and the database backups.
const juicefsUser = SecretRef.fromConfig('minio-juicefs', ['CONSOLE_ACCESS_KEY', 'CONSOLE_SECRET_KEY']);
const backupUser = SecretRef.fromConfig('minio-backup', ['CONSOLE_ACCESS_KEY', 'CONSOLE_SECRET_KEY']);
const minio = new MinioTenant(platform, 'minio', {
  credentials: SecretRef.fromConfig('minio-root', ['config.env']),
  pools: { 'pool-0': { size: '100Gi', storageClass: localPath.storageClass } },
  buckets: { olares: {}, backups: {} },
  users: [juicefsUser, backupUser],
});

// The Secret holds name=rootfs, storage=minio, bucket=<minio.bucketUrl('olares')>, the Redis metaurl and the juicefs user's keys.
new JuiceFs(platform, {
  volume: SecretRef.fromConfig('juicefs-rootfs', ['name', 'metaurl', 'storage', 'bucket', 'access-key', 'secret-key', 'trash-days']),
});

const home = new Tenant(platform, 'alice');
new Postgres(home, 'apps', {
  replicas: 1,
  storage: { storageClass: localPath.storageClass },
  backup: minio.postgresBackup({ bucket: 'backups', path: 'alice/apps', user: backupUser }),
});

platform.synth();
