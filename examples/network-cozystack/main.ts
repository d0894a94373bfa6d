import { App } from 'cdk8s';
import { Cilium, CoreDns, HttpCache, KubeOvn, KubeOvnSubnet, KubeOvnVpc, MetalLb, Platform, TcpBalancer, Tenant } from 'kubestrata';

const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
const platform = new Platform(app, 'platform', { delivery: 'flux', kubernetesVersion: '1.32', clusterDomain: 'cozy.local' });

// Talos nodes with kube-proxy disabled: Kube-OVN does pod IPAM and the overlay, Cilium is chained behind it
// for NetworkPolicy and Service load balancing, reaching the API through KubePrism.
new KubeOvn(platform, { podCidr: '10.244.0.0/16', joinCidr: '100.64.0.0/16', serviceCidr: '10.96.0.0/16' });
new Cilium(platform);
new MetalLb(platform, { addressPools: { public: { addresses: ['192.168.100.200-192.168.100.250'] } } });
new CoreDns(platform, { stubDomains: { 'corp.example': ['192.168.100.53'] } });

const shop = new Tenant(platform, 'shop', { quota: { cpu: '8', memory: '16Gi', loadBalancers: 2 } });
KubeOvnSubnet.forTenant(shop, '10.250.0.0/24');
new TcpBalancer(shop, 'ingress', {
  endpoints: ['192.168.100.11', '192.168.100.12'],
  mode: 'tcp-with-proxy',
  external: true,
  allowList: ['203.0.113.0/24', '198.51.100.0/24'],
});
new HttpCache(shop, 'assets', { endpoints: ['192.168.100.21:80'], size: '20Gi', external: true });

// An isolated network for the tenant's virtual machines.
new KubeOvnVpc(shop, 'shop-vpc', { namespaces: [shop.namespaceName] }).subnet('shop-vms', {
  cidr: '172.16.0.0/24',
  namespaces: [shop.namespaceName],
});

platform.synth();
