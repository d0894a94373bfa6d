import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkProps } from '../../lib/core/props-check';
import { SecretRef } from '../../lib/core/secrets';
import { versions } from '../../lib/versions';
import { CertManager } from '../platform/cert-manager';
import { ServiceConnection } from './service-connection';
import { ManagedService, ManagedServicePort, RESTRICTED_CONTAINER_SECURITY } from './managed-service';
import { RABBITMQ_VERSIONS, RabbitMqIssuer, RabbitMqProps, RabbitMqTls, RabbitMqVersion } from './rabbitmq-props';
import { RabbitMqOperator } from './rabbitmq-operator';
import { CERT_MANAGER, serverCertificate } from './rabbitmq-tls';
import {
  checkTopology,
  dnsName,
  permissions,
  RabbitMqPermission,
  RabbitMqUserSettings,
  RabbitMqVhostSettings,
  resolveUsers,
  resolveVhosts,
} from './rabbitmq-topology';

export * from './rabbitmq-props';

const API = 'rabbitmq.com/v1beta1';
/** The administrator the cluster-operator creates, and the keys of its Secret `<id>-default-user`. */
const DEFAULT_USER = 'default-user';
const DEFAULT_USER_SECRET_KEYS = ['username', 'password', 'host', 'port', 'provider', 'type', 'default_user.conf'];
const PORTS = { amqp: 5672, amqps: 5671, management: 15672, managementTls: 15671, prometheus: 15692 };
/** The rabbitmq user of the official image. */
const RABBITMQ_UID = 999;
const POD_SECURITY = {
  runAsNonRoot: true,
  runAsUser: RABBITMQ_UID,
  runAsGroup: RABBITMQ_UID,
  fsGroup: RABBITMQ_UID,
  seccompProfile: { type: 'RuntimeDefault' },
};
const ISSUER_KINDS = ['Issuer', 'ClusterIssuer'];
const DNS_NAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * RabbitMQ run by the RabbitMQ cluster-operator inside a tenant: a `RabbitmqCluster` spread across nodes with
 * TLS listeners from cert-manager, and `Vhost`, `User` and `Permission` objects for the messaging-topology-operator.
 * Optionally its Service becomes a LoadBalancer (TLS ports admitted) and a ServiceMonitor scrapes every node.
 */
export class RabbitMq extends ManagedService<RabbitMqVersion> {
  readonly image: string;
  readonly users: Readonly<Record<string, RabbitMqUserSettings>>;
  readonly vhosts: Readonly<Record<string, RabbitMqVhostSettings>>;
  readonly permissions: readonly RabbitMqPermission[];
  /** TLS settings; undefined with `tls: false`. */
  readonly tls?: RabbitMqTls;
  /** Issuer of the server certificate, when TLS is on: the operator's CA unless given. */
  readonly issuer?: Required<RabbitMqIssuer>;
  /** Secret with the server certificate and key (and `ca.crt`), when TLS is on. */
  readonly tlsSecretName?: string;
  /** In-cluster DNS name of the client Service: AMQP 5672 (AMQPS 5671), management 15672 (HTTPS 15671). */
  readonly host: string;
  /** Secret the operator writes with the administrator's credentials. */
  readonly defaultUserSecretName: string;
  /** The `RabbitmqCluster`. */
  readonly cluster: ApiObject;

  constructor(scope: Construct, id: string, props: RabbitMqProps = {}) {
    checkProps(scope, id, 'RabbitMqProps', props);
    super(scope, id, props, {
      kind: 'rabbitmq',
      replicas: 3,
      minReplicas: 1,
      versions: RABBITMQ_VERSIONS,
      version: 'v4.2',
      storageSize: '10Gi',
      resources: 't1.small',
      maxNameLength: 42,
      nameReason: 'the operator derives its StatefulSet, Services and Secrets from it (<id>-server, <id>-nodes, <id>-erlang-cookie)',
    });
    this.image = `${versions.rabbitmq.image}:${versions.rabbitmq.releases[this.version] ?? ''}-management`;
    this.users = resolveUsers(id, props.users ?? {});
    this.vhosts = resolveVhosts(props.vhosts ?? {}, this.replicas > 1);
    this.permissions = permissions(id, this.vhosts);
    this.tls = props.tls === false ? undefined : props.tls === true || props.tls === undefined ? {} : props.tls;
    this.tlsSecretName = this.tls && `${id}-tls`;
    this.host = this.serviceHost(id);
    this.defaultUserSecretName = `${id}-default-user`;
    const secrets = this.check(props);
    for (const ref of secrets) this.platform.secrets.use(this.namespace, ref, this.node.path);
    const operator = this.requireOperator(RabbitMqOperator);
    if (this.tls) {
      this.requireOperator(CertManager);
      this.issuer = {
        name: this.tls.issuer?.name ?? operator.clusterIssuer,
        kind: this.tls.issuer?.kind ?? (this.tls.issuer ? 'Issuer' : 'ClusterIssuer'),
      };
      this.object(
        'certificate',
        CERT_MANAGER,
        'Certificate',
        this.tlsSecretName!,
        {
          spec: serverCertificate(id, this.namespace, this.platform.clusterDomain, this.issuer, this.tls.dnsNames ?? []),
        },
        'tls',
      );
    }
    this.cluster = this.object('cluster', API, 'RabbitmqCluster', id, { spec: this.spec() });
    this.node.defaultChild = this.cluster;
    this.renderTopology();
    // The cluster-operator and the topology operator manage the nodes through the management API (HTTPS with TLS).
    this.allowFromOperator(operator, this.pods(), this.tls ? [PORTS.management, PORTS.managementTls] : [PORTS.management]);
    if (this.external) this.allowExternal(this.pods(), this.externalPorts());
    this.monitor(this.pods(), 'prometheus', [{ pods: this.pods(), port: PORTS.prometheus }]);
  }

  get connection(): ServiceConnection {
    return {
      host: this.host,
      hosts: {},
      ports: this.tls
        ? { amqp: PORTS.amqp, amqps: PORTS.amqps, management: PORTS.management, managementTls: PORTS.managementTls }
        : { amqp: PORTS.amqp, management: PORTS.management },
      credentials: {
        [DEFAULT_USER]: { name: this.defaultUserSecretName, keys: DEFAULT_USER_SECRET_KEYS },
        ...Object.fromEntries(
          Object.entries(this.users).map(([user, { credentials }]) => [user, { name: credentials.name, keys: credentials.keys }]),
        ),
      },
      tlsCa: this.tlsSecretName ? { secretName: this.tlsSecretName, key: 'ca.crt' } : undefined,
    };
  }

  private spec(): Record<string, unknown> {
    const { affinity, topologySpreadConstraints } = this.spread(this.pods());
    return {
      replicas: this.replicas,
      image: this.image,
      resources: { limits: { ...this.resources.limits }, requests: { ...this.resources.requests } },
      persistence: { storage: this.storage.size, storageClassName: this.storage.storageClass },
      service: this.external ? { type: 'LoadBalancer' } : undefined,
      affinity,
      tls: this.tlsSecretName ? { secretName: this.tlsSecretName } : undefined,
      override: {
        statefulSet: {
          spec: {
            template: {
              metadata: { labels: this.podLabels({ apiserver: true }) },
              spec: {
                securityContext: POD_SECURITY,
                topologySpreadConstraints,
                // Merged by name into the operator's containers: what the restricted Pod Security level asks for.
                containers: [{ name: 'rabbitmq', securityContext: { ...RESTRICTED_CONTAINER_SECURITY } }],
                initContainers: [{ name: 'setup-container', securityContext: { ...RESTRICTED_CONTAINER_SECURITY } }],
              },
            },
          },
        },
        service: this.external
          ? {
              spec: {
                externalTrafficPolicy: 'Local',
                loadBalancerSourceRanges: this.externalSourceRanges && [...this.externalSourceRanges],
              },
            }
          : undefined,
      },
    };
  }

  private renderTopology(): void {
    const cluster = { name: this.serviceName };
    for (const [name, vhost] of Object.entries(this.vhosts)) {
      this.object(
        `vhost-${name}`,
        API,
        'Vhost',
        this.derivedName(dnsName(name)),
        {
          spec: { name, defaultQueueType: vhost.defaultQueueType, rabbitmqClusterReference: cluster },
        },
        'vhost',
      );
    }
    for (const [name, user] of Object.entries(this.users)) {
      this.object(
        `user-${name}`,
        API,
        'User',
        this.userObjectName(name),
        {
          spec: {
            importCredentialsSecret: { name: user.credentials.name },
            tags: user.tags.length > 0 ? [...user.tags] : undefined,
            rabbitmqClusterReference: cluster,
          },
        },
        'user',
      );
    }
    for (const perm of this.permissions) {
      this.object(
        `permission-${perm.name}`,
        API,
        'Permission',
        perm.name,
        {
          spec: {
            vhost: perm.vhost,
            userReference: { name: this.userObjectName(perm.user) },
            permissions: { ...perm.permissions },
            rabbitmqClusterReference: cluster,
          },
        },
        'permission',
      );
    }
  }

  private userObjectName(user: string): string {
    return this.derivedName(dnsName(user));
  }

  /** AMQP and management from outside: the TLS listeners only while TLS is on. */
  private externalPorts(): ManagedServicePort[] {
    return this.tls
      ? [
          { name: 'amqps', port: PORTS.amqps },
          { name: 'management-tls', port: PORTS.managementTls },
        ]
      : [
          { name: 'amqp', port: PORTS.amqp },
          { name: 'management', port: PORTS.management },
        ];
  }

  /** The labels the cluster-operator puts on the nodes' pods and Services. */
  private pods(): Record<string, string> {
    return {
      'app.kubernetes.io/name': this.serviceName,
      'app.kubernetes.io/component': 'rabbitmq',
      'app.kubernetes.io/part-of': 'rabbitmq',
    };
  }

  private check(props: RabbitMqProps): SecretRef[] {
    const p = this.problems;
    if (props.tls !== undefined)
      p.check(
        typeof props.tls === 'boolean' || (typeof props.tls === 'object' && props.tls !== null),
        'tls',
        props.tls,
        'must be true, false or TLS settings',
      );
    if (typeof props.tls === 'object' && props.tls !== null) {
      const tls = props.tls;
      if (tls.issuer !== undefined) {
        p.check(
          typeof tls.issuer.name === 'string' && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(tls.issuer.name),
          'tls.issuer.name',
          tls.issuer.name,
          'must be the name of a cert-manager Issuer or ClusterIssuer',
        );
        if (tls.issuer.kind !== undefined)
          p.check(ISSUER_KINDS.includes(tls.issuer.kind), 'tls.issuer.kind', tls.issuer.kind, 'must be "Issuer" or "ClusterIssuer"');
      }
      const names: readonly unknown[] = Array.isArray(tls.dnsNames) ? tls.dnsNames : [];
      if (tls.dnsNames !== undefined) p.check(Array.isArray(tls.dnsNames), 'tls.dnsNames', tls.dnsNames, 'must be a list of DNS names');
      for (const name of names)
        p.check(
          typeof name === 'string' && DNS_NAME.test(name) && name.length <= 253,
          'tls.dnsNames',
          name,
          'must be a DNS name (lower-case, optionally starting with "*.")',
        );
    }
    const secrets = checkTopology(p, this.users, this.vhosts, props.users ?? {});
    this.throwIfInvalid();
    return secrets;
  }
}
