import { App } from 'cdk8s';
import { ClickHouse } from '../../constructs/data/clickhouse';
import { Kafka } from '../../constructs/data/kafka';
import { Kvrocks } from '../../constructs/data/kvrocks';
import { MariaDb } from '../../constructs/data/mariadb';
import { Nats } from '../../constructs/data/nats';
import { Postgres } from '../../constructs/data/postgres';
import { RabbitMq } from '../../constructs/data/rabbitmq';
import { Redis } from '../../constructs/data/redis';
import { Tenant } from '../../constructs/platform/tenant';
import { MinioTenant } from '../../constructs/storage/minio-tenant';
import { SecretRef } from '../../lib/core';
import { Platform } from '../../lib/core/platform';
import { hostingPlatform } from '../../stacks/hosting/platform';
import { personalCloudPlatform } from '../../stacks/personal-cloud/platform';
import { manifests, newPlatform } from '../helpers';
import { AdmissionEvaluator } from './admission-evaluator';
import { CONTROLLER_MANAGER, FLUX, requestFor, TENANT_ADMIN } from './admission-requests';

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'];

/** The Pod the controllers create from a workload's template. */
function podOf(workload: any): any[] {
  if (!WORKLOADS.includes(workload.kind)) return [];
  const template = workload.spec.template ?? workload.spec.jobTemplate.spec.template;
  return [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { ...template.metadata, name: `${workload.metadata.name}-0`, namespace: workload.metadata.namespace },
      spec: template.spec,
    },
  ];
}

/** A platform whose one tenant runs every managed data service with most of its options, and a MinIO. */
function dataServicesPlatform(): Platform {
  const platform = newPlatform({ storageClass: 'replicated' });
  const apps = new Tenant(platform, 'apps');
  const s3 = SecretRef.fromConfig('s3', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']);
  new Redis(apps, 'cache', { replicas: 3, external: true, externalSourceRanges: ['203.0.113.0/24'], monitoring: true });
  new Kvrocks(apps, 'kv', { replicas: 2, auth: SecretRef.fromConfig('kv-password', ['password']), monitoring: true });
  new Nats(apps, 'events', { replicas: 3, users: { orders: {} }, tls: true, monitoring: true });
  new Kafka(apps, 'stream', {
    replicas: 3,
    controllers: { replicas: 3 },
    plainListener: true,
    topics: [{ name: 'orders', partitions: 6 }],
    monitoring: true,
    users: { shop: { acls: [{ resource: { type: 'topic', name: 'orders' }, operations: ['Read', 'Write'] }] } },
  });
  new ClickHouse(apps, 'analytics', {
    shards: 1,
    replicas: 2,
    users: { app: {}, reporting: { readonly: true } },
    keeper: { replicas: 3 },
    monitoring: true,
  });
  new MariaDb(apps, 'shop', {
    replicas: 3,
    replication: 'async',
    users: { shop: {}, reporting: {} },
    databases: { shop: { roles: { admin: ['shop'], readonly: ['reporting'] } } },
    grants: [{ username: 'reporting', database: 'shop', table: 'orders', privileges: ['SELECT'] }],
    backup: { bucket: 'backups', endpoint: 's3.example.com', credentials: s3 },
    external: true,
    monitoring: true,
  });
  new RabbitMq(apps, 'bus', {
    replicas: 3,
    users: { shop: { tags: ['management'] }, audit: {} },
    vhosts: { orders: { roles: { admin: ['shop'], readonly: ['audit'] } } },
    monitoring: true,
  });
  new Postgres(apps, 'main', {
    databases: { shop: { owner: 'shop' } },
    users: { shop: {} },
    pooler: { instances: 2, mode: 'transaction' },
  });
  new MinioTenant(apps, 'store', { credentials: SecretRef.fromConfig('minio-root', ['config.env']), requestAutoCert: false });
  return platform;
}

const platforms: Array<[string, () => Platform]> = [
  [
    'the hosting stack (Postgres, Redis, Kafka, MariaDB, TcpBalancer, VmImage, VmDisk, VirtualMachine)',
    () => hostingPlatform(new App({ outdir: '/nonexistent' })),
  ],
  ['the personal cloud stack', () => personalCloudPlatform(new App({ outdir: '/nonexistent' }))],
  ['every managed data service and a MinIO in one tenant', dataServicesPlatform],
];

describe.each(platforms)('the tenant objects of %s', (_name, build) => {
  const all = manifests(build());
  const evaluator = new AdmissionEvaluator(all);
  const inTenants = all.filter((m) => m.metadata?.namespace?.startsWith('tenant-'));

  test('are many, and include managed service resources', () => {
    expect(inTenants.length).toBeGreaterThan(15);
    expect(evaluator.expressions.length).toBeGreaterThan(40);
    expect(inTenants.some((m) => !['', 'v1'].includes(m.apiVersion) && !/k8s\.io\//.test(m.apiVersion))).toBe(true);
  });

  test('are checked: many of them are selected by a policy', () => {
    const checked = inTenants.filter((object) => evaluator.selecting(requestFor(object)).length > 0);
    expect(checked.length).toBeGreaterThanOrEqual(3);
  });

  test.each([
    ['the tenant admin', TENANT_ADMIN],
    ['Flux', FLUX],
  ])('pass every policy when %s creates or updates them', (_who, userInfo) => {
    const denied = inTenants.flatMap((object) =>
      [...evaluator.review(requestFor(object, { userInfo })), ...evaluator.review(requestFor(object, { userInfo, oldObject: object }))].map(
        (d) => `${object.kind} ${object.metadata.name}: ${d.message}`,
      ),
    );
    expect(denied).toEqual([]);
  });

  test('and the Pods of their workloads pass when the controllers create them', () => {
    const pods = inTenants.flatMap(podOf);
    expect(pods.length).toBeGreaterThan(0);
    expect(
      pods.flatMap((pod) =>
        evaluator.review(requestFor(pod, { userInfo: CONTROLLER_MANAGER })).map((d) => `${pod.metadata.name}: ${d.message}`),
      ),
    ).toEqual([]);
  });
});
