import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { isLabelKey } from '../../lib/core/names';
import { checkProps } from '../../lib/core/props-check';
import { checkQuantity } from '../../lib/core/quantity';
import { ResourceRequirements } from '../../lib/core/resources';
import { checkStorageClass } from '../../lib/core/storage-class';
import { versions } from '../../lib/versions';
import { checkBrokerConfig, checkTopics, checkUsers, replicationOf } from './kafka-check';
import {
  KAFKA_AUTHENTICATIONS,
  KAFKA_NODE_LAYOUTS,
  KAFKA_VERSIONS,
  KafkaAuthentication,
  KafkaNodeLayout,
  KafkaProps,
  KafkaTopicProps,
  KafkaUserProps,
  KafkaVersion,
} from './kafka-props';
import { ServiceConnection } from './service-connection';
import { ManagedService } from './managed-service';
import { Strimzi } from './strimzi';

const API = 'kafka.strimzi.io/v1beta2';
const TLS_PORT = 9093;
const PLAIN_PORT = 9092;
/** Keys the User Operator writes into a KafkaUser's Secret, by authentication type. */
const USER_SECRET_KEYS: Record<KafkaAuthentication, readonly string[]> = {
  tls: ['ca.crt', 'user.crt', 'user.key', 'user.p12', 'user.password'],
  'scram-sha-512': ['password', 'sasl.jaas.config'],
};
const EXTERNAL_PORT = 9094;
const METRICS_PORT = 9404;
const CONTROL_PLANE_PORT = 9090;
const REPLICATION_PORT = 9091;
const KAFKA_AGENT_PORT = 8443;
const METRICS_KEY = 'metrics-config.yml';
/** JMX exporter rules for the broker and controller MBeans (a subset of Strimzi's examples/metrics/kafka-metrics.yaml). */
const METRICS_RULES = [
  'lowercaseOutputName: true',
  'rules:',
  '- pattern: kafka.server<type=(.+), name=(.+), clientId=(.+), topic=(.+), partition=(.*)><>Value',
  '  name: kafka_server_$1_$2',
  '  type: GAUGE',
  '  labels: { clientId: "$3", topic: "$4", partition: "$5" }',
  '- pattern: kafka.server<type=(.+), name=(.+)><>(Count|Value)',
  '  name: kafka_server_$1_$2',
  '- pattern: kafka.(\\w+)<type=(.+), name=(.+)PerSec\\w*, topic=(.+)><>Count',
  '  name: kafka_$1_$2_$3_total',
  '  type: COUNTER',
  '  labels: { topic: "$4" }',
  '- pattern: kafka.(\\w+)<type=(.+), name=(.+)PerSec\\w*><>Count',
  '  name: kafka_$1_$2_$3_total',
  '  type: COUNTER',
  '- pattern: kafka.(\\w+)<type=(.+), name=(.+)><>(Count|Value)',
  '  name: kafka_$1_$2_$3',
  '',
].join('\n');

interface Pool {
  readonly name: string;
  readonly roles: readonly ('controller' | 'broker')[];
  readonly replicas: number;
  readonly storage: { readonly size: string; readonly storageClass?: string };
  readonly resources: ResourceRequirements;
}

/**
 * Apache Kafka in KRaft mode, run by Strimzi inside a tenant: a `Kafka` with node pools for the controller
 * quorum and the brokers, a TLS listener with client authentication (optionally a SCRAM plain listener and a
 * TLS LoadBalancer listener), topics and users with ACLs, replication defaults derived from the broker count,
 * and brokers spread across nodes (and racks).
 */
export class Kafka extends ManagedService<KafkaVersion> {
  /** Kafka release the brokers run, e.g. `3.9.1`. */
  readonly kafkaVersion: string;
  readonly metadataVersion: string;
  readonly nodeLayout: KafkaNodeLayout;
  /** Controllers of the KRaft quorum (with the combined layout: the nodes). */
  readonly controllers: number;
  readonly authentication: KafkaAuthentication;
  readonly plainListener: boolean;
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
  readonly rackTopologyKey?: string;
  /** In-cluster bootstrap address of the TLS listener (`<id>-kafka-bootstrap`, port 9093); clients trust Secret `<id>-cluster-ca-cert`. */
  readonly bootstrapServers: string;
  /** The `Kafka`. */
  readonly cluster: ApiObject;
  /** KafkaUser name (the principal and the name of its credentials Secret) per user. */
  readonly userNames: Readonly<Record<string, string>>;
  private readonly userAuthentications: Readonly<Record<string, KafkaAuthentication>>;

  constructor(scope: Construct, id: string, props: KafkaProps = {}) {
    checkProps(scope, id, 'KafkaProps', props);
    super(scope, id, props, {
      kind: 'kafka',
      replicas: 3,
      minReplicas: 1,
      versions: KAFKA_VERSIONS,
      version: '3.9',
      storageSize: '10Gi',
      resources: 'c1.small',
      maxNameLength: 24,
      nameReason: 'Strimzi names the pods <id>-<id>-controller-<n> and <id>-entity-operator-…',
    });
    const release = versions.kafka.releases[this.version] ?? versions.kafka.releases['3.9'];
    this.kafkaVersion = release.version;
    this.metadataVersion = release.metadataVersion;
    this.nodeLayout = props.nodeLayout ?? 'dedicated';
    this.controllers = this.nodeLayout === 'combined' ? this.replicas : (props.controllers?.replicas ?? 3);
    this.authentication = props.authentication ?? 'tls';
    this.plainListener = props.plainListener ?? false;
    ({ factor: this.replicationFactor, minInsync: this.minInsyncReplicas } = replicationOf(this.replicas));
    this.rackTopologyKey = props.rackTopologyKey;
    this.userNames = Object.fromEntries(Object.keys(props.users ?? {}).map((name) => [name, `${id}-${name}`]));
    this.userAuthentications = Object.fromEntries(
      Object.entries(props.users ?? {}).map(([name, user]) => [name, user?.authentication ?? this.authentication]),
    );
    const controllerResources = this.resolveResources('controllers.resources', props.controllers?.resources ?? 'c1.small');
    const entityResources = this.resolveResources('entityOperatorResources', props.entityOperatorResources ?? 'c1.micro');
    const topicNames = this.check(props);
    const strimzi = this.requireOperator(Strimzi);
    if (strimzi.podSecurity === 'baseline')
      this.requirePodSecurity('baseline', `the Strimzi operator at ${strimzi.node.path} creates pods with podSecurity "baseline"`);
    this.throwIfInvalid();
    this.bootstrapServers = `${this.bootstrapHost}:${TLS_PORT}`;

    const pools: Pool[] =
      this.nodeLayout === 'combined'
        ? [{ name: 'node', roles: ['controller', 'broker'], replicas: this.replicas, storage: this.storage, resources: this.resources }]
        : [
            {
              name: 'controller',
              roles: ['controller'],
              replicas: this.controllers,
              storage: {
                size: props.controllers?.storage?.size ?? '10Gi',
                storageClass: this.useStorageClass(props.controllers?.storage?.storageClass),
              },
              resources: controllerResources!,
            },
            { name: 'broker', roles: ['broker'], replicas: this.replicas, storage: this.storage, resources: this.resources },
          ];
    this.cluster = this.object('kafka', API, 'Kafka', id, { spec: this.spec(props, entityResources!) });
    this.node.defaultChild = this.cluster;
    this.cluster.metadata.addAnnotation('strimzi.io/kraft', 'enabled');
    this.cluster.metadata.addAnnotation('strimzi.io/node-pools', 'enabled');
    for (const pool of pools) this.pool(pool);
    (props.topics ?? []).forEach((topic, i) => this.topic(topic, topicNames[i]));
    for (const [name, user] of Object.entries(props.users ?? {})) this.user(name, user);

    const brokers = { 'strimzi.io/cluster': id, 'strimzi.io/broker-role': 'true' };
    const kafkaPods = { 'strimzi.io/cluster': id, 'strimzi.io/kind': 'Kafka', 'strimzi.io/name': `${id}-kafka` };
    // The ports Strimzi's own NetworkPolicy opens to its cluster operator (KafkaCluster.generateNetworkPolicy):
    // the KRaft control plane listener (9090, rolling updates), replication (9091) and the KafkaAgent (8443).
    // The entity operator runs in the tenant namespace.
    this.allowFromOperator(strimzi, kafkaPods, [CONTROL_PLANE_PORT, REPLICATION_PORT, KAFKA_AGENT_PORT]);
    if (this.external) this.allowExternal(brokers, [{ name: 'external', port: EXTERNAL_PORT }]);
    if (this.monitoring) {
      this.object(
        'metrics-service',
        'v1',
        'Service',
        `${id}-kafka-metrics`,
        {
          spec: { selector: kafkaPods, ports: [{ name: 'metrics', port: METRICS_PORT, targetPort: METRICS_PORT, protocol: 'TCP' }] },
        },
        'metrics',
      );
      this.monitor(this.selector('metrics'), 'metrics', [{ pods: kafkaPods, port: METRICS_PORT }]);
    }
  }

  get connection(): ServiceConnection {
    return {
      host: this.bootstrapHost,
      hosts: {},
      ports: this.plainListener ? { plain: PLAIN_PORT, tls: TLS_PORT } : { tls: TLS_PORT },
      credentials: Object.fromEntries(
        Object.entries(this.userNames).map(([user, name]) => [user, { name, keys: USER_SECRET_KEYS[this.userAuthentications[user]] }]),
      ),
      tlsCa: { secretName: `${this.serviceName}-cluster-ca-cert`, key: 'ca.crt' },
    };
  }

  /** The bootstrap Service Strimzi creates for the cluster. */
  private get bootstrapHost(): string {
    return this.serviceHost(`${this.serviceName}-kafka-bootstrap`);
  }

  private spec(props: KafkaProps, entityResources: ResourceRequirements): Record<string, unknown> {
    const listeners: Record<string, unknown>[] = [
      { name: 'tls', port: TLS_PORT, type: 'internal', tls: true, authentication: { type: this.authentication } },
    ];
    if (this.plainListener)
      listeners.unshift({ name: 'plain', port: PLAIN_PORT, type: 'internal', tls: false, authentication: { type: 'scram-sha-512' } });
    if (this.external) {
      listeners.push({
        name: 'external',
        port: EXTERNAL_PORT,
        type: 'loadbalancer',
        tls: true,
        authentication: { type: this.authentication },
        configuration: {
          externalTrafficPolicy: 'Local',
          loadBalancerSourceRanges: this.externalSourceRanges && [...this.externalSourceRanges],
        },
      });
    }
    const entityPod = { metadata: { labels: this.podLabels({ apiserver: true }) } };
    return {
      kafka: {
        version: this.kafkaVersion,
        metadataVersion: this.metadataVersion,
        listeners,
        authorization: Object.keys(props.users ?? {}).length > 0 ? { type: 'simple' } : undefined,
        config: {
          'default.replication.factor': this.replicationFactor,
          'min.insync.replicas': this.minInsyncReplicas,
          'offsets.topic.replication.factor': this.replicationFactor,
          'transaction.state.log.replication.factor': this.replicationFactor,
          'transaction.state.log.min.isr': this.minInsyncReplicas,
          ...props.config,
        },
        rack: this.rackTopologyKey ? { topologyKey: this.rackTopologyKey } : undefined,
        metricsConfig: this.monitoring
          ? { type: 'jmxPrometheusExporter', valueFrom: { configMapKeyRef: { name: this.metricsConfig(), key: METRICS_KEY } } }
          : undefined,
      },
      entityOperator: {
        topicOperator: { resources: requirements(entityResources) },
        userOperator: { resources: requirements(entityResources) },
        template: { pod: entityPod },
      },
    };
  }

  private pool(pool: Pool): void {
    const name = `${this.serviceName}-${pool.name}`;
    const selector = { 'strimzi.io/cluster': this.serviceName, 'strimzi.io/pool-name': name };
    this.ofCluster(
      this.object(
        `pool-${pool.name}`,
        API,
        'KafkaNodePool',
        name,
        {
          spec: {
            replicas: pool.replicas,
            roles: [...pool.roles],
            resources: requirements(pool.resources),
            storage: {
              type: 'jbod',
              volumes: [
                {
                  id: 0,
                  type: 'persistent-claim',
                  size: pool.storage.size,
                  class: pool.storage.storageClass,
                  deleteClaim: false,
                  kraftMetadata: 'shared',
                },
              ],
            },
            template: {
              pod: {
                metadata: { labels: this.podLabels({ apiserver: this.rackTopologyKey !== undefined }) },
                ...this.spread(selector),
              },
            },
          },
        },
        pool.name,
      ),
    );
  }

  private topic(topic: KafkaTopicProps, name: string): void {
    this.ofCluster(
      this.object(
        `topic-${name}`,
        API,
        'KafkaTopic',
        name,
        {
          spec: {
            topicName: topic.name,
            partitions: topic.partitions ?? 1,
            replicas: topic.replicas ?? this.replicationFactor,
            config: topic.config && Object.keys(topic.config).length > 0 ? { ...topic.config } : undefined,
          },
        },
        'topic',
      ),
    );
  }

  private user(name: string, user: KafkaUserProps): void {
    const type = this.userAuthentications[name];
    this.ofCluster(
      this.object(
        `user-${name}`,
        API,
        'KafkaUser',
        this.userNames[name],
        {
          spec: {
            authentication: {
              type,
              password: user.password ? { valueFrom: { secretKeyRef: user.password.key('password') } } : undefined,
            },
            authorization: {
              type: 'simple',
              acls: (user.acls ?? []).map((acl) => ({
                type: acl.type ?? 'allow',
                resource: {
                  type: acl.resource.type,
                  name: acl.resource.name,
                  patternType: acl.resource.type === 'cluster' ? undefined : (acl.resource.patternType ?? 'literal'),
                },
                operations: [...acl.operations],
              })),
            },
          },
        },
        'user',
      ),
    );
  }

  /** Marks a node pool, topic or user as belonging to this cluster, which is how Strimzi finds them. */
  private ofCluster(obj: ApiObject): void {
    obj.metadata.addLabel('strimzi.io/cluster', this.serviceName);
  }

  private metricsConfig(): string {
    const name = `${this.serviceName}-kafka-metrics`;
    this.object('metrics-config', 'v1', 'ConfigMap', name, { data: { [METRICS_KEY]: METRICS_RULES } }, 'metrics');
    return name;
  }

  private check(props: KafkaProps): string[] {
    const p = this.problems;
    if (props.nodeLayout !== undefined)
      p.check(
        KAFKA_NODE_LAYOUTS.includes(props.nodeLayout),
        'nodeLayout',
        props.nodeLayout,
        `must be one of ${KAFKA_NODE_LAYOUTS.map((l) => JSON.stringify(l)).join(', ')}`,
      );
    if (this.nodeLayout === 'combined') {
      p.check(
        props.controllers === undefined,
        'controllers',
        props.controllers,
        'only applies to nodeLayout "dedicated" (combined nodes are controllers and brokers)',
        'remove controllers or use nodeLayout: "dedicated"',
      );
      p.check(
        this.replicas % 2 === 1,
        'replicas',
        this.replicas,
        'must be odd with nodeLayout "combined": every node votes in the KRaft quorum',
      );
    } else {
      p.check(
        Number.isInteger(this.controllers) && this.controllers >= 1 && this.controllers % 2 === 1,
        'controllers.replicas',
        this.controllers,
        'must be an odd whole number ≥ 1 (the KRaft quorum needs a majority)',
      );
      if (props.controllers?.storage?.size !== undefined) checkQuantity(p, 'controllers.storage.size', props.controllers.storage.size);
      checkStorageClass(p, 'controllers.storage.storageClass', props.controllers?.storage?.storageClass);
    }
    p.check(
      KAFKA_AUTHENTICATIONS.includes(this.authentication),
      'authentication',
      this.authentication,
      `must be one of ${KAFKA_AUTHENTICATIONS.map((a) => JSON.stringify(a)).join(', ')}`,
    );
    if (this.rackTopologyKey !== undefined) {
      p.check(
        isLabelKey(this.rackTopologyKey),
        'rackTopologyKey',
        this.rackTopologyKey,
        'must be a node label key',
        'use e.g. "topology.kubernetes.io/zone"',
      );
    }
    checkBrokerConfig(p, props.config ?? {});
    checkUsers(p, this.serviceName, props.users ?? {}, this.authentication, this.plainListener, (property, user) =>
      this.useSecret(user.password!, property, ['password']),
    );
    return checkTopics(p, this.serviceName, props.topics ?? [], this.replicas);
  }
}

function requirements(resources: ResourceRequirements): Record<string, unknown> {
  return { limits: { ...resources.limits }, requests: { ...resources.requests } };
}
