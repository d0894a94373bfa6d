import { compareVersions, highestVersion } from '../../../lib/validate/version-order';
import { schemaSourcesFromEnv } from '../../../lib/validate';

describe('version directories', () => {
  test('sort numerically, releases after their pre-releases', () => {
    const sorted = ['1.32.0', '1.9.0', '0.45.1', '0.45.1-rc1', '1.28.0', '26.3.6-edge', 'v1.10.0'].sort(compareVersions);
    expect(sorted).toEqual(['0.45.1-rc1', '0.45.1', '1.9.0', 'v1.10.0', '1.28.0', '1.32.0', '26.3.6-edge']);
    expect(highestVersion(['1.28.0', '1.33.0', '1.32.0'])).toBe('1.33.0');
    expect(highestVersion([])).toBeUndefined();
  });
});

describe('schemaSourcesFromEnv', () => {
  test('reads KUBESTRATA_SCHEMAS as a PATH-like list and gives none when it is unset or empty', () => {
    expect(schemaSourcesFromEnv({ KUBESTRATA_SCHEMAS: '/srv/schemas' })).toEqual(['/srv/schemas']);
    expect(schemaSourcesFromEnv({ KUBESTRATA_SCHEMAS: '/srv/schemas:cluster-crds.yaml' })).toEqual(['/srv/schemas', 'cluster-crds.yaml']);
    expect(schemaSourcesFromEnv({})).toEqual([]);
    expect(schemaSourcesFromEnv({ KUBESTRATA_SCHEMAS: '' })).toEqual([]);
  });
});
