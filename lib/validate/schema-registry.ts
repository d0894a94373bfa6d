import Ajv, { ValidateFunction } from 'ajv';
import { AJV_OPTIONS } from './ajv-options';
import { scopeOfWellKnownKind } from '../core/cluster-scoped-kinds';
import { CrdCatalog } from './crd-catalog';
import { apiVersionOf, describeObject, gvkKey, gvkOfObject, isJsonObject, parseApiVersion } from '../core/gvk';
import { crdKindSchema } from './kind-schema';
import { OBJECT_META_DEFINITION, OpenApiDefinitions } from './openapi-definitions';
import { identityIssues, scopeIssues, withoutRepeats } from './object-checks';
import { issuesFromSchemaErrors } from './schema-errors';
import { findSchemaSources, SchemaRegistryOptions, SchemaSourceFiles } from './schema-sources';
import { CelRuleNode, collectCelRules } from './cel/cel-rules';
import { CelRuleCounts, celRuleIssues, noCelRuleCounts } from './cel/cel-validation';
import { GroupVersionKind, ResourceScope, ValidationIssue } from './types';

export type { SchemaRegistryOptions } from './schema-sources';

interface KindValidator {
  readonly scope: ResourceScope;
  readonly validate: ValidateFunction;
  /** The CEL rules (`x-kubernetes-validations`) of a CRD kind. */
  readonly celRules?: CelRuleNode;
}

/**
 * The schemas of every kind the validator knows, from a directory laid out as
 * `crds/<component>/<version>/*.yaml` (CustomResourceDefinitions), `schemas/kubernetes/<version>/_definitions.json`
 * (built-in kinds) and `schemas/<source>/<version>/swagger.json` (KubeVirt, CDI). Loading only lists files;
 * schemas are read when a kind is first validated, and each kind's validator is compiled once and reused.
 */
export class SchemaRegistry {
  static load(dir: string, options: SchemaRegistryOptions = {}): SchemaRegistry {
    const sources = findSchemaSources(dir, options);
    return new SchemaRegistry(sources, CrdCatalog.scan(sources.crdsDir, options.versions));
  }

  private readonly ajv = new Ajv(AJV_OPTIONS);
  private readonly validators = new Map<string, KindValidator | undefined>();
  private kubernetesDefinitions?: OpenApiDefinitions | null;
  private swaggerDefinitions?: readonly OpenApiDefinitions[];
  /** The CEL rules met so far in validated objects: evaluated, skipped as transition rules, not evaluated. */
  readonly celRuleCounts: CelRuleCounts = noCelRuleCounts();

  private constructor(
    private readonly sources: SchemaSourceFiles,
    private readonly crds: CrdCatalog,
  ) {}

  /** The schema directory, resolved. */
  get dir(): string {
    return this.sources.dir;
  }

  /** The Kubernetes version built-in kinds are validated against; undefined when the directory has none. */
  get kubernetesVersion(): string | undefined {
    return this.sources.kubernetes?.version;
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
      return [...issues, { object, path: '/', message: `no schema for ${apiVersionOf(gvk)} ${gvk.kind}` }];
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
    const crd = this.crds.find(gvk);
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

  /** The Kubernetes definitions, added to Ajv on first use; null when the directory has none. */
  private kubernetes(): OpenApiDefinitions | undefined {
    if (this.kubernetesDefinitions === undefined) {
      this.kubernetesDefinitions = null;
      const kubernetes = this.sources.kubernetes;
      if (kubernetes !== undefined) {
        const definitions = OpenApiDefinitions.kubernetes(kubernetes.file, `kubernetes-${kubernetes.version}.json`);
        this.ajv.addSchema(definitions.toAjvSchema());
        this.kubernetesDefinitions = definitions;
      }
    }
    return this.kubernetesDefinitions ?? undefined;
  }

  private objectMetaRef(): string | undefined {
    return this.kubernetes()?.refTo(OBJECT_META_DEFINITION);
  }

  private swagger(): readonly OpenApiDefinitions[] {
    if (this.swaggerDefinitions === undefined) {
      const objectMetaRef = this.objectMetaRef();
      this.swaggerDefinitions = this.sources.openApi.map(({ id, file }) => {
        const definitions = OpenApiDefinitions.swagger(file, id);
        this.ajv.addSchema(definitions.toAjvSchema(objectMetaRef));
        return definitions;
      });
    }
    return this.swaggerDefinitions;
  }
}
