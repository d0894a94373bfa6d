import { RabbitMq, RabbitMqProps } from '../../../constructs/data/rabbitmq';
import { RabbitMqOperator } from '../../../constructs/data/rabbitmq-operator';
import { CertManager } from '../../../constructs/platform/cert-manager';
import { PrometheusOperatorCrds } from '../../../constructs/platform/prometheus-operator-crds';
import { Tenant } from '../../../constructs/platform/tenant';

import { PlatformProps } from '../../../lib/core/platform';
import { SecretRef } from '../../../lib/core/secrets';

import { versions } from '../../../lib/versions';
import { find, newPlatform, problemsOf, validated } from '../../helpers';

function setup(props?: RabbitMqProps, platformProps?: PlatformProps) {
  const platform = newPlatform(platformProps);
  const tenant = new Tenant(platform, 'acme');
  const mq = new RabbitMq(tenant, 'events', props);
  return { platform, tenant, mq, all: validated(platform) };
}

const pods = { 'app.kubernetes.io/name': 'events', 'app.kubernetes.io/component': 'rabbitmq', 'app.kubernetes.io/part-of': 'rabbitmq' };
const restricted = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};
const topology = (all: any[]) => all.filter((m) => m.apiVersion === 'rabbitmq.com/v1beta1' && m.kind !== 'RabbitmqCluster');

describe('RabbitMQ defaults', () => {
  test('three nodes of the 4.2.4 management image with a 10Gi volume each, as Cozystack runs them', () => {
    const { mq, all } = setup();
    const spec = find(all, 'RabbitmqCluster', 'events').spec;
    expect(spec).toMatchObject({ replicas: 3, image: 'docker.io/library/rabbitmq:4.2.4-management', persistence: { storage: '10Gi' } });
    expect(spec.service).toBeUndefined();
    expect(mq).toMatchObject({
      version: 'v4.2',
      replicas: 3,
      external: false,
      monitoring: false,
      host: 'events.tenant-acme.svc.cluster.local',
      defaultUserSecretName: 'events-default-user',
      tlsSecretName: 'events-tls',
    });
    expect(versions.rabbitmq.releases['v4.2']).toBe('4.2.4');
  });

  test('t1.small limits (512Mi: the management plugin does not fit t1.nano), requests by the allocation ratio', () => {
    expect(find(setup().all, 'RabbitmqCluster').spec.resources).toEqual({
      limits: { cpu: '1', memory: '512Mi', 'ephemeral-storage': '2Gi' },
      requests: { cpu: '100m', memory: '512Mi', 'ephemeral-storage': '52Mi' },
    });
  });

  test('TLS listeners with a server certificate from the operator CA', () => {
    const { mq, all } = setup();
    expect(find(all, 'RabbitmqCluster').spec.tls).toEqual({ secretName: 'events-tls' });
    expect(find(all, 'Certificate', 'events-tls').spec).toEqual({
      secretName: 'events-tls',
      dnsNames: [
        'events',
        'events.tenant-acme',
        'events.tenant-acme.svc',
        'events.tenant-acme.svc.cluster.local',
        '*.events-nodes.tenant-acme.svc',
        '*.events-nodes.tenant-acme.svc.cluster.local',
      ],
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      issuerRef: { name: 'kubestrata-rabbitmq-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' },
    });
    expect(mq.issuer).toEqual({ name: 'kubestrata-rabbitmq-ca', kind: 'ClusterIssuer' });
  });

  test('nodes meet the restricted Pod Security level and reach the API for peer discovery', () => {
    const template = find(setup().all, 'RabbitmqCluster').spec.override.statefulSet.spec.template;
    expect(template.metadata.labels).toEqual({ 'kubestrata.io/tenant': 'acme', 'kubestrata.io/allow-to-apiserver': 'true' });
    expect(template.spec.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 999,
      runAsGroup: 999,
      fsGroup: 999,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(template.spec.containers).toEqual([{ name: 'rabbitmq', securityContext: restricted }]);
    expect(template.spec.initContainers).toEqual([{ name: 'setup-container', securityContext: restricted }]);
  });

  test('nodes are spread across hosts by the labels the operator puts on them', () => {
    const spec = find(setup().all, 'RabbitmqCluster').spec;
    expect(spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: pods } } },
    ]);
    expect(spec.override.statefulSet.spec.template.spec.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: pods } },
    ]);
  });

  test('both operators come from one release that waits for cert-manager, with the upstream images', () => {
    const { platform, mq, all } = setup();
    const operator = platform.registry.find(RabbitMqOperator)!;
    expect(platform.registry.requirementsOf(mq)).toEqual([operator, platform.registry.find(CertManager)]);
    expect(platform.registry.requirementsOf(operator)).toEqual([platform.registry.find(CertManager)]);
    expect([operator.version, operator.topologyVersion]).toEqual(['2.9.0', '1.14.2']);
    const release = find(all, 'HelmRelease', 'rabbitmq-operator');
    expect(release.metadata.namespace).toBe('rabbitmq-operator');
    expect(release.spec.dependsOn).toEqual([{ name: 'cert-manager', namespace: 'cert-manager' }]);
    expect(release.spec.values).toMatchObject({
      clusterOperator: { image: { registry: 'docker.io', repository: 'rabbitmqoperator/cluster-operator', tag: '2.9.0' } },
      msgTopologyOperator: { image: { registry: 'docker.io', repository: 'rabbitmqoperator/messaging-topology-operator', tag: '1.14.2' } },
      useCertManager: true,
    });
    expect(find(all, 'OCIRepository', 'rabbitmq-operator').spec).toMatchObject({
      url: 'oci://registry-1.docker.io/bitnamicharts/rabbitmq-cluster-operator',
      ref: { tag: '4.3.3' },
    });
    expect(find(all, 'Namespace', 'rabbitmq-operator').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('the operator CA: a ClusterIssuer whose certificate the topology operator trusts', () => {
    const all = setup().all;
    expect(find(all, 'ClusterIssuer', 'kubestrata-rabbitmq-selfsigned').spec).toEqual({ selfSigned: {} });
    expect(find(all, 'Certificate', 'kubestrata-rabbitmq-ca')).toMatchObject({
      metadata: { namespace: 'cert-manager' },
      spec: {
        isCA: true,
        secretName: 'kubestrata-rabbitmq-ca',
        issuerRef: { name: 'kubestrata-rabbitmq-selfsigned', kind: 'ClusterIssuer' },
      },
    });
    expect(find(all, 'ClusterIssuer', 'kubestrata-rabbitmq-ca').spec).toEqual({ ca: { secretName: 'kubestrata-rabbitmq-ca' } });
    expect(find(all, 'Certificate', 'rabbitmq-ca-trust')).toMatchObject({
      metadata: { namespace: 'rabbitmq-operator' },
      spec: { secretName: 'rabbitmq-ca-trust', issuerRef: { name: 'kubestrata-rabbitmq-ca', kind: 'ClusterIssuer' } },
    });
    const topologyOperator = find(all, 'HelmRelease', 'rabbitmq-operator').spec.values.msgTopologyOperator;
    expect(topologyOperator.extraVolumes).toEqual([
      { name: 'rabbitmq-ca', secret: { secretName: 'rabbitmq-ca-trust', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
    ]);
    expect(topologyOperator.extraVolumeMounts).toEqual([
      { name: 'rabbitmq-ca', mountPath: '/etc/ssl/certs/kubestrata-rabbitmq-ca.crt', subPath: 'ca.crt', readOnly: true },
    ]);
  });

  test('no LoadBalancer, ServiceMonitor, users or vhosts unless asked; no Secret is rendered', () => {
    const { platform, all } = setup();
    expect(all.filter((m) => ['ServiceMonitor', 'Secret', 'Service'].includes(m.kind))).toEqual([]);
    expect(all.filter((m) => m.kind === 'NetworkPolicy' && m.metadata.name.startsWith('events')).map((m) => m.metadata.name)).toEqual([
      'events-from-operator',
    ]);
    expect(topology(all)).toEqual([]);
    expect(platform.secrets.all()).toEqual([]);
  });

  test('small snapshot of the default RabbitmqCluster spec', () => {
    const spec = find(setup().all, 'RabbitmqCluster').spec;
    expect({
      replicas: spec.replicas,
      image: spec.image,
      tls: spec.tls,
      persistence: spec.persistence,
      override: spec.override,
    }).toMatchSnapshot();
  });
});

describe('RabbitMQ options', () => {
  test('vhosts with admin/readonly roles and users with generated credentials become topology objects', () => {
    const { platform, all } = setup({
      users: { orders_app: { tags: ['management'] }, reporting: {} },
      vhosts: { orders: { roles: { admin: ['orders_app'], readonly: ['reporting'] } }, audit: { defaultQueueType: 'stream' } },
    });
    const cluster = { name: 'events' };
    expect(find(all, 'Vhost', 'events.orders').spec).toEqual({
      name: 'orders',
      defaultQueueType: 'quorum',
      rabbitmqClusterReference: cluster,
    });
    expect(find(all, 'Vhost', 'events.audit').spec.defaultQueueType).toBe('stream');
    expect(find(all, 'User', 'events.orders-app').spec).toEqual({
      importCredentialsSecret: { name: 'events.orders-app-credentials' },
      tags: ['management'],
      rabbitmqClusterReference: cluster,
    });
    expect(find(all, 'User', 'events.reporting').spec.tags).toBeUndefined();
    expect(find(all, 'Permission', 'events.orders.orders-app').spec).toEqual({
      vhost: 'orders',
      userReference: { name: 'events.orders-app' },
      permissions: { configure: '.*', write: '.*', read: '.*' },
      rabbitmqClusterReference: cluster,
    });
    expect(find(all, 'Permission', 'events.orders.reporting').spec.permissions).toEqual({ configure: '', write: '', read: '.*' });
    expect(platform.secrets.all().map((s) => [s.ref.name, s.ref.source, s.ref.fixed.username])).toEqual([
      ['events.orders-app-credentials', 'generated', 'orders_app'],
      ['events.reporting-credentials', 'generated', 'reporting'],
    ]);
    expect(all.filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  test('credentials from config', () => {
    const credentials = SecretRef.fromConfig('billing-amqp', ['username', 'password']);
    const { platform, all } = setup({ users: { billing: { credentials } } });
    expect(find(all, 'User', 'events.billing').spec.importCredentialsSecret).toEqual({ name: 'billing-amqp' });
    expect(platform.secrets.all().map((s) => s.ref)).toEqual([credentials]);
  });

  test('one node: classic queues by default and no spread needed beyond the defaults', () => {
    const { all } = setup({ replicas: 1, vhosts: { app: {} } });
    expect(find(all, 'RabbitmqCluster').spec.replicas).toBe(1);
    expect(find(all, 'Vhost', 'events.app').spec.defaultQueueType).toBe('classic');
  });

  test('version, storage and explicit resources', () => {
    const spec = find(
      setup({ version: 'v3.13', storage: { size: '50Gi', storageClass: 'replicated' }, resources: { cpu: '2', memory: '4Gi' } }).all,
      'RabbitmqCluster',
    ).spec;
    expect(spec.image).toBe('docker.io/library/rabbitmq:3.13.7-management');
    expect(spec.persistence).toEqual({ storage: '50Gi', storageClassName: 'replicated' });
    expect(spec.resources.limits).toMatchObject({ cpu: '2', memory: '4Gi' });
  });

  test('external: the client Service as a LoadBalancer, the TLS ports admitted from the source ranges', () => {
    const all = setup({ external: true, externalSourceRanges: ['203.0.113.0/24'] }).all;
    const spec = find(all, 'RabbitmqCluster').spec;
    expect(spec.service).toEqual({ type: 'LoadBalancer' });
    expect(spec.override.service).toEqual({ spec: { externalTrafficPolicy: 'Local', loadBalancerSourceRanges: ['203.0.113.0/24'] } });
    expect(find(all, 'NetworkPolicy', 'events-external').spec).toEqual({
      podSelector: { matchLabels: pods },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ ipBlock: { cidr: '203.0.113.0/24' } }],
          ports: [
            { protocol: 'TCP', port: 5671 },
            { protocol: 'TCP', port: 15671 },
          ],
        },
      ],
    });
  });

  test('tls: false drops the certificate; external then admits the plain ports', () => {
    const { mq, all } = setup({ tls: false, external: true });
    expect(find(all, 'RabbitmqCluster').spec.tls).toBeUndefined();
    expect(all.filter((m) => m.kind === 'Certificate' && m.metadata.namespace === 'tenant-acme')).toEqual([]);
    expect(find(all, 'NetworkPolicy', 'events-external').spec.ingress[0].ports).toEqual([
      { protocol: 'TCP', port: 5672 },
      { protocol: 'TCP', port: 15672 },
    ]);
    expect([mq.tls, mq.tlsSecretName, mq.issuer]).toEqual([undefined, undefined, undefined]);
  });

  test('a certificate from your own issuer, with the external host name', () => {
    const { mq, all } = setup({ tls: { issuer: { name: 'letsencrypt', kind: 'ClusterIssuer' }, dnsNames: ['mq.example.com'] } });
    const cert = find(all, 'Certificate', 'events-tls').spec;
    expect(cert.issuerRef).toEqual({ name: 'letsencrypt', kind: 'ClusterIssuer', group: 'cert-manager.io' });
    expect(cert.dnsNames).toContain('mq.example.com');
    expect(new RabbitMq(mq.tenant, 'other', { tls: { issuer: { name: 'tenant-ca' } } }).issuer).toEqual({
      name: 'tenant-ca',
      kind: 'Issuer',
    });
  });

  test('monitoring: a ServiceMonitor on the prometheus port of the client Service, after the CRDs', () => {
    const { platform, mq, all } = setup({ monitoring: true });
    const monitor = find(all, 'ServiceMonitor', 'events');
    expect(monitor.spec).toEqual({
      selector: { matchLabels: pods },
      namespaceSelector: { matchNames: ['tenant-acme'] },
      endpoints: [{ port: 'prometheus', path: '/metrics', interval: '30s' }],
    });
    expect(platform.registry.requirementsOf(mq)).toContain(platform.registry.find(PrometheusOperatorCrds));
  });

  test('required anti-affinity', () => {
    const spec = find(setup({ antiAffinity: 'required' }).all, 'RabbitmqCluster').spec;
    expect(spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: pods } },
    ]);
    expect(spec.override.statefulSet.spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
  });

  test('K3s delivery installs the OCI chart through a HelmChart', () => {
    const all = setup(undefined, { delivery: 'k3s' }).all;
    expect(find(all, 'HelmChart', 'rabbitmq-operator').spec).toMatchObject({
      chart: 'oci://registry-1.docker.io/bitnamicharts/rabbitmq-cluster-operator',
      version: '4.3.3',
      targetNamespace: 'rabbitmq-operator',
    });
  });

  test('a tenant using every option validates against the CRDs and Kubernetes schemas', () => {
    const platform = newPlatform({ storageClass: 'replicated' });
    const tenant = new Tenant(platform, 'acme');
    new RabbitMq(tenant, 'bus', {
      replicas: 5,
      version: 'v4.1',
      storage: { size: '20Gi', storageClass: 'local' },
      resources: 't1.medium',
      external: true,
      externalSourceRanges: ['198.51.100.0/24'],
      monitoring: true,
      antiAffinity: 'required',
      tls: { issuer: { name: 'corp-ca', kind: 'ClusterIssuer' }, dnsNames: ['bus.example.com', '*.bus.example.com'] },
      users: {
        app: { tags: ['management', 'policymaker'] },
        ops: { tags: ['administrator'], credentials: SecretRef.existing('ops-amqp', ['username', 'password']) },
      },
      vhosts: {
        app: { roles: { admin: ['app'], readonly: ['ops'] }, defaultQueueType: 'quorum' },
        logs: { roles: { admin: ['ops'] }, defaultQueueType: 'stream' },
      },
    });
    new RabbitMq(tenant, 'plain', { replicas: 1, version: 'v4.0', tls: false, external: true });
    const all = validated(platform);
    expect(
      topology(all)
        .map((m) => m.kind)
        .sort(),
    ).toEqual(['Permission', 'Permission', 'Permission', 'User', 'User', 'Vhost', 'Vhost']);
  });
});

describe('RabbitMQ errors', () => {
  test.each<[string, RabbitMqProps, string, unknown, string]>([
    ['user name', { users: { 'Orders App': {} } }, 'users.Orders App', 'Orders App', 'must be a user name of at most 63 characters'],
    ['guest', { users: { guest: {} } }, 'users.guest', 'guest', 'is the built-in user RabbitMQ admits from localhost only'],
    ['users whose object names collide', { users: { a_b: {}, 'a-b': {} } }, 'users.a-b', 'a-b', 'names the same objects as user "a_b"'],
    [
      'unknown tag',
      { users: { app: { tags: ['root' as any] } } },
      'users.app.tags[0]',
      'root',
      'must be one of "management", "policymaker", "monitoring", "administrator"',
    ],
    [
      'repeated tag',
      { users: { app: { tags: ['management', 'management'] } } },
      'users.app.tags',
      ['management', 'management'],
      'must be a list without repeats',
    ],
    [
      'credentials without keys',
      { users: { app: { credentials: SecretRef.existing('app', ['password']) } } },
      'users.app.credentials.keys',
      ['password'],
      'must include "username"',
    ],
    ['vhost name', { vhosts: { '/': {} } }, 'vhosts./', '/', 'must be a vhost name of at most 63 characters'],
    [
      'queue type',
      { vhosts: { app: { defaultQueueType: 'mirrored' as any } } },
      'vhosts.app.defaultQueueType',
      'mirrored',
      'must be one of "quorum", "classic", "stream"',
    ],
    [
      'role of an unknown user',
      { vhosts: { app: { roles: { admin: ['ghost'] } } } },
      'vhosts.app.roles.admin',
      'ghost',
      'is not one of the users of this RabbitMQ',
    ],
    [
      'roles not a list',
      { vhosts: { app: { roles: { readonly: 'ghost' as any } } } },
      'vhosts.app.roles.readonly',
      'ghost',
      'must be a list',
    ],
    [
      'admin and readonly',
      { users: { app: {} }, vhosts: { app: { roles: { admin: ['app'], readonly: ['app'] } } } },
      'vhosts.app.roles',
      'app',
      'is both admin and readonly',
    ],
    ['tls not settings', { tls: 'on' as any }, 'tls', 'on', 'must be true or false or an object'],
    [
      'issuer name',
      { tls: { issuer: { name: 'Corp CA' } } },
      'tls.issuer.name',
      'Corp CA',
      'must be the name of a cert-manager Issuer or ClusterIssuer',
    ],
    [
      'issuer kind',
      { tls: { issuer: { name: 'ca', kind: 'Vault' as any } } },
      'tls.issuer.kind',
      'Vault',
      'must be one of "Issuer", "ClusterIssuer"',
    ],
    ['dns name', { tls: { dnsNames: ['MQ example'] } }, 'tls.dnsNames', 'MQ example', 'must be a DNS name'],
    ['unknown version', { version: 'v3.12' as any }, 'version', 'v3.12', 'must be one of "v4.2", "v4.1", "v4.0", "v3.13"'],
    ['no replicas', { replicas: 0 }, 'replicas', 0, 'must be a whole number ≥ 1'],
    ['storage size', { storage: { size: 'ten' } }, 'storage.size', 'ten', 'must be a positive Kubernetes quantity'],
  ])('%s', (_, props, property, value, rule) => {
    const error = problemsOf(() => setup(props));
    expect(error.path).toBe('platform/acme/events');
    expect(error.problems).toEqual([expect.objectContaining({ property, value })]);
    expect(error.problems[0].rule).toContain(rule);
  });

  test('every problem of a RabbitMQ is reported at once', () => {
    const error = problemsOf(() => setup({ replicas: -1, users: { guest: {} }, vhosts: { app: { roles: { admin: ['nobody'] } } } }));
    expect(error.problems.map((p) => p.property)).toEqual(['replicas', 'users.guest', 'vhosts.app.roles.admin']);
  });

  test('ids longer than the operator-derived names allow', () => {
    const id = 'a'.repeat(43);
    const error = problemsOf(() => new RabbitMq(new Tenant(newPlatform(), 'acme'), id));
    expect(error.problems).toEqual([expect.objectContaining({ property: 'id', value: id })]);
    expect(error.message).toContain('at most 42 characters');
  });
});
