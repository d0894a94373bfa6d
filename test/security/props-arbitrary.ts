import fc from 'fast-check';
import { SecretRef } from '../../lib/core/secrets';

type Schema = Record<string, any>;

/** Strings a platform's props are made of, so that generated props reach the checks behind the type check. */
const PLAUSIBLE_STRINGS = [
  '',
  'a',
  'app',
  'main',
  'db-1',
  'Upper',
  '10Gi',
  '500m',
  '1',
  '0',
  '-1',
  '10.0.0.0/16',
  '10.0.0.1',
  '192.168.1.10/24',
  'eth0',
  'example.com',
  'https://example.com/x',
  'oci://ghcr.io/x',
  '1.2.3',
  'v1.2.3',
  'a.b',
  'x'.repeat(70),
];
/** Well-formed values of common property names, so that one generated setting at a time gets past the others. */
const HINTS: Record<string, readonly string[]> = {
  namespace: ['team-a'],
  size: ['1Gi', '10Gi'],
  cpu: ['500m', '2'],
  memory: ['512Mi', '4Gi'],
  storageClass: ['fast'],
  cidr: ['10.96.0.0/16'],
  podCidr: ['10.244.0.0/16'],
  serviceCidr: ['10.96.0.0/12'],
  joinCidr: ['100.64.0.0/16'],
  address: ['10.0.0.12', '10.0.0.12/24'],
  endpoints: ['10.0.0.21', 'origin.example.com:80'],
  name: ['app', 'main'],
  url: ['https://example.com/disk.img', 'docker://quay.io/containerdisks/ubuntu:24.04'],
  host: ['10.0.0.10'],
  repository: ['https://charts.example.com', 'oci://ghcr.io/charts'],
  clusterName: ['lab'],
  clusterDomain: ['cluster.local'],
};
const MAP_KEYS = ['a', 'app', 'main', 'x-1', 'A_b', 'kube-system'];

/** Instances that class-typed props accept; classes without one here are left out (their union alternatives remain). */
const INSTANCES: Record<string, fc.Arbitrary<unknown>> = {
  SecretRef: fc.constantFrom(
    SecretRef.existing('creds', ['username', 'password']),
    SecretRef.fromConfig('config', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']),
    SecretRef.generatedPassword('generated', 'app'),
  ),
};

/**
 * Values of a generated props schema: they pass the type check, so the constructs' own rules see them. Returns
 * undefined when no value can be made (a required class instance not in INSTANCES).
 */
export function arbitraryOf(schema: Schema, definitions: Record<string, Schema>, depth = 0, name = ''): fc.Arbitrary<unknown> | undefined {
  if (schema.$ref) return arbitraryOf(definitions[schema.$ref.replace('#/definitions/', '')], definitions, depth, name);
  if (schema.instanceOf) return INSTANCES[schema.instanceOf];
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if ('const' in schema) return fc.constant(schema.const);
  const union: Schema[] | undefined = schema.anyOf ?? schema.oneOf;
  if (union) return oneOf(union.map((s) => arbitraryOf(s, definitions, depth, name)));
  if (Array.isArray(schema.type))
    return oneOf(schema.type.map((type: string) => arbitraryOf({ ...schema, type }, definitions, depth, name)));
  switch (schema.type) {
    case 'boolean':
      return fc.boolean();
    case 'string':
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      return HINTS[name]
        ? fc.oneof({ arbitrary: fc.constantFrom(...HINTS[name]), weight: 4 }, fc.constantFrom(...PLAUSIBLE_STRINGS))
        : fc.oneof(fc.constantFrom(...PLAUSIBLE_STRINGS), fc.string({ maxLength: 12 }));
    case 'number':
    case 'integer': {
      const max = schema.maximum ?? 100_000;
      const min = schema.minimum ?? -2;
      const whole = fc.integer({ min, max });
      const small = fc.integer({ min: Math.max(min, 1), max: Math.min(max, 5) });
      if (schema.type === 'integer') return fc.oneof({ arbitrary: small, weight: 3 }, whole);
      return fc.oneof({ arbitrary: small, weight: 3 }, whole, fc.double({ min, max, noNaN: true }));
    }
    case 'array': {
      const item = arbitraryOf(schema.items ?? {}, definitions, depth + 1, name);
      return item ? fc.array(item, { maxLength: Math.min(schema.maxItems ?? 3, 3) }) : fc.constant([]);
    }
    case 'object':
      return objectOf(schema, definitions, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectOf(schema: Schema, definitions: Record<string, Schema>, depth: number): fc.Arbitrary<unknown> | undefined {
  if (schema.properties) {
    const required: string[] = schema.required ?? [];
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [key, child] of Object.entries<Schema>(schema.properties)) {
      const arbitrary = depth > 6 ? undefined : arbitraryOf(child, definitions, depth + 1, key);
      if (arbitrary) model[key] = arbitrary;
      else if (required.includes(key)) return undefined;
    }
    // A few settings at a time, the rest left to their defaults, so that a bad one is not always masked by another.
    const optional = Object.keys(model).filter((key) => !required.includes(key));
    return fc.subarray(optional, { maxLength: Math.min(2, optional.length) }).chain((chosen) => {
      const keys = [...required.filter((key) => key in model), ...chosen];
      return fc.record(Object.fromEntries(keys.map((key) => [key, model[key]])));
    });
  }
  const values = schema.additionalProperties;
  const value =
    values && typeof values === 'object' && Object.keys(values).length > 0
      ? arbitraryOf(values, definitions, depth + 1)
      : fc.jsonValue({ maxDepth: 2 });
  // Objects without a prototype are left out: cdk8s cannot serialize them (ApiObject.toJson reads their constructor).
  return value ? fc.dictionary(fc.constantFrom(...MAP_KEYS), value, { maxKeys: 3, noNullPrototype: true }) : fc.constant({});
}

function oneOf(arbitraries: readonly (fc.Arbitrary<unknown> | undefined)[]): fc.Arbitrary<unknown> | undefined {
  const possible = arbitraries.filter((a): a is fc.Arbitrary<unknown> => a !== undefined);
  return possible.length ? fc.oneof(...possible) : undefined;
}
