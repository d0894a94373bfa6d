import { Problems } from '../../lib/core/errors';
import { isDnsSubdomain } from '../../lib/core/names';
import {
  KAFKA_ACL_OPERATIONS,
  KAFKA_ACL_RESOURCE_TYPES,
  KAFKA_AUTHENTICATIONS,
  KafkaAcl,
  KafkaAclOperation,
  KafkaAuthentication,
  KafkaTopicProps,
  KafkaUserProps,
} from './kafka-props';

/** Replication factor and min ISR from the number of brokers, as Cozystack derives them. */
export function replicationOf(brokers: number): { readonly factor: number; readonly minInsync: number } {
  if (brokers <= 1) return { factor: 1, minInsync: 1 };
  if (brokers === 2) return { factor: 2, minInsync: 2 };
  return { factor: 3, minInsync: 2 };
}

/** Broker settings kubestrata derives from `replicas`. */
export const DERIVED_CONFIG = [
  'default.replication.factor',
  'min.insync.replicas',
  'offsets.topic.replication.factor',
  'transaction.state.log.replication.factor',
  'transaction.state.log.min.isr',
] as const;

/** Settings Strimzi owns (its list of forbidden `spec.kafka.config` options) and their allowed exceptions. */
const STRIMZI_OWNED = [
  'listeners',
  'advertised.',
  'broker.',
  'listener.',
  'host.name',
  'port',
  'inter.broker.listener.name',
  'sasl.',
  'ssl.',
  'security.',
  'password.',
  'log.dir',
  'zookeeper.',
  'authorizer.',
  'super.user',
  'cruise.control.metrics.',
  'node.id',
  'process.roles',
  'controller.',
  'metadata.log.dir',
  'client.quota.callback.',
];
const STRIMZI_ALLOWED = [
  'sasl.server.max.receive.size',
  'ssl.cipher.suites',
  'ssl.protocol',
  'ssl.enabled.protocols',
  'ssl.secure.random.implementation',
  'cruise.control.metrics.topic.num.partitions',
  'cruise.control.metrics.topic.replication.factor',
  'cruise.control.metrics.topic.retention.ms',
  'cruise.control.metrics.topic.auto.create.retries',
  'cruise.control.metrics.topic.auto.create.timeout.ms',
  'cruise.control.metrics.topic.min.insync.replicas',
  'controller.quorum.election.backoff.max.ms',
  'controller.quorum.election.timeout.ms',
  'controller.quorum.fetch.timeout.ms',
];
const CONFIG_KEY = /^[a-z][a-z0-9]*([._-][a-z0-9]+)*$/;
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const USER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function checkSettings(p: Problems, property: string, config: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(config)) {
    const prop = `${property}.${key}`;
    if (!p.check(CONFIG_KEY.test(key), prop, value, 'is not a Kafka setting name (lower-case words separated by ".")')) continue;
    const ok =
      typeof value === 'number'
        ? Number.isFinite(value)
        : typeof value === 'boolean' || (typeof value === 'string' && value.length > 0 && !/[\r\n]/.test(value));
    p.check(ok, prop, value, 'must be a number, a boolean or a non-empty single-line string');
  }
}

/** Checks broker settings: valid names and values, nothing Strimzi or the replica count decides. */
export function checkBrokerConfig(p: Problems, config: Readonly<Record<string, unknown>>): void {
  checkSettings(p, 'config', config);
  for (const [key, value] of Object.entries(config)) {
    const owned =
      STRIMZI_OWNED.some((prefix) => key === prefix || (prefix.endsWith('.') && key.startsWith(prefix))) && !STRIMZI_ALLOWED.includes(key);
    p.check(!owned, `config.${key}`, value, 'is set by the Strimzi operator (listeners, TLS, authentication, KRaft roles)', 'remove it');
    p.check(
      !(DERIVED_CONFIG as readonly string[]).includes(key),
      `config.${key}`,
      value,
      'is derived from replicas (1→1/1, 2→2/2, ≥3→3/2)',
      'change replicas instead',
    );
  }
}

/** Checks the topics and returns the KafkaTopic object name of each. */
export function checkTopics(p: Problems, id: string, topics: readonly KafkaTopicProps[], brokers: number): string[] {
  const names = new Map<string, string>();
  return topics.map((topic, i) => {
    const at = `topics[${i}]`;
    const name = topic?.name;
    const objectName = `${id}-${String(name)
      .toLowerCase()
      .replace(/[^a-z0-9.-]+/g, '-')
      .replace(/^[.-]+|[.-]+$/g, '')}`;
    if (
      p.check(
        typeof name === 'string' && TOPIC_NAME.test(name) && name !== '.' && name !== '..' && !name.startsWith('__'),
        `${at}.name`,
        name,
        'must be a Kafka topic name of at most 249 letters, digits, ".", "_" and "-", not starting with "__" (internal topics)',
      )
    ) {
      const other = names.get(objectName);
      p.check(
        other === undefined,
        `${at}.name`,
        name,
        `maps to the same KafkaTopic name "${objectName}" as topic "${other}"`,
        'rename one of them',
      );
      p.check(isDnsSubdomain(objectName), `${at}.name`, name, `gives KafkaTopic name "${objectName}", which is not a DNS-1123 subdomain`);
      names.set(objectName, name);
    }
    if (topic?.partitions !== undefined)
      p.check(
        Number.isInteger(topic.partitions) && topic.partitions >= 1,
        `${at}.partitions`,
        topic.partitions,
        'must be a whole number ≥ 1',
      );
    if (topic?.replicas !== undefined) {
      p.check(
        Number.isInteger(topic.replicas) && topic.replicas >= 1 && topic.replicas <= brokers,
        `${at}.replicas`,
        topic.replicas,
        `must be a whole number from 1 to the number of brokers (${brokers})`,
      );
    }
    checkSettings(p, `${at}.config`, topic?.config ?? {});
    const isr = topic?.config?.['min.insync.replicas'];
    const replicas = topic?.replicas ?? replicationOf(brokers).factor;
    if (isr !== undefined)
      p.check(
        Number(isr) <= replicas,
        `${at}.config.min.insync.replicas`,
        isr,
        `must not exceed the topic's replicas (${replicas}), or no write could succeed`,
      );
    return objectName;
  });
}

/** Checks the users against the listeners that can authenticate them. */
export function checkUsers(
  p: Problems,
  id: string,
  users: Readonly<Record<string, KafkaUserProps>>,
  clusterAuth: KafkaAuthentication,
  plainListener: boolean,
  useSecret: (property: string, user: KafkaUserProps) => void,
): void {
  for (const [name, user] of Object.entries(users)) {
    const at = `users.${name}`;
    p.check(
      USER_NAME.test(name) && `${id}-${name}`.length <= 63,
      at,
      name,
      `must be a DNS-1123 label that keeps the KafkaUser name "${id}-${name}" within 63 characters (it names the user's Secret and certificate)`,
    );
    const auth = user?.authentication ?? clusterAuth;
    if (
      !p.check(
        KAFKA_AUTHENTICATIONS.includes(auth),
        `${at}.authentication`,
        auth,
        `must be one of ${KAFKA_AUTHENTICATIONS.map((a) => JSON.stringify(a)).join(', ')}`,
      )
    )
      continue;
    if (auth === 'tls') {
      p.check(
        clusterAuth === 'tls',
        `${at}.authentication`,
        auth,
        'needs a listener with TLS client authentication, but the cluster authenticates with scram-sha-512',
        'set authentication: "tls" on the Kafka or "scram-sha-512" on the user',
      );
    } else {
      p.check(
        clusterAuth === 'scram-sha-512' || plainListener,
        `${at}.authentication`,
        auth,
        'needs a listener with SCRAM authentication',
        'set authentication: "scram-sha-512" or plainListener: true on the Kafka',
      );
    }
    if (user?.password !== undefined) {
      if (
        p.check(
          auth === 'scram-sha-512',
          `${at}.password`,
          user.password.name,
          'only applies to scram-sha-512 users (TLS users get a certificate)',
          'remove password',
        )
      ) {
        useSecret(`${at}.password`, user);
      }
    }
    (user?.acls ?? []).forEach((acl, i) => checkAcl(p, `${at}.acls[${i}]`, acl));
  }
}

function checkAcl(p: Problems, at: string, acl: KafkaAcl): void {
  const type = acl?.resource?.type;
  if (
    p.check(KAFKA_ACL_RESOURCE_TYPES.includes(type), `${at}.resource.type`, type, `must be one of ${KAFKA_ACL_RESOURCE_TYPES.join(', ')}`)
  ) {
    const name = acl.resource.name;
    if (type === 'cluster') p.check(name === undefined, `${at}.resource.name`, name, 'does not apply to the cluster resource', 'remove it');
    else
      p.check(
        typeof name === 'string' && name.length > 0,
        `${at}.resource.name`,
        name,
        `is required for a ${type} resource ("*" matches all)`,
      );
  }
  const pattern = acl?.resource?.patternType;
  if (pattern !== undefined)
    p.check(pattern === 'literal' || pattern === 'prefix', `${at}.resource.patternType`, pattern, 'must be "literal" or "prefix"');
  const operations = acl?.operations;
  if (p.check(Array.isArray(operations) && operations.length > 0, `${at}.operations`, operations, 'must list at least one operation')) {
    for (const op of operations)
      p.check(KAFKA_ACL_OPERATIONS.includes(op), `${at}.operations`, op, `must be one of ${KAFKA_ACL_OPERATIONS.join(', ')}`);
  }
  if (acl?.type !== undefined) p.check(acl.type === 'allow' || acl.type === 'deny', `${at}.type`, acl.type, 'must be "allow" or "deny"');
  if (type === 'cluster' && (acl.type ?? 'allow') === 'allow' && Array.isArray(operations)) {
    for (const op of operations.filter((o) => CLUSTER_ADMIN_OPERATIONS.includes(o))) {
      p.add(
        `${at}.operations`,
        op,
        'on the cluster lets the user change ACLs (Alter), change broker settings that Strimzi owns (AlterConfigs) or act as a broker (ClusterAction)',
        'allow Create, Describe, DescribeConfigs or IdempotentWrite on the cluster, and give access to topics and groups by name',
      );
    }
  }
}

/** Cluster operations that manage the brokers themselves rather than a tenant's topics and groups. */
const CLUSTER_ADMIN_OPERATIONS: readonly KafkaAclOperation[] = ['Alter', 'AlterConfigs', 'ClusterAction', 'All'];
