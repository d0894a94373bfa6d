import { mergeValues } from '../../../lib/releases/values';

describe('mergeValues', () => {
  test('maps merge at any depth; scalars of the override replace', () => {
    const base = { image: { repository: 'r', tag: '1', pull: { secrets: 's' } }, replicas: 2 };
    expect(mergeValues(base, { image: { tag: '2', pull: { policy: 'Always' } }, replicas: 3 })).toEqual({
      image: { repository: 'r', tag: '2', pull: { secrets: 's', policy: 'Always' } },
      replicas: 3,
    });
  });

  test('arrays replace, they never merge by index', () => {
    expect(mergeValues({ args: ['--a', '--b'], tolerations: [{ key: 'x' }] }, { args: ['--c'], tolerations: [] })).toEqual({
      args: ['--c'],
      tolerations: [],
    });
  });

  test('a map and a scalar replace each other whole', () => {
    expect(mergeValues({ a: { b: 1 }, c: 'x' }, { a: 'flat', c: { d: 1 } })).toEqual({ a: 'flat', c: { d: 1 } });
  });

  test('null removes the default: it replaces the key and is passed on, so Helm drops the chart default too', () => {
    const merged = mergeValues(
      { image: { repository: 'r', tag: '1' }, resources: { limits: { cpu: '1' } } },
      { image: { tag: null }, resources: null },
    );
    expect(merged).toEqual({ image: { repository: 'r', tag: null }, resources: null });
  });

  test('undefined sets nothing', () => {
    expect(mergeValues({ a: 1, b: { c: 2 } }, { a: undefined, b: { c: undefined } })).toEqual({ a: 1, b: { c: 2 } });
  });

  test('no override returns an equal copy', () => {
    const base = { a: { b: [1] } };
    const merged = mergeValues(base, undefined);
    expect(merged).toEqual(base);
    expect(merged).not.toBe(base);
    expect(merged.a).not.toBe(base.a);
  });

  test('neither input is changed and the result shares no map or array with them', () => {
    const base = { a: { b: 1, list: [{ x: 1 }] }, shared: { s: 1 } };
    const override = { a: { c: 2 }, extra: { list: [{ y: 1 }] } };
    const before = JSON.stringify([base, override]);
    const merged = mergeValues(base, override) as any;
    expect(JSON.stringify([base, override])).toBe(before);
    merged.a.list[0].x = 9;
    merged.shared.s = 9;
    merged.extra.list[0].y = 9;
    expect(JSON.stringify([base, override])).toBe(before);
  });

  test('one object reused in several places becomes separate copies (YAML needs no aliases)', () => {
    const shared = { runAsNonRoot: true };
    const merged = mergeValues({ a: shared, b: shared }, undefined);
    expect(merged.a).toEqual(shared);
    expect(merged.a).not.toBe(merged.b);
  });

  test('a __proto__ key is dropped and pollutes no prototype', () => {
    const override = JSON.parse('{"__proto__": {"polluted": true}, "a": {"__proto__": {"polluted": true}, "b": 1}}');
    const merged = mergeValues({ a: { c: 2 } }, override);
    expect(merged).toEqual({ a: { c: 2, b: 1 } });
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(merged.a)).toBe(Object.prototype);
    expect(({} as any).polluted).toBeUndefined();
    expect((merged as any).polluted).toBeUndefined();
    const base = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    expect(Object.keys(mergeValues(base, {}))).toEqual(['a']);
    expect((mergeValues(base, {}) as any).polluted).toBeUndefined();
  });
});
