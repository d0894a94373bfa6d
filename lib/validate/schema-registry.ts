import Ajv, { ValidateFunction } from 'ajv';
import { AJV_OPTIONS } from './ajv-options';
import { scopeOfWellKnownKind } from '../core/cluster-scoped-kinds';
import { apiVersionOf, describeObject, gvkKey, gvkOfObject, isJsonObject, parseApiVersion } from '../core/gvk';
import { crdKindSchema } from './kind-schema';
import { OBJECT_META_DEFINITION, OpenApiDefinitions } from './openapi-definitions';
import { identityIssues, scopeIssues, withoutRepeats } from './object-checks';
import { SchemaBundle } from './schema-bundle';
import { issuesFromSchemaErrors } from './schema-errors';
import { SchemaDocument, schemaDirectoryLayer, SchemaLayer, SchemaRegistryOptions, schemaSourceLayer } from './schema-sources';
import { GroupVersionKind, JsonObject, ResourceScope, ValidationIssue } from './types';
import { compareVersions, highestVersion } from './version-order';
import { CelRuleNode, collectCelRules } from './cel/cel-rules';
import { CelRuleCounts, celRuleIssues, noCelRuleCounts } from './cel/cel-validation';

export type { SchemaRegistryOptions } from './schema-sources';

interface KindValidator {
  readonly scope: ResourceScope;
  readonly validate: ValidateFunction;
  /** The CEL rules (`x-kubernetes-validations`) of a CRD kind. */
  readonly celRules?: CelRuleNode;
}

/**
 * The schemas of every kind the validator knows, from layers of sources: the bundle shipped in the package and
 * directories or files given on top of it, or one directory alone. A source holds CustomResourceDefinitions
 * (`crds/<component>/<version>/*.yaml`, or CRD files), the built-in kinds (`schemas/kubernetes/<version>/_definitions.json`),
 * OpenAPI documents (`schemas/<source>/<version>/swagger.json`: KubeVirt, CDI) and Talos machine-config schemas.
 * Loading only lists what each source has; schemas are read when a kind is first validated, and each kind's
 * validator is compiled once and reused.
 */
export class SchemaRegistry {
  /**
   * The bundle shipped in the package, then each of `extra` on top (a directory laid out as `crds/` and `schemas/`,
   * a directory of CRD YAML, or a YAML/JSON file of CRDs): a later source overrides a kind an earlier one defines.
   */
  static shipped(options: SchemaRegistryOptions & { readonly extra?: readonly string[] } = {}): SchemaRegistry {
    const { extra = [], ...rest } = options;
    return new SchemaRegistry([SchemaBundle.shipped().layer(rest), ...extra.map((source) => schemaSourceLayer(source, rest))], rest);
  }

  /** One directory laid out as `crds/` and `schemas/`, alone. */
  static load(dir: string, options: SchemaRegistryOptions = {}): SchemaRegistry {
    return new SchemaRegistry([schemaDirectoryLayer(dir, options)], options);
  }

  private readonly ajv = new Ajv(AJV_OPTIONS);
  private readonly validators = new Map<string, KindValidator | undefined>();
  private readonly kubernetesDocument?: SchemaDocument;
  private readonly openApiDocuments: ReadonlyArray<SchemaDocument & { readonly source: string }>;
  private kubernetesDefinitions?: OpenApiDefinitions;
  private swaggerDefinitions?: readonly OpenApiDefinitions[];
  /** The CEL rules met so far in validated objects: evaluated, skipped as transition rules, not evaluated. */
  readonly celRuleCounts: CelRuleCounts = noCelRuleCounts();

  private constructor(
    private readonly layers: readonly SchemaLayer[],
    options: SchemaRegistryOptions,
  ) {
    this.kubernetesDocument = this.kubernetesSource(options.kubernetesVersion);
    this.openApiDocuments = this.openApiSources(options.versions ?? {});
  }

  /** Where the schemas come from, lowest first: `shipped bundle` and the paths of the sources on top of it. */
  get sources(): readonly string[] {
    return this.layers.map((layer) => layer.name);
  }

  /** The Kubernetes version built-in kinds are validated against; undefined when no source has Kubernetes schemas. */
  get kubernetesVersion(): string | undefined {
    return this.kubernetesDocument?.version;
  }

  /**
   * Validates one Kubernetes object strictly: against the schema of its apiVersion and kind, with unknown
   * fields rejected, plus `metadata.name` and the namespace rules of the kind's scope, then the CEL rules of a CRD
   * kind where the schema holds. Returns every problem
   * found; an empty array means the object is valid. A `v1 List` has each of its items validated.
   */
  validate(obj: unknown): ValidationIssue[] {
    const object = describeObject(obj);
    if (!isJsonObject(obj)) {
      return [{ object, path: '/', message: 'must be an object' }];
    }
    if (obj.apiVersion === 'v1' && obj.kind === 'List' && Array.isArray(obj.items)) {
      return obj.items.flatMap((item) => this.validate(item));
    }
    const issues = identityIssues(obj, object);
    const gvk = gvkOfObject(obj);
    if (gvk === undefined) {
      return issues;
    }
    const validator = this.validatorFor(gvk);
    if (validator === undefined) {
      const notValidated = SchemaBundle.shipped().noUpstreamSchema(gvk.group, gvk.kind) !== undefined;
      return notValidated ? issues : [...issues, { object, path: '/', message: `no schema for ${apiVersionOf(gvk)} ${gvk.kind}` }];
    }
    issues.push(...scopeIssues(obj, validator.scope, gvk.kind, object));
    if (!validator.validate(obj)) {
      issues.push(...issuesFromSchemaErrors(validator.validate.errors ?? [], object));
    }
    if (validator.celRules !== undefined) {
      issues.push(...celRuleIssues(validator.celRules, obj, object, issues, this.celRuleCounts));
    }
    return withoutRepeats(issues);
  }

  /**
   * The objects validate passes without a schema: kinds that no source defines and for which no upstream schema
   * exists (the shipped bundle names them with the reason). A `v1 List` is looked at item by item.
   */
  notValidated(obj: unknown): ValidationIssue[] {
    if (!isJsonObject(obj)) {
      return [];
    }
    if (obj.apiVersion === 'v1' && obj.kind === 'List' && Array.isArray(obj.items)) {
      return obj.items.flatMap((item) => this.notValidated(item));
    }
    const gvk = gvkOfObject(obj);
    const reason = gvk && !this.validatorFor(gvk) ? SchemaBundle.shipped().noUpstreamSchema(gvk.group, gvk.kind) : undefined;
    return reason === undefined
      ? []
      : [{ object: describeObject(obj), path: '/', message: `not validated: no upstream schema (${reason})` }];
  }

  /**
   * The Talos machine-config JSON Schema of a Talos version (`1.13.9`), from the highest source that has it, with a
   * key that identifies its content. Throws, naming what is missing and how to add it, when no source has it.
   */
  talosSchema(version: string): { readonly key: string; readonly schema: JsonObject } {
    const document = this.topmost((layer) => layer.talos.find((talos) => talos.version === version));
    if (document === undefined) {
      const available = this.layers.flatMap((layer) => layer.talos.map((talos) => talos.version));
      throw new Error(
        `no Talos schema for version ${version} in ${this.sources.join(', ')} (available: ${unique(available).join(', ') || 'none'}); ` +
          `pass --schemas <dir> holding schemas/talos/${version}/config.schema.json`,
      );
    }
    return { key: document.key, schema: document.load() };
  }

  /** The scope of a kind, or undefined when the registry has no schema for it. */
  scopeOf(apiVersion: string, kind: string): ResourceScope | undefined {
    return this.validatorFor({ ...parseApiVersion(apiVersion), kind })?.scope;
  }

  private validatorFor(gvk: GroupVersionKind): KindValidator | undefined {
    const key = gvkKey(gvk);
    if (!this.validators.has(key)) {
      this.validators.set(key, this.compile(gvk));
    }
    return this.validators.get(key);
  }

  /** Built-in kinds first, then CRDs (the schema the API server enforces), then OpenAPI documents. */
  private compile(gvk: GroupVersionKind): KindValidator | undefined {
    const kubernetes = this.kubernetes();
    const builtIn = kubernetes?.definitionOf(gvk);
    if (kubernetes && builtIn !== undefined) {
      return { scope: scopeOfWellKnownKind(gvk.group, gvk.kind), validate: this.definitionValidator(kubernetes, builtIn) };
    }
    const crd = this.topmost((layer) => layer.crds.find(gvk));
    if (crd !== undefined) {
      const validate = this.ajv.compile(crdKindSchema(crd, this.objectMetaRef()));
      return { scope: crd.scope, validate, celRules: collectCelRules(crd.schema) };
    }
    for (const source of this.swagger()) {
      const definition = source.definitionOf(gvk);
      if (definition !== undefined) {
        return { scope: scopeOfWellKnownKind(gvk.group, gvk.kind), validate: this.definitionValidator(source, definition) };
      }
    }
    return undefined;
  }

  private definitionValidator(source: OpenApiDefinitions, definition: string): ValidateFunction {
    const validate = this.ajv.getSchema(source.refTo(definition));
    if (validate === undefined) {
      throw new Error(`cannot compile ${source.refTo(definition)}`);
    }
    return validate;
  }

  /** The Kubernetes definitions, added to Ajv on first use; undefined when no source has them. */
  private kubernetes(): OpenApiDefinitions | undefined {
    const kubernetes = this.kubernetesDocument;
    if (this.kubernetesDefinitions === undefined && kubernetes !== undefined) {
      this.kubernetesDefinitions = OpenApiDefinitions.kubernetes(kubernetes.load(), `kubernetes-${kubernetes.version}.json`);
      this.ajv.addSchema(this.kubernetesDefinitions.toAjvSchema());
    }
    return this.kubernetesDefinitions;
  }

  private objectMetaRef(): string | undefined {
    return this.kubernetes()?.refTo(OBJECT_META_DEFINITION);
  }

  private swagger(): readonly OpenApiDefinitions[] {
    if (this.swaggerDefinitions === undefined) {
      const objectMetaRef = this.objectMetaRef();
      this.swaggerDefinitions = this.openApiDocuments.map((document) => {
        const definitions = OpenApiDefinitions.swagger(document.load(), `${document.source}-${document.version}.json`);
        this.ajv.addSchema(definitions.toAjvSchema(objectMetaRef));
        return definitions;
      });
    }
    return this.swaggerDefinitions;
  }

  /** What `find` gives for the highest source that gives anything. */
  private topmost<T>(find: (layer: SchemaLayer) => T | undefined): T | undefined {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const found = find(this.layers[i]!);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }

  /** The requested (or highest) Kubernetes version's definitions; throws when a requested version is missing. */
  private kubernetesSource(requested: string | undefined): SchemaDocument | undefined {
    const available = unique(this.layers.flatMap((layer) => layer.kubernetes.map((document) => document.version)));
    if (requested !== undefined && !available.includes(requested)) {
      throw new Error(
        `no Kubernetes schemas for version ${requested} in ${this.sources.join(', ')} (available: ${available.join(', ') || 'none'}); ` +
          `pass --schemas <dir> holding schemas/kubernetes/${requested}/_definitions.json`,
      );
    }
    const version = requested ?? highestVersion(available);
    return this.topmost((layer) => layer.kubernetes.find((document) => document.version === version));
  }

  /** For each OpenAPI source (KubeVirt, CDI), the pinned or highest version's document, by source name. */
  private openApiSources(pinned: Readonly<Record<string, string>>): Array<SchemaDocument & { readonly source: string }> {
    const all = this.layers.flatMap((layer) => layer.openApi);
    return unique(all.map((document) => document.source)).flatMap((source) => {
      const version = pinned[source] ?? highestVersion(all.filter((d) => d.source === source).map((d) => d.version));
      const document = this.topmost((layer) => layer.openApi.find((d) => d.source === source && d.version === version));
      return document === undefined ? [] : [document];
    });
  }
}

/** Distinct values, in version order. */
function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareVersions);
}
