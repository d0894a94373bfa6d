import type { AnySchemaObject, ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import { AJV_OPTIONS } from './ajv-options';
import { isJsonObject } from '../core/gvk';
import { issuesFromSchemaErrors } from './schema-errors';
import { SchemaRegistry } from './schema-registry';
import { JsonObject, ValidationIssue } from './types';

/** Validates one parsed Talos machine configuration document; returns its problems (none when valid). */
export type TalosDocumentValidator = (document: unknown) => ValidationIssue[];

/** The legacy machine configuration document (`version: v1alpha1`, no kind). */
const MACHINE_CONFIG_DEFINITION = 'v1alpha1.Config';

const validatorsBySchema = new Map<string, TalosDocumentValidator>();

/**
 * A validator for Talos machine configuration documents against the Talos `config.schema.json` of a version
 * (JSON Schema 2020-12) that the registry's sources hold (the shipped bundle, `schemas/talos/<version>/` of a
 * directory): the v1alpha1 machine config (`version: v1alpha1`) and the multi-document kinds (`apiVersion: v1alpha1`,
 * `kind: HostnameConfig`, …). Each document is checked against the definition of its own kind, so errors are not
 * buried under the schema's top-level oneOf over every kind. A string is a schema directory read alone.
 */
export function talosValidator(schemas: SchemaRegistry | string, version: string): TalosDocumentValidator {
  const registry = typeof schemas === 'string' ? SchemaRegistry.load(schemas) : schemas;
  const { key, schema } = registry.talosSchema(version);
  let validator = validatorsBySchema.get(key);
  if (validator === undefined) {
    validator = createValidator(schema as AnySchemaObject);
    validatorsBySchema.set(key, validator);
  }
  return validator;
}

function createValidator(schema: AnySchemaObject): TalosDocumentValidator {
  const ajv = new Ajv2020(AJV_OPTIONS);
  const id = typeof schema.$id === 'string' ? schema.$id : 'talos-config.schema.json';
  ajv.addSchema({ ...schema, $id: id });
  const definitions: JsonObject = isJsonObject(schema.$defs) ? schema.$defs : {};
  const compiled = new Map<string, ValidateFunction>();
  const validatorOf = (definition: string): ValidateFunction => {
    let validate = compiled.get(definition);
    if (validate === undefined) {
      validate = ajv.getSchema(`${id}#/$defs/${definition}`);
      if (validate === undefined) {
        throw new Error(`cannot compile Talos definition ${definition}`);
      }
      compiled.set(definition, validate);
    }
    return validate;
  };
  return (document) => {
    const object = describeTalosDocument(document);
    if (!isJsonObject(document)) {
      return [{ object, path: '/', message: 'must be an object' }];
    }
    const definition = definitionOf(document, definitions);
    if (definition === undefined) {
      return [{ object, path: '/', message: `no Talos schema for ${object}` }];
    }
    const validate = validatorOf(definition);
    return validate(document) ? [] : issuesFromSchemaErrors(validate.errors ?? [], object);
  };
}

/** The `$defs` entry for a document: by apiVersion and kind, or the machine config for `version: v1alpha1`. */
function definitionOf(document: JsonObject, definitions: JsonObject): string | undefined {
  if (document.kind === undefined) {
    return document.version === undefined || document.version === 'v1alpha1' ? MACHINE_CONFIG_DEFINITION : undefined;
  }
  return Object.keys(definitions).find((name) => {
    const properties = isJsonObject(definitions[name]) ? (definitions[name] as JsonObject).properties : undefined;
    return isJsonObject(properties) && allows(properties.kind, document.kind) && allows(properties.apiVersion, document.apiVersion);
  });
}

function allows(schema: unknown, value: unknown): boolean {
  if (!isJsonObject(schema)) {
    return false;
  }
  return Array.isArray(schema.enum) ? schema.enum.includes(value) : schema.const === value;
}

function describeTalosDocument(document: unknown): string {
  if (!isJsonObject(document)) {
    return 'Talos config document';
  }
  if (typeof document.kind === 'string') {
    const name = typeof document.name === 'string' ? ` ${document.name}` : '';
    return `Talos ${String(document.apiVersion ?? '(no apiVersion)')} ${document.kind}${name}`;
  }
  return `Talos ${String(document.version ?? 'v1alpha1')} machine config`;
}
