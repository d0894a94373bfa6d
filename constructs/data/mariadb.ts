import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ALLOW_EXTERNAL_LABEL, TENANT_LABEL } from '../../lib/core/labels';
import { checkProps } from '../../lib/core/props-check';
import { SecretRef } from '../../lib/core/secrets';
import { versions } from '../../lib/versions';
import { PrometheusOperatorCrds } from '../platform/prometheus-operator-crds';
import { ServiceConnection } from './service-connection';
import { ManagedService } from './managed-service';
import {
  checkAccounts,
  dnsName,
  grantObjects,
  MariaDbDatabaseSettings,
  MariaDbGrantObject,
  MariaDbUserSettings,
  resolveDatabases,
  resolveUsers,
} from './mariadb-accounts';
import { checkBackup, MariaDbBackupSettings, resolveBackup, s3Storage } from './mariadb-backup';
import { checkConfig, myCnf } from './mariadb-config';
import { MariaDbOperator } from './mariadb-operator';
import { MARIADB_VERSIONS, MariaDbProps, MariaDbReplication, MariaDbVersion } from './mariadb-props';

export * from './mariadb-props';

const API = 'k8s.mariadb.com/v1alpha1';
const PORT = 3306;
const EXPORTER_PORT = 9104;
const AGENT_PORT = 5555;
const REPLICATIONS: readonly MariaDbReplication[] = ['async', 'galera'];
/** The official image's mysql user; the operator runs its sidecar and init containers in the same pod. */
const MYSQL_UID = 999;
const POD_SECURITY = {
  runAsNonRoot: true,
  runAsUser: MYSQL_UID,
  runAsGroup: MYSQL_UID,
  fsGroup: MYSQL_UID,
  seccompProfile: { type: 'RuntimeDefault' },
};
const CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  runAsNonRoot: true,
  runAsUser: MYSQL_UID,
  runAsGroup: MYSQL_UID,
};
const EXPORTER_UID = 65534;

/**
 * MariaDB run by mariadb-operator inside a tenant: a `MariaDB` (asynchronous primary/replica replication or Galera
 * when replicated, TLS from the operator's CA, root password from a Secret), `Database`, `User` and `Grant` objects,
 * and optionally S3 backups, a LoadBalancer to the primary and metrics with a ServiceMonitor.
 */
export class MariaDb extends ManagedService<MariaDbVersion> {
  readonly image: string;
  /** Replication of the servers; undefined for a single server. */
  readonly replication?: MariaDbReplication;
  readonly rootPassword: SecretRef;
  readonly users: Readonly<Record<string, MariaDbUserSettings>>;
  readonly databases: Readonly<Record<string, MariaDbDatabaseSettings>>;
  readonly grants: readonly MariaDbGrantObject[];
  readonly backup?: MariaDbBackupSettings;
  readonly requireTls: boolean;
  readonly config: Readonly<Record<string, string | number>>;
  /** In-cluster DNS name for writes: the primary Service when replicated, else the server's Service; port 3306. */
  readonly host: string;
  /** In-cluster DNS name of the replicas (`<id>-secondary`) with async replication. */
  readonly readHost?: string;
  /** Secret the operator keeps with the CA bundle clients verify the server certificate with (`ca.crt`). */
  readonly caBundleSecretName: string;
  /** The `MariaDB`. */
  readonly mariadb: ApiObject;

  constructor(scope: Construct, id: string, props: MariaDbProps = {}) {
    checkProps(scope, id, 'MariaDbProps', props);
    super(scope, id, props, {
      kind: 'mariadb',
      replicas: 2,
      minReplicas: 1,
      versions: MARIADB_VERSIONS,
      version: 'v11.8',
      storageSize: '10Gi',
      resources: 't1.nano',
      maxNameLength: 40,
      nameReason: 'the operator derives Services, Secrets and the metrics exporter from it (e.g. <id>-secondary, <id>-metrics)',
    });
    this.image = `${versions.mariadb.image}:${versions.mariadb.releases[this.version] ?? ''}`;
    this.replication = this.replicas > 1 ? (props.replication ?? 'async') : props.replication;
    this.users = resolveUsers(id, props.users ?? {});
    this.databases = resolveDatabases(props.databases ?? {});
    this.grants = grantObjects(id, this.databases, props.grants ?? []);
    this.backup = props.backup && resolveBackup(props.backup, `${this.namespace}/${id}`);
    this.requireTls = props.requireTls ?? true;
    this.config = { ...props.config };
    this.check(props);
    this.rootPassword = props.rootPassword ?? this.generatedPassword('root', `${id}-root`);
    for (const user of Object.values(this.users)) this.platform.secrets.use(this.namespace, user.password, this.node.path);
    this.host = this.serviceHost(this.replicas > 1 ? `${id}-primary` : id);
    this.readHost = this.replication === 'async' ? this.serviceHost(`${id}-secondary`) : undefined;
    this.caBundleSecretName = `${id}-ca-bundle`;
    // mariadb-operator connects to every server (3306) and, with replication or Galera, calls its agent (5555, the
    // CRD's agent.port default in mariadb-operator api/v1alpha1).
    this.allowFromOperator(this.requireOperator(MariaDbOperator), this.pods(), [PORT, AGENT_PORT]);
    // The operator's exporter Deployment `<id>-metrics` (labels of pkg/builder/labels WithMetricsSelectorLabels).
    if (this.monitoring)
      this.allowFromMonitoring({
        pods: { 'app.kubernetes.io/name': 'exporter', 'app.kubernetes.io/instance': `${id}-metrics` },
        port: EXPORTER_PORT,
      });
    if (this.monitoring) this.requireOperator(PrometheusOperatorCrds);

    this.mariadb = this.object('mariadb', API, 'MariaDB', id, { spec: this.spec() });
    this.node.defaultChild = this.mariadb;
    this.renderAccounts();
    if (this.backup) this.renderBackup(this.backup);
    if (this.external) this.allowExternal(this.pods(), [{ name: 'mariadb', port: PORT }]);
  }

  get connection(): ServiceConnection {
    return {
      host: this.host,
      hosts: this.readHost ? { readOnly: this.readHost } : {},
      ports: { mariadb: PORT },
      credentials: {
        root: { name: this.rootPassword.name, keys: this.rootPassword.keys },
        ...Object.fromEntries(
          Object.entries(this.users).map(([user, { password }]) => [user, { name: password.name, keys: password.keys }]),
        ),
      },
      tlsCa: { secretName: this.caBundleSecretName, key: 'ca.crt' },
    };
  }

  private spec(): Record<string, unknown> {
    const ha = this.replication !== undefined;
    const operator = this.platform.registry.find(MariaDbOperator)!;
    const sidecars = {
      agent: { securityContext: CONTAINER_SECURITY },
      // The CRD makes the image required once the init container is customized: the operator's own, as it defaults.
      initContainer: { image: `${versions.mariadbOperator.image}:${operator.version}`, securityContext: CONTAINER_SECURITY },
    };
    const loadBalancer = {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      loadBalancerSourceRanges: this.externalSourceRanges && [...this.externalSourceRanges],
    };
    return {
      image: this.image,
      imagePullPolicy: 'IfNotPresent',
      port: PORT,
      replicas: this.replicas,
      rootPasswordSecretKeyRef: this.rootPassword.key('password'),
      storage: {
        size: this.storage.size,
        storageClassName: this.storage.storageClass,
        resizeInUseVolumes: true,
        waitForVolumeResize: true,
      },
      replication: this.replication === 'async' ? { enabled: true, ...sidecars } : undefined,
      galera: this.replication === 'galera' ? { enabled: true, ...sidecars } : undefined,
      // An explicit tls block replaces the operator's enabled default, so `enabled` must stay in it.
      tls: { enabled: true, required: this.requireTls, galeraSSTEnabled: this.replication === 'galera' ? true : undefined },
      myCnf: myCnf(this.resources.limits.memory, this.storage.size, this.config),
      resources: { limits: { ...this.resources.limits }, requests: { ...this.resources.requests } },
      podSecurityContext: POD_SECURITY,
      securityContext: CONTAINER_SECURITY,
      podMetadata: { labels: this.podLabels({ apiserver: ha }) },
      ...this.spread(this.pods()),
      // A first start (datadir bootstrap) under a small CPU limit can outlast the operator's 3-failure budget; killing it
      // then leaves a datadir without the root grant that never recovers. 30 failures allow about five minutes.
      startupProbe: { failureThreshold: 30 },
      service: this.external && !ha ? loadBalancer : undefined,
      primaryService: this.external && ha ? loadBalancer : undefined,
      metrics: this.monitoring
        ? {
            enabled: true,
            exporter: {
              image: versions.mariadb.exporter,
              args: [`--web.listen-address=0.0.0.0:${EXPORTER_PORT}`],
              port: EXPORTER_PORT,
              resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '300m', memory: '512Mi' } },
              podMetadata: { labels: this.podLabels() },
              podSecurityContext: {
                runAsNonRoot: true,
                runAsUser: EXPORTER_UID,
                runAsGroup: EXPORTER_UID,
                seccompProfile: { type: 'RuntimeDefault' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
              },
            },
            serviceMonitor: { interval: '30s', scrapeTimeout: '10s' },
          }
        : undefined,
    };
  }

  private renderAccounts(): void {
    const ref = { name: this.serviceName };
    for (const [name, db] of Object.entries(this.databases)) {
      this.object(
        `database-${name}`,
        API,
        'Database',
        this.derivedName(dnsName(name)),
        {
          spec: { mariaDbRef: ref, name, characterSet: db.characterSet, collate: db.collate, cleanupPolicy: 'Skip' },
        },
        'database',
      );
    }
    for (const [name, user] of Object.entries(this.users)) {
      this.object(
        `user-${name}`,
        API,
        'User',
        this.derivedName(dnsName(name)),
        {
          spec: {
            mariaDbRef: ref,
            name,
            passwordSecretKeyRef: user.password.key('password'),
            maxUserConnections: user.maxUserConnections,
            cleanupPolicy: 'Delete',
          },
        },
        'user',
      );
    }
    for (const grant of this.grants) {
      this.object(
        `grant-${grant.name}`,
        API,
        'Grant',
        grant.name,
        {
          spec: { mariaDbRef: ref, ...grant.spec, privileges: [...grant.spec.privileges], cleanupPolicy: 'Delete' },
        },
        'grant',
      );
    }
  }

  private renderBackup(backup: MariaDbBackupSettings): void {
    this.object(
      'backup',
      API,
      'Backup',
      `${this.serviceName}-backup`,
      {
        spec: {
          mariaDbRef: { name: this.serviceName },
          schedule: { cron: backup.schedule },
          maxRetention: backup.retention,
          compression: backup.compression,
          storage: { s3: s3Storage(backup) },
          podMetadata: { labels: { [TENANT_LABEL]: this.tenant.tenantName, [ALLOW_EXTERNAL_LABEL]: 'true' } },
          podSecurityContext: POD_SECURITY,
          securityContext: CONTAINER_SECURITY,
        },
      },
      'backup',
    );
  }

  /** The labels mariadb-operator puts on the server pods. */
  private pods(): Record<string, string> {
    return { 'app.kubernetes.io/name': 'mariadb', 'app.kubernetes.io/instance': this.serviceName };
  }

  private check(props: MariaDbProps): void {
    const p = this.problems;
    if (props.replication !== undefined) {
      if (
        p.check(
          REPLICATIONS.includes(props.replication),
          'replication',
          props.replication,
          `must be one of ${REPLICATIONS.map((r) => JSON.stringify(r)).join(', ')}`,
        )
      ) {
        p.check(
          this.replicas > 1,
          'replication',
          props.replication,
          'needs more than one server (replicas > 1)',
          'set replicas: 2 or more, or remove replication',
        );
      }
    }
    if (this.replication === 'galera') {
      p.check(
        this.replicas >= 3 && this.replicas % 2 === 1,
        'replicas',
        this.replicas,
        'must be an odd number ≥ 3 with Galera, so that a majority survives a split',
        'use 3 or 5',
      );
    }
    if (props.rootPassword !== undefined) this.useSecret(props.rootPassword, 'rootPassword', ['password']);
    for (const [name, user] of Object.entries(this.users)) {
      if (props.users?.[name]?.password !== undefined)
        SecretRef.prototype.check.call(user.password, p, `users.${name}.password`, ['password']);
    }
    checkAccounts(p, this.serviceName, this.users, this.databases, props.grants ?? [], this.grants);
    checkConfig(p, this.config);
    const backupSecrets = this.backup ? checkBackup(p, this.backup) : [];
    this.throwIfInvalid();
    for (const ref of backupSecrets) this.platform.secrets.use(this.namespace, ref, this.node.path);
  }
}
