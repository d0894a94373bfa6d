import { App } from 'cdk8s';
import { ClickHouse, Kafka, Kvrocks, MariaDb, Nats, Platform, RabbitMq, Redis, SecretRef, Tenant } from 'kubestrata';

const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
const platform = new Platform(app, 'platform', { delivery: 'flux', kubernetesVersion: '1.32', storageClass: 'replicated' });

/** One tenant running every managed data service. */
const apps = new Tenant(platform, 'apps', { quota: { cpu: '32', memory: '64Gi', storage: '500Gi', loadBalancers: 3 } });

new Redis(apps, 'cache', {
  replicas: 3,
  version: 'v8',
  resources: 't1.small',
  storage: { size: '2Gi' },
  config: { 'maxmemory-policy': 'allkeys-lru' },
  external: true,
  externalSourceRanges: ['203.0.113.0/24'],
  monitoring: true,
});

new Kvrocks(apps, 'kv', {
  replicas: 2,
  storage: { size: '20Gi' },
  config: { 'rocksdb.compression': 'zstd' },
  auth: SecretRef.fromConfig('kv-password', ['password']),
  monitoring: true,
});

new Nats(apps, 'events', {
  replicas: 3,
  storage: { size: '20Gi' },
  users: { orders: {}, audit: { password: SecretRef.fromConfig('events-audit', ['password']) } },
  tls: true,
  monitoring: true,
});

new Kafka(apps, 'stream', {
  replicas: 3,
  storage: { size: '20Gi' },
  controllers: { replicas: 3, storage: { size: '5Gi' } },
  plainListener: true,
  rackTopologyKey: 'topology.kubernetes.io/zone',
  topics: [{ name: 'orders', partitions: 6, config: { 'retention.ms': 604800000 } }],
  users: {
    shop: {
      acls: [
        { resource: { type: 'topic', name: 'orders' }, operations: ['Read', 'Write', 'Describe'] },
        { resource: { type: 'group', name: 'shop-', patternType: 'prefix' }, operations: ['Read'] },
      ],
    },
    legacy: { authentication: 'scram-sha-512', acls: [{ resource: { type: 'topic', name: 'orders' }, operations: ['Read'] }] },
  },
  monitoring: true,
});

new ClickHouse(apps, 'analytics', {
  shards: 1,
  replicas: 2,
  storage: { size: '50Gi' },
  users: { app: {}, reporting: { readonly: true } },
  keeper: { replicas: 3 },
  monitoring: true,
});

new MariaDb(apps, 'shop', {
  replicas: 3,
  replication: 'async',
  version: 'v11.8',
  resources: 't1.small',
  storage: { size: '20Gi' },
  users: { shop: { maxUserConnections: 100 }, reporting: {} },
  databases: { shop: { roles: { admin: ['shop'], readonly: ['reporting'] } } },
  grants: [{ username: 'reporting', database: 'shop', table: 'orders', privileges: ['SELECT', 'SHOW VIEW'] }],
  backup: {
    bucket: 'backups',
    endpoint: 's3.example.com',
    credentials: SecretRef.fromConfig('shop-s3', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']),
  },
  external: true,
  externalSourceRanges: ['203.0.113.0/24'],
  monitoring: true,
});

new RabbitMq(apps, 'bus', {
  replicas: 3,
  version: 'v4.2',
  storage: { size: '10Gi' },
  users: { shop: { tags: ['management'] }, audit: {} },
  vhosts: { orders: { roles: { admin: ['shop'], readonly: ['audit'] } } },
  monitoring: true,
});

platform.synth();
