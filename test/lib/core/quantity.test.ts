import { formatBytes, formatCpu, isQuantity, parseQuantity } from '../../../lib/core/quantity';

describe('quantities', () => {
  test.each([
    ['500m', 0.5],
    ['2', 2],
    ['1Gi', 2 ** 30],
    ['10G', 1e10],
    ['1e3', 1000],
    ['128Mi', 128 * 2 ** 20],
    ['.5', 0.5],
  ])('%s parses to %d', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value);
  });

  test.each(['', 'ten', '10 Gi', '10GB', '1.2.3', '-', 'Gi'])('%j is not a quantity', (text) => {
    expect(isQuantity(text)).toBe(false);
    expect(parseQuantity(text)).toBeUndefined();
  });

  test('formats CPU as millicores or cores', () => {
    expect(formatCpu(0.05)).toBe('50m');
    expect(formatCpu(2)).toBe('2');
    expect(formatCpu(0.0001)).toBe('1m');
  });

  test('formats bytes in the largest whole binary unit', () => {
    expect(formatBytes(2 ** 30)).toBe('1Gi');
    expect(formatBytes(1.5 * 2 ** 30)).toBe('1536Mi');
    expect(formatBytes(1000)).toBe('1000');
  });
});
