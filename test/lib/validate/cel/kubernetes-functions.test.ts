import { compileExpression } from '../../../../lib/validate/cel/cel-environment';

/** Evaluates an expression of the rule environment with `self`; throws when it cannot be compiled. */
function evaluate(expression: string, self: unknown = null): unknown {
  const compiled = compileExpression(expression);
  if (!('program' in compiled)) throw new Error(`${expression}: ${compiled.unsupported.join(', ')}`);
  return compiled.program({ self });
}

describe('Kubernetes CEL libraries', () => {
  test.each([
    ["quantity('1Gi').isGreaterThan(quantity('1000Mi'))", true],
    ["quantity('1G').isLessThan(quantity('1Gi'))", true],
    ["quantity('500m').compareTo(quantity('0.5'))", 0n],
    ["quantity('1e3').compareTo(quantity('1k'))", 0n],
    ["quantity('-1').sign()", -1n],
    ["quantity('0').sign()", 0n],
    ["quantity('1.5Ki').asInteger()", 1536n],
    ["quantity('1500m').isInteger()", false],
    ["quantity('250m').asApproximateFloat()", 0.25],
    ["quantity('1Gi').add(quantity('512Mi')).compareTo(quantity('1.5Gi'))", 0n],
    ["quantity('2').sub(3).sign()", -1n],
    ["isQuantity('10Gi') && !isQuantity('10GB') && !isQuantity('')", true],
  ])('%s', (expression, expected) => {
    expect(evaluate(expression)).toEqual(expected);
  });

  test('quantity() of a malformed text and asInteger() of a fraction are errors', () => {
    expect(() => evaluate("quantity('ten')")).toThrow(/quantities must match/);
    expect(() => evaluate("quantity('1500m').asInteger()")).toThrow(/cannot convert value to integer/);
  });

  test.each([
    ["isIP('10.0.0.1') && isIP('fd00::1') && isIP('FD00::1')", true],
    ["isIP('010.0.0.1') || isIP('::ffff:10.0.0.1') || isIP('fe80::1%eth0') || isIP('10.0.0.0/8')", false],
    ["ip('10.0.0.1').family() == 4 && ip('fd00::1').family() == 6", true],
    ["ip('10.0.0.1') == ip('10.0.0.1') && ip('10.0.0.1') != ip('10.0.0.2')", true],
    ["string(ip('fd00:0::1'))", 'fd00::1'],
    ["ip('127.0.0.1').isLoopback() && ip('::').isUnspecified() && ip('fe80::1').isLinkLocalUnicast()", true],
    ["ip('224.0.0.1').isLinkLocalMulticast() && ip('8.8.8.8').isGlobalUnicast() && !ip('169.254.1.1').isGlobalUnicast()", true],
    ["isCIDR('10.0.0.0/8') && isCIDR('10.0.0.1/8') && !isCIDR('10.0.0.0/33') && !isCIDR('10.0.0.0')", true],
    ["cidr('10.96.0.0/12').containsIP('10.100.0.10') && !cidr('10.96.0.0/12').containsIP(ip('10.112.0.1'))", true],
    ["cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16') && !cidr('10.1.0.0/16').containsCIDR(cidr('10.0.0.0/8'))", true],
    ["cidr('fd00::1/64').containsIP('fd00::ffff') && !cidr('fd00::/64').containsIP('10.0.0.1')", true],
    ["string(cidr('10.1.2.3/16').masked()) + ' ' + string(cidr('10.1.2.3/16').ip())", '10.1.0.0/16 10.1.2.3'],
    ["cidr('10.1.2.3/16').prefixLength()", 16n],
    ["cidr('10.1.0.0/16') == cidr('10.1.0.0/16')", true],
  ])('%s', (expression, expected) => {
    expect(evaluate(expression)).toEqual(expected);
  });

  test('ip() and cidr() of malformed text are errors', () => {
    expect(() => evaluate("ip('10.0.0')")).toThrow(/IP Address '10.0.0' parse error/);
    expect(() => evaluate("cidr('10.0.0.0')")).toThrow(/network address '10.0.0.0' parse error/);
  });

  test('durations and regular expressions of the standard library, as the shipped rules use them', () => {
    expect(evaluate('duration(self).getSeconds() >= 1 && duration(self).getMilliseconds() % 1000 == 0', '1m30s')).toBe(true);
    expect(evaluate("self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')", 'web-1')).toBe(true);
  });
});
