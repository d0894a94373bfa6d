/** One `kubectl wait` of a readiness gate. */
export interface GateWait {
  /** API group of the object; `''` for the core group. */
  readonly group: string;
  /** Resource (lower-case plural): `jobs`, `customresourcedefinitions`, `kubevirts`. */
  readonly resource: string;
  readonly name: string;
  /** Namespace of a namespaced object. @default - the object is cluster-scoped */
  readonly namespace?: string;
  /** The `--for` of `kubectl wait`: `create`, `condition=complete`, `condition=established`, `jsonpath=…`. */
  readonly for: string;
  /** How long this wait may take. @default '10m' */
  readonly timeout?: string;
}

/** Waits for a Job that a controller creates asynchronously: first for it to exist, then to complete. */
export function jobCompletion(name: string, namespace: string, timeout?: string): GateWait[] {
  const job = { group: 'batch', resource: 'jobs', name, namespace };
  return [
    { ...job, for: 'create' },
    { ...job, for: 'condition=complete', timeout },
  ];
}

/**
 * Waits for a CustomResourceDefinition registered at run time (by an operator, not a chart) to be served.
 * Most of the time goes into the operator starting and creating the CRD, so `timeout` bounds both waits.
 */
export function crdEstablished(name: string, timeout?: string): GateWait[] {
  const crd = { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', name };
  return [
    { ...crd, for: 'create', timeout },
    { ...crd, for: 'condition=established', timeout },
  ];
}

/** Waits for an object to exist and report a condition (an operator's CR `Available`). */
export function objectCondition(target: Omit<GateWait, 'for' | 'timeout'>, condition: string, timeout?: string): GateWait[] {
  return [
    { ...target, for: 'create' },
    { ...target, for: `condition=${condition}`, timeout },
  ];
}
