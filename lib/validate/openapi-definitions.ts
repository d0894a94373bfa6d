import { gvkKey, isJsonObject, parseApiVersion } from '../core/gvk';
import { asKindSchema } from './kind-schema';
import { toStrictSchema } from './strict-schema';
import { GroupVersionKind, JsonObject } from './types';

/** Definition name of ObjectMeta in the Kubernetes definitions. */
export const OBJECT_META_DEFINITION = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** Time and MicroTime definitions: `creationTimestamp: null` is what `kubectl create --dry-run -o yaml` writes. */
const TIME_DEFINITION = /(^|\.)v1\.(Micro)?Time$/;

const JSON_SCHEMA_PROPS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps';
const JSON_SCHEMA_PROPS_REF = { $ref: `#/definitions/${JSON_SCHEMA_PROPS}` };

/**
 * Definitions that the OpenAPI leaves empty because Go decodes them by hand: the nested schemas inside a
 * CustomResourceDefinition. Without these, nothing below `items` or `additionalProperties` of a CRD's schema
 * would be checked.
 */
const HAND_DECODED_DEFINITIONS: Readonly<Record<string, JsonObject>> = {
  [`${JSON_SCHEMA_PROPS}OrArray`]: {
    type: ['object', 'array'],
    if: { type: 'object' },
    then: JSON_SCHEMA_PROPS_REF,
    else: { items: JSON_SCHEMA_PROPS_REF },
  },
  [`${JSON_SCHEMA_PROPS}OrBool`]: { type: ['object', 'boolean'], if: { type: 'object' }, then: JSON_SCHEMA_PROPS_REF },
  [`${JSON_SCHEMA_PROPS}OrStringArray`]: {
    type: ['object', 'array'],
    if: { type: 'object' },
    then: JSON_SCHEMA_PROPS_REF,
    else: { items: { type: 'string' } },
  },
};

/**
 * A document of OpenAPI definitions (`{definitions: {...}}` with `$ref: "#/definitions/..."`): the Kubernetes
 * `_definitions.json`, or a swagger 2.0 document such as KubeVirt's or CDI's. Kinds are indexed by group,
 * version and kind; toAjvSchema rewrites the definitions into strict JSON Schema.
 */
export class OpenApiDefinitions {
  /** Kubernetes definitions; kinds carry `x-kubernetes-group-version-kind`. */
  static kubernetes(document: JsonObject, id: string): OpenApiDefinitions {
    const definitions = definitionsOf(document, id);
    return new OpenApiDefinitions(id, definitions, kindsByExtension(definitions));
  }

  /**
   * A swagger 2.0 document. Kinds are found through `x-kubernetes-group-version-kind` where present, and
   * otherwise through the API paths: the body a POST to `/apis/<group>/<version>/…` takes names the kind's
   * definition (KubeVirt and CDI publish no group-version-kind extensions).
   */
  static swagger(document: JsonObject, id: string): OpenApiDefinitions {
    const definitions = definitionsOf(document, id);
    const kinds = new Map([...kindsByPath(document, definitions), ...kindsByExtension(definitions)]);
    return new OpenApiDefinitions(id, definitions, kinds);
  }

  private constructor(
    /** The `$id` under which the rewritten document is added to Ajv. */
    readonly id: string,
    private readonly definitions: JsonObject,
    private readonly kinds: ReadonlyMap<string, string>,
  ) {}

  /** The definition name of a kind, or undefined when the document does not describe it. */
  definitionOf(gvk: GroupVersionKind): string | undefined {
    return this.kinds.get(gvkKey(gvk));
  }

  /** A `$ref` to one definition of this document. */
  refTo(definition: string): string {
    return `${this.id}#/definitions/${definition}`;
  }

  /**
   * The document rewritten for Ajv: strict schemas; for top-level kinds `status` is not required, and with
   * objectMetaRef their ObjectMeta-typed `metadata` is validated against that (Kubernetes) ObjectMeta instead.
   */
  toAjvSchema(objectMetaRef?: string): JsonObject {
    const topLevel = new Set(this.kinds.values());
    const definitions: JsonObject = {};
    for (const [name, definition] of Object.entries(this.definitions)) {
      const strict = toStrictSchema(definition, { emptyObjectsAreClosed: false, objectMetaRef });
      const handDecoded = HAND_DECODED_DEFINITIONS[name];
      if (handDecoded !== undefined && JSON_SCHEMA_PROPS in this.definitions) {
        definitions[name] = handDecoded;
      } else if (topLevel.has(name)) {
        const replaceMetadata = objectMetaRef !== undefined && hasObjectMeta(definition);
        definitions[name] = asKindSchema(strict, {
          emptyObjectsAreClosed: false,
          objectMetaRef: replaceMetadata ? objectMetaRef : undefined,
        });
      } else if (TIME_DEFINITION.test(name)) {
        definitions[name] = { ...(strict as JsonObject), type: ['string', 'null'] };
      } else {
        definitions[name] = strict;
      }
    }
    return { $id: this.id, definitions };
  }
}

function hasObjectMeta(definition: unknown): boolean {
  const properties = isJsonObject(definition) && isJsonObject(definition.properties) ? definition.properties : {};
  const metadata = properties.metadata;
  return isJsonObject(metadata) && typeof metadata.$ref === 'string' && metadata.$ref.endsWith('.ObjectMeta');
}

function definitionsOf(document: JsonObject, id: string): JsonObject {
  if (!isJsonObject(document.definitions)) {
    throw new Error(`${id}: no "definitions" object`);
  }
  return document.definitions;
}

function kindsByExtension(definitions: JsonObject): Map<string, string> {
  const kinds = new Map<string, string>();
  for (const [name, definition] of Object.entries(definitions)) {
    const declared = isJsonObject(definition) ? definition['x-kubernetes-group-version-kind'] : undefined;
    const gvks: unknown[] = Array.isArray(declared) ? declared : [];
    for (const gvk of gvks) {
      if (isJsonObject(gvk) && typeof gvk.version === 'string' && typeof gvk.kind === 'string') {
        const key = gvkKey({ group: typeof gvk.group === 'string' ? gvk.group : '', version: gvk.version, kind: gvk.kind });
        // Shared meta kinds (DeleteOptions, WatchEvent) list every group; a kind's own definition wins.
        if (!kinds.has(key) || gvks.length === 1) {
          kinds.set(key, name);
        }
      }
    }
  }
  return kinds;
}

function kindsByPath(document: JsonObject, definitions: JsonObject): Map<string, string> {
  const kinds = new Map<string, string>();
  const paths = isJsonObject(document.paths) ? document.paths : {};
  for (const [apiPath, operations] of Object.entries(paths)) {
    const apiVersion = apiVersionOfPath(apiPath);
    const definition = bodyDefinition(isJsonObject(operations) ? operations.post : undefined);
    if (apiVersion === undefined || definition === undefined || !(definition in definitions)) {
      continue;
    }
    // Definition names are `<version>.<Kind>`: `v1.VirtualMachine`, `v1beta1.DataVolume`.
    const kind = definition.slice(definition.lastIndexOf('.') + 1);
    kinds.set(gvkKey({ ...parseApiVersion(apiVersion), kind }), definition);
  }
  return kinds;
}

/** `/apis/kubevirt.io/v1/namespaces/{namespace}/virtualmachines` → `kubevirt.io/v1`; `/api/v1/…` → `v1`. */
function apiVersionOfPath(apiPath: string): string | undefined {
  const [, root, first, second] = apiPath.split('/');
  if (root === 'api' && first !== undefined && first !== '') {
    return first;
  }
  return root === 'apis' && first && second ? `${first}/${second}` : undefined;
}

function bodyDefinition(operation: unknown): string | undefined {
  const parameters = isJsonObject(operation) && Array.isArray(operation.parameters) ? operation.parameters : [];
  for (const parameter of parameters) {
    if (isJsonObject(parameter) && parameter.in === 'body' && isJsonObject(parameter.schema)) {
      const ref = parameter.schema.$ref;
      if (typeof ref === 'string' && ref.startsWith('#/definitions/')) {
        return ref.slice('#/definitions/'.length);
      }
    }
  }
  return undefined;
}
