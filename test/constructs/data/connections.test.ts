import { ClickHouse } from '../../../constructs/data/clickhouse';
import { Kafka } from '../../../constructs/data/kafka';
import { Kvrocks } from '../../../constructs/data/kvrocks';
import { ManagedService } from '../../../constructs/data/managed-service';
import { MariaDb } from '../../../constructs/data/mariadb';
import { Nats } from '../../../constructs/data/nats';
import { Postgres } from '../../../constructs/data/postgres';
import { RabbitMq } from '../../../constructs/data/rabbitmq';
import { Redis } from '../../../constructs/data/redis';
import { Tenant } from '../../../constructs/platform/tenant';
import { Platform } from '../../../lib/core/platform';
import { find, manifests, newPlatform } from '../../helpers';

const NS = 'tenant-acme';

function setup<T extends ManagedService>(create: (tenant: Tenant) => T): { platform: Platform; service: T; all: any[] } {
  const platform = newPlatform({ clusterDomain: 'example.internal' });
  const service = create(new Tenant(platform, 'acme'));
  return { platform, service, all: manifests(platform) };
}

/** The Service name of an in-cluster host, after checking that the host is `<svc>.<namespace>.svc.<clusterDomain>`. */
function serviceOf(host: string): string {
  const [name, ...rest] = host.split('.');
  expect(rest.join('.')).toBe(`${NS}.svc.example.internal`);
  return name;
}

/** Names of the Secrets the deployment layer creates or expects in the tenant namespace. */
const catalog = (platform: Platform) => platform.secrets.all().filter((u) => u.namespace === NS);
const catalogued = (platform: Platform, name: string) => catalog(platform).find((u) => u.ref.name === name)?.ref.keys;

test('Postgres: the CNPG Services, pooler, app Secret, role Secrets and CA Secret of the Cluster it renders', () => {
  const { platform, service, all } = setup((t) => new Postgres(t, 'orders', { pooler: true, users: { reader: {} } }));
  const cluster = find(all, 'Cluster', 'orders');
  const { connection } = service;
  expect(serviceOf(connection.host)).toBe(`${cluster.metadata.name}-rw`);
  expect(serviceOf(connection.hosts.readOnly)).toBe(`${cluster.metadata.name}-ro`);
  expect(serviceOf(connection.hosts.pooler)).toBe(find(all, 'Pooler').metadata.name);
  expect(connection.ports).toEqual({ postgres: 5432 });
  expect(connection.credentials.app).toMatchObject({ name: `${cluster.metadata.name}-app` });
  expect(connection.credentials.app.keys).toEqual(expect.arrayContaining(['username', 'password', 'uri']));
  const role = cluster.spec.managed.roles.find((r: any) => r.name === 'reader');
  expect(connection.credentials.reader).toEqual({ name: role.passwordSecret.name, keys: catalogued(platform, role.passwordSecret.name) });
  expect(connection.tlsCa).toEqual({ secretName: 'orders-ca', key: 'ca.crt' });
});

test('Postgres without a pooler has no pooler host', () => {
  expect(setup((t) => new Postgres(t, 'orders')).service.connection.hosts.pooler).toBeUndefined();
});

test('MariaDB: the primary and secondary Services, root and user Secrets, and the CA bundle', () => {
  const { platform, service, all } = setup((t) => new MariaDb(t, 'shop', { replicas: 3, replication: 'async', users: { app: {} } }));
  const mariadb = find(all, 'MariaDB', 'shop');
  const { connection } = service;
  expect(serviceOf(connection.host)).toBe(`${mariadb.metadata.name}-primary`);
  expect(serviceOf(connection.hosts.readOnly)).toBe(`${mariadb.metadata.name}-secondary`);
  expect(connection.ports).toEqual({ mariadb: 3306 });
  expect(connection.credentials.root.name).toBe(mariadb.spec.rootPasswordSecretKeyRef.name);
  expect(connection.credentials.app.name).toBe(find(all, 'User').spec.passwordSecretKeyRef.name);
  expect(connection.credentials.app.keys).toEqual(catalogued(platform, connection.credentials.app.name));
  expect(connection.tlsCa).toEqual({ secretName: `${mariadb.metadata.name}-ca-bundle`, key: 'ca.crt' });
});

test('MariaDB with one server: its own Service, no read host', () => {
  const { service, all } = setup((t) => new MariaDb(t, 'shop', { replicas: 1 }));
  expect(serviceOf(service.connection.host)).toBe(find(all, 'MariaDB').metadata.name);
  expect(service.connection.hosts).toEqual({});
});

test('RabbitMQ: the cluster Service, default-user Secret, user credentials and the certificate Secret with ca.crt', () => {
  const { service, all } = setup((t) => new RabbitMq(t, 'events', { users: { app: {} }, vhosts: { orders: {} } }));
  const cluster = find(all, 'RabbitmqCluster', 'events');
  const { connection } = service;
  expect(serviceOf(connection.host)).toBe(cluster.metadata.name);
  expect(connection.ports).toEqual({ amqp: 5672, amqps: 5671, management: 15672, managementTls: 15671 });
  expect(connection.credentials['default-user'].name).toBe(`${cluster.metadata.name}-default-user`);
  expect(connection.credentials.app.name).toBe(find(all, 'User').spec.importCredentialsSecret.name);
  expect(connection.tlsCa).toEqual({ secretName: cluster.spec.tls.secretName, key: 'ca.crt' });
  expect(find(all, 'Certificate', cluster.spec.tls.secretName).spec.secretName).toBe(cluster.spec.tls.secretName);
});

test('RabbitMQ without TLS: plain ports only and no CA', () => {
  const { connection } = setup((t) => new RabbitMq(t, 'events', { tls: false })).service;
  expect(connection.ports).toEqual({ amqp: 5672, management: 15672 });
  expect(connection.tlsCa).toBeUndefined();
});

test('Redis: the master and Sentinel Services of the RedisFailover and its auth Secret', () => {
  const { platform, service, all } = setup((t) => new Redis(t, 'cache'));
  const failover = find(all, 'RedisFailover', 'cache');
  const { connection } = service;
  expect(serviceOf(connection.host)).toBe(`rfrm-${failover.metadata.name}`);
  expect(serviceOf(connection.hosts.sentinel)).toBe(`rfs-${failover.metadata.name}`);
  expect(connection.ports).toEqual({ redis: 6379, sentinel: 26379 });
  expect(connection.credentials.default).toEqual({
    name: failover.spec.auth.secretPath,
    keys: catalogued(platform, failover.spec.auth.secretPath),
  });
  expect(connection.tlsCa).toBeUndefined();
});

test('Kvrocks: the primary and replicas Services it renders and its auth Secret', () => {
  const { platform, service, all } = setup((t) => new Kvrocks(t, 'kv', { replicas: 2 }));
  const { connection } = service;
  expect(find(all, 'Service', serviceOf(connection.host)).spec.ports[0].port).toBe(connection.ports.kvrocks);
  expect(find(all, 'Service', serviceOf(connection.hosts.replicas)).spec.ports[0].port).toBe(connection.ports.kvrocks);
  expect(connection.credentials.default).toEqual({ name: 'kv-auth', keys: catalogued(platform, 'kv-auth') });
  expect(JSON.stringify(find(all, 'StatefulSet', 'kv'))).toContain('"name":"kv-auth"');
});

test('Kafka: the bootstrap Service, the Secret of each KafkaUser with the keys of its authentication, the cluster CA', () => {
  const { service, all } = setup(
    (t) => new Kafka(t, 'events', { plainListener: true, users: { app: {}, legacy: { authentication: 'scram-sha-512' } } }),
  );
  const kafka = find(all, 'Kafka', 'events');
  const { connection } = service;
  expect(serviceOf(connection.host)).toBe(`${kafka.metadata.name}-kafka-bootstrap`);
  expect(service.bootstrapServers).toBe(`${connection.host}:${connection.ports.tls}`);
  const listenerPort = (name: string) => kafka.spec.kafka.listeners.find((l: any) => l.name === name).port;
  expect(connection.ports).toEqual({ plain: listenerPort('plain'), tls: listenerPort('tls') });
  expect(connection.credentials.app).toEqual({
    name: find(all, 'KafkaUser', 'events-app').metadata.name,
    keys: expect.arrayContaining(['user.crt', 'user.key', 'ca.crt']),
  });
  expect(connection.credentials.legacy).toEqual({
    name: find(all, 'KafkaUser', 'events-legacy').metadata.name,
    keys: ['password', 'sasl.jaas.config'],
  });
  expect(connection.tlsCa).toEqual({ secretName: `${kafka.metadata.name}-cluster-ca-cert`, key: 'ca.crt' });
});

test('ClickHouse: the client Service, user Secrets the installation reads, and the CA certificate Secret', () => {
  const { service, all } = setup((t) => new ClickHouse(t, 'analytics', { users: { app: {} } }));
  const { connection } = service;
  const installation = JSON.stringify(find(all, 'ClickHouseInstallation', 'analytics'));
  expect(serviceOf(connection.host)).toBe('clickhouse-analytics');
  expect(connection.ports).toEqual({ http: 8123, tcp: 9000, https: 8443, tcpSecure: 9440 });
  expect(installation).toContain(`"name":"${connection.credentials.app.name}"`);
  expect(find(all, 'Certificate', connection.tlsCa!.secretName).spec).toMatchObject({
    isCA: true,
    secretName: connection.tlsCa!.secretName,
  });
});

test('NATS: the release Service, user Secrets, and the CA the chart trusts when TLS is on', () => {
  const { service, all } = setup((t) => new Nats(t, 'events', { tls: true }));
  const release = find(all, 'HelmRelease', 'events');
  const { connection } = service;
  expect(serviceOf(connection.host)).toBe(release.metadata.name);
  expect(service.url).toBe(`tls://${connection.host}:${connection.ports.nats}`);
  expect(JSON.stringify(release.spec.values)).toContain(`"name":"${connection.credentials.app.name}"`);
  expect(release.spec.values.config.nats.tls).toBeDefined();
  expect(connection.tlsCa).toEqual({ secretName: release.spec.values.tlsCA.secretName, key: 'ca.crt' });
  expect(find(all, 'Certificate', connection.tlsCa!.secretName).spec.isCA).toBe(true);
});
