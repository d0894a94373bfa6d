import { App } from 'cdk8s';
import { Platform, SecretRef } from '../../lib/core';
import { HelmChartSource } from '../../lib/releases/chart';
import { Tenant, TenantQuota } from '../../constructs/platform/tenant';
import { Postgres } from '../../constructs/data/postgres';
import { Redis } from '../../constructs/data/redis';
import { Kafka } from '../../constructs/data/kafka';
import { MariaDb } from '../../constructs/data/mariadb';
import { KubeOvn } from '../../constructs/network/kube-ovn';
import { Cilium } from '../../constructs/network/cilium';
import { MetalLb } from '../../constructs/network/metal-lb';
import { TcpBalancer } from '../../constructs/network/tcp-balancer';
import { Linstor } from '../../constructs/storage/linstor';
import { KubeVirt } from '../../constructs/virtualization/kubevirt';
import { Cdi } from '../../constructs/virtualization/cdi';
import { VmImage } from '../../constructs/virtualization/vm-image';
import { VmDisk } from '../../constructs/virtualization/vm-disk';
import { VirtualMachine } from '../../constructs/virtualization/virtual-machine';
import { TalosCluster } from '../../constructs/nodes/talos-cluster';
import { TalosRole } from '../../constructs/nodes/talos-node';

/** Settings of the hosting platform that differ between installations. */
export interface HostingSettings {
  /** Tenants to create, each with its quota. */
  readonly tenants: Readonly<Record<string, TenantQuota>>;
  /** S3 bucket URL prefix for database backups, e.g. `s3://backups`. */
  readonly backupBucket: string;
  /** S3 endpoint (MinIO, SeaweedFS, Ceph RGW); omit for AWS S3. */
  readonly backupEndpoint?: string;
  /** Addresses MetalLB announces for LoadBalancer Services. @default - no MetalLB (e.g. on AWS, where Layer 2 does not work) */
  readonly loadBalancerAddresses?: readonly string[];
  /** Block devices every node gives to LINSTOR's ZFS pool `data`. @default - no LINSTOR; volumes use the cluster default class */
  readonly storageDevices?: readonly string[];
  /**
   * Charts that install the KubeVirt and CDI operators (both projects publish release manifests, not charts).
   * @default - no virtualization
   */
  readonly virtualization?: { readonly kubevirt: HelmChartSource; readonly cdi: HelmChartSource };
  /** The Talos machines, for node configuration files. @default - none (the Pulumi program adds its own) */
  readonly talos?: {
    readonly clusterName: string;
    readonly link: string;
    readonly gateway: string;
    readonly vip: string;
    readonly nodes: ReadonlyArray<{ readonly name: string; readonly role: TalosRole; readonly address: string }>;
  };
}

export const exampleHostingSettings: HostingSettings = {
  tenants: {
    acme: { cpu: '16', memory: '64Gi', storage: '500Gi', loadBalancers: 2 },
    globex: { cpu: '8', memory: '32Gi', storage: '200Gi', loadBalancers: 1 },
  },
  backupBucket: 's3://platform-backups',
  backupEndpoint: 'https://s3.example.net',
  loadBalancerAddresses: ['192.168.100.200-192.168.100.250'],
  storageDevices: ['/dev/vdc'],
  virtualization: {
    kubevirt: { repository: 'oci://registry.example.net/platform-charts', chart: 'kubevirt-operator', version: '1.8.4' },
    cdi: { repository: 'oci://registry.example.net/platform-charts', chart: 'cdi-operator', version: '1.64.0' },
  },
  talos: {
    clusterName: 'cozy',
    link: 'enp1s0',
    gateway: '192.168.100.1',
    vip: '192.168.100.10',
    nodes: [
      { name: 'cp1', role: 'controlplane', address: '192.168.100.11/24' },
      { name: 'cp2', role: 'controlplane', address: '192.168.100.12/24' },
      { name: 'cp3', role: 'controlplane', address: '192.168.100.13/24' },
    ],
  },
};

/**
 * A Cozystack-like hosting platform on Talos: Kube-OVN with Cilium chained behind it, MetalLB, LINSTOR with the
 * `local` and `replicated` classes, KubeVirt and CDI, Flux delivering every operator, and tenants with quotas and
 * isolation running PostgreSQL (backups, pooler), Redis, Kafka, MariaDB and virtual machines.
 */
export function hostingPlatform(app: App, settings: HostingSettings = exampleHostingSettings): Platform {
  const platform = new Platform(app, 'hosting', { delivery: 'flux', kubernetesVersion: '1.32', clusterDomain: 'cozy.local' });
  new KubeOvn(platform);
  new Cilium(platform);
  if (settings.loadBalancerAddresses) {
    new MetalLb(platform, { addressPools: { public: { addresses: [...settings.loadBalancerAddresses] } } });
  }
  const linstor =
    settings.storageDevices &&
    new Linstor(platform, {
      talos: true,
      storagePools: { data: { type: 'zfs', devices: [...settings.storageDevices] } },
      replicatedClass: { placementCount: 3, default: true },
    });
  if (settings.virtualization) {
    new KubeVirt(platform, { chart: settings.virtualization.kubevirt });
    new Cdi(platform, { chart: settings.virtualization.cdi });
  }
  if (settings.talos) {
    const cluster = new TalosCluster(platform, settings.talos.clusterName, {
      network: { link: settings.talos.link, gateway: settings.talos.gateway, nameservers: [settings.talos.gateway] },
      vip: settings.talos.vip,
    });
    for (const node of settings.talos.nodes) cluster.addNode(node.name, { role: node.role, address: node.address });
  }

  const backupCredentials = SecretRef.fromConfig('backup-s3', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']);
  const tenants = Object.entries(settings.tenants);
  const storageClass = linstor?.replicatedClass;
  tenants.forEach(([name, quota], index) => {
    const tenant = new Tenant(platform, name, { quota });
    new Postgres(tenant, 'main', {
      replicas: 3,
      version: '17',
      resources: 'u1.medium',
      storage: { size: '50Gi', storageClass },
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
      external: settings.loadBalancerAddresses !== undefined,
    });
    new Redis(tenant, 'cache', { storage: { storageClass } });
    if (index === 0) {
      new Kafka(tenant, 'events', { storage: { storageClass }, topics: [{ name: 'orders', partitions: 6 }] });
      new MariaDb(tenant, 'cms', { storage: { storageClass }, users: { cms: {} }, databases: { cms: { roles: { admin: ['cms'] } } } });
    }
    if (index === 1 && settings.loadBalancerAddresses) {
      new TcpBalancer(tenant, 'ingress', { endpoints: ['192.168.100.11', '192.168.100.12'], mode: 'tcp-with-proxy', external: true });
    }
  });
  if (settings.virtualization) {
    const lab = new Tenant(platform, 'lab', { podSecurity: 'baseline', quota: { cpu: '16', memory: '64Gi', storage: '200Gi' } });
    const ubuntu = new VmImage(lab, 'ubuntu-24-04', { registry: { url: 'docker://quay.io/containerdisks/ubuntu:24.04' }, storageClass });
    const root = new VmDisk(lab, 'builder-root', { clone: { image: ubuntu }, size: '40Gi', storageClass });
    new VirtualMachine(lab, 'builder', { disks: [root], cloudInit: SecretRef.fromConfig('builder-cloud-init', ['userdata']) });
  }
  return platform;
}
