import { Problems } from '../../lib/core/errors';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { SecretRef } from '../../lib/core/secrets';
import { StorageClassRef } from '../../lib/core/storage-class';
import { HelmChartSource } from '../../lib/releases/chart';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';
import { claimStorageClass, RECLAIM_POLICIES, ReclaimPolicy, renderStorageClass } from './storage-classes';
import { checkCount, defaultReplicas } from './storage-rules';

/** Keys of the file system Secret the CSI driver reads (JuiceFS Community Edition). */
export const JUICEFS_SECRET_KEYS = ['name', 'metaurl', 'storage', 'bucket', 'access-key', 'secret-key'] as const;

/** Mount options of Olares' `juicefs.service` (`-o writeback_cache --entry-cache 300 --attr-cache 300`). */
export const OLARES_MOUNT_OPTIONS: readonly string[] = ['writeback_cache', 'entry-cache=300', 'attr-cache=300'];

const MOUNT_OPTION = /^[a-z][a-z0-9_-]*(=[^\s,]+)?$/;

export interface JuiceFsStorageClass {
  /** @default 'juicefs' */
  readonly name?: string;
  /** Annotates the class as the cluster's default. @default false */
  readonly default?: boolean;
  /** @default 'Delete' */
  readonly reclaimPolicy?: ReclaimPolicy;
  /** Options of `juicefs mount`, like `cache-size=102400`. @default OLARES_MOUNT_OPTIONS */
  readonly mountOptions?: readonly string[];
}

export interface JuiceFsProps {
  /**
   * The file system: a Secret with the keys `name`, `metaurl` (Redis, Kvrocks or PostgreSQL URL of the metadata
   * engine), `storage` (`minio`, `s3`, …), `bucket` (bucket URL), `access-key` and `secret-key`, and optionally
   * `format-options` or `trash-days`. Olares formats `rootfs` on the MinIO bucket `olares` with its metadata in Redis
   * database 1 and `trash-days` 0.
   * @requiredBecause the CSI driver reads the metadata engine URL and the object bucket of the file system from a Secret
   * @requiredFix pass SecretRef.fromConfig("<name>", ["name", "metaurl", "storage", "bucket", "access-key", "secret-key"])
   */
  readonly volume: SecretRef;
  /** Namespace of the CSI driver, its mount pods and the file system Secret. @default 'juicefs-system' */
  readonly namespace?: string;
  /** Chart to install. @default versions.juicefsCsiDriver.chart */
  readonly chart?: HelmChartSource;
  /** CSI controller replicas. @default - 1 with K3s delivery (one machine), else 2 @maximum 100 */
  readonly replicas?: number;
  /** The chart's dashboard, which can read every mount pod's logs. @default false */
  readonly dashboard?: boolean;
  /** The StorageClass. @default {} */
  readonly storageClass?: JuiceFsStorageClass;
  /** Chart values merged over kubestrata's (`mergeValues`: maps merge, lists and scalars replace, `null` removes a key). @default {} */
  readonly values?: Record<string, unknown>;
}

/**
 * JuiceFS through its CSI driver: the driver release and a `juicefs` StorageClass whose metadata engine and
 * object bucket come from one Secret reference, never from values in the manifests.
 */
export class JuiceFs extends ChartComponent {
  static readonly PROVISIONER = 'csi.juicefs.com';

  readonly volume: SecretRef;
  readonly replicas: number;
  readonly dashboard: boolean;
  readonly mountOptions: readonly string[];
  readonly storageClass: StorageClassRef;

  constructor(platform: Platform, props: JuiceFsProps) {
    checkProps(platform.layer('storage'), 'juicefs', 'JuiceFsProps', props);
    const chart = props?.chart ?? versions.juicefsCsiDriver.chart;
    const replicas = props?.replicas ?? defaultReplicas(platform, 2);
    const dashboard = props?.dashboard ?? false;
    super(platform, 'storage', 'juicefs', {
      namespace: props?.namespace ?? 'juicefs-system',
      releaseName: 'juicefs-csi-driver',
      source: chart,
      version: chart.version,
      // The chart's own StorageClass would put the credentials into its values; kubestrata renders the class.
      defaults: { controller: { replicas }, dashboard: { enabled: dashboard }, storageClasses: [] },
      values: props?.values,
      // The node plugin and the mount pods run FUSE with privileges and host mounts.
      podSecurity: 'privileged',
    });
    this.volume = props?.volume;
    this.replicas = replicas;
    this.dashboard = dashboard;
    const cls = props?.storageClass ?? {};
    this.mountOptions = cls.mountOptions ?? OLARES_MOUNT_OPTIONS;
    const name = cls.name ?? 'juicefs';
    const isDefault = cls.default ?? false;
    const reclaimPolicy = cls.reclaimPolicy ?? 'Delete';

    const problems = Problems.of(this);
    if (props?.volume === undefined) {
      problems.add(
        'volume',
        undefined,
        'is required: the CSI driver reads the metadata engine URL and the object bucket of the file system from a Secret',
        `pass SecretRef.fromConfig("<name>", [${JUICEFS_SECRET_KEYS.map((k) => JSON.stringify(k)).join(', ')}])`,
      );
    } else {
      SecretRef.prototype.check.call(props.volume, problems, 'volume', JUICEFS_SECRET_KEYS);
    }
    checkCount(problems, 'replicas', replicas, 1);
    problems.check(RECLAIM_POLICIES.includes(reclaimPolicy), 'storageClass.reclaimPolicy', reclaimPolicy, 'must be "Delete" or "Retain"');
    for (const option of this.mountOptions) {
      problems.check(
        typeof option === 'string' && MOUNT_OPTION.test(option),
        'storageClass.mountOptions',
        option,
        'is not a mount option ("flag" or "flag=value", without spaces or commas)',
        'write it like "cache-size=102400"',
      );
    }
    claimStorageClass(this, problems, 'storageClass', name, isDefault);
    problems.throwIfAny();

    platform.secrets.use(this.namespace, this.volume, this.node.path);
    const secret = { name: this.volume.name, namespace: this.namespace };
    const parameters: Record<string, string> = {};
    for (const use of ['provisioner', 'node-publish', 'controller-expand']) {
      parameters[`csi.storage.k8s.io/${use}-secret-name`] = secret.name;
      parameters[`csi.storage.k8s.io/${use}-secret-namespace`] = secret.namespace;
    }
    const object = renderStorageClass(this, 'storage-class', {
      name,
      provisioner: JuiceFs.PROVISIONER,
      parameters,
      reclaimPolicy,
      volumeBindingMode: 'Immediate',
      allowVolumeExpansion: true,
      mountOptions: this.mountOptions,
      isDefault,
    });
    object.node.addDependency(this.release);
    this.storageClass = new StorageClassRef(name, this, isDefault);
  }
}
