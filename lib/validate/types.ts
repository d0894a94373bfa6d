/** One problem found in one Kubernetes object (or one node configuration document). */
export interface ValidationIssue {
  /** The object, e.g. `postgresql.cnpg.io/v1 Cluster tenant-acme/orders`. */
  readonly object: string;
  /** JSON-pointer path of the offending value inside the object, `/` for the object itself. */
  readonly path: string;
  /** What is wrong, e.g. `unknown field "foo"`, `must be integer`, `missing required field "name"`. */
  readonly message: string;
}

/** A validation issue together with the file its object came from. */
export interface FileValidationIssue extends ValidationIssue {
  readonly file: string;
}

/** The outcome of validating a set of manifest files. */
export interface FilesValidationReport {
  /** Every manifest file that was read, sorted. */
  readonly files: readonly string[];
  /** How many objects (non-empty YAML documents) were validated. */
  readonly objects: number;
  readonly issues: readonly FileValidationIssue[];
  /** Objects of kinds no upstream schema exists for (`not validated: no upstream schema (<reason>)`): not errors. */
  readonly notValidated: readonly FileValidationIssue[];
}

export type { GroupVersionKind, JsonObject, ResourceScope } from '../core/gvk';
