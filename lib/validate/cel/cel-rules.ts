import { isJsonObject } from '../../core/gvk';
import { JsonObject } from '../types';
import { CompiledExpression, compileExpression } from './cel-environment';
import { mapValueSchema } from './cel-values';

/** One entry of `x-kubernetes-validations`, compiled. */
export interface CelRule {
  readonly rule: string;
  readonly compiled: CompiledExpression;
  readonly message?: string;
  readonly messageExpression?: CompiledExpression;
  /** A relative JSONPath such as `.spec.replicas` or `['a.b']`, appended to the path of the node. */
  readonly fieldPath?: string;
  /** FieldValueInvalid (the default), FieldValueForbidden, FieldValueRequired or FieldValueDuplicate. */
  readonly reason?: string;
  /** The rule runs on create too, with `oldSelf` an empty optional. */
  readonly optionalOldSelf: boolean;
}

/** A schema node that carries rules or has descendants that do. */
export interface CelRuleNode {
  readonly schema: JsonObject;
  readonly rules: readonly CelRule[];
  readonly properties: ReadonlyMap<string, CelRuleNode>;
  /** Rules that apply to each item of a list. */
  readonly items?: CelRuleNode;
  /** Rules that apply to each value of a map. */
  readonly values?: CelRuleNode;
}

/** The rules of a schema (a CRD version's openAPIV3Schema) as a tree of the nodes that lead to them; undefined when it has none. */
export function collectCelRules(schema: unknown): CelRuleNode | undefined {
  if (!isJsonObject(schema)) return undefined;
  const declared = schema['x-kubernetes-validations'];
  const rules = Array.isArray(declared) ? declared.filter(isJsonObject).flatMap(compileRule) : [];
  const properties = new Map<string, CelRuleNode>();
  for (const [name, propertySchema] of Object.entries(isJsonObject(schema.properties) ? schema.properties : {})) {
    const node = collectCelRules(propertySchema);
    if (node !== undefined) properties.set(name, node);
  }
  const items = collectCelRules(schema.items);
  const valueSchema = mapValueSchema(schema);
  const values = valueSchema === undefined ? undefined : collectCelRules(valueSchema);
  if (rules.length === 0 && properties.size === 0 && items === undefined && values === undefined) return undefined;
  return { schema, rules, properties, items, values };
}

function compileRule(entry: JsonObject): CelRule[] {
  if (typeof entry.rule !== 'string') return [];
  const text = (key: string): string | undefined => (typeof entry[key] === 'string' ? (entry[key] as string) : undefined);
  const messageExpression = text('messageExpression');
  return [
    {
      rule: entry.rule,
      compiled: compileExpression(entry.rule, entry.optionalOldSelf === true),
      message: text('message'),
      messageExpression: messageExpression === undefined ? undefined : compileExpression(messageExpression),
      fieldPath: text('fieldPath'),
      reason: text('reason'),
      optionalOldSelf: entry.optionalOldSelf === true,
    },
  ];
}
