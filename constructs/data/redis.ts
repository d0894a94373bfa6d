import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkProps } from '../../lib/core/props-check';
import { ResourceRequirements, Resources } from '../../lib/core/resources';
import { SecretRef } from '../../lib/core/secrets';
import { versions } from '../../lib/versions';
import { ServiceConnection } from './service-connection';
import { ManagedService, ManagedServiceProps, ManagedServiceStorage } from './managed-service';
import { RedisOperator } from './redis-operator';

/** A Redis major version with a pinned image in `versions.redis`. */
export type RedisVersion = keyof typeof versions.redis.releases;
export const REDIS_VERSIONS = Object.keys(versions.redis.releases) as RedisVersion[];

export interface RedisProps extends ManagedServiceProps<RedisVersion> {
  /** Redis pods: one master and `replicas - 1` replicas that Sentinel promotes on failure. @default 2 @maximum 100 */
  readonly replicas?: number;
  /** @default 'v8' */
  readonly version?: RedisVersion;
  /** Data volume of each Redis pod (RDB snapshots). @default { size: '1Gi' } */
  readonly storage?: ManagedServiceStorage;
  /** Limits of each Redis pod. @default 't1.nano' */
  readonly resources?: Resources;
  /** Keep data on a volume; false keeps it in memory only (no volume, snapshots off), as a cache. @default true */
  readonly persistence?: boolean;
  /** Sentinel pods, an odd number ≥ 3 (the operator fixes the quorum at 2). @default 3 @maximum 100 */
  readonly sentinels?: number;
  /** Limits of each Sentinel pod. @default 't1.nano' */
  readonly sentinelResources?: Resources;
  /**
   * Secret whose key `password` clients and replicas authenticate with. Auth cannot be turned off.
   * @default - SecretRef.generatedPassword('<id>-auth', 'default'), created by the deployment layer
   */
  readonly auth?: SecretRef;
  /** redis.conf settings the operator applies to every Redis pod, e.g. `{ 'maxmemory-policy': 'allkeys-lru' }`. @default {} */
  readonly config?: Readonly<Record<string, string>>;
}

const REDIS_PORT = 6379;
const SENTINEL_PORT = 26379;
const EXPORTER_PORT = 9121;
const CONFIG_KEY = /^[a-z][a-z0-9-]*$/;
/** Settings the operator owns or that would break auth, replication or the pod's file layout. */
const RESERVED_CONFIG = new Set([
  'requirepass',
  'masterauth',
  'masteruser',
  'slaveof',
  'replicaof',
  'port',
  'bind',
  'dir',
  'dbfilename',
  'include',
  'loadmodule',
  'rename-command',
  'user',
  'aclfile',
  'protected-mode',
  'unixsocket',
  'daemonize',
  'tls-port',
  'enable-protected-configs',
  'enable-debug-command',
  'enable-module-command',
  'logfile',
  'pidfile',
  'appenddirname',
  'cluster-enabled',
  'cluster-config-file',
  'unixsocketperm',
]);
/** `tls-*` would replace the operator's listeners; the `enable-*-command` and protected configs reopen file writes and module loading. */
const RESERVED_PREFIXES = ['tls-'];
/** Non-root identity for the Redis and Sentinel pods; the redis image runs as any uid with a writable /data. */
const POD_SECURITY = { runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } };

/**
 * Redis with Sentinel failover, run by the spotahome redis-operator inside a tenant: a `RedisFailover` with
 * password auth from a Secret, a volume per pod, spread across nodes, and optionally a LoadBalancer to the
 * master and a metrics exporter with a ServiceMonitor.
 */
export class Redis extends ManagedService<RedisVersion> {
  readonly image: string;
  readonly persistence: boolean;
  readonly sentinels: number;
  readonly sentinelResources: ResourceRequirements;
  readonly auth: SecretRef;
  readonly config: Readonly<Record<string, string>>;
  /** In-cluster DNS name of the master (the operator's `rfrm-<id>` Service), port 6379. */
  readonly host: string;
  /** In-cluster DNS name of the Sentinels (`rfs-<id>`), port 26379, master name `mymaster`. */
  readonly sentinelHost: string;
  /** The `RedisFailover`. */
  readonly failover: ApiObject;

  constructor(scope: Construct, id: string, props: RedisProps = {}) {
    checkProps(scope, id, 'RedisProps', props);
    super(scope, id, props, {
      kind: 'redis',
      replicas: 2,
      minReplicas: 1,
      versions: REDIS_VERSIONS,
      version: 'v8',
      storageSize: '1Gi',
      resources: 't1.nano',
      maxNameLength: 48,
      nameReason: 'the operator prefixes it (rfr-, rfrm-, rfs-) for its StatefulSet, Deployment and Services',
    });
    this.image = `${versions.redis.image}:${versions.redis.releases[this.version] ?? ''}`;
    this.persistence = props.persistence ?? true;
    this.sentinels = props.sentinels ?? 3;
    this.sentinelResources = this.resolveResources('sentinelResources', props.sentinelResources ?? 't1.nano')!;
    this.config = { ...props.config };
    this.check(props);
    this.auth = props.auth ?? this.generatedPassword('default', `${id}-auth`);
    this.host = this.serviceHost(`rfrm-${id}`);
    this.sentinelHost = this.serviceHost(`rfs-${id}`);
    const operator = this.requireOperator(RedisOperator);

    const redisPods = this.operatorSelector('redis');
    // The spotahome operator checks and reconfigures every Redis (6379) and Sentinel (26379) itself (operator/redisfailover/service/check.go).
    this.allowFromOperator(operator, redisPods, [REDIS_PORT]);
    this.allowFromOperator(operator, this.operatorSelector('sentinel'), [SENTINEL_PORT], 'from-operator-sentinel');
    this.failover = this.object('failover', 'databases.spotahome.com/v1', 'RedisFailover', id, { spec: this.spec(redisPods) });
    this.node.defaultChild = this.failover;
    if (this.external) this.exposeExternally({ ...redisPods, 'redisfailovers-role': 'master' }, [{ name: 'redis', port: REDIS_PORT }]);
    if (this.monitoring) {
      const selector = this.selector('metrics');
      this.object(
        'metrics-service',
        'v1',
        'Service',
        `${id}-metrics`,
        {
          spec: { selector: redisPods, ports: [{ name: 'metrics', port: EXPORTER_PORT, targetPort: 'metrics', protocol: 'TCP' }] },
        },
        'metrics',
      );
      this.monitor(selector, 'metrics', [{ pods: redisPods, port: EXPORTER_PORT }]);
    }
  }

  get connection(): ServiceConnection {
    return {
      host: this.host,
      hosts: { sentinel: this.sentinelHost },
      ports: { redis: REDIS_PORT, sentinel: SENTINEL_PORT },
      credentials: { default: { name: this.auth.name, keys: this.auth.keys } },
    };
  }

  private spec(redisPods: Record<string, string>): Record<string, unknown> {
    const customConfig = [
      ...Object.entries(this.config).map(([key, value]) => `${key} ${value}`),
      ...(this.persistence ? [] : ['appendonly no', 'save ""']),
    ];
    return {
      auth: { secretPath: this.auth.name },
      redis: {
        replicas: this.replicas,
        image: this.image,
        imagePullPolicy: 'IfNotPresent',
        resources: requirements(this.resources),
        securityContext: POD_SECURITY,
        ...this.spread(redisPods),
        storage: this.persistence ? { persistentVolumeClaim: { metadata: { name: 'redis-data' }, spec: this.volume() } } : { emptyDir: {} },
        customConfig: customConfig.length > 0 ? customConfig : undefined,
        exporter: this.monitoring
          ? {
              enabled: true,
              image: versions.redis.exporter,
              imagePullPolicy: 'IfNotPresent',
              args: ['--web.telemetry-path', '/metrics'],
              env: [{ name: 'REDIS_EXPORTER_LOG_FORMAT', value: 'txt' }],
            }
          : undefined,
      },
      sentinel: {
        replicas: this.sentinels,
        image: this.image,
        imagePullPolicy: 'IfNotPresent',
        resources: requirements(this.sentinelResources),
        securityContext: POD_SECURITY,
        ...this.spread(this.operatorSelector('sentinel')),
      },
    };
  }

  /** The labels the operator puts on the pods of one role (generateSelectorLabels in the operator). */
  private operatorSelector(component: 'redis' | 'sentinel'): Record<string, string> {
    return {
      'app.kubernetes.io/component': component,
      'app.kubernetes.io/name': this.serviceName,
      'app.kubernetes.io/part-of': 'redis-failover',
    };
  }

  private check(props: RedisProps): void {
    const p = this.problems;
    if (props.persistence === false && props.storage !== undefined) {
      p.add(
        'storage',
        props.storage,
        'only applies with persistence: true (without persistence Redis keeps no volume)',
        'remove storage or set persistence: true',
      );
    }
    p.check(
      Number.isInteger(this.sentinels) && this.sentinels >= 3 && this.sentinels % 2 === 1,
      'sentinels',
      this.sentinels,
      'must be an odd whole number ≥ 3 (the operator configures a quorum of 2)',
    );
    for (const [key, value] of Object.entries(this.config)) {
      const property = `config.${key}`;
      if (!p.check(CONFIG_KEY.test(key), property, value, 'is not a redis.conf directive name (lower-case letters, digits and "-")'))
        continue;
      const reserved = RESERVED_CONFIG.has(key) || RESERVED_PREFIXES.some((prefix) => key.startsWith(prefix));
      if (
        !p.check(
          !reserved,
          property,
          value,
          'is managed by the operator or would break auth, replication or the pod layout, or let clients write files or load modules',
          'remove it',
        )
      )
        continue;
      p.check(
        typeof value === 'string' && value.length > 0 && !/[\r\n]/.test(value),
        property,
        value,
        'must be a non-empty single-line string',
      );
    }
    if (props.auth !== undefined) this.useSecret(props.auth, 'auth', ['password']);
    this.throwIfInvalid();
  }
}

function requirements(resources: ResourceRequirements): Record<string, unknown> {
  return { limits: { ...resources.limits }, requests: { ...resources.requests } };
}
