import { App } from 'cdk8s';
import { Platform, SecretRef } from '../../lib/core';
import { PolicyEngine } from '../../lib/validate/network-reachability';
import { Tenant } from '../../constructs/platform/tenant';
import { Postgres } from '../../constructs/data/postgres';
import { Redis } from '../../constructs/data/redis';
import { Kafka } from '../../constructs/data/kafka';
import { MariaDb } from '../../constructs/data/mariadb';
import { RabbitMq } from '../../constructs/data/rabbitmq';
import { ClickHouse } from '../../constructs/data/clickhouse';
import { Nats } from '../../constructs/data/nats';
import { Kvrocks } from '../../constructs/data/kvrocks';
import { Calico } from '../../constructs/network/calico';
import { Cilium } from '../../constructs/network/cilium';
import { KubeOvn } from '../../constructs/network/kube-ovn';
import { TcpBalancer } from '../../constructs/network/tcp-balancer';
import { HttpCache } from '../../constructs/network/http-cache';
import { K3sCluster } from '../../constructs/nodes/k3s-cluster';
import { TalosCluster } from '../../constructs/nodes/talos-cluster';
import { KubeVirt } from '../../constructs/virtualization/kubevirt';
import { Cdi } from '../../constructs/virtualization/cdi';
import { VmDisk } from '../../constructs/virtualization/vm-disk';
import { VirtualMachine } from '../../constructs/virtualization/virtual-machine';

/** A synthesized two-tenant platform and the addresses its probes live at. */
export interface TwoTenantPlatform {
  readonly engine: PolicyEngine;
  readonly platform: Platform;
  readonly manifests: any[];
  readonly tenants: readonly string[];
  readonly podCidr: string;
  /** The control-plane node: the API server listens on it. */
  readonly nodeIp: string;
}

export const TENANTS = ['red', 'blue'] as const;

/**
 * `calico`: a K3s-style single machine (K3s helm-controller delivery, K3s cluster CIDR). `cilium`: a Cozystack-style
 * Talos cluster with Kube-OVN and Cilium chained behind it (Cilium enforces the policies). `kube-ovn`: the same with
 * Kube-OVN enforcing the policies itself. Each tenant runs every managed service, a TCP balancer or HTTP cache and a
 * VM; the first tenant exposes half of them (`external: true`), the second the other half.
 */
export function twoTenantPlatform(engine: PolicyEngine): TwoTenantPlatform {
  const app = new App({ outdir: '/nonexistent' });
  const k3s = engine === 'calico';
  const platform = new Platform(app, `platform-${engine}`, { delivery: k3s ? 'k3s' : 'flux', kubernetesVersion: '1.32' });
  const nodeIp = k3s ? '192.168.1.10' : '192.168.100.11';
  let podCidr: string;
  if (k3s) {
    podCidr = new Calico(platform, { podCidr: '10.42.0.0/16' }).podCidr;
    new K3sCluster(platform, 'home').addNode('home', { role: 'server', address: nodeIp });
  } else {
    podCidr = new KubeOvn(platform, { cilium: engine === 'cilium' }).podCidr;
    if (engine === 'cilium') new Cilium(platform);
    new TalosCluster(platform, 'cozy', {
      network: { link: 'enp1s0', gateway: '192.168.100.1', nameservers: ['192.168.100.1'] },
      vip: '192.168.100.10',
    }).addNode('cp1', { role: 'controlplane', address: `${nodeIp}/24` });
  }
  const charts = 'oci://registry.example.net/platform-charts';
  new KubeVirt(platform, { chart: { repository: charts, chart: 'kubevirt-operator', version: '1.8.4' } });
  new Cdi(platform, { chart: { repository: charts, chart: 'cdi-operator', version: '1.64.0' } });

  TENANTS.forEach((name, index) => {
    const tenant = new Tenant(platform, name, { podSecurity: 'baseline', quota: { cpu: '32', memory: '128Gi', loadBalancers: 8 } });
    const first = index === 0;
    new Postgres(tenant, 'db', { replicas: 1, external: first, monitoring: !first, pooler: { instances: 1, mode: 'transaction' } });
    new Redis(tenant, 'cache', { external: !first, monitoring: first });
    new Kafka(tenant, 'events', { replicas: 1, controllers: { replicas: 1 }, external: first, monitoring: !first });
    new MariaDb(tenant, 'cms', { replicas: first ? 1 : 2, external: !first, monitoring: first });
    new RabbitMq(tenant, 'bus', { replicas: 1, external: first, monitoring: true });
    new ClickHouse(tenant, 'olap', { replicas: 1, keeper: { replicas: 1 }, external: !first, monitoring: first });
    new Nats(tenant, 'queue', { replicas: 1, external: first, monitoring: !first });
    new Kvrocks(tenant, 'kv', { replicas: 1, external: !first, monitoring: true });
    if (first) new TcpBalancer(tenant, 'edge', { endpoints: ['192.168.100.21', '192.168.100.22'], mode: 'tcp', external: true });
    else new HttpCache(tenant, 'assets', { endpoints: ['192.168.100.31:80'], size: '5Gi', external: true });
    const root = new VmDisk(tenant, 'vm-root', { registry: { url: 'docker://quay.io/containerdisks/ubuntu:24.04' }, size: '10Gi' });
    const scratch = new VmDisk(tenant, 'vm-scratch', { blank: true, size: '10Gi' });
    new VirtualMachine(tenant, 'vm', {
      disks: [root, scratch],
      cloudInit: SecretRef.fromConfig(`vm-${name}-cloud-init`, ['userdata']),
      external: first,
    });
  });
  const manifests = platform.render().flatMap((c) => c.objects.map((o) => o.manifest));
  return { engine, platform, manifests, tenants: TENANTS, podCidr, nodeIp };
}
