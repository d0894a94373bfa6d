import { App } from 'cdk8s';
import { Cilium, KubeOvn, Linstor, Platform, Postgres, TalosCluster, Tenant, writeNodeFiles } from 'kubestrata';

const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
const app = new App({ outdir });
const platform = new Platform(app, 'platform', { delivery: 'flux', kubernetesVersion: '1.32', clusterDomain: 'cozy.local' });

// What the nodes are set up for: Kube-OVN with Cilium replacing kube-proxy, LINSTOR on DRBD and ZFS.
new KubeOvn(platform);
new Cilium(platform);
const linstor = new Linstor(platform, {
  talos: true,
  storagePools: { data: { type: 'zfs', devices: ['/dev/vdc'] } },
  replicatedClass: { placementCount: 3, default: true },
});

// Three hyperconverged control-plane nodes behind a VIP and one worker, on Cozystack's Talos image.
const cluster = new TalosCluster(platform, 'cozy', {
  network: { link: 'enp1s0', gateway: '192.168.100.1', nameservers: ['192.168.100.1'] },
  vip: '192.168.100.10',
  oidc: { issuerUrl: 'https://keycloak.cozy.example.org/realms/cozy' },
});
cluster.addNode('cp1', { role: 'controlplane', address: '192.168.100.11/24' });
cluster.addNode('cp2', { role: 'controlplane', address: '192.168.100.12/24' });
cluster.addNode('cp3', { role: 'controlplane', address: '192.168.100.13/24' });
cluster.addNode('w1', { role: 'worker', address: '192.168.100.21/24', installDisk: '/dev/nvme0n1' });

const shop = new Tenant(platform, 'shop', { quota: { cpu: '8', memory: '16Gi', storage: '200Gi' } });
new Postgres(shop, 'orders', { replicas: 2, storage: { size: '20Gi', storageClass: linstor.replicatedClass } });

platform.synth();
// nodes/<node>/talos-patch.yaml for `talosctl gen config --with-secrets secrets.yaml --config-patch @…`.
writeNodeFiles(cluster, outdir);
