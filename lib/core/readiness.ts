import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/** A kind whose CRD an operator registers at run time, so no manifest installs it. */
export interface RuntimeKind {
  /** API group, e.g. `kubevirt.io`. */
  readonly group: string;
  readonly kind: string;
  /** Lower-case plural; the CRD is `<plural>.<group>`. */
  readonly plural: string;
}

/** An object that is only ready when it reports a condition (an operator's own CR, e.g. KubeVirt `Available`). */
export interface ConditionWait {
  readonly object: ApiObject;
  readonly condition: string;
  /** @default '10m' */
  readonly timeout?: string;
}

/** Kinds served only once `provider` (a component) is running. */
export interface RuntimeKinds {
  readonly provider: IConstruct;
  readonly kinds: readonly RuntimeKind[];
  /** @default '10m' */
  readonly timeout?: string;
}

/**
 * What a deployment must wait for beyond "the object was applied": conditions of operator CRs and CRDs
 * that operators register at run time. Constructs declare them; the deployment layer turns them into
 * waits, so that no custom resource races the definition of its kind.
 */
export class ReadinessCatalog {
  private readonly conditionWaits: ConditionWait[] = [];
  private readonly runtime: RuntimeKinds[] = [];

  /** Anything that depends on `object` waits until it reports `condition` True. */
  waitForCondition(object: ApiObject, condition: string, timeout?: string): void {
    this.conditionWaits.push({ object, condition, timeout });
  }

  /** Objects of these kinds wait until `provider` has registered their CRDs and they are established. */
  servedAtRuntime(provider: IConstruct, kinds: readonly RuntimeKind[], timeout?: string): void {
    this.runtime.push({ provider, kinds, timeout });
  }

  get conditions(): readonly ConditionWait[] {
    return this.conditionWaits;
  }

  get runtimeKinds(): readonly RuntimeKinds[] {
    return this.runtime;
  }

  /** The declaration that serves `apiVersion`/`kind` at run time, if any. */
  providerOf(apiVersion: string, kind: string): RuntimeKinds | undefined {
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    return this.runtime.find((r) => r.kinds.some((k) => k.group === group && k.kind === kind));
  }
}
