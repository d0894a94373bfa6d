import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { ClickHouse } from '../../constructs/data/clickhouse';
import { CloudNativePg } from '../../constructs/data/cloudnative-pg';
import { Kafka } from '../../constructs/data/kafka';
import { Kvrocks } from '../../constructs/data/kvrocks';
import { MariaDb } from '../../constructs/data/mariadb';
import { Nats } from '../../constructs/data/nats';
import { Postgres } from '../../constructs/data/postgres';
import { RabbitMq } from '../../constructs/data/rabbitmq';
import { Redis } from '../../constructs/data/redis';
import { CoreDns } from '../../constructs/network/core-dns';
import { HttpCache } from '../../constructs/network/http-cache';
import { KubeOvn } from '../../constructs/network/kube-ovn';
import { KubeOvnSubnet } from '../../constructs/network/kube-ovn-subnet';
import { KubeOvnVpc } from '../../constructs/network/kube-ovn-vpc';
import { TcpBalancer } from '../../constructs/network/tcp-balancer';
import { Tenant } from '../../constructs/platform/tenant';
import { MinioTenant } from '../../constructs/storage/minio-tenant';
import { Cdi } from '../../constructs/virtualization/cdi';
import { KubeVirt } from '../../constructs/virtualization/kubevirt';
import { VirtualMachine } from '../../constructs/virtualization/virtual-machine';
import { VmDisk } from '../../constructs/virtualization/vm-disk';
import { VmImage } from '../../constructs/virtualization/vm-image';
import { Platform } from '../../lib/core/platform';
import { SecretRef } from '../../lib/core/secrets';
import { find, manifests, newPlatform } from '../helpers';
import { CDI_CHART, KUBEVIRT_CHART } from './virtualization/fixtures';

interface Case {
  readonly create: (tenant: Tenant) => Construct;
  readonly kind: string;
  readonly delivery?: 'flux' | 'k3s';
}

/** Each construct that renders Kubernetes objects, and the kind of its main object: what `ApiObject.of` returns. */
const cases: Record<string, Case> = {
  Tenant: { create: (t) => t, kind: 'Namespace' },
  ChartComponent: { create: (t) => new CloudNativePg(t.platform), kind: 'HelmRelease' },
  'ChartComponent under K3s': { create: (t) => new CloudNativePg(t.platform), kind: 'HelmChart', delivery: 'k3s' },
  Postgres: { create: (t) => new Postgres(t, 'db'), kind: 'Cluster' },
  Kafka: { create: (t) => new Kafka(t, 'stream'), kind: 'Kafka' },
  Redis: { create: (t) => new Redis(t, 'cache'), kind: 'RedisFailover' },
  Kvrocks: { create: (t) => new Kvrocks(t, 'kv'), kind: 'StatefulSet' },
  Nats: { create: (t) => new Nats(t, 'events'), kind: 'HelmRelease' },
  ClickHouse: { create: (t) => new ClickHouse(t, 'analytics'), kind: 'ClickHouseInstallation' },
  MariaDb: { create: (t) => new MariaDb(t, 'shop'), kind: 'MariaDB' },
  RabbitMq: { create: (t) => new RabbitMq(t, 'bus'), kind: 'RabbitmqCluster' },
  TcpBalancer: { create: (t) => new TcpBalancer(t, 'web', { endpoints: ['10.0.0.11'] }), kind: 'Service' },
  HttpCache: { create: (t) => new HttpCache(t, 'edge', { endpoints: ['10.0.0.11:80'] }), kind: 'Service' },
  CoreDns: { create: (t) => new CoreDns(t.platform, { hosts: { 'nas.home.arpa': '10.0.0.5' } }), kind: 'ConfigMap', delivery: 'k3s' },
  KubeOvnSubnet: {
    create: (t) => {
      new KubeOvn(t.platform);
      return KubeOvnSubnet.forTenant(t, '10.250.0.0/24');
    },
    kind: 'Subnet',
  },
  KubeOvnVpc: {
    create: (t) => {
      new KubeOvn(t.platform);
      return new KubeOvnVpc(t, 'vpc', { namespaces: [t.namespaceName] });
    },
    kind: 'Vpc',
  },
  MinioTenant: {
    create: (t) => new MinioTenant(t, 'store', { credentials: SecretRef.fromConfig('minio-root', ['config.env']) }),
    kind: 'Tenant',
  },
  VmDisk: {
    create: (t) => {
      virtualization(t.platform);
      return new VmDisk(t, 'root', { blank: true });
    },
    kind: 'DataVolume',
  },
  VmImage: {
    create: (t) => {
      virtualization(t.platform);
      return new VmImage(t, 'ubuntu', { registry: { url: 'docker://quay.io/containerdisks/ubuntu:24.04' } });
    },
    kind: 'DataSource',
  },
  VirtualMachine: {
    create: (t) => {
      virtualization(t.platform);
      return new VirtualMachine(t, 'vm', { resources: { cpu: 1, memory: '1Gi' }, disks: [new VmDisk(t, 'root', { blank: true })] });
    },
    kind: 'VirtualMachine',
  },
};

/** Constructs that render no object of their own to patch: files for machines, or a set of equal peers. */
const WITHOUT_MAIN_OBJECT = [
  'K3sCluster',
  'K3sNode',
  'TalosCluster',
  'TalosNode',
  'TalosSchematic',
  'LocalPath',
  'TenantAdmission',
  'ManagedService',
];

function virtualization(platform: Platform): void {
  new KubeVirt(platform, { chart: KUBEVIRT_CHART });
  new Cdi(platform, { chart: CDI_CHART });
}

function build(c: Case): { platform: Platform; construct: Construct } {
  const platform = newPlatform({ delivery: c.delivery ?? 'flux' });
  const tenant = new Tenant(platform, 'acme', { podSecurity: 'baseline', quota: { cpu: '8', memory: '16Gi' } });
  return { platform, construct: c.create(tenant) };
}

describe('ApiObject.of reaches the main object of every construct', () => {
  test.each(Object.entries(cases))('%s', (_, c) => {
    const { construct } = build(c);
    expect(ApiObject.of(construct).kind).toBe(c.kind);
  });

  test('a JSON patch through ApiObject.of shows up in the synthesized object', () => {
    const { platform, construct } = build(cases.Postgres);
    ApiObject.of(construct).addJsonPatch(JsonPatch.add('/spec/enableSuperuserAccess', false));
    expect(find(manifests(platform), 'Cluster', 'db').spec.enableSuperuserAccess).toBe(false);
  });

  test('every construct class that renders objects is listed', () => {
    const root = path.resolve(__dirname, '../../constructs');
    const classes = fs
      .readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) =>
        [...fs.readFileSync(path.join(root, file), 'utf8').matchAll(/^export (?:abstract )?class (\w+)/gm)].map((m) => m[1]),
      );
    const chartComponents = classes.filter((name) =>
      fs.readFileSync(path.join(root, fileOf(root, name)), 'utf8').includes(`class ${name} extends ChartComponent`),
    );
    const listed = new Set([...Object.keys(cases), ...WITHOUT_MAIN_OBJECT, ...chartComponents]);
    expect(classes.filter((name) => !listed.has(name))).toEqual([]);
  });
});

function fileOf(root: string, className: string): string {
  return fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .find(
      (file) =>
        file.endsWith('.ts') &&
        new RegExp(`^export (?:abstract )?class ${className}\\b`, 'm').test(fs.readFileSync(path.join(root, file), 'utf8')),
    )!;
}
