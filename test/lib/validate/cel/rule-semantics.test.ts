import { collectCelRules } from '../../../../lib/validate/cel/cel-rules';
import { celRuleIssues, CelRuleCounts, describeCelRuleCounts, noCelRuleCounts } from '../../../../lib/validate/cel/cel-validation';

const rule = (text: string, extra: object = {}): object => ({ rule: text, ...extra });

/** Validates `object` against the rules of `schema`; returns [path, message] of each issue, and the counts. */
function check(schema: object, object: unknown, schemaIssuePaths: string[] = []): { issues: string[][]; counts: CelRuleCounts } {
  const counts = noCelRuleCounts();
  const root = collectCelRules(schema);
  if (root === undefined) throw new Error('schema has no rules');
  const schemaIssues = schemaIssuePaths.map((path) => ({ object: 'example.com/v1 Widget w', path, message: 'must be string' }));
  const issues = celRuleIssues(root, object, 'example.com/v1 Widget w', schemaIssues, counts).map(({ path, message }) => [path, message]);
  return { issues, counts };
}

function objectWith(properties: object, rules: object[] = []): object {
  return { type: 'object', properties, 'x-kubernetes-validations': rules };
}

describe('CEL rule semantics', () => {
  test('self is typed by the schema: integer as int, number as double, int-or-string as either', () => {
    const schema = objectWith({ replicas: { type: 'integer' }, ratio: { type: 'number' }, port: { 'x-kubernetes-int-or-string': true } }, [
      rule('self.replicas / 2 == 1'),
      rule('self.ratio / 2.0 == 0.75'),
      rule("type(self.port) == int || self.port.startsWith('h')"),
    ]);
    expect(check(schema, { replicas: 3, ratio: 1.5, port: 8080 }).issues).toEqual([]);
    expect(check(schema, { replicas: 4, ratio: 1.5, port: 'http' }).issues).toEqual([['/', 'failed rule: self.replicas / 2 == 1']]);
  });

  test('a number written whole stays a double where the schema says number', () => {
    expect(check(objectWith({ ratio: { type: 'number' } }, [rule('type(self.ratio) == double')]), { ratio: 2 }).issues).toEqual([]);
  });

  test('strings of the formats byte and date are bytes and timestamps', () => {
    const schema = objectWith({ data: { type: 'string', format: 'byte' }, day: { type: 'string', format: 'date' } }, [
      rule("size(self.data) == 3 && self.day == timestamp('2025-06-01T00:00:00Z')"),
    ]);
    expect(check(schema, { data: 'AQID', day: '2025-06-01' }).issues).toEqual([]);
  });

  test('strings of the formats duration and date-time are durations and timestamps', () => {
    const schema = objectWith({ timeout: { type: 'string', format: 'duration' }, at: { type: 'string', format: 'date-time' } }, [
      rule("self.timeout <= duration('1h')", { message: 'timeout at most 1h' }),
      rule("self.at > timestamp('2024-01-01T00:00:00Z')", { message: 'after 2024' }),
    ]);
    expect(check(schema, { timeout: '30m', at: '2025-06-01T00:00:00Z' }).issues).toEqual([]);
    expect(check(schema, { timeout: '2h', at: '2023-06-01T00:00:00Z' }).issues).toEqual([
      ['/', 'timeout at most 1h'],
      ['/', 'after 2024'],
    ]);
  });

  test('a rule is not evaluated when its field is absent or null, and absent fields take their defaults first', () => {
    const schema = objectWith(
      {
        mode: { type: 'string', default: 'fast' },
        size: { type: 'integer', 'x-kubernetes-validations': [rule('self > 0', { message: 'size must be positive' })] },
      },
      [rule("self.mode == 'fast'", { message: 'mode must default to fast' })],
    );
    expect(check(schema, {}).issues).toEqual([]);
    expect(check(schema, { mode: null, size: null }).counts.evaluated).toBe(1);
    expect(check(schema, { mode: 'slow', size: 0 }).issues).toEqual([
      ['/', 'mode must default to fast'],
      ['/size', 'size must be positive'],
    ]);
  });

  test('messageExpression gives the message; when it fails, message does; reason words it as the API server', () => {
    const schema = objectWith({ replicas: { type: 'integer' } }, [
      rule('self.replicas <= 5', { messageExpression: "'replicas must be at most 5, got ' + string(self.replicas)", message: 'static' }),
      rule('self.replicas <= 4', { messageExpression: 'self.missing', message: 'at most 4', reason: 'FieldValueForbidden' }),
      rule('self.replicas <= 3', { reason: 'FieldValueRequired' }),
    ]);
    expect(check(schema, { replicas: 6 }).issues).toEqual([
      ['/', 'replicas must be at most 5, got 6'],
      ['/', 'Forbidden: at most 4'],
      ['/', 'Required value: failed rule: self.replicas <= 3'],
    ]);
  });

  test('fieldPath is appended to the path of the node, in dotted and bracket form', () => {
    const schema = objectWith({
      spec: objectWith({ a: { type: 'object', properties: { 'b.c': { type: 'string' } } } }, [rule('false', { fieldPath: ".a['b.c']" })]),
    });
    expect(check(schema, { spec: { a: {} } }).issues).toEqual([['/spec/a/b.c', 'failed rule: false']]);
  });

  test('rules under items and additionalProperties apply to each item and value', () => {
    const schema = objectWith({
      ports: {
        type: 'array',
        items: { type: 'integer', 'x-kubernetes-validations': [rule('self < 1024', { message: 'privileged port' })] },
      },
      labels: {
        type: 'object',
        additionalProperties: { type: 'string', 'x-kubernetes-validations': [rule("self != ''", { message: 'empty label' })] },
      },
    });
    expect(check(schema, { ports: [80, 8080], labels: { 'app/name': '', tier: 'web' } }).issues).toEqual([
      ['/ports/1', 'privileged port'],
      ['/labels/app~1name', 'empty label'],
    ]);
  });

  test('map rules iterate the keys', () => {
    const schema = {
      type: 'object',
      additionalProperties: { type: 'string' },
      'x-kubernetes-validations': [rule("self.all(k, k.startsWith('x-'))")],
    };
    expect(check(schema, { 'x-a': '1' }).issues).toEqual([]);
    expect(check(schema, { 'x-a': '1', b: '2' }).issues).toHaveLength(1);
  });

  test('property names that are CEL keywords or hold - . / __ are escaped as Kubernetes does', () => {
    const schema = objectWith(
      { namespace: { type: 'string' }, 'max-size': { type: 'integer' }, 'a.b': { type: 'string' }, x__y: { type: 'string' } },
      [rule("self.__namespace__ == 'ns' && self.max__dash__size == 1 && self.a__dot__b == 'c' && self.x__underscores__y == 'z'")],
    );
    expect(check(schema, { namespace: 'ns', 'max-size': 1, 'a.b': 'c', x__y: 'z' }).issues).toEqual([]);
  });

  test('has() of a field of a list item, which the CEL library alone refuses', () => {
    const schema = {
      type: 'array',
      items: objectWith({ path: { type: 'string' } }),
      'x-kubernetes-validations': [rule('size(self) == 0 || has(self[0].path)')],
    };
    expect(check(schema, [{ path: '/' }]).issues).toEqual([]);
    expect(check(schema, [{}]).issues).toHaveLength(1);
  });

  test('transition rules are skipped and counted; with optionalOldSelf they run on create with no old value', () => {
    const schema = objectWith({ name: { type: 'string' } }, [
      rule('self.name == oldSelf.name', { message: 'immutable' }),
      rule('!oldSelf.hasValue() || self.name == oldSelf.value().name', { optionalOldSelf: true }),
    ]);
    const { issues, counts } = check(schema, { name: 'a' });
    expect(issues).toEqual([]);
    expect(counts).toEqual({ evaluated: 1, transition: 1, unsupported: 0, unsupportedBy: {} });
  });

  test('a rule calling a function the validator lacks is not evaluated: counted and named, never passed or failed', () => {
    const schema = objectWith({ url: { type: 'string' } }, [
      rule("url(self.url).getScheme() == 'https'"),
      rule("self.url.reverse() == ''"),
    ]);
    const { issues, counts } = check(schema, { url: 'http://example.com' });
    expect(issues).toEqual([]);
    expect(counts).toEqual({
      evaluated: 0,
      transition: 0,
      unsupported: 2,
      unsupportedBy: { 'url()': 1, 'getScheme()': 1, 'reverse()': 1 },
    });
    expect(describeCelRuleCounts(counts)).toBe(
      'CEL rules: 0 evaluated, 0 transition rules skipped (they apply to updates), 2 not evaluated (unsupported: url() ×1, getScheme() ×1, reverse() ×1)',
    );
  });

  test('an evaluation error fails the rule with the error, as the API server reports it', () => {
    const { issues } = check(
      objectWith({ spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }, [rule('self.spec.replicas > 0')]),
      { spec: {} },
    );
    expect(issues).toEqual([['/', 'rule "self.spec.replicas > 0" could not be evaluated: No such key: replicas']]);
  });

  test('a node at or above a schema issue is not evaluated; siblings are', () => {
    const schema = objectWith(
      { a: objectWith({}, [rule('false', { message: 'a' })]), b: objectWith({}, [rule('false', { message: 'b' })]) },
      [rule('false', { message: 'root' })],
    );
    expect(check(schema, { a: {}, b: {} }, ['/a/x']).issues).toEqual([['/b', 'b']]);
    expect(check(schema, { a: {}, b: {} }, []).issues.map(([, message]) => message)).toEqual(['root', 'a', 'b']);
  });
});
