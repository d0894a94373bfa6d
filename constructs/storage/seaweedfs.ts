import { Problems } from '../../lib/core/errors';
import { isDnsSubdomain } from '../../lib/core/names';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { checkQuantity, Quantity } from '../../lib/core/quantity';
import { SecretRef } from '../../lib/core/secrets';
import { StorageClassInput, storageClassName } from '../../lib/core/storage-class';
import { HelmChartSource } from '../../lib/releases/chart';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';
import { CertManager } from '../platform/cert-manager';
import { useStorageClass } from './storage-classes';
import { checkCount, defaultReplicas } from './storage-rules';

/** Key of the S3 identities Secret (`filer.s3.existingConfigSecret` of the chart). */
export const SEAWEEDFS_S3_CONFIG_KEY = 'seaweedfs_s3_config';
const S3_PORT = 8333;

/** The S3 gateway inside the filers, as Cozystack runs it. */
export interface SeaweedFsS3 {
  /** @default true */
  readonly enabled?: boolean;
  /** Secret with the key `seaweedfs_s3_config`: the JSON of S3 identities, their keys and actions. */
  readonly credentials?: SecretRef;
  /** Serve buckets to anyone who can reach the gateway, without credentials. @default false */
  readonly allowAnonymous?: boolean;
}

export interface SeaweedFsProps {
  /** @default 'seaweedfs' */
  readonly namespace?: string;
  /** Chart to install. @default versions.seaweedfs.chart */
  readonly chart?: HelmChartSource;
  /** Master servers (Raft). @default - 1 with K3s delivery (one machine), else 3 @maximum 100 */
  readonly masters?: number;
  /** Volume servers, each with one data volume. @default - 1 with K3s delivery, else 2 @maximum 1000 */
  readonly volumeServers?: number;
  /** Filers (metadata, S3 gateway), each with its own store volume. @default - 1 with K3s delivery, else 2 @maximum 100 */
  readonly filers?: number;
  /**
   * Copies of each file as SeaweedFS' `XYZ` placement: X in other data centers, Y in other racks, Z on
   * other servers of the rack. kubestrata declares no data centers or racks, so X and Y stay 0.
   * @default - '000' with K3s delivery, else '001' (as Cozystack)
   */
  readonly replication?: string;
  /** Data volume of each volume server. @default '10Gi' */
  readonly volumeSize?: Quantity;
  /** Metadata store volume of each filer. @default '10Gi' */
  readonly filerSize?: Quantity;
  /** StorageClass of all volumes; a reference (`linstor.localClass`) also orders SeaweedFS after its provider. @default - the platform's storageClass, else the cluster default */
  readonly storageClass?: StorageClassInput;
  /** Mutual TLS between masters, volume servers and filers with cert-manager certificates (`global.enableSecurity`). @default true */
  readonly tls?: boolean;
  /** @default { enabled: true } */
  readonly s3?: SeaweedFsS3;
  /** Chart values merged over kubestrata's (`mergeValues`: maps merge, lists and scalars replace, `null` removes a key). @default {} */
  readonly values?: Record<string, unknown>;
}

/** SeaweedFS from its chart with Cozystack's defaults: replicated volumes, filers with an S3 gateway. */
export class SeaweedFs extends ChartComponent {
  readonly masters: number;
  readonly volumeServers: number;
  readonly filers: number;
  readonly replication: string;
  readonly volumeSize: string;
  readonly filerSize: string;
  readonly storageClass?: string;
  readonly tls: boolean;
  readonly s3Enabled: boolean;
  readonly s3Credentials?: SecretRef;
  /** The in-cluster S3 endpoint, when the gateway is enabled. */
  readonly s3Endpoint?: string;

  constructor(platform: Platform, props: SeaweedFsProps = {}) {
    checkProps(platform.layer('storage'), 'seaweedfs', 'SeaweedFsProps', props);
    const chart = props.chart ?? versions.seaweedfs.chart;
    const namespace = props.namespace ?? 'seaweedfs';
    const settings = {
      masters: props.masters ?? defaultReplicas(platform, 3),
      volumeServers: props.volumeServers ?? defaultReplicas(platform, 2),
      filers: props.filers ?? defaultReplicas(platform, 2),
      replication: props.replication ?? (platform.delivery === 'k3s' ? '000' : '001'),
      volumeSize: props.volumeSize ?? '10Gi',
      filerSize: props.filerSize ?? '10Gi',
      storageClass: storageClassName(props.storageClass ?? platform.storageClass),
      tls: props.tls ?? true,
      s3Enabled: props.s3?.enabled ?? true,
      anonymous: props.s3?.allowAnonymous ?? false,
    };
    super(platform, 'storage', 'seaweedfs', {
      namespace,
      releaseName: 'seaweedfs',
      source: chart,
      version: chart.version,
      defaults: chartValues(settings, props.s3?.credentials),
      values: props.values,
      // The chart sets no restricted security contexts; its pods use no host paths here.
      podSecurity: 'baseline',
    });
    this.masters = settings.masters;
    this.volumeServers = settings.volumeServers;
    this.filers = settings.filers;
    this.replication = settings.replication;
    this.volumeSize = settings.volumeSize;
    this.filerSize = settings.filerSize;
    this.storageClass = settings.storageClass;
    this.tls = settings.tls;
    this.s3Enabled = settings.s3Enabled;
    this.s3Credentials = props.s3?.credentials;
    this.s3Endpoint = this.s3Enabled ? `http://seaweedfs-s3.${namespace}.svc.${platform.clusterDomain}:${S3_PORT}` : undefined;

    const problems = Problems.of(this);
    checkCount(problems, 'masters', this.masters, 1);
    problems.check(
      !Number.isInteger(this.masters) || this.masters % 2 === 1,
      'masters',
      this.masters,
      'must be odd: the masters elect a leader by majority',
      `use ${this.masters + 1}`,
    );
    const servers = checkCount(problems, 'volumeServers', this.volumeServers, 1);
    checkCount(problems, 'filers', this.filers, 1);
    if (
      problems.check(
        typeof this.replication === 'string' && /^[0-9]{3}$/.test(this.replication),
        'replication',
        this.replication,
        'must be three digits XYZ',
        'write it like "001" (one more copy on another server)',
      )
    ) {
      problems.check(
        this.replication.startsWith('00'),
        'replication',
        this.replication,
        'asks for copies in other data centers or racks, which kubestrata does not declare',
        `use "00${this.replication[2]}"`,
      );
      const copies = Number(this.replication[2]);
      if (servers)
        problems.check(
          copies < this.volumeServers,
          'replication',
          this.replication,
          `needs ${copies + 1} volume servers for ${copies + 1} copies, but volumeServers is ${this.volumeServers}`,
          `set volumeServers to ${copies + 1}`,
        );
    }
    checkQuantity(problems, 'volumeSize', this.volumeSize, '10Gi');
    checkQuantity(problems, 'filerSize', this.filerSize, '10Gi');
    if (props.storageClass !== undefined)
      problems.check(isDnsSubdomain(this.storageClass), 'storageClass', props.storageClass, 'must be a StorageClass name');
    if (this.s3Enabled && !settings.anonymous) {
      if (props.s3?.credentials === undefined) {
        problems.add(
          's3.credentials',
          undefined,
          'is required: the S3 gateway checks requests against identities from a Secret',
          `pass SecretRef.fromConfig("<name>", ["${SEAWEEDFS_S3_CONFIG_KEY}"]) holding the identities JSON, or set s3.allowAnonymous: true`,
        );
      } else {
        SecretRef.prototype.check.call(props.s3.credentials, problems, 's3.credentials', [SEAWEEDFS_S3_CONFIG_KEY]);
      }
    }
    if (settings.anonymous && props.s3?.credentials !== undefined) {
      problems.add(
        's3.allowAnonymous',
        true,
        'contradicts s3.credentials: the gateway either checks identities or serves everyone',
        'remove one of them',
      );
    }
    problems.throwIfAny();

    useStorageClass(this, props.storageClass ?? platform.storageClass);
    if (this.tls) this.requires(CertManager);
    if (this.s3Enabled && this.s3Credentials) platform.secrets.use(namespace, this.s3Credentials, this.node.path);
  }
}

interface Settings {
  readonly masters: number;
  readonly volumeServers: number;
  readonly filers: number;
  readonly replication: string;
  readonly volumeSize: string;
  readonly filerSize: string;
  readonly storageClass?: string;
  readonly tls: boolean;
  readonly s3Enabled: boolean;
  readonly anonymous: boolean;
}

/** Chart values, following Cozystack's packages/system/seaweedfs/values.yaml where it has a setting. */
function chartValues(s: Settings, credentials: SecretRef | undefined): Record<string, unknown> {
  const pvc = (size: string) => ({ type: 'persistentVolumeClaim', size, ...(s.storageClass ? { storageClass: s.storageClass } : {}) });
  return {
    global: {
      enableSecurity: s.tls,
      // Namespace-free service names, so that the release works in any namespace.
      extraEnvironmentVars: {
        WEED_CLUSTER_DEFAULT: 'sw',
        WEED_CLUSTER_SW_MASTER: 'seaweedfs-master:9333',
        WEED_CLUSTER_SW_FILER: 'seaweedfs-filer-client:8888',
      },
    },
    master: {
      replicas: s.masters,
      defaultReplication: s.replication,
      volumeSizeLimitMB: 30000,
      data: { type: 'emptyDir' },
      logs: { type: '' },
    },
    volume: { replicas: s.volumeServers, minFreeSpacePercent: 5, dataDirs: [{ name: 'data1', ...pvc(s.volumeSize), maxVolumes: 0 }] },
    filer: {
      replicas: s.filers,
      defaultReplicaPlacement: s.replication,
      data: pvc(s.filerSize),
      logs: { type: '' },
      s3: {
        enabled: s.s3Enabled,
        port: S3_PORT,
        enableAuth: s.s3Enabled && !s.anonymous,
        existingConfigSecret: s.s3Enabled && !s.anonymous ? credentials?.name : undefined,
      },
    },
    s3: { enabled: false },
  };
}
