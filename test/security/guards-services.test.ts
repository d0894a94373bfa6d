import { Kafka } from '../../constructs/data/kafka';
import { KafkaProps } from '../../constructs/data/kafka-props';
import { Kvrocks, KvrocksProps } from '../../constructs/data/kvrocks';
import { Nats, NatsProps } from '../../constructs/data/nats';
import { RabbitMq, RabbitMqProps } from '../../constructs/data/rabbitmq';
import { Redis, RedisProps } from '../../constructs/data/redis';
import { Tenant } from '../../constructs/platform/tenant';
import { SecretRef } from '../../lib/core/secrets';
import { find, manifests, newPlatform, problemsOf } from '../helpers';

function inTenant(create: (tenant: Tenant) => unknown) {
  const platform = newPlatform();
  create(new Tenant(platform, 'acme'));
  return manifests(platform);
}

describe('Kafka: ACLs on the cluster resource', () => {
  const kafka = (props: KafkaProps) => inTenant((t) => new Kafka(t, 'events', props));
  const withClusterAcl = (operations: any[], type?: 'allow' | 'deny'): KafkaProps => ({
    users: { app: { acls: [{ resource: { type: 'cluster' }, operations, type }] } },
  });

  test.each(['Alter', 'AlterConfigs', 'ClusterAction', 'All'])('allowing %s on the cluster is refused', (operation) => {
    const message = problemsOf(() => kafka(withClusterAcl(['Describe', operation]))).message;
    expect(message).toContain('[platform/acme/events]');
    expect(message).toContain(
      `users.app.acls[0].operations: ${JSON.stringify(operation)} on the cluster lets the user change ACLs (Alter), change broker settings that Strimzi owns (AlterConfigs) or act as a broker (ClusterAction). Fix: allow Create, Describe`,
    );
  });

  test('reading the cluster, and denying anything on it, pass', () => {
    const all = kafka({
      users: {
        app: {
          acls: [
            { resource: { type: 'cluster' }, operations: ['Describe', 'DescribeConfigs', 'IdempotentWrite'] },
            { resource: { type: 'cluster' }, operations: ['All'], type: 'deny' },
          ],
        },
      },
    });
    expect(find(all, 'KafkaUser', 'events-app').spec.authorization.acls).toHaveLength(2);
  });
});

describe('Redis and Kvrocks: config that reopens file writes, module loading or holds passwords', () => {
  test.each([
    'enable-protected-configs',
    'enable-module-command',
    'enable-debug-command',
    'logfile',
    'tls-cert-file',
    'rename-command',
    'protected-mode',
  ])('Redis %s is refused', (key) => {
    const message = problemsOf(() => inTenant((t) => new Redis(t, 'cache', { config: { [key]: 'yes' } } as RedisProps))).message;
    expect(message).toContain(
      `[platform/acme/cache] 1 problem:\n  - config.${key}: "yes" is managed by the operator or would break auth, replication or the pod layout, or let clients write files or load modules. Fix: remove it.`,
    );
  });

  test.each(['namespace.orders', 'tls-port', 'rename-command', 'masteruser'])('Kvrocks %s is refused', (key) => {
    const message = problemsOf(() => inTenant((t) => new Kvrocks(t, 'kv', { config: { [key]: 'x' } } as KvrocksProps))).message;
    expect(message).toContain(`config.${key}: "x" is set by kubestrata for the pod layout, auth or replication. Fix: remove it.`);
  });
});

describe('names of users that become object names', () => {
  test.each([
    ['orders_reader', 'events-orders_reader'],
    ['Alice', 'events-Alice'],
    ['a..b', 'events-a..b'],
  ])('NATS user %s would name the Secret %s', (user, secret) => {
    const message = problemsOf(() => inTenant((t) => new Nats(t, 'events', { users: { [user]: {} } } as NatsProps))).message;
    expect(message).toContain(
      `users.${user}: ${JSON.stringify(user)} would name the password Secret ${JSON.stringify(secret)}, which is not a DNS-1123 subdomain`,
    );
  });

  test('a NATS user with its own password Secret keeps any NATS name', () => {
    const password = SecretRef.existing('alice-nats', ['password']);
    expect(() => inTenant((t) => new Nats(t, 'events', { users: { Alice: { password } } }))).not.toThrow();
  });

  test.each([
    ['users', 'app_'],
    ['vhosts', 'jobs-'],
  ])('RabbitMQ %s ending in "_" or "-" are refused', (kind, name) => {
    const props = (kind === 'users' ? { users: { [name]: {} } } : { vhosts: { [name]: {} } }) as RabbitMqProps;
    expect(problemsOf(() => inTenant((t) => new RabbitMq(t, 'events', props))).message).toContain(
      `${kind}.${name}: ${JSON.stringify(name)} must be a ${kind === 'users' ? 'user' : 'vhost'} name of at most 63 characters (lower-case letters, digits, "_" and "-", starting with a letter and ending with a letter or digit)`,
    );
  });
});
