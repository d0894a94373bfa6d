import Ajv from 'ajv';
import { propsErrors } from '../../lib/core/props-check';
import { propsProblems } from '../../lib/core/props-problems';

/** The problems propsProblems words for `value` against a small schema, as the props check reports them. */
function problems(schema: object, value: unknown) {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
  const validate = ajv.compile(schema);
  expect(validate(value)).toBe(false);
  return propsProblems(validate.errors ?? [], value, () => {
    throw new Error('no union here');
  }).map((p) => `${p.property}: ${JSON.stringify(p.value)} ${p.rule}${p.fix ? `. Fix: ${p.fix}` : ''}`);
}

describe('every schema rule in plain words', () => {
  test.each([
    ['boolean', { type: 'boolean' }, 'no', 'props: "no" must be true or false'],
    ['list', { type: 'array' }, 1, 'props: 1 must be a list'],
    ['object', { type: 'object', properties: {} }, 1, 'props: 1 must be an object'],
    ['map', { type: 'object', additionalProperties: { type: 'string' } }, [], 'props: [] must be a map of names to values'],
    ['number', { type: 'number' }, 'three', 'props: "three" must be a number'],
    ['number given as a string', { type: 'number' }, '3', 'props: "3" must be a number. Fix: write it as 3'],
    ['string given as a number', { type: 'string' }, 200, 'props: 200 must be a string. Fix: write it as "200"'],
    ['boolean given as a string', { type: 'boolean' }, 'false', 'props: "false" must be true or false. Fix: write it as false'],
    ['list given as a string', { type: 'array' }, 'eth0', 'props: "eth0" must be a list. Fix: write it as a list: ["eth0"]'],
    ['whole number', { type: 'integer' }, 1.5, 'props: 1.5 must be a whole number'],
    ['several types', { type: ['string', 'number', 'boolean'] }, null, 'props: null must be a string, a number or true or false'],
    ['one value', { enum: ['a'] }, 'b', 'props: "b" must be "a"'],
    ['closed set', { enum: ['a', 'b'] }, 'c', 'props: "c" must be one of "a", "b"'],
    ['constant', { const: false }, true, 'props: true must be false'],
    ['minimum', { minimum: 1 }, 0, 'props: 0 must be at least 1'],
    ['maximum', { maximum: 100 }, 1e9, 'props: 1000000000 must be at most 100'],
    ['exclusive minimum', { exclusiveMinimum: 0 }, 0, 'props: 0 must be greater than 0'],
    ['exclusive maximum', { exclusiveMaximum: 10 }, 10, 'props: 10 must be less than 10'],
    ['at least one entry', { minItems: 1 }, [], 'props: [] must have at least 1 entry'],
    ['at most entries', { maxItems: 2 }, [1, 2, 3], 'props: [1,2,3] must have at most 2 entries'],
    ['at most map entries', { maxProperties: 1 }, { a: 1, b: 2 }, 'props: {"a":1,"b":2} must have at most 1 entry'],
    ['short string', { minLength: 2 }, 'a', 'props: "a" must be at least 2 characters long'],
    ['long string', { maxLength: 3 }, 'abcd', 'props: "abcd" must be at most 3 characters long'],
    ['pattern', { pattern: '^[a-z]+$' }, 'A', 'props: "A" must match the pattern ^[a-z]+$'],
    ['repeats', { uniqueItems: true }, ['a', 'a'], 'props: ["a","a"] must not repeat an entry'],
  ])('%s', (_, schema, value, line) => {
    expect(problems(schema, value)).toEqual([line]);
  });

  test('unknown and missing properties, with the known ones as the fix', () => {
    const schema = {
      type: 'object',
      properties: { size: { type: 'string' }, storageClass: { type: 'string' } },
      required: ['size'],
      additionalProperties: false,
    };
    expect(problems(schema, { sise: '1Gi' })).toEqual([
      'size: undefined is required',
      'sise: "1Gi" is not a known property. Fix: use one of size, storageClass',
    ]);
  });

  test('paths: dotted for object keys, brackets for list entries', () => {
    const schema = {
      type: 'object',
      properties: {
        users: {
          type: 'object',
          additionalProperties: { type: 'object', properties: { inRoles: { type: 'array', items: { type: 'string' } } } },
        },
      },
    };
    expect(problems(schema, { users: { 'app.v2': { inRoles: ['a', 7] } } })).toEqual([
      'users.app.v2.inRoles[1]: 7 must be a string. Fix: write it as "7"',
    ]);
  });
});

describe('unions of the generated schema', () => {
  test('a value of no alternative names them all', () => {
    expect(propsErrors('TcpBalancerProps', { endpoints: ['10.0.0.11'], http: 'on' })).toEqual([
      { property: 'http', value: 'on', rule: 'must be a number or false' },
    ]);
  });

  test("a value of one alternative's kind is checked against that alternative", () => {
    expect(propsErrors('TcpBalancerProps', { endpoints: ['10.0.0.11'], http: true })).toEqual([
      { property: 'http', value: true, rule: 'must be false' },
    ]);
  });

  test('a discriminated union reports its discriminating property', () => {
    expect(propsErrors('LinstorProps', { storagePools: { data: { type: 'ceph' } } })).toEqual([
      { property: 'storagePools.data.type', value: 'ceph', rule: 'must be one of "lvmThin", "lvm", "zfs", "zfsThin"' },
    ]);
  });

  test('a plain object where a class instance or a settings object may stand is checked as the settings', () => {
    expect(propsErrors('VirtualMachineProps', { disks: [{ bus: 'virtio' }] })).toEqual([
      { property: 'disks[0].disk', value: undefined, rule: 'is required' },
    ]);
  });
});

test('more than 50 problems are cut short with a count', () => {
  const found = propsErrors('KafkaProps', { topics: Array.from({ length: 60 }, () => ({ name: 1 })) });
  expect(found).toHaveLength(51);
  expect(found[50]).toEqual({ property: 'props', value: undefined, rule: 'has 10 more problems not listed' });
});

test('an unknown props type is a programming error, not a ConfigurationError', () => {
  expect(() => propsErrors('NoSuchProps', {})).toThrow('no props schema for NoSuchProps; run npm run props-schemas');
});

test('a missing required prop says why it is required and how to give it, from its @requiredBecause and @requiredFix tags', () => {
  expect(propsErrors('TalosNetworkProps', {})).toEqual([
    {
      property: 'link',
      value: undefined,
      rule: 'is required: the link carries the node addresses and the VIP',
      fix: 'write it like "enp1s0"',
    },
  ]);
});
