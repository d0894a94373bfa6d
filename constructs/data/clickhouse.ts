import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { isCidr } from '../../lib/core/addresses';
import { isDnsSubdomain } from '../../lib/core/names';
import { checkProps } from '../../lib/core/props-check';
import { checkQuantity, Quantity } from '../../lib/core/quantity';
import { ResourceRequirements } from '../../lib/core/resources';
import { SecretRef } from '../../lib/core/secrets';
import { checkStorageClass } from '../../lib/core/storage-class';
import { versions } from '../../lib/versions';
import { CertManager } from '../platform/cert-manager';
import { ClickHouseOperator } from './clickhouse-operator';
import { CLICKHOUSE_VERSIONS, ClickHouseProps, ClickHouseVersion } from './clickhouse-props';
import { ServiceConnection } from './service-connection';
import { ManagedService, RESTRICTED_CONTAINER_SECURITY } from './managed-service';
import { CERT_MANAGER } from './rabbitmq-tls';

const HTTP_PORT = 8123;
const TCP_PORT = 9000;
const HTTPS_PORT = 8443;
const TCP_SECURE_PORT = 9440;
/** Where the server pods mount the certificate Secret (`tls.crt`, `tls.key`, `ca.crt`). */
const TLS_DIR = '/etc/clickhouse-server/tls';
const KEEPER_PORT = 2181;
const METRICS_PORT = 9363;
const KEEPER_METRICS_PORT = 7000;
const CLUSTER = 'clickhouse';
const KEEPER_CLUSTER = 'cluster1';
/** The `clickhouse` user (uid/gid 101) of the server and Keeper images; their entrypoints run unprivileged as it. */
const POD_SECURITY = {
  runAsUser: 101,
  runAsGroup: 101,
  runAsNonRoot: true,
  fsGroup: 101,
  fsGroupChangePolicy: 'OnRootMismatch',
  seccompProfile: { type: 'RuntimeDefault' },
};
const PRIVATE_NETWORKS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7', '127.0.0.1/32', '::1/128'];
const USER_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RESERVED_USERS = ['default', 'clickhouse_operator'];
/** System log tables Cozystack drops to save disk; query_log and query_thread_log stay, with a TTL. */
const DISABLED_LOGS = [
  'asynchronous_metric_log',
  'metric_log',
  'query_views_log',
  'part_log',
  'session_log',
  'text_log',
  'trace_log',
  'crash_log',
  'opentelemetry_span_log',
  'processors_profile_log',
];

/** A user as it is rendered: its Secret and the networks it may connect from. */
interface User {
  readonly name: string;
  readonly readonly: boolean;
  readonly password: SecretRef;
  readonly networks: readonly string[];
}

/**
 * ClickHouse run by the Altinity operator inside a tenant: a `ClickHouseInstallation` of shards × replicas
 * coordinated by a ClickHouse Keeper ensemble (`ClickHouseKeeperInstallation`), data and log volumes per
 * server, SQL users whose passwords come from Secrets and who may only connect from the given networks,
 * inter-server traffic authenticated by a generated cluster secret, and pods spread across nodes. Unless
 * `tls: false`, clients may also use HTTPS (8443) and the secure native protocol (9440) with a server certificate
 * from a cert-manager CA of the service, and a LoadBalancer of `external: true` offers only those ports.
 */
export class ClickHouse extends ManagedService<ClickHouseVersion> {
  readonly shards: number;
  /** Server and Keeper image tag, e.g. `25.8.30.16`. */
  readonly imageTag: string;
  readonly logStorageSize: Quantity;
  readonly logTtlDays: number;
  readonly keeperReplicas: number;
  readonly keeperStorage: { readonly size: Quantity; readonly storageClass?: string };
  readonly keeperResources: ResourceRequirements;
  /** In-cluster DNS name of the client Service `clickhouse-<id>` (HTTP 8123, native 9000). */
  readonly host: string;
  /** The Secret of each user (keys `password`, and `username` when generated). */
  readonly userSecrets: Readonly<Record<string, SecretRef>>;
  /** The `ClickHouseInstallation`. */
  readonly installation: ApiObject;
  /** The `ClickHouseKeeperInstallation`. */
  readonly keeper: ApiObject;
  /** Whether clients may use HTTPS (8443) and the secure native protocol (9440). */
  readonly tls: boolean;
  /** Secret with the server certificate, key and `ca.crt`, when TLS is on. */
  readonly tlsSecretName?: string;
  /** Secret whose `ca.crt` clients trust, when TLS is on. */
  readonly caSecretName?: string;
  private readonly users: User[];

  constructor(scope: Construct, id: string, props: ClickHouseProps = {}) {
    checkProps(scope, id, 'ClickHouseProps', props);
    super(scope, id, props, {
      kind: 'clickhouse',
      replicas: 2,
      minReplicas: 1,
      versions: CLICKHOUSE_VERSIONS,
      version: 'v25.8',
      storageSize: '10Gi',
      resources: 't1.small',
      maxNameLength: 28,
      nameReason: 'the operator names StatefulSets chi-<id>-clickhouse-<shard>-<replica> and chk-<id>-keeper-cluster1-0-<replica>',
    });
    this.shards = props.shards ?? 1;
    this.imageTag = versions.clickhouse.releases[this.version] ?? '';
    this.logStorageSize = props.logStorageSize ?? '2Gi';
    this.logTtlDays = props.logTtlDays ?? 15;
    this.keeperReplicas = props.keeper?.replicas ?? 3;
    this.keeperStorage = {
      size: props.keeper?.storage?.size ?? '1Gi',
      storageClass: this.useStorageClass(props.keeper?.storage?.storageClass),
    };
    this.keeperResources = this.resolveResources('keeper.resources', props.keeper?.resources ?? 't1.micro')!;
    this.tls = props.tls ?? true;
    this.check(props);
    this.users = this.resolveUsers(props);
    this.userSecrets = Object.fromEntries(this.users.map((u) => [u.name, u.password]));
    this.host = this.serviceHost(`clickhouse-${id}`);
    // The Altinity operator queries every server over HTTP(S) and the native protocol (8123/9000, 8443/9440 with TLS),
    // the ports its ClickHouseInstallation defaults open (pkg/model/chi/config/const.go).
    this.allowFromOperator(
      this.requireOperator(ClickHouseOperator),
      this.selector('server'),
      this.tls ? [HTTP_PORT, TCP_PORT, HTTPS_PORT, TCP_SECURE_PORT] : [HTTP_PORT, TCP_PORT],
    );
    if (this.tls) {
      this.requireOperator(CertManager);
      this.tlsSecretName = `${id}-tls`;
      this.caSecretName = `${id}-ca`;
    }
    const certificate = this.tls ? this.certificates() : undefined;

    this.keeper = this.object(
      'keeper',
      'clickhouse-keeper.altinity.com/v1',
      'ClickHouseKeeperInstallation',
      `${id}-keeper`,
      { spec: this.keeperSpec() },
      'keeper',
    );
    this.installation = this.object(
      'installation',
      'clickhouse.altinity.com/v1',
      'ClickHouseInstallation',
      id,
      { spec: this.spec() },
      'server',
    );
    this.node.defaultChild = this.installation;
    this.installation.node.addDependency(this.keeper);
    if (certificate) this.installation.node.addDependency(certificate);
    if (this.external) {
      this.exposeExternally(
        this.selector('server'),
        this.tls
          ? [
              { name: 'https', port: HTTPS_PORT },
              { name: 'tcp-secure', port: TCP_SECURE_PORT },
            ]
          : [
              { name: 'http', port: HTTP_PORT },
              { name: 'tcp', port: TCP_PORT },
            ],
      );
    }
    if (this.monitoring) {
      this.metricsService('metrics-service', `${id}-metrics`, 'server', METRICS_PORT);
      this.metricsService('keeper-metrics-service', `${id}-keeper-metrics`, 'keeper', KEEPER_METRICS_PORT);
      this.monitor(this.selector('metrics'), 'metrics', [
        { pods: this.selector('server'), port: METRICS_PORT },
        { pods: this.selector('keeper'), port: KEEPER_METRICS_PORT },
      ]);
    }
  }

  get connection(): ServiceConnection {
    return {
      host: this.host,
      hosts: {},
      ports: this.tls
        ? { http: HTTP_PORT, tcp: TCP_PORT, https: HTTPS_PORT, tcpSecure: TCP_SECURE_PORT }
        : { http: HTTP_PORT, tcp: TCP_PORT },
      credentials: Object.fromEntries(Object.entries(this.userSecrets).map(([user, ref]) => [user, { name: ref.name, keys: ref.keys }])),
      tlsCa: this.caSecretName ? { secretName: this.caSecretName, key: 'ca.crt' } : undefined,
    };
  }

  private spec(): Record<string, unknown> {
    const domain = this.platform.clusterDomain;
    const users: Record<string, unknown> = {};
    for (const user of this.users) {
      users[`${user.name}/password`] = { valueFrom: { secretKeyRef: user.password.key('password') } };
      users[`${user.name}/profile`] = user.readonly ? 'readonly' : 'default';
      users[`${user.name}/networks/ip`] = [...user.networks];
    }
    const server = this.selector('server');
    return {
      namespaceDomainPattern: `%s.svc.${domain}`,
      defaults: { templates: { podTemplate: 'server', dataVolumeClaimTemplate: 'data', serviceTemplate: 'client' } },
      configuration: {
        users: this.users.length > 0 ? users : undefined,
        profiles: { 'readonly/readonly': '1' },
        settings: this.monitoring
          ? {
              'prometheus/endpoint': '/metrics',
              'prometheus/port': METRICS_PORT,
              'prometheus/metrics': true,
              'prometheus/events': true,
              'prometheus/asynchronous_metrics': true,
            }
          : undefined,
        files: {
          'config.d/z_log_disable.xml': `<clickhouse>\n${DISABLED_LOGS.map((log) => `    <${log} remove="1"/>`).join('\n')}\n</clickhouse>\n`,
          'config.d/query_log_ttl.xml': `<clickhouse>\n${['query_log', 'query_thread_log'].map((table) => logTable(table, this.logTtlDays)).join('')}</clickhouse>\n`,
          ...(this.tls ? { 'config.d/tls.xml': TLS_CONFIG } : {}),
        },
        zookeeper: {
          nodes: Array.from({ length: this.keeperReplicas }, (_, i) => ({
            host: `chk-${this.serviceName}-keeper-${KEEPER_CLUSTER}-0-${i}.${this.namespace}.svc.${domain}`,
            port: KEEPER_PORT,
          })),
        },
        clusters: [{ name: CLUSTER, layout: { shardsCount: this.shards, replicasCount: this.replicas }, secret: { auto: 'true' } }],
      },
      templates: {
        volumeClaimTemplates: [
          { name: 'data', spec: this.volume() },
          { name: 'logs', spec: this.volume({ size: this.logStorageSize, storageClass: this.storage.storageClass }) },
        ],
        podTemplates: [
          {
            name: 'server',
            metadata: { labels: { ...server, ...this.podLabels() } },
            spec: {
              securityContext: POD_SECURITY,
              ...this.spread(server),
              containers: [
                {
                  name: 'clickhouse',
                  image: `${versions.clickhouse.server}:${this.imageTag}`,
                  imagePullPolicy: 'IfNotPresent',
                  resources: requirements(this.resources),
                  securityContext: RESTRICTED_CONTAINER_SECURITY,
                  volumeMounts: [
                    { name: 'data', mountPath: '/var/lib/clickhouse' },
                    { name: 'logs', mountPath: '/var/log/clickhouse-server' },
                    ...(this.tls ? [{ name: 'tls', mountPath: TLS_DIR, readOnly: true }] : []),
                  ],
                },
              ],
              // Readable by the clickhouse group (fsGroup 101) only.
              volumes: this.tls ? [{ name: 'tls', secret: { secretName: this.tlsSecretName, defaultMode: 0o440 } }] : undefined,
            },
          },
        ],
        serviceTemplates: [
          {
            name: 'client',
            generateName: 'clickhouse-{chi}',
            spec: {
              type: 'ClusterIP',
              ports: [
                { name: 'http', port: HTTP_PORT, protocol: 'TCP' },
                { name: 'tcp', port: TCP_PORT, protocol: 'TCP' },
                ...(this.tls
                  ? [
                      { name: 'https', port: HTTPS_PORT, protocol: 'TCP' },
                      { name: 'tcp-secure', port: TCP_SECURE_PORT, protocol: 'TCP' },
                    ]
                  : []),
              ],
            },
          },
        ],
      },
    };
  }

  private keeperSpec(): Record<string, unknown> {
    const keeper = this.selector('keeper');
    return {
      namespaceDomainPattern: `%s.svc.${this.platform.clusterDomain}`,
      defaults: { templates: { podTemplate: 'keeper', dataVolumeClaimTemplate: 'data' } },
      configuration: {
        clusters: [{ name: KEEPER_CLUSTER, layout: { replicasCount: this.keeperReplicas } }],
        settings: {
          'logger/console': 'true',
          listen_host: '0.0.0.0',
          ...(this.monitoring
            ? {
                'prometheus/endpoint': '/metrics',
                'prometheus/port': KEEPER_METRICS_PORT,
                'prometheus/metrics': true,
                'prometheus/events': true,
                'prometheus/asynchronous_metrics': true,
              }
            : {}),
        },
      },
      templates: {
        volumeClaimTemplates: [{ name: 'data', spec: this.volume(this.keeperStorage) }],
        podTemplates: [
          {
            name: 'keeper',
            metadata: { labels: { ...keeper, ...this.podLabels() } },
            spec: {
              securityContext: POD_SECURITY,
              ...this.spread(keeper),
              containers: [
                {
                  name: 'clickhouse-keeper',
                  image: `${versions.clickhouse.keeper}:${this.imageTag}`,
                  imagePullPolicy: 'IfNotPresent',
                  resources: requirements(this.keeperResources),
                  securityContext: RESTRICTED_CONTAINER_SECURITY,
                },
              ],
            },
          },
        ],
      },
    };
  }

  private metricsService(id: string, name: string, component: string, port: number): void {
    this.object(
      id,
      'v1',
      'Service',
      name,
      {
        spec: { selector: this.selector(component), ports: [{ name: 'metrics', port, targetPort: port, protocol: 'TCP' }] },
      },
      'metrics',
    );
  }

  /**
   * A self-signed CA per service and a server certificate for the client Service and the per-host Services the
   * operator makes (`chi-<id>-clickhouse-<shard>-<replica>`), as Nats issues them.
   */
  private certificates(): ApiObject {
    const id = this.serviceName;
    const ns = this.namespace;
    const domain = this.platform.clusterDomain;
    const cm = (name: string, kind: string, spec: Record<string, unknown>) =>
      this.object(`${kind.toLowerCase()}-${name}`, CERT_MANAGER, kind, `${id}-${name}`, { spec }, 'tls');
    cm('selfsigned', 'Issuer', { selfSigned: {} });
    cm('ca', 'Certificate', {
      secretName: this.caSecretName,
      commonName: `${id}-ca`,
      isCA: true,
      duration: '43800h',
      issuerRef: { name: `${id}-selfsigned`, kind: 'Issuer' },
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Never' },
    });
    cm('ca', 'Issuer', { ca: { secretName: this.caSecretName } });
    const hosts = Array.from({ length: this.shards }, (_, shard) =>
      Array.from({ length: this.replicas }, (_, replica) => `chi-${id}-${CLUSTER}-${shard}-${replica}`),
    ).flat();
    return cm('tls', 'Certificate', {
      secretName: this.tlsSecretName,
      commonName: `clickhouse-${id}`,
      duration: '8760h',
      renewBefore: '720h',
      issuerRef: { name: `${id}-ca`, kind: 'Issuer' },
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      usages: ['digital signature', 'key encipherment', 'server auth'],
      dnsNames: [`clickhouse-${id}`, ...hosts].flatMap((svc) => [svc, `${svc}.${ns}`, `${svc}.${ns}.svc`, `${svc}.${ns}.svc.${domain}`]),
    });
  }

  private resolveUsers(props: ClickHouseProps): User[] {
    const open = this.external ? [...(this.externalSourceRanges ?? ['0.0.0.0/0', '::/0'])] : [];
    return Object.entries(props.users ?? {}).map(([name, user]) => ({
      name,
      readonly: user.readonly ?? false,
      password: user.password ?? this.generatedPassword(name, this.derivedName(secretPart(name))),
      networks: user.networks ?? [...PRIVATE_NETWORKS, ...open],
    }));
  }

  private check(props: ClickHouseProps): void {
    const p = this.problems;
    p.check(Number.isInteger(this.shards) && this.shards >= 1, 'shards', this.shards, 'must be a whole number ≥ 1');
    checkQuantity(p, 'logStorageSize', this.logStorageSize, '2Gi');
    p.check(Number.isInteger(this.logTtlDays) && this.logTtlDays >= 1, 'logTtlDays', this.logTtlDays, 'must be a whole number of days ≥ 1');
    p.check(
      Number.isInteger(this.keeperReplicas) && this.keeperReplicas >= 1 && this.keeperReplicas <= 9 && this.keeperReplicas % 2 === 1,
      'keeper.replicas',
      this.keeperReplicas,
      'must be an odd whole number from 1 to 9 (a Raft quorum needs a majority)',
    );
    checkQuantity(p, 'keeper.storage.size', this.keeperStorage.size, '1Gi');
    checkStorageClass(p, 'keeper.storage.storageClass', props.keeper?.storage?.storageClass);
    const secrets = new Map<string, string>();
    for (const [name, user] of Object.entries(props.users ?? {})) {
      const at = `users.${name}`;
      if (
        !p.check(
          USER_NAME.test(name) && name.length <= 63,
          at,
          name,
          'must be a ClickHouse user name (letters, digits and "_", not starting with a digit, at most 63 characters)',
        )
      )
        continue;
      if (
        !p.check(
          !RESERVED_USERS.includes(name),
          at,
          name,
          'is the user the operator and the servers use among themselves',
          'choose another name',
        )
      )
        continue;
      if (user?.password !== undefined) this.useSecret(user.password, `${at}.password`, ['password']);
      else {
        const secret = this.derivedName(secretPart(name));
        if (
          !p.check(
            isDnsSubdomain(secret),
            at,
            name,
            `gives the generated Secret name "${secret}", which is not a DNS-1123 subdomain`,
            'rename it or give it a password SecretRef',
          )
        )
          continue;
        const other = secrets.get(secret);
        p.check(
          other === undefined,
          at,
          name,
          `would share the generated Secret "${secret}" with user "${other}"`,
          'rename one of them or give it a password SecretRef',
        );
        secrets.set(secret, name);
      }
      if (user?.networks !== undefined) {
        if (
          p.check(Array.isArray(user.networks) && user.networks.length > 0, `${at}.networks`, user.networks, 'must list at least one CIDR')
        ) {
          for (const cidr of user.networks)
            p.check(isCidr(cidr), `${at}.networks`, cidr, 'must be an IPv4 or IPv6 CIDR', 'write it like "10.0.0.0/8"');
        }
      }
    }
    this.throwIfInvalid();
  }
}

/**
 * The TLS listeners beside the plain ones, and the server certificate for both (the `openSSL/server` keys merge
 * into those of the image's config.xml). Clients are not asked for certificates; passwords authenticate them.
 */
const TLS_CONFIG = `<clickhouse>
    <https_port>${HTTPS_PORT}</https_port>
    <tcp_port_secure>${TCP_SECURE_PORT}</tcp_port_secure>
    <openSSL>
        <server>
            <certificateFile>${TLS_DIR}/tls.crt</certificateFile>
            <privateKeyFile>${TLS_DIR}/tls.key</privateKeyFile>
            <caConfig>${TLS_DIR}/ca.crt</caConfig>
            <verificationMode>none</verificationMode>
            <disableProtocols>sslv2,sslv3,tlsv1,tlsv1_1</disableProtocols>
            <preferServerCiphers>true</preferServerCiphers>
        </server>
    </openSSL>
</clickhouse>
`;

/** The generated Secret of a user: `<id>-<user>` with "_" as "-". */
/** The user's part of its generated Secret's name. */
function secretPart(user: string): string {
  return user.toLowerCase().replace(/_/g, '-');
}

function logTable(table: string, days: number): string {
  return (
    `    <${table} replace="1">\n        <database>system</database>\n        <table>${table}</table>\n` +
    `        <engine>ENGINE = MergeTree PARTITION BY (event_date) ORDER BY (event_time) TTL event_date + INTERVAL ${days} DAY DELETE</engine>\n` +
    `        <flush_interval_milliseconds>7500</flush_interval_milliseconds>\n    </${table}>\n`
  );
}

function requirements(resources: ResourceRequirements): Record<string, unknown> {
  return { limits: { ...resources.limits }, requests: { ...resources.requests } };
}
