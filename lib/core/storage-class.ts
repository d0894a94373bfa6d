import { IConstruct } from 'constructs';
import { Problems } from './errors';
import { isDnsSubdomain } from './names';

/**
 * A StorageClass of the platform together with the component that serves it. A consumer that uses the
 * class through `use()` is applied after that component, so no volume waits on a driver that is not there.
 */
export class StorageClassRef {
  constructor(
    readonly name: string,
    /** The construct whose objects must be ready before volumes of the class can be provisioned. */
    readonly provider: IConstruct,
    readonly isDefault: boolean,
  ) {}

  /** Makes `consumer` follow the provider (manifest order, Flux and Pulumi `dependsOn`) and returns the class name. */
  use(consumer: IConstruct): string {
    if (consumer !== this.provider) consumer.node.addDependency(this.provider);
    return this.name;
  }
}

/** A StorageClass given by name, or by reference so that the consumer follows the component that serves it. */
export type StorageClassInput = string | StorageClassRef;

/** The class name of `input`, without recording a use. */
export function storageClassName(input: StorageClassInput | undefined): string | undefined {
  return input instanceof StorageClassRef ? input.name : input;
}

/** Checks a class given by name; the provider of a reference has checked its name already. */
export function checkStorageClass(problems: Problems, property: string, input: StorageClassInput | undefined): boolean {
  if (input === undefined || input instanceof StorageClassRef) return true;
  return problems.check(isDnsSubdomain(input), property, input, 'must be a StorageClass name');
}
