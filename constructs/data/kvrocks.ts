import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkProps } from '../../lib/core/props-check';
import { parseQuantity } from '../../lib/core/quantity';
import { Resources } from '../../lib/core/resources';
import { SecretRef } from '../../lib/core/secrets';
import { versions } from '../../lib/versions';
import { ServiceConnection } from './service-connection';
import { ManagedService, ManagedServiceProps, ManagedServiceStorage, RESTRICTED_CONTAINER_SECURITY } from './managed-service';

/** A Kvrocks release line with a pinned image in `versions.kvrocks`. */
export type KvrocksVersion = keyof typeof versions.kvrocks.releases;
export const KVROCKS_VERSIONS = Object.keys(versions.kvrocks.releases) as KvrocksVersion[];

export interface KvrocksProps extends ManagedServiceProps<KvrocksVersion> {
  /**
   * Pods: pod 0 is the primary; the others are read-only replicas that follow it (`slaveof`). Failover is manual:
   * the primary Service always points at pod 0.
   * @default 1
   * @maximum 100
   */
  readonly replicas?: number;
  /** @default '2.15' */
  readonly version?: KvrocksVersion;
  /** RocksDB volume of each pod. @default { size: '10Gi' } */
  readonly storage?: ManagedServiceStorage;
  /** Limits of each pod; the RocksDB block cache gets a quarter of the memory. @default 's1.micro' */
  readonly resources?: Resources;
  /**
   * Secret whose key `password` clients (`requirepass`) and replicas (`masterauth`) authenticate with.
   * @default - SecretRef.generatedPassword('<id>-auth', 'default'), created by the deployment layer
   */
  readonly auth?: SecretRef;
  /** kvrocks.conf settings, e.g. `{ 'rocksdb.compression': 'zstd' }`, merged over kubestrata's. @default {} */
  readonly config?: Readonly<Record<string, string>>;
}

const PORT = 6666;
const EXPORTER_PORT = 9121;
const DATA_DIR = '/var/lib/kvrocks';
const RUN_DIR = '/run/kvrocks';
const CONFIG_KEY = /^[a-z][a-z0-9._-]*$/;
/** Settings the pod layout, auth and replication depend on. */
const RESERVED_CONFIG = new Set([
  'bind',
  'port',
  'dir',
  'pidfile',
  'daemonize',
  'requirepass',
  'masterauth',
  'slaveof',
  'replicaof',
  'rename-command',
  'unixsocket',
  'cluster-enabled',
  'backup-dir',
  'log-dir',
  'unixsocketperm',
  'masteruser',
]);
/** `tls-*` replaces the listeners; `namespace.<name>` declares a password, which belongs in a Secret, not in this ConfigMap. */
const RESERVED_PREFIXES = ['tls-', 'namespace.'];
/** Writes the final config (with the password from the Secret) into a memory volume and starts Kvrocks. */
const START_SCRIPT = `set -eu
umask 077
conf=${RUN_DIR}/kvrocks.conf
cp /etc/kvrocks/kvrocks.conf "$conf"
printf 'requirepass %s\\nmasterauth %s\\n' "$REDISCLI_AUTH" "$REDISCLI_AUTH" >> "$conf"
case "\${POD_NAME##*-}" in
  0) ;;
  *) printf 'slaveof %s ${PORT}\\n' "$PRIMARY_HOST" >> "$conf" ;;
esac
exec kvrocks -c "$conf"
`;

/**
 * Apache Kvrocks, the Redis-compatible store on RocksDB that Olares runs, as a StatefulSet inside a tenant: a
 * volume per pod, password auth from a Secret (never in the ConfigMap), optional read replicas of pod 0, and
 * pods that meet the restricted Pod Security level. No operator: nothing fails over automatically.
 */
export class Kvrocks extends ManagedService<KvrocksVersion> {
  readonly image: string;
  readonly auth: SecretRef;
  /** The settings rendered into kvrocks.conf (without the password). */
  readonly config: Readonly<Record<string, string>>;
  /** In-cluster DNS name of the primary, port 6666. */
  readonly host: string;
  /** Service of all pods for reads, when there are replicas. */
  readonly replicasServiceName?: string;
  readonly statefulSet: ApiObject;

  constructor(scope: Construct, id: string, props: KvrocksProps = {}) {
    checkProps(scope, id, 'KvrocksProps', props);
    super(scope, id, props, {
      kind: 'kvrocks',
      replicas: 1,
      minReplicas: 1,
      versions: KVROCKS_VERSIONS,
      version: '2.15',
      storageSize: '10Gi',
      resources: 's1.micro',
      maxNameLength: 52,
      nameReason: 'the StatefulSet name, from which pod names and the controller-revision-hash label are derived',
    });
    this.image = `${versions.kvrocks.image}:${versions.kvrocks.releases[this.version] ?? ''}`;
    const memoryMb = Math.floor((parseQuantity(this.resources?.limits.memory ?? '1Gi') ?? 2 ** 30) / 2 ** 20);
    this.config = {
      workers: '4',
      'rocksdb.block_cache_size': String(Math.max(16, Math.floor(memoryMb / 4))),
      'rocksdb.write_buffer_size': String(Math.min(64, Math.max(16, Math.floor(memoryMb / 32)))),
      ...props.config,
    };
    this.check(props);
    this.auth = props.auth ?? this.generatedPassword('default', `${id}-auth`);
    this.host = this.serviceHost(id);
    this.replicasServiceName = this.replicas > 1 ? `${id}-replicas` : undefined;

    const pods = this.selector();
    this.object('config', 'v1', 'ConfigMap', `${id}-config`, { data: { 'kvrocks.conf': this.configFile(), 'start.sh': START_SCRIPT } });
    this.statefulSet = this.object('statefulset', 'apps/v1', 'StatefulSet', id, {
      spec: this.statefulSetSpec(pods, this.serviceHost(`${id}-0.${id}-headless`)),
    });
    this.node.defaultChild = this.statefulSet;
    const port = [{ name: 'kvrocks', port: PORT, targetPort: 'kvrocks', protocol: 'TCP' }];
    this.object('headless', 'v1', 'Service', `${id}-headless`, {
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: pods, ports: port },
    });
    this.object('service', 'v1', 'Service', id, {
      spec: { selector: { ...pods, 'statefulset.kubernetes.io/pod-name': `${id}-0` }, ports: port },
    });
    if (this.replicasServiceName) {
      this.object('replicas-service', 'v1', 'Service', this.replicasServiceName, { spec: { selector: pods, ports: port } });
      this.object('pdb', 'policy/v1', 'PodDisruptionBudget', id, { spec: { maxUnavailable: 1, selector: { matchLabels: pods } } });
    }
    if (this.external)
      this.exposeExternally({ ...pods, 'statefulset.kubernetes.io/pod-name': `${id}-0` }, [{ name: 'kvrocks', port: PORT }]);
    if (this.monitoring) {
      this.object(
        'metrics-service',
        'v1',
        'Service',
        `${id}-metrics`,
        {
          spec: { selector: pods, ports: [{ name: 'metrics', port: EXPORTER_PORT, targetPort: 'metrics', protocol: 'TCP' }] },
        },
        'metrics',
      );
      this.monitor(this.selector('metrics'), 'metrics', [{ pods, port: EXPORTER_PORT }]);
    }
  }

  get connection(): ServiceConnection {
    return {
      host: this.host,
      hosts: this.replicasServiceName ? { replicas: this.serviceHost(this.replicasServiceName) } : {},
      ports: { kvrocks: PORT },
      credentials: { default: { name: this.auth.name, keys: this.auth.keys } },
    };
  }

  private configFile(): string {
    const fixed = { bind: '0.0.0.0', port: String(PORT), dir: DATA_DIR, pidfile: `${RUN_DIR}/kvrocks.pid`, 'log-dir': 'stdout' };
    return (
      Object.entries({ ...fixed, ...this.config })
        .map(([key, value]) => `${key} ${value}`)
        .join('\n') + '\n'
    );
  }

  private statefulSetSpec(pods: Record<string, string>, primaryHost: string): Record<string, unknown> {
    const password = { name: 'REDISCLI_AUTH', valueFrom: { secretKeyRef: this.auth.key('password') } };
    const containerSecurity = { ...RESTRICTED_CONTAINER_SECURITY, readOnlyRootFilesystem: true };
    const containers: Record<string, unknown>[] = [
      {
        name: 'kvrocks',
        image: this.image,
        imagePullPolicy: 'IfNotPresent',
        command: ['/bin/sh', '/etc/kvrocks/start.sh'],
        env: [
          password,
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'PRIMARY_HOST', value: primaryHost },
        ],
        ports: [{ name: 'kvrocks', containerPort: PORT, protocol: 'TCP' }],
        resources: { limits: { ...this.resources.limits }, requests: { ...this.resources.requests } },
        securityContext: containerSecurity,
        startupProbe: { tcpSocket: { port: 'kvrocks' }, periodSeconds: 5, failureThreshold: 60 },
        livenessProbe: { tcpSocket: { port: 'kvrocks' }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
        readinessProbe: {
          exec: { command: ['/bin/sh', '-c', `redis-cli -p ${PORT} ping | grep -q PONG`] },
          periodSeconds: 10,
          timeoutSeconds: 5,
        },
        volumeMounts: [
          { name: 'data', mountPath: DATA_DIR },
          { name: 'config', mountPath: '/etc/kvrocks', readOnly: true },
          { name: 'run', mountPath: RUN_DIR },
          { name: 'tmp', mountPath: '/tmp' },
        ],
      },
    ];
    if (this.monitoring) {
      containers.push({
        name: 'exporter',
        image: versions.redis.exporter,
        imagePullPolicy: 'IfNotPresent',
        env: [
          { name: 'REDIS_ADDR', value: `redis://127.0.0.1:${PORT}` },
          { ...password, name: 'REDIS_PASSWORD' },
        ],
        ports: [{ name: 'metrics', containerPort: EXPORTER_PORT, protocol: 'TCP' }],
        resources: {
          limits: { cpu: '50m', memory: '64Mi', 'ephemeral-storage': '64Mi' },
          requests: { cpu: '10m', memory: '64Mi', 'ephemeral-storage': '16Mi' },
        },
        securityContext: containerSecurity,
      });
    }
    return {
      serviceName: `${this.serviceName}-headless`,
      replicas: this.replicas,
      podManagementPolicy: 'OrderedReady',
      selector: { matchLabels: pods },
      template: {
        metadata: { labels: { ...pods, ...this.podLabels() } },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: {
            runAsUser: 999,
            runAsGroup: 999,
            runAsNonRoot: true,
            fsGroup: 999,
            fsGroupChangePolicy: 'OnRootMismatch',
            seccompProfile: { type: 'RuntimeDefault' },
          },
          ...this.spread(pods),
          containers,
          volumes: [
            { name: 'config', configMap: { name: `${this.serviceName}-config`, defaultMode: 0o444 } },
            { name: 'run', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
            { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
          ],
        },
      },
      volumeClaimTemplates: [{ metadata: { name: 'data', labels: { ...pods } }, spec: this.volume() }],
    };
  }

  private check(props: KvrocksProps): void {
    const p = this.problems;
    for (const [key, value] of Object.entries(props.config ?? {})) {
      const property = `config.${key}`;
      if (
        !p.check(
          CONFIG_KEY.test(key),
          property,
          value,
          'is not a kvrocks.conf directive name (lower-case letters, digits, ".", "_" and "-")',
        )
      )
        continue;
      const reserved = RESERVED_CONFIG.has(key) || RESERVED_PREFIXES.some((prefix) => key.startsWith(prefix));
      if (!p.check(!reserved, property, value, 'is set by kubestrata for the pod layout, auth or replication', 'remove it')) continue;
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
