import { ConfigurationError, Problems } from '../../../lib/core/errors';

describe('ConfigurationError', () => {
  test('reports every problem of a construct with path, property, value, rule and fix', () => {
    const problems = new Problems('platform/acme/orders');
    problems.add('replicas', 0, 'must be an integer ≥ 1', 'use 2 for a primary and a standby');
    problems.add('storage.size', 'big', 'must be a positive Kubernetes quantity');
    expect(() => problems.throwIfAny()).toThrow(ConfigurationError);
    try {
      problems.throwIfAny();
    } catch (e) {
      expect((e as Error).message).toBe(
        [
          '[platform/acme/orders] 2 problems:',
          '  - replicas: 0 must be an integer ≥ 1. Fix: use 2 for a primary and a standby.',
          '  - storage.size: "big" must be a positive Kubernetes quantity.',
        ].join('\n'),
      );
    }
  });

  test('no problems, no error', () => {
    expect(() => new Problems('x').throwIfAny()).not.toThrow();
  });

  test('an unset value is shown as such', () => {
    expect(() => new Problems('p').add('backup.credentials', undefined, 'is required').throwIfAny()).toThrow(
      'backup.credentials: (not set) is required.',
    );
  });
});
