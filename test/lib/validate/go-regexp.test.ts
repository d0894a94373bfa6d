import { goCompatibleRegExp, translateGoPattern } from '../../../lib/validate/go-regexp';

describe('Go (RE2) patterns', () => {
  test('inline flags, named groups and \\A/\\z anchors are translated', () => {
    expect(translateGoPattern('^(?i)(abort|warn)?$')).toEqual({ source: '^(abort|warn)?$', flags: 'i' });
    expect(translateGoPattern('(?is:a.b)')).toEqual({ source: '(?:a.b)', flags: 'is' });
    expect(translateGoPattern('\\A(?P<year>\\d{4})\\z')).toEqual({ source: '^(?<year>\\d{4})$', flags: '' });
  });

  test('compile to JavaScript regular expressions that match like Go', () => {
    expect(goCompatibleRegExp('^(?i)(abort|warn)?$', 'u').test('WARN')).toBe(true);
    expect(goCompatibleRegExp('^(?i)(abort|warn)?$', 'u').test('stop')).toBe(false);
    expect(goCompatibleRegExp('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', 'u').test('tenant-acme')).toBe(true);
  });

  test('a pattern JavaScript cannot compile accepts every string', () => {
    expect(goCompatibleRegExp('[[:alpha:', 'u').test('anything')).toBe(true);
  });
});
