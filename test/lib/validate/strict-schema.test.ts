import { toStrictSchema } from '../../../lib/validate/strict-schema';

const crd = { emptyObjectsAreClosed: true, objectMetaRef: 'k8s.json#/definitions/ObjectMeta' };

/** Freezes a value and everything in it, so a transformation that mutates its input throws. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('toStrictSchema', () => {
  test('objects that list properties reject unknown fields; maps stay open', () => {
    const schema = deepFreeze({
      type: 'object',
      properties: { labels: { type: 'object', additionalProperties: { type: 'string' } } },
    });
    expect(toStrictSchema(schema, crd)).toEqual({
      type: 'object',
      properties: { labels: { type: 'object', additionalProperties: { type: 'string' } } },
      additionalProperties: false,
    });
  });

  test('x-kubernetes-preserve-unknown-fields keeps a level open, but not the levels below it', () => {
    const schema = deepFreeze({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      properties: { nested: { type: 'object', properties: { a: { type: 'string' } } } },
    });
    expect(toStrictSchema(schema, crd)).toEqual({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      properties: { nested: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false } },
    });
  });

  test('an empty object closes in a CRD but holds anything in Go-generated OpenAPI', () => {
    const schema = deepFreeze({ type: 'object' });
    expect(toStrictSchema(schema, crd)).toEqual({ type: 'object', additionalProperties: false });
    expect(toStrictSchema(schema, { emptyObjectsAreClosed: false })).toEqual({ type: 'object' });
  });

  test('nullable adds null to the type and the enum', () => {
    const schema = deepFreeze({ type: 'string', enum: ['a', 'b'], nullable: true });
    expect(toStrictSchema(schema, crd)).toEqual({ type: ['string', 'null'], enum: ['a', 'b', null], nullable: true });
  });

  test('int-or-string markers become a type list', () => {
    const controllerGen = deepFreeze({
      anyOf: [{ type: 'integer' }, { type: 'string' }],
      'x-kubernetes-int-or-string': true,
      pattern: '^[0-9]+%?$',
    });
    expect(toStrictSchema(controllerGen, crd)).toEqual({
      type: ['integer', 'string'],
      'x-kubernetes-int-or-string': true,
      pattern: '^[0-9]+%?$',
    });
    const swagger = deepFreeze({ type: 'string', format: 'int-or-string' });
    expect(toStrictSchema(swagger, crd)).toEqual({ type: ['integer', 'string'] });
    const kubernetes = deepFreeze({ oneOf: [{ type: 'string' }, { type: 'number' }] });
    expect(toStrictSchema(kubernetes, crd)).toEqual({ type: ['number', 'string'] });
  });

  test('alternatives are value validations: their properties do not close the object', () => {
    const schema = deepFreeze({
      type: 'object',
      properties: { value: { type: 'string' }, valueFrom: { type: 'object', properties: {} } },
      oneOf: [
        { properties: { value: {} }, required: ['value'] },
        { properties: { valueFrom: {} }, required: ['valueFrom'] },
      ],
    });
    const strict = toStrictSchema(schema, crd) as { oneOf: unknown };
    expect(strict.oneOf).toEqual([
      { properties: { value: {} }, required: ['value'] },
      { properties: { valueFrom: {} }, required: ['valueFrom'] },
    ]);
  });

  test('an embedded resource requires apiVersion and kind and takes ObjectMeta as metadata', () => {
    const schema = deepFreeze({
      type: 'object',
      'x-kubernetes-embedded-resource': true,
      'x-kubernetes-preserve-unknown-fields': true,
    });
    expect(toStrictSchema(schema, crd)).toEqual({
      type: 'object',
      'x-kubernetes-embedded-resource': true,
      'x-kubernetes-preserve-unknown-fields': true,
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { $ref: 'k8s.json#/definitions/ObjectMeta' },
      },
      required: ['apiVersion', 'kind'],
    });
  });

  test('documentation is dropped', () => {
    const schema = deepFreeze({ type: 'string', description: 'text', default: 'x', 'x-kubernetes-validations': [] });
    expect(toStrictSchema(schema, crd)).toEqual({ type: 'string' });
  });
});
