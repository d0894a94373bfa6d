import { ConfigurationError, Problems } from '../../../lib/core/errors';
import { RESOURCE_PRESETS, resolveResources } from '../../../lib/core/resources';

function resolve(value: any) {
  const problems = new Problems('platform/t/db');
  const result = resolveResources(problems, 'resources', value);
  return {
    result,
    error: (() => {
      try {
        problems.throwIfAny();
        return undefined;
      } catch (e) {
        return e as ConfigurationError;
      }
    })(),
  };
}

describe('resource presets', () => {
  test('there are 40 presets of five series and eight sizes', () => {
    expect(RESOURCE_PRESETS).toHaveLength(40);
    expect(RESOURCE_PRESETS).toContain('t1.nano');
    expect(RESOURCE_PRESETS).toContain('m1.4xlarge');
  });

  test('t1.micro is 500m CPU and 256Mi, requests divided by the allocation ratio', () => {
    expect(resolve('t1.micro').result).toEqual({
      limits: { cpu: '500m', memory: '256Mi', 'ephemeral-storage': '2Gi' },
      requests: { cpu: '50m', memory: '256Mi', 'ephemeral-storage': '52Mi' },
    });
  });

  test('m1.4xlarge is 32 CPUs and 256Gi', () => {
    expect(resolve('m1.4xlarge').result?.limits).toMatchObject({ cpu: '32', memory: '256Gi' });
  });

  test('explicit amounts become limits', () => {
    expect(resolve({ cpu: '2', memory: '4Gi' }).result).toMatchObject({
      limits: { cpu: '2', memory: '4Gi' },
      requests: { cpu: '200m', memory: '4Gi' },
    });
  });

  test('an unknown preset names the property, the value and the allowed names', () => {
    const { result, error } = resolve('t1.huge');
    expect(result).toBeUndefined();
    expect(error?.message).toContain('[platform/t/db] 1 problem');
    expect(error?.message).toContain('resources: "t1.huge" is not a resource preset (one of t1.nano');
  });

  test('bad explicit amounts are all reported', () => {
    const { error } = resolve({ cpu: 'lots', memory: '-1Gi' });
    expect(error?.problems.map((p) => p.property)).toEqual(['resources.cpu', 'resources.memory']);
    expect(error?.message).toContain('resources.cpu: "lots" must be a positive Kubernetes quantity. Fix: write it like "500m"');
  });
});
