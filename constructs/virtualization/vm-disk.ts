import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems } from '../../lib/core/errors';
import { componentLabels } from '../../lib/core/labels';
import { checkDnsLabel, isDnsLabel, isDnsSubdomain } from '../../lib/core/names';
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
import { VmImage } from './vm-image';

export type { VmHttpSource, VmRegistryPullMethod, VmRegistrySource } from './disk-source';

/**
 * Copy an existing volume of the same tenant: exactly one of a golden image, a `DataSource` by name, or a PVC (another disk).
 */
export type VmDiskClone =
  /** A golden image of the same tenant. */
  | { readonly image: VmImage; readonly dataSource?: never; readonly pvc?: never }
  /** A `DataSource` in the tenant namespace, by name. */
  | { readonly dataSource: string; readonly image?: never; readonly pvc?: never }
  /** A PersistentVolumeClaim in the tenant namespace (every VmDisk is one, named after it). */
  | { readonly pvc: string; readonly image?: never; readonly dataSource?: never };

export type VmDiskAccessMode = 'ReadWriteOnce' | 'ReadWriteMany';
export type VmDiskVolumeMode = 'Block' | 'Filesystem';

/** Where the content of a disk comes from: exactly one of http, registry, blank and clone. */
export type VmDiskSource =
  /** Import an image file over HTTP. */
  | { readonly http: VmHttpSource; readonly registry?: never; readonly blank?: never; readonly clone?: never }
  /** Import a container disk image. */
  | { readonly registry: VmRegistrySource; readonly http?: never; readonly blank?: never; readonly clone?: never }
  /** An empty disk. */
  | { readonly blank: true; readonly http?: never; readonly registry?: never; readonly clone?: never }
  /** A copy of an image, DataSource or PVC of the tenant. */
  | { readonly clone: VmDiskClone; readonly http?: never; readonly registry?: never; readonly blank?: never };

/** The settings of a disk besides its source. */
export interface VmDiskOptions {
  /** Size of the disk. @default '5Gi' (as Cozystack's vm-disk), for a clone the size of its source */
  readonly size?: Quantity;
  /**
   * By name, or by reference (`linstor.replicatedClass`) so that the disk follows the component that serves the class.
   * @default platform.storageClass, else the cluster's default StorageClass
   */
  readonly storageClass?: StorageClassInput;
  /** ReadWriteMany lets the VM live-migrate on shared storage. @default - from the StorageClass's StorageProfile */
  readonly accessMode?: VmDiskAccessMode;
  /** @default - from the StorageClass's StorageProfile */
  readonly volumeMode?: VmDiskVolumeMode;
  /** Attach as a read-only CD-ROM (an installer ISO). @default false */
  readonly optical?: boolean;
}

export type VmDiskProps = VmDiskSource & VmDiskOptions;

type Source = ImportSource | { readonly blank: true } | { readonly clone: VmDiskClone };

const SOURCES = ['http', 'registry', 'blank', 'clone'] as const;
const ACCESS_MODES: readonly VmDiskAccessMode[] = ['ReadWriteOnce', 'ReadWriteMany'];
const VOLUME_MODES: readonly VmDiskVolumeMode[] = ['Block', 'Filesystem'];

/**
 * A VM disk inside a tenant: a CDI `DataVolume` imported over HTTP or from a registry, blank, or cloned from a golden
 * image, a DataSource or another disk. `VirtualMachine`s attach it by reference; its PVC carries the same name.
 */
export class VmDisk extends Construct {
  readonly tenant: Tenant;
  readonly namespace: string;
  /** Name of the `DataVolume` and of its PVC: the construct id. */
  readonly diskName: string;
  readonly size?: Quantity;
  readonly storageClass?: string;
  readonly accessMode?: VmDiskAccessMode;
  readonly volumeMode?: VmDiskVolumeMode;
  readonly optical: boolean;
  readonly source: Source;
  readonly dataVolume: ApiObject;

  constructor(scope: Construct, id: string, props: VmDiskProps) {
    checkProps(scope, id, 'VmDiskProps', props);
    super(scope, id);
    const tenant = Tenant.of(this);
    const platform = Platform.of(this);
    this.tenant = tenant;
    this.namespace = tenant.namespaceName;
    this.diskName = id;
    this.size = props.size ?? (props.clone ? undefined : '5Gi');
    this.storageClass = useStorageClass(this, props.storageClass ?? platform.storageClass);
    this.accessMode = props.accessMode;
    this.volumeMode = props.volumeMode;
    this.optical = props.optical ?? false;
    this.check(id, props);
    this.source = props.http
      ? { http: props.http }
      : props.registry
        ? { registry: { ...props.registry, url: props.registry.url, pullMethod: props.registry.pullMethod ?? 'pod' } }
        : props.blank
          ? { blank: true }
          : { clone: props.clone! };

    platform.registry.require(this, Cdi);
    const imported = 'http' in this.source || 'registry' in this.source ? (this.source as ImportSource) : undefined;
    for (const ref of importSecrets(imported)) platform.secrets.use(this.namespace, ref, this.node.path);
    this.dataVolume = tenant.namespaced('data-volume', 'cdi.kubevirt.io/v1beta1', 'DataVolume', id, { spec: this.spec() }, this);
    this.node.defaultChild = this.dataVolume;
    for (const [key, value] of Object.entries(componentLabels('vm-disk', 'disk', id))) this.dataVolume.metadata.addLabel(key, value);
    if (imported) this.dataVolume.node.addDependency(allowImporterEgress(tenant));
    const image = 'clone' in this.source ? this.source.clone.image : undefined;
    if (image) this.dataVolume.node.addDependency(image.object);
  }

  private spec(): Record<string, unknown> {
    const storage = {
      accessModes: this.accessMode && [this.accessMode],
      volumeMode: this.volumeMode,
      resources: this.size === undefined ? undefined : { requests: { storage: this.size } },
      storageClassName: this.storageClass,
    };
    const source = this.source;
    if ('blank' in source) return { source: { blank: {} }, storage };
    if ('clone' in source) {
      const { image, dataSource, pvc } = source.clone;
      if (pvc !== undefined) return { source: { pvc: { name: pvc, namespace: this.namespace } }, storage };
      return { sourceRef: { kind: 'DataSource', name: image?.dataSourceName ?? dataSource, namespace: this.namespace }, storage };
    }
    return { contentType: 'kubevirt', source: cdiSource(source), storage };
  }

  private check(id: string, props: VmDiskProps): void {
    const problems = Problems.of(this);
    checkDnsLabel(problems, 'id', id);
    const given = SOURCES.filter((k) => (k === 'blank' ? props.blank === true : props[k] !== undefined));
    problems.check(
      given.length === 1,
      given.length === 0 ? SOURCES.join(' | ') : given.join(' + '),
      given.length === 0 ? undefined : given,
      given.length === 0 ? 'is required: a disk needs exactly one source' : 'are all set; a disk has exactly one source',
      'give one of http, registry, blank: true or clone',
    );
    if (props.http) checkHttpSource(problems, 'http', props.http);
    if (props.registry) checkRegistrySource(problems, 'registry', props.registry);
    if (props.clone) this.checkClone(problems, props.clone);
    if (this.size !== undefined) checkQuantity(problems, 'size', this.size, '10Gi');
    if (this.storageClass !== undefined)
      problems.check(isDnsSubdomain(this.storageClass), 'storageClass', this.storageClass, 'must be a StorageClass name');
    if (this.accessMode !== undefined)
      problems.check(ACCESS_MODES.includes(this.accessMode), 'accessMode', this.accessMode, `must be one of ${ACCESS_MODES.join(', ')}`);
    if (this.volumeMode !== undefined)
      problems.check(VOLUME_MODES.includes(this.volumeMode), 'volumeMode', this.volumeMode, `must be one of ${VOLUME_MODES.join(', ')}`);
    problems.throwIfAny();
  }

  private checkClone(problems: Problems, clone: VmDiskClone): void {
    const given = (['image', 'dataSource', 'pvc'] as const).filter((k) => clone[k] !== undefined);
    if (
      !problems.check(
        given.length === 1,
        `clone.${given.length === 0 ? '(image | dataSource | pvc)' : given.join(' + ')}`,
        given.length === 0 ? undefined : given,
        'must name exactly one volume to copy',
        'give one of clone.image, clone.dataSource or clone.pvc',
      )
    )
      return;
    if (clone.image !== undefined) {
      if (!problems.check(clone.image instanceof VmImage, 'clone.image', clone.image, 'must be a VmImage')) return;
      problems.check(
        clone.image.namespace === this.namespace,
        'clone.image',
        clone.image.node.path,
        `is in namespace ${clone.image.namespace}; a disk clones only from its own tenant (${this.namespace}), where no extra RBAC is needed`,
        'create the VmImage in the same tenant',
      );
    }
    if (clone.dataSource !== undefined)
      problems.check(
        isDnsLabel(clone.dataSource),
        'clone.dataSource',
        clone.dataSource,
        'must be the name of a DataSource in the tenant namespace',
      );
    if (clone.pvc !== undefined) {
      problems.check(
        isDnsSubdomain(clone.pvc),
        'clone.pvc',
        clone.pvc,
        'must be the name of a PersistentVolumeClaim in the tenant namespace',
      );
      problems.check(clone.pvc !== this.diskName, 'clone.pvc', clone.pvc, 'is this disk itself');
    }
  }
}
