/**
 * An offline ValidatingAdmissionPolicy evaluator: the binding's matchResources, the policy's matchConstraints,
 * matchConditions, variables and validations applied to one admission request, with `failurePolicy: Fail`
 * semantics (an expression that errors denies). Fields it does not implement make it throw rather than pass.
 */

import { celLibrary } from '../../lib/validate/cel/cel-runtime';

// The CEL library runs in Node's realm (see celLibrary): the objects handed to it must come from there too.
const nativeJson: JSON = (process as any).getBuiltinModule('node:vm').runInThisContext('JSON');
const cel: any = celLibrary();

/** Functions and macros available in Kubernetes' CEL environment (1.30+) that the policies may use. */
export const KUBERNETES_CEL_FUNCTIONS = new Set([
  'has',
  'all',
  'exists',
  'size',
  'startsWith',
  'endsWith',
  'contains',
  'matches',
  'split',
  'trim',
  'lowerAscii',
]);

const environment = new cel.Environment({ unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: true });
for (const name of ['object', 'oldObject', 'request', 'namespaceObject', 'params', 'variables']) environment.registerVariable(name, 'dyn');

export interface AdmissionRequest {
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE';
  readonly resource: { readonly group: string; readonly version: string; readonly resource: string };
  readonly subResource?: string;
  readonly namespace: string;
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly userInfo: { readonly username: string; readonly groups?: readonly string[] };
  readonly object: any;
  readonly oldObject?: any;
}

export interface Denial {
  readonly policy: string;
  readonly message: string;
}

type Compiled = (context: unknown) => unknown;

/** Parses a policy expression; throws when it does not parse or calls a function Kubernetes' CEL lacks. */
export function compile(expression: string): Compiled {
  const parsed = environment.parse(expression);
  const check = parsed.check();
  if (!check.valid) throw new Error(`${expression}: ${check.error.message}`);
  for (const name of calledFunctions(parsed.ast)) {
    if (!KUBERNETES_CEL_FUNCTIONS.has(name)) throw new Error(`${expression}: ${name}() is not in the allowed Kubernetes CEL functions`);
  }
  return parsed;
}

function calledFunctions(node: any): string[] {
  if (Array.isArray(node)) return node.flatMap(calledFunctions);
  if (node === null || typeof node !== 'object') return [];
  const own = node.op === 'call' || node.op === 'rcall' ? [node.args[0] as string] : [];
  return [...own, ...calledFunctions(node.args)];
}

/** Converts a value into Node's realm, with whole numbers as CEL ints. */
function native(value: unknown): unknown {
  return value === undefined ? null : nativeJson.parse(JSON.stringify(value), (_key, v) => (Number.isInteger(v) ? BigInt(v) : v));
}

interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: ReadonlyArray<{ key: string; operator: string; values?: string[] }>;
}

function selects(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (selector === undefined) return true;
  const known = new Set(['matchLabels', 'matchExpressions']);
  for (const key of Object.keys(selector)) if (!known.has(key)) throw new Error(`unsupported selector field ${key}`);
  const labelsMatch = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return (
    labelsMatch &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      switch (operator) {
        case 'In':
          return key in labels && values.includes(labels[key]);
        case 'NotIn':
          return !(key in labels) || !values.includes(labels[key]);
        case 'Exists':
          return key in labels;
        case 'DoesNotExist':
          return !(key in labels);
        default:
          throw new Error(`unsupported selector operator ${operator}`);
      }
    })
  );
}

function matchesRules(rules: readonly any[] | undefined, request: AdmissionRequest): boolean {
  const resource = request.subResource ? `${request.resource.resource}/${request.subResource}` : request.resource.resource;
  const has = (list: readonly string[] | undefined, value: string) => (list ?? []).includes('*') || (list ?? []).includes(value);
  return (rules ?? []).some((rule) => {
    const known = new Set(['apiGroups', 'apiVersions', 'resources', 'operations', 'scope', 'resourceNames']);
    for (const key of Object.keys(rule))
      if (!known.has(key) || key === 'resourceNames') throw new Error(`unsupported resource rule field ${key}`);
    return (
      has(rule.apiGroups, request.resource.group) &&
      has(rule.apiVersions, request.resource.version) &&
      has(rule.resources, resource) &&
      has(rule.operations, request.operation)
    );
  });
}

function checkKnown(what: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) if (!known.includes(key)) throw new Error(`${what}.${key} is not implemented by the evaluator`);
}

/** The ValidatingAdmissionPolicies and bindings of a set of manifests, ready to review requests. */
export class AdmissionEvaluator {
  private readonly bound: Array<{ policy: any; binding: any; compiled: Map<string, Compiled> }>;

  constructor(manifests: readonly any[]) {
    const policies = new Map(manifests.filter((m) => m.kind === 'ValidatingAdmissionPolicy').map((p) => [p.metadata.name, p]));
    this.bound = manifests
      .filter((m) => m.kind === 'ValidatingAdmissionPolicyBinding')
      .map((binding) => {
        const policy = policies.get(binding.spec.policyName);
        if (!policy) throw new Error(`binding ${binding.metadata.name} names no policy`);
        checkKnown('policy.spec', policy.spec, ['failurePolicy', 'matchConstraints', 'matchConditions', 'variables', 'validations']);
        checkKnown('binding.spec', binding.spec, ['policyName', 'validationActions', 'matchResources']);
        if (policy.spec.failurePolicy !== 'Fail') throw new Error(`${policy.metadata.name}: only failurePolicy Fail is implemented`);
        if (JSON.stringify(binding.spec.validationActions) !== '["Deny"]')
          throw new Error(`${binding.metadata.name}: only validationActions [Deny] is implemented`);
        const expressions = [
          ...(policy.spec.matchConditions ?? []).map((c: any) => c.expression),
          ...(policy.spec.variables ?? []).map((v: any) => v.expression),
          ...policy.spec.validations.map((v: any) => {
            checkKnown('validation', v, ['expression', 'message', 'reason']);
            return v.expression;
          }),
        ];
        return { policy, binding, compiled: new Map(expressions.map((e: string) => [e, compile(e)])) };
      });
  }

  /** Every expression of every policy, compiled. */
  get expressions(): string[] {
    return this.bound.flatMap(({ compiled }) => [...compiled.keys()]);
  }

  /** The names of the policies whose binding and resource rules select the request (before matchConditions). */
  selecting(request: AdmissionRequest): string[] {
    return this.selected(request).map(({ policy }) => policy.metadata.name);
  }

  private selected(request: AdmissionRequest): AdmissionEvaluator['bound'] {
    return this.bound.filter(({ policy, binding }) => {
      const matchResources = binding.spec.matchResources ?? {};
      checkKnown('binding.spec.matchResources', matchResources, ['namespaceSelector']);
      checkKnown('policy.spec.matchConstraints', policy.spec.matchConstraints, ['resourceRules']);
      return (
        selects(matchResources.namespaceSelector, request.namespaceLabels) &&
        matchesRules(policy.spec.matchConstraints.resourceRules, request)
      );
    });
  }

  /** The denials of the request; empty when admitted. */
  review(request: AdmissionRequest): Denial[] {
    return this.selected(request).flatMap(({ policy, compiled }) => {
      const name = policy.metadata.name;
      const context: Record<string, unknown> = {
        object: native(request.operation === 'DELETE' ? null : request.object),
        oldObject: native(request.operation === 'CREATE' ? null : request.oldObject),
        request: native({
          operation: request.operation,
          namespace: request.namespace,
          name: request.object?.metadata?.name ?? request.oldObject?.metadata?.name,
          resource: request.resource,
          ...(request.subResource && { subResource: request.subResource }),
          userInfo: request.userInfo,
        }),
        namespaceObject: native({ metadata: { name: request.namespace, labels: request.namespaceLabels } }),
        params: null,
      };
      const run = (expression: string): unknown => compiled.get(expression)!(context);
      try {
        for (const condition of policy.spec.matchConditions ?? []) {
          if (run(condition.expression) !== true) return [];
        }
        const variables: Record<string, unknown> = {};
        for (const variable of policy.spec.variables ?? []) variables[variable.name] = run(variable.expression);
        context.variables = native(variables);
        return policy.spec.validations
          .filter((validation: any) => run(validation.expression) !== true)
          .map((validation: any) => ({ policy: name, message: validation.message }));
      } catch (error) {
        return [{ policy: name, message: `expression error (failurePolicy Fail denies): ${String(error).split('\n')[0]}` }];
      }
    });
  }
}
