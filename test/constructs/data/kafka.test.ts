import { Kafka } from '../../../constructs/data/kafka';
import { KafkaProps } from '../../../constructs/data/kafka-props';
import { Strimzi } from '../../../constructs/data/strimzi';
import { PrometheusOperatorCrds } from '../../../constructs/platform/prometheus-operator-crds';
import { Tenant, TenantProps } from '../../../constructs/platform/tenant';

import { PlatformProps } from '../../../lib/core/platform';
import { SecretRef } from '../../../lib/core/secrets';

import { versions } from '../../../lib/versions';
import { find, manifests, newPlatform, problemsOf, validated } from '../../helpers';

function setup(props?: KafkaProps, platformProps?: PlatformProps, tenantProps?: TenantProps) {
  const platform = newPlatform(platformProps);
  const tenant = new Tenant(platform, 'acme', tenantProps);
  const kafka = new Kafka(tenant, 'events', props);
  return { platform, tenant, kafka, all: validated(platform) };
}

const pool = (all: any[], name: string) => find(all, 'KafkaNodePool', name);

/** A Kafka using every option. */
const EVERYTHING: KafkaProps = {
  replicas: 4,
  version: '3.8',
  storage: { size: '50Gi', storageClass: 'replicated' },
  resources: { cpu: '2', memory: '8Gi' },
  controllers: { replicas: 5, storage: { size: '5Gi', storageClass: 'local' }, resources: 's1.small' },
  authentication: 'tls',
  plainListener: true,
  external: true,
  externalSourceRanges: ['203.0.113.0/24'],
  monitoring: true,
  antiAffinity: 'required',
  rackTopologyKey: 'topology.kubernetes.io/zone',
  config: { 'log.retention.hours': 72, 'auto.create.topics.enable': false, 'compression.type': 'zstd' },
  entityOperatorResources: 'c1.small',
  topics: [
    { name: 'orders', partitions: 12, replicas: 3, config: { 'retention.ms': 604800000, 'min.insync.replicas': 2 } },
    { name: 'audit.Log_v2' },
  ],
  users: {
    app: {
      acls: [
        { resource: { type: 'topic', name: 'orders' }, operations: ['Read', 'Write', 'Describe'] },
        { resource: { type: 'group', name: 'app-', patternType: 'prefix' }, operations: ['Read'] },
      ],
    },
    legacy: {
      authentication: 'scram-sha-512',
      password: SecretRef.fromConfig('legacy-kafka', ['password']),
      acls: [{ resource: { type: 'cluster' }, operations: ['Describe'], type: 'deny' }],
    },
    generated: { authentication: 'scram-sha-512' },
  },
};

describe('Kafka defaults', () => {
  test('new Kafka(tenant, id) is a KRaft cluster of 3 controllers and 3 brokers on Kafka 3.9.1', () => {
    const { kafka, all } = setup();
    const cluster = find(all, 'Kafka', 'events');
    expect(cluster.apiVersion).toBe('kafka.strimzi.io/v1beta2');
    expect(cluster.metadata.namespace).toBe('tenant-acme');
    expect(cluster.metadata.annotations).toEqual({ 'strimzi.io/kraft': 'enabled', 'strimzi.io/node-pools': 'enabled' });
    expect(cluster.spec.zookeeper).toBeUndefined();
    expect(cluster.spec.kafka).toMatchObject({ version: '3.9.1', metadataVersion: '3.9-IV0' });
    expect(cluster.spec.kafka.replicas).toBeUndefined();
    expect(cluster.spec.kafka.storage).toBeUndefined();
    expect(pool(all, 'events-controller').spec).toMatchObject({ replicas: 3, roles: ['controller'] });
    expect(pool(all, 'events-broker').spec).toMatchObject({ replicas: 3, roles: ['broker'] });
    for (const name of ['events-controller', 'events-broker']) expect(pool(all, name).metadata.labels['strimzi.io/cluster']).toBe('events');
    expect(kafka).toMatchObject({
      replicas: 3,
      controllers: 3,
      version: '3.9',
      kafkaVersion: '3.9.1',
      nodeLayout: 'dedicated',
      authentication: 'tls',
      plainListener: false,
      external: false,
      monitoring: false,
      replicationFactor: 3,
      minInsyncReplicas: 2,
      bootstrapServers: 'events-kafka-bootstrap.tenant-acme.svc.cluster.local:9093',
    });
    expect(versions.kafka.releases['3.9'].version).toBe('3.9.1');
  });

  test('only the internal TLS listener, with TLS client authentication', () => {
    expect(find(setup().all, 'Kafka').spec.kafka.listeners).toEqual([
      { name: 'tls', port: 9093, type: 'internal', tls: true, authentication: { type: 'tls' } },
    ]);
  });

  test('replication defaults derived from three brokers; no authorizer without users', () => {
    const spec = find(setup().all, 'Kafka').spec.kafka;
    expect(spec.config).toEqual({
      'default.replication.factor': 3,
      'min.insync.replicas': 2,
      'offsets.topic.replication.factor': 3,
      'transaction.state.log.replication.factor': 3,
      'transaction.state.log.min.isr': 2,
    });
    expect(spec.authorization).toBeUndefined();
  });

  test('each pool: a 10Gi persistent claim kept on deletion, KRaft metadata on it, c1.small resources', () => {
    const { all } = setup(undefined, { storageClass: 'replicated' });
    for (const name of ['events-controller', 'events-broker']) {
      expect(pool(all, name).spec.storage).toEqual({
        type: 'jbod',
        volumes: [{ id: 0, type: 'persistent-claim', size: '10Gi', class: 'replicated', deleteClaim: false, kraftMetadata: 'shared' }],
      });
      expect(pool(all, name).spec.resources).toEqual({
        limits: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '2Gi' },
        requests: { cpu: '100m', memory: '1Gi', 'ephemeral-storage': '52Mi' },
      });
    }
  });

  test('each pool is spread across nodes by its Strimzi pod labels', () => {
    const spec = pool(setup().all, 'events-broker').spec.template.pod;
    const selector = { 'strimzi.io/cluster': 'events', 'strimzi.io/pool-name': 'events-broker' };
    expect(spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } } },
    ]);
    expect(spec.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } },
    ]);
    expect(spec.metadata.labels).toEqual({ 'kubestrata.io/tenant': 'acme' });
  });

  test('the entity operator runs topic and user operators that may reach the API server', () => {
    const entity = find(setup().all, 'Kafka').spec.entityOperator;
    expect(entity.topicOperator.resources.limits).toEqual({ cpu: '500m', memory: '512Mi', 'ephemeral-storage': '2Gi' });
    expect(entity.userOperator.resources).toEqual(entity.topicOperator.resources);
    expect(entity.template.pod.metadata.labels).toEqual({ 'kubestrata.io/tenant': 'acme', 'kubestrata.io/allow-to-apiserver': 'true' });
  });

  test('Strimzi is required once: a Flux OCI release watching every namespace, pods restricted, no NetworkPolicies of its own', () => {
    const { platform, all } = setup();
    new Kafka(Tenant.of(platform.node.findChild('acme')), 'logs');
    expect(platform.registry.find(Strimzi)).toMatchObject({ version: '0.45.1-rc1', namespace: 'strimzi', podSecurity: 'restricted' });
    const release = find(manifests(platform), 'HelmRelease', 'strimzi-kafka-operator');
    expect(release.metadata.namespace).toBe('strimzi');
    expect(release.spec.chartRef).toEqual({ kind: 'OCIRepository', name: 'strimzi-kafka-operator', namespace: 'strimzi' });
    expect(release.spec.values).toMatchObject({
      watchAnyNamespace: true,
      generateNetworkPolicy: false,
      kubernetesServiceDnsDomain: 'cluster.local',
      securityContext: {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
    });
    expect(release.spec.values.extraEnvs).toContainEqual({ name: 'STRIMZI_POD_SECURITY_PROVIDER_CLASS', value: 'restricted' });
    expect(find(all, 'OCIRepository', 'strimzi-kafka-operator').spec).toMatchObject({
      url: 'oci://quay.io/strimzi-helm/strimzi-kafka-operator',
      ref: { tag: '0.45.1-rc1' },
    });
    expect(find(all, 'Namespace', 'strimzi').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('the cluster operator reaches the brokers and controllers on the ports Strimzi opens to it', () => {
    const policy = find(setup().all, 'NetworkPolicy', 'events-from-operator');
    expect(policy.spec.ingress[0].ports.map((p: { port: number }) => p.port)).toEqual([9090, 9091, 8443]);
  });

  test('no topics, users, LoadBalancer, NetworkPolicy, metrics or ServiceMonitor unless asked', () => {
    const all = setup().all;
    for (const kind of ['KafkaTopic', 'KafkaUser', 'ServiceMonitor', 'ConfigMap']) expect(all.filter((m) => m.kind === kind)).toEqual([]);
    expect(
      all.filter((m) => m.metadata.name.startsWith('events-') && ['Service', 'NetworkPolicy'].includes(m.kind)).map((m) => m.metadata.name),
    ).toEqual(['events-from-operator']);
    expect(find(all, 'Kafka').spec.kafka.metricsConfig).toBeUndefined();
    expect(find(all, 'Kafka').spec.kafka.rack).toBeUndefined();
  });

  test('small snapshot of the default Kafka spec', () => {
    expect(find(setup().all, 'Kafka').spec).toMatchSnapshot();
  });
});

describe('Kafka options', () => {
  test('a platform using every option validates against the Strimzi 0.45.1-rc1 CRDs', () => {
    const { kafka, all } = setup(EVERYTHING, { storageClass: 'default-class' });
    expect(kafka).toMatchObject({
      kafkaVersion: '3.8.0',
      metadataVersion: '3.8-IV0',
      replicationFactor: 3,
      minInsyncReplicas: 2,
      controllers: 5,
    });
    expect(
      all
        .filter((m) => m.apiVersion === 'kafka.strimzi.io/v1beta2')
        .map((m) => `${m.kind}/${m.metadata.name}`)
        .sort(),
    ).toEqual([
      'Kafka/events',
      'KafkaNodePool/events-broker',
      'KafkaNodePool/events-controller',
      'KafkaTopic/events-audit.log-v2',
      'KafkaTopic/events-orders',
      'KafkaUser/events-app',
      'KafkaUser/events-generated',
      'KafkaUser/events-legacy',
    ]);
  });

  test('broker and controller pools take their own size, class and resources', () => {
    const { all } = setup(EVERYTHING, { storageClass: 'default-class' });
    expect(pool(all, 'events-broker').spec.replicas).toBe(4);
    expect(pool(all, 'events-broker').spec.storage.volumes[0]).toMatchObject({ size: '50Gi', class: 'replicated' });
    expect(pool(all, 'events-broker').spec.resources.limits).toMatchObject({ cpu: '2', memory: '8Gi' });
    expect(pool(all, 'events-controller').spec.replicas).toBe(5);
    expect(pool(all, 'events-controller').spec.storage.volumes[0]).toMatchObject({ size: '5Gi', class: 'local' });
    expect(pool(all, 'events-controller').spec.resources.limits).toMatchObject({ cpu: '1', memory: '2Gi' });
    expect(pool(setup({ controllers: { replicas: 1 } }).all, 'events-controller').spec.storage.volumes[0].class).toBeUndefined();
  });

  test('plain and external listeners; users turn on the simple authorizer', () => {
    const spec = find(setup(EVERYTHING).all, 'Kafka').spec.kafka;
    expect(spec.listeners).toEqual([
      { name: 'plain', port: 9092, type: 'internal', tls: false, authentication: { type: 'scram-sha-512' } },
      { name: 'tls', port: 9093, type: 'internal', tls: true, authentication: { type: 'tls' } },
      {
        name: 'external',
        port: 9094,
        type: 'loadbalancer',
        tls: true,
        authentication: { type: 'tls' },
        configuration: { externalTrafficPolicy: 'Local', loadBalancerSourceRanges: ['203.0.113.0/24'] },
      },
    ]);
    expect(spec.authorization).toEqual({ type: 'simple' });
    expect(spec.config).toMatchObject({
      'log.retention.hours': 72,
      'auto.create.topics.enable': false,
      'compression.type': 'zstd',
      'min.insync.replicas': 2,
    });
  });

  test('external: a NetworkPolicy admits the source ranges to port 9094 of the brokers only', () => {
    const policy = find(setup(EVERYTHING).all, 'NetworkPolicy', 'events-external');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'strimzi.io/cluster': 'events', 'strimzi.io/broker-role': 'true' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 9094 }] }],
    });
    const open = find(setup({ external: true }).all, 'NetworkPolicy', 'events-external');
    expect(open.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 9094 }]);
    expect(open.spec.ingress[0].from.map((peer: any) => peer.ipBlock.cidr)).toEqual(['0.0.0.0/0', '::/0']);
    expect(find(setup({ external: true }).all, 'Kafka').spec.kafka.listeners[1].configuration).toEqual({ externalTrafficPolicy: 'Local' });
  });

  test('topics: KafkaTopic per topic named after the cluster, replicas defaulting to the replication factor', () => {
    const { all } = setup(EVERYTHING);
    expect(find(all, 'KafkaTopic', 'events-orders')).toMatchObject({
      metadata: { namespace: 'tenant-acme', labels: { 'strimzi.io/cluster': 'events' } },
      spec: { topicName: 'orders', partitions: 12, replicas: 3, config: { 'retention.ms': 604800000, 'min.insync.replicas': 2 } },
    });
    expect(find(all, 'KafkaTopic', 'events-audit.log-v2').spec).toEqual({ topicName: 'audit.Log_v2', partitions: 1, replicas: 3 });
  });

  test('users: KafkaUser <id>-<name> with TLS or SCRAM authentication and simple ACLs; passwords only by reference', () => {
    const { platform, kafka, all } = setup(EVERYTHING);
    expect(kafka.userNames).toEqual({ app: 'events-app', legacy: 'events-legacy', generated: 'events-generated' });
    expect(find(all, 'KafkaUser', 'events-app').spec).toEqual({
      authentication: { type: 'tls' },
      authorization: {
        type: 'simple',
        acls: [
          { type: 'allow', resource: { type: 'topic', name: 'orders', patternType: 'literal' }, operations: ['Read', 'Write', 'Describe'] },
          { type: 'allow', resource: { type: 'group', name: 'app-', patternType: 'prefix' }, operations: ['Read'] },
        ],
      },
    });
    expect(find(all, 'KafkaUser', 'events-legacy').spec).toEqual({
      authentication: { type: 'scram-sha-512', password: { valueFrom: { secretKeyRef: { name: 'legacy-kafka', key: 'password' } } } },
      authorization: { type: 'simple', acls: [{ type: 'deny', resource: { type: 'cluster' }, operations: ['Describe'] }] },
    });
    expect(find(all, 'KafkaUser', 'events-generated').spec.authentication).toEqual({ type: 'scram-sha-512' });
    expect(platform.secrets.all().map((s) => `${s.namespace}/${s.ref.name}`)).toEqual(['tenant-acme/legacy-kafka']);
    expect(all.filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  test('rack awareness: the rack key, and broker pods may reach the API server for their init container', () => {
    const { all } = setup(EVERYTHING);
    expect(find(all, 'Kafka').spec.kafka.rack).toEqual({ topologyKey: 'topology.kubernetes.io/zone' });
    expect(pool(all, 'events-broker').spec.template.pod.metadata.labels['kubestrata.io/allow-to-apiserver']).toBe('true');
  });

  test('required anti-affinity for every pool', () => {
    const { all } = setup(EVERYTHING);
    for (const name of ['events-broker', 'events-controller']) {
      const podSpec = pool(all, name).spec.template.pod;
      expect(podSpec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
      expect(podSpec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
    }
  });

  test('monitoring: JMX exporter rules, a metrics Service on 9404 and a ServiceMonitor after the CRDs', () => {
    const { platform, all } = setup(EVERYTHING);
    expect(find(all, 'Kafka').spec.kafka.metricsConfig).toEqual({
      type: 'jmxPrometheusExporter',
      valueFrom: { configMapKeyRef: { name: 'events-kafka-metrics', key: 'metrics-config.yml' } },
    });
    expect(find(all, 'ConfigMap', 'events-kafka-metrics').data['metrics-config.yml']).toContain('lowercaseOutputName: true');
    const service = find(all, 'Service', 'events-kafka-metrics');
    expect(service.spec).toEqual({
      selector: { 'strimzi.io/cluster': 'events', 'strimzi.io/kind': 'Kafka', 'strimzi.io/name': 'events-kafka' },
      ports: [{ name: 'metrics', port: 9404, targetPort: 9404, protocol: 'TCP' }],
    });
    const monitor = find(all, 'ServiceMonitor', 'events');
    expect(monitor.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'kafka',
      'app.kubernetes.io/instance': 'events',
      'app.kubernetes.io/component': 'metrics',
    });
    expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(monitor.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
    expect(platform.registry.find(PrometheusOperatorCrds)).toBeDefined();
  });

  test('combined layout: one pool of controller-brokers for small clusters', () => {
    const { kafka, all } = setup({ nodeLayout: 'combined', replicas: 1 });
    expect(all.filter((m) => m.kind === 'KafkaNodePool').map((m) => m.metadata.name)).toEqual(['events-node']);
    expect(pool(all, 'events-node').spec).toMatchObject({ replicas: 1, roles: ['controller', 'broker'] });
    expect(kafka).toMatchObject({ controllers: 1, replicationFactor: 1, minInsyncReplicas: 1 });
    expect(find(all, 'Kafka').spec.kafka.config).toMatchObject({
      'default.replication.factor': 1,
      'min.insync.replicas': 1,
      'transaction.state.log.min.isr': 1,
    });
  });

  test.each([
    [1, 1, 1],
    [2, 2, 2],
    [3, 3, 2],
    [7, 3, 2],
  ])('%i brokers → replication factor %i, min ISR %i', (replicas, factor, isr) => {
    const { kafka, all } = setup({ replicas });
    expect(kafka).toMatchObject({ replicationFactor: factor, minInsyncReplicas: isr });
    expect(find(all, 'Kafka').spec.kafka.config).toMatchObject({
      'offsets.topic.replication.factor': factor,
      'transaction.state.log.min.isr': isr,
    });
  });

  test('SCRAM on the TLS listeners', () => {
    const { all } = setup({ authentication: 'scram-sha-512', users: { app: {} } });
    expect(find(all, 'Kafka').spec.kafka.listeners[0].authentication).toEqual({ type: 'scram-sha-512' });
    expect(find(all, 'KafkaUser', 'events-app').spec.authentication).toEqual({ type: 'scram-sha-512' });
  });

  test('a baseline Strimzi needs a baseline tenant and says so', () => {
    const platform = newPlatform();
    new Strimzi(platform, { podSecurity: 'baseline' });
    const error = problemsOf(() => new Kafka(new Tenant(platform, 'acme'), 'events'));
    expect(error.problems).toEqual([expect.objectContaining({ property: 'tenant.podSecurity', value: 'restricted' })]);
    expect(error.message).toContain("create the tenant with podSecurity: 'baseline'");
    const ok = newPlatform();
    new Strimzi(ok, { podSecurity: 'baseline' });
    new Kafka(new Tenant(ok, 'acme', { podSecurity: 'baseline' }), 'events');
    expect(find(validated(ok), 'HelmRelease', 'strimzi-kafka-operator').spec.values.extraEnvs[0]).toEqual({
      name: 'STRIMZI_POD_SECURITY_PROVIDER_CLASS',
      value: 'baseline',
    });
  });

  test('K3s delivery installs Strimzi through a HelmChart from the OCI registry', () => {
    const { all } = setup(undefined, { delivery: 'k3s' });
    const chart = find(all, 'HelmChart', 'strimzi-kafka-operator');
    expect(chart.spec).toMatchObject({ targetNamespace: 'strimzi', version: '0.45.1-rc1' });
    expect(JSON.stringify(chart.spec)).toContain('quay.io/strimzi-helm');
  });
});

describe('Kafka errors', () => {
  test.each<[string, KafkaProps, string, unknown, string]>([
    ['unknown version', { version: '3.7' as any }, 'version', '3.7', 'must be one of "3.9", "3.8"'],
    ['no brokers', { replicas: 0 }, 'replicas', 0, 'must be a whole number ≥ 1'],
    [
      'even controllers',
      { controllers: { replicas: 2 } },
      'controllers.replicas',
      2,
      'must be an odd whole number ≥ 1 (the KRaft quorum needs a majority)',
    ],
    [
      'controller size',
      { controllers: { storage: { size: 'big' } } },
      'controllers.storage.size',
      'big',
      'must be a positive Kubernetes quantity',
    ],
    [
      'controller class',
      { controllers: { storage: { storageClass: 'Fast_SSD' } } },
      'controllers.storage.storageClass',
      'Fast_SSD',
      'must be a StorageClass name',
    ],
    [
      'controller resources',
      { controllers: { resources: 'x1.huge' as any } },
      'controllers.resources',
      'x1.huge',
      'must be one of "t1.nano"',
    ],
    [
      'entity operator resources',
      { entityOperatorResources: { cpu: '0', memory: '1Gi' } },
      'entityOperatorResources.cpu',
      '0',
      'must be a positive Kubernetes quantity',
    ],
    ['unknown layout', { nodeLayout: 'mixed' as any }, 'nodeLayout', 'mixed', 'must be one of "dedicated", "combined"'],
    [
      'combined with controllers',
      { nodeLayout: 'combined', replicas: 3, controllers: { replicas: 3 } },
      'controllers',
      { replicas: 3 },
      'only applies to nodeLayout "dedicated"',
    ],
    ['combined even', { nodeLayout: 'combined', replicas: 2 }, 'replicas', 2, 'must be odd with nodeLayout "combined"'],
    ['unknown authentication', { authentication: 'plain' as any }, 'authentication', 'plain', 'must be one of "tls", "scram-sha-512"'],
    ['plainListener not boolean', { plainListener: 'yes' as any }, 'plainListener', 'yes', 'must be true or false'],
    ['rack key', { rackTopologyKey: 'zone name' }, 'rackTopologyKey', 'zone name', 'must be a node label key'],
    [
      'config owned by Strimzi',
      { config: { listeners: 'PLAINTEXT://:9092' } },
      'config.listeners',
      'PLAINTEXT://:9092',
      'is set by the Strimzi operator',
    ],
    [
      'config prefix owned by Strimzi',
      { config: { 'ssl.keystore.location': '/x' } },
      'config.ssl.keystore.location',
      '/x',
      'is set by the Strimzi operator',
    ],
    [
      'config derived',
      { config: { 'min.insync.replicas': 1 } },
      'config.min.insync.replicas',
      1,
      'is derived from replicas (1→1/1, 2→2/2, ≥3→3/2)',
    ],
    ['config name', { config: { 'Log Retention': 1 } }, 'config.Log Retention', 1, 'is not a Kafka setting name'],
    [
      'config value',
      { config: { 'log.retention.hours': { h: 1 } as any } },
      'config.log.retention.hours',
      { h: 1 },
      'must be a string, a number or true or false',
    ],
    ['topic name', { topics: [{ name: 'orders/eu' }] }, 'topics[0].name', 'orders/eu', 'must be a Kafka topic name'],
    ['internal topic', { topics: [{ name: '__consumer_offsets' }] }, 'topics[0].name', '__consumer_offsets', 'not starting with "__"'],
    ['topic partitions', { topics: [{ name: 'a', partitions: 0 }] }, 'topics[0].partitions', 0, 'must be a whole number ≥ 1'],
    [
      'topic replicas',
      { topics: [{ name: 'a', replicas: 4 }] },
      'topics[0].replicas',
      4,
      'must be a whole number from 1 to the number of brokers (3)',
    ],
    [
      'topic min ISR',
      { topics: [{ name: 'a', replicas: 2, config: { 'min.insync.replicas': 3 } }] },
      'topics[0].config.min.insync.replicas',
      3,
      "must not exceed the topic's replicas (2)",
    ],
    [
      'topic config value',
      { topics: [{ name: 'a', config: { 'retention.ms': '' } }] },
      'topics[0].config.retention.ms',
      '',
      'must be a number, a boolean or a non-empty single-line string',
    ],
    ['user name', { users: { App_1: {} } }, 'users.App_1', 'App_1', 'must be a DNS-1123 label'],
    [
      'user authentication',
      { users: { app: { authentication: 'oauth' as any } } },
      'users.app.authentication',
      'oauth',
      'must be one of "tls", "scram-sha-512"',
    ],
    [
      'tls user on a scram cluster',
      { authentication: 'scram-sha-512', users: { app: { authentication: 'tls' } } },
      'users.app.authentication',
      'tls',
      'needs a listener with TLS client authentication',
    ],
    [
      'scram user without a scram listener',
      { users: { app: { authentication: 'scram-sha-512' } } },
      'users.app.authentication',
      'scram-sha-512',
      'needs a listener with SCRAM authentication',
    ],
    [
      'password for a tls user',
      { users: { app: { password: SecretRef.fromConfig('app-pw', ['password']) } } },
      'users.app.password',
      'app-pw',
      'only applies to scram-sha-512 users',
    ],
    [
      'password without its key',
      { plainListener: true, users: { app: { authentication: 'scram-sha-512', password: SecretRef.fromConfig('app-pw', ['pw']) } } },
      'users.app.password.keys',
      ['pw'],
      'must include "password"',
    ],
    [
      'acl resource type',
      { users: { app: { acls: [{ resource: { type: 'queue' as any, name: 'a' }, operations: ['Read'] }] } } },
      'users.app.acls[0].resource.type',
      'queue',
      'must be one of "topic", "group", "cluster", "transactionalId"',
    ],
    [
      'acl without a name',
      { users: { app: { acls: [{ resource: { type: 'topic' }, operations: ['Read'] }] } } },
      'users.app.acls[0].resource.name',
      undefined,
      'is required for a topic resource',
    ],
    [
      'acl cluster with a name',
      { users: { app: { acls: [{ resource: { type: 'cluster', name: 'x' }, operations: ['Describe'] }] } } },
      'users.app.acls[0].resource.name',
      'x',
      'does not apply to the cluster resource',
    ],
    [
      'acl pattern',
      { users: { app: { acls: [{ resource: { type: 'topic', name: 'a', patternType: 'glob' as any }, operations: ['Read'] }] } } },
      'users.app.acls[0].resource.patternType',
      'glob',
      'must be one of "literal", "prefix"',
    ],
    [
      'acl without operations',
      { users: { app: { acls: [{ resource: { type: 'topic', name: 'a' }, operations: [] }] } } },
      'users.app.acls[0].operations',
      [],
      'must list at least one operation',
    ],
    [
      'acl operation',
      { users: { app: { acls: [{ resource: { type: 'topic', name: 'a' }, operations: ['Produce' as any] }] } } },
      'users.app.acls[0].operations[0]',
      'Produce',
      'must be one of "Read", "Write"',
    ],
    [
      'acl type',
      { users: { app: { acls: [{ resource: { type: 'topic', name: 'a' }, operations: ['Read'], type: 'permit' as any }] } } },
      'users.app.acls[0].type',
      'permit',
      'must be one of "allow", "deny"',
    ],
    [
      'external ranges without external',
      { externalSourceRanges: ['10.0.0.0/8'] },
      'externalSourceRanges',
      ['10.0.0.0/8'],
      'only applies to the LoadBalancer of external: true',
    ],
  ])('%s', (_, props, property, value, rule) => {
    const error = problemsOf(() => setup(props));
    expect(error.path).toBe('platform/acme/events');
    expect(error.problems).toEqual([expect.objectContaining({ property, value })]);
    expect(error.problems[0].rule).toContain(rule);
  });

  test('two topics that map to one KafkaTopic name', () => {
    const error = problemsOf(() => setup({ topics: [{ name: 'a_b' }, { name: 'a-b' }] }));
    expect(error.problems).toEqual([expect.objectContaining({ property: 'topics[1].name', value: 'a-b' })]);
    expect(error.problems[0].rule).toBe('maps to the same KafkaTopic name "events-a-b" as topic "a_b"');
  });

  test('a user name that makes the KafkaUser name too long', () => {
    const name = 'u'.repeat(57);
    const error = problemsOf(() => setup({ users: { [name]: {} } }));
    expect(error.problems).toEqual([expect.objectContaining({ property: `users.${name}`, value: name })]);
    expect(error.problems[0].rule).toContain('within 63 characters');
  });

  test('ids longer than the Strimzi-derived names allow', () => {
    const id = 'k'.repeat(25);
    const error = problemsOf(() => new Kafka(new Tenant(newPlatform(), 'acme'), id));
    expect(error.problems).toEqual([expect.objectContaining({ property: 'id', value: id })]);
    expect(error.message).toContain('at most 24 characters');
    expect(error.message).toContain('Strimzi names the pods <id>-<id>-controller-<n>');
  });

  test('all problems of one Kafka are reported together', () => {
    const error = problemsOf(() => setup({ replicas: 0, controllers: { replicas: 2 }, topics: [{ name: '' }] }));
    expect(error.problems.map((p) => p.property)).toEqual(['replicas', 'controllers.replicas', 'topics[0].name']);
  });

  test('an unknown Strimzi pod security', () => {
    const error = problemsOf(() => new Strimzi(newPlatform(), { podSecurity: 'privileged' as any }));
    expect(error.path).toBe('platform/data/strimzi');
    expect(error.problems).toEqual([
      expect.objectContaining({ property: 'podSecurity', value: 'privileged', rule: 'must be one of "restricted", "baseline"' }),
    ]);
  });
});
