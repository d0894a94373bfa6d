import { App } from 'cdk8s';
import { Calico, CoreDns, HttpCache, Platform, Tenant } from 'kubestrata';

const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
const platform = new Platform(app, 'platform', { delivery: 'k3s', kubernetesVersion: '1.33' });

// K3s started with --flannel-backend=none and --cluster-cidr=10.233.64.0/18: Calico with the Olares defaults
// (IPIP over BGP, /24 node blocks, the FelixConfiguration patch).
new Calico(platform);
// K3s' packaged CoreDNS reads these entries from the coredns-custom ConfigMap.
new CoreDns(platform, { hosts: { 'nas.home.arpa': '192.168.1.20' } });

const home = new Tenant(platform, 'alice');
new HttpCache(home, 'media', { endpoints: ['nas.home.arpa:8096'], nginx: { replicas: 1 }, haproxy: { replicas: 1 }, size: '50Gi' });

platform.synth();
