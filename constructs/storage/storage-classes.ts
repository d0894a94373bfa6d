import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Problems } from '../../lib/core/errors';
import { MANAGED_BY } from '../../lib/core/labels';
import { isDnsSubdomain } from '../../lib/core/names';
import { Platform } from '../../lib/core/platform';
import { StorageClassInput, StorageClassRef } from '../../lib/core/storage-class';
import { ChartComponent } from '../../lib/releases/chart-component';

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

/** When a volume of the class is bound and provisioned. */
export type VolumeBindingMode = 'Immediate' | 'WaitForFirstConsumer';
/** What happens to a volume when its claim is deleted. */
export type ReclaimPolicy = 'Delete' | 'Retain';
export const RECLAIM_POLICIES: readonly ReclaimPolicy[] = ['Delete', 'Retain'];

/**
 * The class name of `input`. A reference makes `consumer` follow its provider, and the consumer's release
 * wait for the provider's release (Flux `dependsOn`) when both are installed from charts.
 */
export function useStorageClass(consumer: IConstruct, input: StorageClassInput | undefined): string | undefined {
  if (!(input instanceof StorageClassRef)) return input;
  const name = input.use(consumer);
  if (consumer instanceof ChartComponent && input.provider instanceof ChartComponent)
    consumer.release.addDependency(input.provider.release);
  return name;
}

/** A StorageClass as kubestrata renders it. */
export interface StorageClassSpec {
  readonly name: string;
  readonly provisioner: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly reclaimPolicy: ReclaimPolicy;
  readonly volumeBindingMode: VolumeBindingMode;
  readonly allowVolumeExpansion: boolean;
  readonly mountOptions?: readonly string[];
  readonly isDefault: boolean;
}

interface Claim {
  readonly path: string;
  readonly property: string;
  readonly isDefault: boolean;
}

const claims = new WeakMap<Platform, Map<string, Claim>>();

/**
 * Checks that `name` is a free StorageClass name of the platform and that at most one class is the
 * default, then records the class. Problems name both classes.
 */
export function claimStorageClass(owner: IConstruct, problems: Problems, property: string, name: string, isDefault: boolean): boolean {
  const platform = Platform.of(owner);
  let taken = claims.get(platform);
  if (!taken) claims.set(platform, (taken = new Map()));
  if (!problems.check(isDnsSubdomain(name), `${property}.name`, name, 'must be a StorageClass name (a DNS-1123 subdomain)')) return false;
  const holder = taken.get(name);
  if (holder) {
    problems.add(
      `${property}.name`,
      name,
      `is already the StorageClass declared by ${holder.path} (${holder.property})`,
      'give one of the classes another name',
    );
    return false;
  }
  const otherDefault = [...taken.entries()].find(([, claim]) => claim.isDefault);
  if (isDefault && otherDefault) {
    const [otherName, other] = otherDefault;
    problems.add(
      `${property}.default`,
      true,
      `would make "${name}" a second default StorageClass beside "${otherName}" of ${other.path} (${other.property}); Kubernetes then picks the newest one for claims without a class`,
      `set default on only one of "${name}" and "${otherName}"`,
    );
    return false;
  }
  taken.set(name, { path: owner.node.path, property, isDefault });
  return true;
}

/** A cluster-scoped `storage.k8s.io/v1` StorageClass. */
export function renderStorageClass(scope: Construct, id: string, spec: StorageClassSpec): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: spec.name,
      labels: { ...MANAGED_BY },
      annotations: spec.isDefault ? { [DEFAULT_CLASS_ANNOTATION]: 'true' } : undefined,
    },
    provisioner: spec.provisioner,
    parameters: { ...spec.parameters },
    reclaimPolicy: spec.reclaimPolicy,
    volumeBindingMode: spec.volumeBindingMode,
    allowVolumeExpansion: spec.allowVolumeExpansion,
    mountOptions: spec.mountOptions && spec.mountOptions.length > 0 ? [...spec.mountOptions] : undefined,
  });
}
