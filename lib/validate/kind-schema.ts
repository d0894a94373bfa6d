import type { CrdVersion } from './crd-catalog';
import { apiVersionOf, isJsonObject } from '../core/gvk';
import { metadataSchema, StrictSchemaOptions, toStrictSchema } from './strict-schema';
import { JsonObject } from './types';

export interface KindSchemaOptions extends StrictSchemaOptions {
  /**
   * The original (untransformed) schema of `metadata`: its extra rules are kept next to ObjectMeta, and without
   * an ObjectMeta schema it is all that is checked.
   */
  readonly originalMetadata?: unknown;
  /** When set, `apiVersion` must equal it. */
  readonly apiVersion?: string;
  /** When set, `kind` must equal it. */
  readonly kind?: string;
}

/**
 * Adjusts the strict schema of a top-level kind: `metadata` is validated as Kubernetes ObjectMeta (when an
 * ObjectMeta schema is available), `status` is never required (it is written by controllers), and
 * `apiVersion`/`kind` must match the kind the schema was chosen for.
 */
export function asKindSchema(strict: unknown, options: KindSchemaOptions): JsonObject {
  const schema: JsonObject = isJsonObject(strict) ? { ...strict } : {};
  const properties: JsonObject = isJsonObject(schema.properties) ? { ...schema.properties } : {};
  if (options.objectMetaRef !== undefined || options.originalMetadata !== undefined) {
    properties.metadata = metadataSchema(options.originalMetadata, options);
  }
  if (options.apiVersion !== undefined) {
    properties.apiVersion = { type: 'string', const: options.apiVersion };
  }
  if (options.kind !== undefined) {
    properties.kind = { type: 'string', const: options.kind };
  }
  if (Object.keys(properties).length > 0) {
    schema.properties = properties;
  }
  if (Array.isArray(schema.required)) {
    schema.required = schema.required.filter((field) => field !== 'status');
  }
  return schema;
}

/**
 * The schema a CRD version enforces, as Ajv should check it: CRD structural semantics (unlisted fields are
 * pruned, so they are unknown), metadata checked as ObjectMeta, apiVersion and kind fixed.
 */
export function crdKindSchema(crd: CrdVersion, objectMetaRef: string | undefined): JsonObject {
  const options: StrictSchemaOptions = { emptyObjectsAreClosed: true, objectMetaRef };
  const declaredMetadata = isJsonObject(crd.schema.properties) ? crd.schema.properties.metadata : undefined;
  return asKindSchema(toStrictSchema(crd.schema, options), {
    ...options,
    originalMetadata: declaredMetadata ?? { type: 'object' },
    apiVersion: apiVersionOf(crd),
    kind: crd.kind,
  });
}
