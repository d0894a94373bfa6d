import { App } from 'cdk8s';
import { Linstor, Platform, Postgres, SeaweedFs, SecretRef, Tenant } from 'kubestrata';

const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
const platform = new Platform(app, 'platform', { delivery: 'flux', kubernetesVersion: '1.32', clusterDomain: 'cozy.local' });

// Talos nodes with the DRBD and ZFS extensions; each node gives /dev/vdc to the zpool `data`.
const linstor = new Linstor(platform, {
  talos: true,
  storagePools: { data: { type: 'zfs', devices: ['/dev/vdc'] } },
  replicatedClass: { placementCount: 3, default: true },
});

new SeaweedFs(platform, {
  storageClass: linstor.localClass,
  s3: { credentials: SecretRef.fromConfig('seaweedfs-s3', ['seaweedfs_s3_config']) },
});

const shop = new Tenant(platform, 'shop', { quota: { cpu: '8', memory: '16Gi', storage: '200Gi' } });
new Postgres(shop, 'orders', {
  replicas: 2,
  storage: { size: '20Gi', storageClass: linstor.replicatedClass },
});

platform.synth();
