import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems } from '../../lib/core/errors';
import { ALLOW_APISERVER_LABEL, componentLabels, MANAGED_BY, SYSTEM_NAMESPACE_LABEL } from '../../lib/core/labels';
import { checkDnsLabel, isDnsSubdomain } from '../../lib/core/names';
import { checkSystemNamespace, claimSystemNamespace } from '../../lib/core/namespaces';
import { namespacePeer } from '../../lib/core/network-peers';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { checkQuantity } from '../../lib/core/quantity';
import { ResourceRequirements, resolveResources } from '../../lib/core/resources';
import { SecretRef } from '../../lib/core/secrets';
import { storageClassName } from '../../lib/core/storage-class';
import { platformNamespacePolicies } from '../../lib/releases/chart-component';
import { PostgresObjectStore } from '../data/postgres-props';
import { Tenant } from '../platform/tenant';
import { MinioOperator } from './minio-operator';
import { MinioBucket, MinioPool, MinioTenantProps } from './minio-tenant-props';
import { useStorageClass } from './storage-classes';
import { checkCount } from './storage-rules';

export * from './minio-tenant-props';

/** The key of the configuration Secret, and the keys of a user Secret, as the operator reads them. */
export const MINIO_CONFIG_KEY = 'config.env';
export const MINIO_ACCESS_KEY = 'CONSOLE_ACCESS_KEY';
export const MINIO_SECRET_KEY = 'CONSOLE_SECRET_KEY';

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d+\.\d+\.\d+\.\d+$/;
const REGION = /^[a-z0-9-]{1,32}$/;
/** The label the MinIO operator puts on the pods of a Tenant, and the port they serve S3 and the admin API on. */
const MINIO_TENANT_LABEL = 'v1.min.io/tenant';
const MINIO_PORT = 9000;

/** A pool with its defaults applied. */
export interface MinioPoolSettings {
  readonly name: string;
  readonly servers: number;
  readonly volumesPerServer: number;
  readonly size: string;
  readonly storageClass?: string;
  readonly resources: ResourceRequirements;
}

/** Where a Postgres keeps its backups in this MinIO. */
export interface MinioBackupOptions {
  /** A bucket of this tenant. */
  readonly bucket: string;
  /** Folder in the bucket. @default - the bucket root */
  readonly path?: string;
  /** One of this tenant's `users`; the same Secret must exist in the Postgres namespace. */
  readonly user: SecretRef;
  /** Secret with the CA that signed MinIO's certificate (with `requestAutoCert`, the cluster CA). @default - the system trust store */
  readonly endpointCa?: SecretRef;
}

const namespaces = new WeakMap<Platform, Map<string, string>>();

/**
 * A MinIO object store run by the MinIO operator: a `Tenant` (minio.min.io/v2) with pools, TLS, buckets and
 * users, in a kubestrata `Tenant` or, created on the Platform, in its own namespace of the storage layer.
 * It serves as the S3 store of JuiceFS and of database backups.
 */
export class MinioTenant extends Construct {
  readonly platform: Platform;
  /** Name of the MinIO `Tenant`: the construct id. */
  readonly tenantName: string;
  readonly namespace: string;
  readonly credentials: SecretRef;
  readonly pools: readonly MinioPoolSettings[];
  readonly requestAutoCert: boolean;
  readonly buckets: Readonly<Record<string, Required<Pick<MinioBucket, 'objectLock'>> & MinioBucket>>;
  readonly users: readonly SecretRef[];
  readonly image?: string;
  /** The in-cluster S3 endpoint: the operator's `minio` Service of the namespace. */
  readonly endpoint: string;
  /** The MinIO `Tenant` object. */
  readonly tenant: ApiObject;

  constructor(scope: Platform | Tenant, id: string, props: MinioTenantProps) {
    checkProps(scope instanceof Tenant ? scope : Platform.of(scope).layer('storage'), id, 'MinioTenantProps', props);
    const platform = Platform.of(scope);
    // Not `instanceof Tenant`, which cdk8s makes true of every Chart.
    const tenant = Tenant.tryOf(scope) === scope ? (scope as Tenant) : undefined;
    super(tenant ?? platform.layer('storage'), id);
    const single = platform.delivery === 'k3s';
    this.platform = platform;
    this.tenantName = id;
    this.namespace = tenant ? tenant.namespaceName : (props?.namespace ?? id);
    this.credentials = props?.credentials;
    this.requestAutoCert = props?.requestAutoCert ?? true;
    this.buckets = Object.fromEntries(
      Object.entries(props?.buckets ?? {}).map(([name, b]) => [name, { ...b, objectLock: b?.objectLock ?? false }]),
    );
    this.users = props?.users ?? [];
    this.image = props?.image;
    const domain = `minio.${this.namespace}.svc.${platform.clusterDomain}`;
    this.endpoint = this.requestAutoCert ? `https://${domain}` : `http://${domain}`;

    const problems = Problems.of(this);
    checkDnsLabel(problems, 'id', id, 40);
    if (tenant && props?.namespace !== undefined) {
      problems.add(
        'namespace',
        props.namespace,
        `cannot be set inside a Tenant: the MinIO lives in the tenant namespace "${tenant.namespaceName}"`,
        'remove namespace',
      );
    } else if (!tenant && checkDnsLabel(problems, 'namespace', this.namespace)) {
      checkSystemNamespace(problems, platform, 'namespace', this.namespace);
    }
    const pools = Object.entries(props?.pools ?? { 'pool-0': {} }).map(([name, pool]) =>
      this.resolvePool(problems, name, pool ?? {}, single),
    );
    this.pools = pools.filter((p): p is MinioPoolSettings => p !== undefined);
    problems.check(Object.keys(props?.pools ?? { 'pool-0': {} }).length > 0, 'pools', props?.pools, 'must declare at least one pool');
    this.checkSecrets(problems, props);
    this.checkBuckets(problems);
    if (props?.image !== undefined) {
      problems.check(
        isPinnedImage(props.image),
        'image',
        props.image,
        'must be an image reference with a pinned tag or digest (not "latest")',
        'write it like "quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z"',
      );
    }
    const taken = namespaces.get(platform) ?? new Map<string, string>();
    const holder = taken.get(this.namespace);
    problems.check(
      holder === undefined,
      'namespace',
      this.namespace,
      `already has the MinioTenant ${holder}; the operator names the S3 Service of a namespace "minio"`,
      'put each MinioTenant in its own namespace',
    );
    problems.throwIfAny();
    namespaces.set(platform, taken.set(this.namespace, this.node.path));
    if (!tenant) claimSystemNamespace(platform, this.namespace, this.node.path);

    const operator = platform.registry.require(this, MinioOperator);
    for (const pool of Object.values(props.pools ?? { 'pool-0': {} })) useStorageClass(this, pool?.storageClass ?? platform.storageClass);
    platform.secrets.use(this.namespace, this.credentials, this.node.path);
    for (const user of this.users) platform.secrets.use(this.namespace, user, this.node.path);
    this.tenant = this.render(tenant);
    this.node.defaultChild = this.tenant;
    if (tenant) this.allowOperator(tenant, operator.namespace);
  }

  /** The MinIO operator provisions buckets and users and checks health through the S3 and admin API of the pods (9000). */
  private allowOperator(tenant: Tenant, operatorNamespace: string): void {
    const policy = tenant.namespaced(
      'operator-policy',
      'networking.k8s.io/v1',
      'NetworkPolicy',
      `${this.tenantName}-from-operator`,
      {
        spec: {
          podSelector: { matchLabels: { [MINIO_TENANT_LABEL]: this.tenantName } },
          policyTypes: ['Ingress'],
          ingress: [{ from: [namespacePeer(operatorNamespace)], ports: [{ protocol: 'TCP', port: MINIO_PORT }] }],
        },
      },
      this,
    );
    for (const [key, value] of Object.entries(componentLabels('minio', 'object-store', this.tenantName)))
      policy.metadata.addLabel(key, value);
  }

  /** The URL of a bucket as S3 clients that take a bucket URL expect it (JuiceFS `bucket`). */
  bucketUrl(bucket: string): string {
    const problems = Problems.of(this);
    this.checkBucket(problems, bucket);
    problems.throwIfAny();
    return `${this.endpoint}/${bucket}`;
  }

  /** Backup settings for `Postgres` (`backup`) pointing at a bucket of this tenant with one of its users. */
  postgresBackup(options: MinioBackupOptions): PostgresObjectStore {
    const problems = new Problems(`${this.node.path}/postgresBackup`);
    this.checkBucket(problems, options.bucket);
    problems.check(
      this.users.includes(options.user),
      'user',
      options.user?.name,
      `is not one of the users of MinioTenant ${this.tenantName} (${this.users.map((u) => JSON.stringify(u.name)).join(', ') || 'none'})`,
      'add the SecretRef to users',
    );
    problems.throwIfAny();
    const folder = (options.path ?? '').replace(/^\/+|\/+$/g, '');
    return {
      destinationPath: `s3://${options.bucket}/${folder}`,
      endpointUrl: this.endpoint,
      credentials: options.user,
      accessKeyIdKey: MINIO_ACCESS_KEY,
      secretAccessKeyKey: MINIO_SECRET_KEY,
      endpointCa: options.endpointCa,
      inCluster: { namespace: this.namespace, pods: { [MINIO_TENANT_LABEL]: this.tenantName }, port: MINIO_PORT },
    };
  }

  private checkBucket(problems: Problems, bucket: string): void {
    const names = Object.keys(this.buckets);
    problems.check(
      names.includes(bucket),
      'bucket',
      bucket,
      `is not a bucket of MinioTenant ${this.tenantName} (${names.map((n) => JSON.stringify(n)).join(', ') || 'none'})`,
      'declare it in buckets',
    );
  }

  private resolvePool(problems: Problems, name: string, pool: MinioPool, single: boolean): MinioPoolSettings | undefined {
    const at = `pools.${name}`;
    const settings = {
      name,
      servers: pool.servers ?? (single ? 1 : 4),
      volumesPerServer: pool.volumesPerServer ?? (single ? 4 : 1),
      size: pool.size ?? '10Gi',
      storageClass: storageClassName(pool.storageClass ?? this.platform.storageClass),
    };
    if (checkDnsLabel(problems, at, name, 20)) {
      problems.check(
        `${this.tenantName}-${name}`.length <= 52,
        at,
        name,
        `makes the StatefulSet name "${this.tenantName}-${name}" longer than 52 characters`,
        'shorten the id or the pool name',
      );
    }
    const counts =
      checkCount(problems, `${at}.servers`, settings.servers, 1) &&
      checkCount(problems, `${at}.volumesPerServer`, settings.volumesPerServer, 1);
    // The operator rejects pools of 2 or 3 servers with fewer than 4 volumes in total (Pool.Validate).
    if (counts && (settings.servers === 2 || settings.servers === 3)) {
      problems.check(
        settings.servers * settings.volumesPerServer >= 4,
        `${at}.volumesPerServer`,
        settings.volumesPerServer,
        `gives ${settings.servers} servers only ${settings.servers * settings.volumesPerServer} volumes; erasure coding needs at least 4 in a pool of 2 or 3 servers`,
        `use volumesPerServer: ${Math.ceil(4 / settings.servers)}`,
      );
    }
    checkQuantity(problems, `${at}.size`, settings.size, '10Gi');
    if (pool.storageClass !== undefined)
      problems.check(isDnsSubdomain(settings.storageClass), `${at}.storageClass`, pool.storageClass, 'must be a StorageClass name');
    const resources = resolveResources(problems, `${at}.resources`, pool.resources ?? 's1.small', this.platform.allocationRatio);
    return resources && { ...settings, resources };
  }

  private checkSecrets(problems: Problems, props: MinioTenantProps | undefined): void {
    if (props?.credentials === undefined) {
      problems.add(
        'credentials',
        undefined,
        `is required: the operator reads the root user and password from the key "${MINIO_CONFIG_KEY}" of a Secret`,
        `pass SecretRef.fromConfig("<name>", ["${MINIO_CONFIG_KEY}"]) holding export MINIO_ROOT_USER="…" and export MINIO_ROOT_PASSWORD="…" lines`,
      );
    } else {
      SecretRef.prototype.check.call(props.credentials, problems, 'credentials', [MINIO_CONFIG_KEY]);
    }
    this.users.forEach((user, index) => {
      if (SecretRef.prototype.check.call(user, problems, `users.${index}`, [MINIO_ACCESS_KEY, MINIO_SECRET_KEY])) {
        problems.check(
          user.name !== props?.credentials?.name,
          `users.${index}`,
          user.name,
          'is the credentials Secret; a user needs its own Secret',
        );
      }
    });
  }

  private checkBuckets(problems: Problems): void {
    for (const [name, bucket] of Object.entries(this.buckets)) {
      problems.check(
        BUCKET.test(name) && !name.includes('..') && !IP_ADDRESS.test(name),
        `buckets.${name}`,
        name,
        'is not an S3 bucket name (3 to 63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit, not an IP address)',
      );
      if (bucket.region !== undefined)
        problems.check(REGION.test(bucket.region), `buckets.${name}.region`, bucket.region, 'must be a region name like "us-east-1"');
    }
  }

  private render(tenant: Tenant | undefined): ApiObject {
    const labels = componentLabels('minio', 'object-store', this.tenantName);
    const spec = {
      image: this.image,
      configuration: { name: this.credentials.name },
      requestAutoCert: this.requestAutoCert,
      pools: this.pools.map((pool) => ({
        name: pool.name,
        servers: pool.servers,
        volumesPerServer: pool.volumesPerServer,
        labels: tenant ? { [ALLOW_APISERVER_LABEL]: 'true' } : undefined,
        volumeClaimTemplate: {
          metadata: { name: 'data' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: pool.storageClass,
            resources: { requests: { storage: pool.size } },
          },
        },
        resources: { limits: { ...pool.resources.limits }, requests: { ...pool.resources.requests } },
        securityContext: {
          runAsUser: 1000,
          runAsGroup: 1000,
          runAsNonRoot: true,
          fsGroup: 1000,
          fsGroupChangePolicy: 'OnRootMismatch',
          seccompProfile: { type: 'RuntimeDefault' },
        },
        containerSecurityContext: {
          runAsUser: 1000,
          runAsGroup: 1000,
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
      })),
      buckets:
        Object.keys(this.buckets).length > 0
          ? Object.entries(this.buckets).map(([name, b]) => ({ name, objectLock: b.objectLock, region: b.region }))
          : undefined,
      users: this.users.length > 0 ? this.users.map((u) => ({ name: u.name })) : undefined,
      exposeServices: { minio: false, console: false },
    };
    if (tenant) {
      const object = tenant.namespaced('tenant', 'minio.min.io/v2', 'Tenant', this.tenantName, { spec }, this);
      for (const [key, value] of Object.entries(labels)) object.metadata.addLabel(key, value);
      return object;
    }
    const namespace = new ApiObject(this, 'namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: this.namespace,
        labels: {
          ...MANAGED_BY,
          [SYSTEM_NAMESPACE_LABEL]: 'true',
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
        },
      },
    });
    const object = new ApiObject(this, 'tenant', {
      apiVersion: 'minio.min.io/v2',
      kind: 'Tenant',
      metadata: { name: this.tenantName, namespace: this.namespace, labels },
      spec,
    });
    object.node.addDependency(namespace);
    platformNamespacePolicies(this, this.namespace, namespace);
    // The platform's object store: clients whose own policies let them out (operators, JuiceFS, declared backups)
    // reach the S3 port, nothing else.
    new ApiObject(this, 'namespace-allow-s3', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'kubestrata-allow-s3', namespace: this.namespace, labels: { ...MANAGED_BY } },
      spec: {
        podSelector: { matchLabels: { [MINIO_TENANT_LABEL]: this.tenantName } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ protocol: 'TCP', port: MINIO_PORT }] }],
      },
    }).node.addDependency(namespace);
    return object;
  }
}

/** An image reference with a tag other than `latest`, or a digest. */
function isPinnedImage(image: unknown): boolean {
  if (typeof image !== 'string' || /\s/.test(image)) return false;
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return true;
  const tag = /:([\w][\w.-]{0,127})$/.exec(image.slice(image.lastIndexOf('/') + 1));
  return tag !== null && tag[1] !== 'latest';
}
