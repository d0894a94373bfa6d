import { isLabelKey, isTaint } from '../../../lib/core/names';

describe('label keys', () => {
  test('an optional DNS subdomain prefix, then a name of at most 63 characters', () => {
    expect(
      ['app', 'node-role.kubernetes.io/storage', 'example.com/gpu.present', 'A_b.c-D', 'a'.repeat(63)].every((k) => isLabelKey(k)),
    ).toBe(true);
    expect(['', '-app', 'app-', 'Example.com/x', 'example.com/', '/x', 'a/b/c', 'a'.repeat(64), 42].some((k) => isLabelKey(k))).toBe(false);
  });

  test('extended resource names are label keys whose prefix is required', () => {
    expect(isLabelKey('nvidia.com/A100', 'required')).toBe(true);
    expect(isLabelKey('A100', 'required')).toBe(false);
    expect(isLabelKey(`nvidia.com/${'a'.repeat(64)}`, 'required')).toBe(false);
  });
});

describe('taints', () => {
  test('key[=value]:Effect with a label key, a label value and one of the three effects', () => {
    expect(
      ['dedicated=gpu:NoSchedule', 'example.com/spot:PreferNoSchedule', 'node.kubernetes.io/out-of-service=nodeshutdown:NoExecute'].every(
        isTaint,
      ),
    ).toBe(true);
  });

  test('refuses keys and values Kubernetes refuses, which the earlier pattern let through', () => {
    expect(
      [
        'dedicated=gpu:NoSchedul',
        'dedicated=:NoSchedule',
        '=gpu:NoSchedule',
        'dedicated=gpu-:NoSchedule',
        `${'a'.repeat(64)}:NoSchedule`,
        'a..b/key:NoSchedule',
        'dedicated=gpu',
      ].some(isTaint),
    ).toBe(false);
  });
});
