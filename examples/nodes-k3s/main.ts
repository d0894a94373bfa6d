import { App } from 'cdk8s';
import { Calico, K3sCluster, LocalPath, MetalLb, Platform, Postgres, Tenant, writeNodeFiles } from 'kubestrata';

const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
const app = new App({ outdir });
const platform = new Platform(app, 'platform', { delivery: 'k3s', kubernetesVersion: '1.32' });

// What the nodes are set up for: Calico instead of Flannel, MetalLB instead of servicelb, K3s's local-path volumes.
new Calico(platform);
new MetalLb(platform, { addressPools: { default: { addresses: ['10.0.0.240-10.0.0.250'] } } });
const localPath = new LocalPath(platform);

// Three servers sharing embedded etcd and one GPU agent; the join token comes from `pulumi config set --secret`.
const cluster = new K3sCluster(platform, 'home', { registryMirrors: { 'docker.io': ['https://mirror.gcr.io'] } });
cluster.addNode('server-1', { role: 'server', address: '10.0.0.11' });
cluster.addNode('server-2', { role: 'server', address: '10.0.0.12' });
cluster.addNode('server-3', { role: 'server', address: '10.0.0.13' });
cluster.addNode('gpu-1', {
  role: 'agent',
  address: '10.0.0.21',
  labels: { 'gpu.bytetrade.io/cuda-supported': 'true' },
  taints: ['nvidia.com/gpu=present:NoSchedule'],
});

const alice = new Tenant(platform, 'alice');
new Postgres(alice, 'apps', { replicas: 1, storage: { storageClass: localPath.storageClass } });

platform.synth();
// nodes/<node>/{config.yaml,registries.yaml,install.sh,user-data}, written in join order.
writeNodeFiles(cluster, outdir);
