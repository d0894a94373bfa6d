import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems } from '../../lib/core/errors';
import { componentLabels } from '../../lib/core/labels';
import { checkDnsLabel, isDnsSubdomain } from '../../lib/core/names';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { checkQuantity, Quantity } from '../../lib/core/quantity';
import { StorageClassInput } from '../../lib/core/storage-class';
import { Tenant } from '../platform/tenant';
import { useStorageClass } from '../storage/storage-classes';
import { Cdi } from './cdi';
import {
  allowImporterEgress,
  cdiSource,
  checkHttpSource,
  checkRegistrySource,
  ImportSource,
  importSecrets,
  VmHttpSource,
  VmRegistrySource,
} from './disk-source';

/** Keeps a golden image up to date: CDI polls the registry and imports each new digest. */
export interface VmImageRefresh {
  /** Cron schedule (five fields) of the poll, e.g. `"0 3 * * 1"`. */
  readonly schedule: string;
  /** Imported versions kept besides the current one's source. @default 3 @maximum 100 */
  readonly importsToKeep?: number;
}

/** Where a golden image is imported from: exactly one of http and registry; only a registry image can be refreshed. */
export type VmImageSource =
  /** Import the image file from an HTTP server. */
  | { readonly http: VmHttpSource; readonly registry?: never; readonly refresh?: never }
  /** Import a container disk image from a registry. */
  | {
      readonly registry: VmRegistrySource;
      readonly http?: never;
      /** Re-import when the registry image changes (a `DataImportCron`). @default - imported once */
      readonly refresh?: VmImageRefresh;
    };

/** The settings of a golden image besides its source. */
export interface VmImageOptions {
  /** Size of the image's volume. @default '20Gi' (as Cozystack's golden images) */
  readonly size?: Quantity;
  /**
   * By name, or by reference (`linstor.replicatedClass`) so that the image follows the component that serves the class.
   * @default platform.storageClass, else the cluster's default StorageClass
   */
  readonly storageClass?: StorageClassInput;
}

export type VmImageProps = VmImageSource & VmImageOptions;

const CRON = /^(\S+\s+){4}\S+$/;

/**
 * A golden image inside a tenant, kept as a CDI `DataSource` that `VmDisk`s clone from. Imported once through a
 * `DataVolume`, or kept fresh by a `DataImportCron` that manages the `DataSource` itself.
 */
export class VmImage extends Construct {
  readonly tenant: Tenant;
  readonly namespace: string;
  /** Name of the `DataSource` disks clone from: the construct id. */
  readonly dataSourceName: string;
  readonly size: Quantity;
  readonly storageClass?: string;
  readonly source: ImportSource;
  readonly refresh?: Required<VmImageRefresh>;
  /** The `DataSource`, or the `DataImportCron` that manages it. */
  readonly object: ApiObject;

  constructor(scope: Construct, id: string, props: VmImageProps) {
    checkProps(scope, id, 'VmImageProps', props);
    super(scope, id);
    const tenant = Tenant.of(this);
    const platform = Platform.of(this);
    this.tenant = tenant;
    this.namespace = tenant.namespaceName;
    this.dataSourceName = id;
    this.size = props.size ?? '20Gi';
    this.storageClass = useStorageClass(this, props.storageClass ?? platform.storageClass);
    this.refresh = props.refresh && { schedule: props.refresh.schedule, importsToKeep: props.refresh.importsToKeep ?? 3 };

    const problems = Problems.of(this);
    checkDnsLabel(problems, 'id', id);
    const given = (['http', 'registry'] as const).filter((k) => props[k] !== undefined);
    problems.check(
      given.length === 1,
      given.length === 0 ? 'http | registry' : given.join(' + '),
      given.length === 0 ? undefined : given,
      given.length === 0 ? 'is required: a golden image needs a source to import' : 'are both set; an image has exactly one source',
      'give either http or registry',
    );
    if (props.http) checkHttpSource(problems, 'http', props.http);
    if (props.registry) checkRegistrySource(problems, 'registry', props.registry);
    checkQuantity(problems, 'size', this.size, '20Gi');
    if (this.storageClass !== undefined)
      problems.check(isDnsSubdomain(this.storageClass), 'storageClass', this.storageClass, 'must be a StorageClass name');
    if (this.refresh) {
      problems.check(
        props.registry !== undefined,
        'refresh',
        this.refresh.schedule,
        'needs a registry source: CDI re-imports when the image digest changes, which only a registry has',
        'import from registry, or remove refresh',
      );
      problems.check(
        typeof this.refresh.schedule === 'string' && CRON.test(this.refresh.schedule.trim()),
        'refresh.schedule',
        this.refresh.schedule,
        'must be a five-field cron expression',
        'write it like "0 3 * * 1" (Mondays at 03:00)',
      );
      problems.check(
        Number.isInteger(this.refresh.importsToKeep) && this.refresh.importsToKeep >= 1,
        'refresh.importsToKeep',
        this.refresh.importsToKeep,
        'must be a whole number ≥ 1',
      );
    }
    problems.throwIfAny();
    this.source = props.http
      ? { http: props.http }
      : { registry: { ...props.registry!, url: props.registry!.url, pullMethod: props.registry!.pullMethod ?? 'pod' } };

    platform.registry.require(this, Cdi);
    for (const ref of importSecrets(this.source)) platform.secrets.use(this.namespace, ref, this.node.path);
    const egress = allowImporterEgress(tenant);
    const storage = { resources: { requests: { storage: this.size } }, storageClassName: this.storageClass };
    if (this.refresh) {
      this.object = this.namespaced('cron', 'DataImportCron', {
        schedule: this.refresh.schedule,
        managedDataSource: this.dataSourceName,
        importsToKeep: this.refresh.importsToKeep,
        garbageCollect: 'Outdated',
        template: { spec: { source: cdiSource(this.source), storage } },
      });
    } else {
      const volume = this.namespaced('import', 'DataVolume', { contentType: 'kubevirt', source: cdiSource(this.source), storage });
      this.object = this.namespaced('source', 'DataSource', { source: { pvc: { name: id, namespace: this.namespace } } });
      this.object.node.addDependency(volume);
    }
    this.object.node.addDependency(egress);
    this.node.defaultChild = this.object;
  }

  private namespaced(id: string, kind: string, spec: Record<string, unknown>): ApiObject {
    const obj = this.tenant.namespaced(id, 'cdi.kubevirt.io/v1beta1', kind, this.dataSourceName, { spec }, this);
    for (const [key, value] of Object.entries(componentLabels('vm-image', 'golden-image', this.dataSourceName)))
      obj.metadata.addLabel(key, value);
    return obj;
  }
}
