import { Problems } from '../../../lib/core/errors';
import {
  addressAt,
  checkCidr,
  checkIpv4Network,
  contains,
  isCidr,
  isIpv4,
  networkOf,
  overlaps,
  parseAddressRange,
  parseIp,
  parseIpv4Network,
} from '../../../lib/core/addresses';

function messages(check: (problems: Problems) => unknown): string[] {
  const problems = new Problems('Test');
  check(problems);
  try {
    problems.throwIfAny();
    return [];
  } catch (e) {
    return String((e as Error).message)
      .split('\n')
      .slice(1)
      .map((line) => line.trim());
  }
}

describe('addresses', () => {
  test('parses IPv4 and IPv6 with and without prefix; rejects the rest', () => {
    expect(parseIp('192.168.100.11/24')).toMatchObject({ family: 4, prefix: 24, address: '192.168.100.11' });
    expect(parseIp('fd00::1/64')).toMatchObject({ family: 6, prefix: 64 });
    expect(parseIp('10.0.0.1')).toMatchObject({ prefix: 32 });
    for (const bad of ['10.0.0.1/33', '10.0.0/24', 'FD00::1/64', '10.0.0.1/24/1', 'host', 42]) expect(parseIp(bad)).toBeUndefined();
  });

  test('refuses the address forms Kubernetes, Talos and AWS do not read as written', () => {
    // Leading zeros read as octal by some parsers, short and hex IPv4 forms, zone ids, prefix lengths with leading zeros.
    for (const bad of ['010.0.0.1', '10.1', '0x0a.0.0.1', 'fe80::1%eth0', '10.0.0.0/024', '::ffff:1.2.3.04', '10.0.0.1 '])
      expect(parseIp(bad)).toBeUndefined();
  });

  test('computes networks, hosts and containment', () => {
    expect(networkOf(parseIp('192.168.100.11/24')!)).toBe('192.168.100.0/24');
    expect(networkOf(parseIp('fd00:1:2:3::1/64')!)).toBe('fd00:1:2:3::/64');
    expect(networkOf(parseIp('::ffff:10.0.0.1/120')!)).toBe('::ffff:a00:0/120');
    expect(addressAt(parseIp('10.244.0.0/16')!, 1)).toBe('10.244.0.1');
    expect(contains(parseIp('10.0.0.0/8')!, parseIp('10.1.2.3')!)).toBe(true);
    expect(contains(parseIp('10.0.0.0/8')!, parseIp('11.0.0.1')!)).toBe(false);
    expect(contains(parseIp('10.0.0.0/8')!, parseIp('fd00::1')!)).toBe(false);
    expect(overlaps(parseIp('10.244.0.0/16')!, parseIp('10.0.0.0/8')!)).toBe(true);
    expect(overlaps(parseIp('10.244.0.0/16')!, parseIp('10.245.0.0/16')!)).toBe(false);
    expect(overlaps(parseAddressRange('10.0.0.250-10.0.1.5')!, parseIp('10.0.1.0/24')!)).toBe(true);
    expect(overlaps(parseAddressRange('10.0.0.250-10.0.0.255')!, parseIp('10.0.1.0/24')!)).toBe(false);
  });

  test('address ranges and IPv4 networks', () => {
    expect(parseAddressRange('10.0.0.1-10.0.0.1')).toEqual({ family: 4, first: 0x0a000001n, last: 0x0a000001n });
    for (const bad of ['10.0.0.2-10.0.0.1', '10.0.0.1/24', '10.0.0.1', 'fd00::/64', '10.0.0.1-10.0.0.2-10.0.0.3'])
      expect(parseAddressRange(bad)).toBeUndefined();
    expect(parseIpv4Network('10.244.0.0/16')).toMatchObject({ prefix: 16 });
    for (const bad of ['10.244.0.1/16', '10.244.0.0', 'fd00::/64', '10.244.0.0/08']) expect(parseIpv4Network(bad)).toBeUndefined();
    expect(isIpv4('10.0.0.1')).toBe(true);
    expect(['10.0.0.1/32', '010.0.0.1', 'fd00::1', 7].some(isIpv4)).toBe(false);
  });

  test('CIDRs of either family and case, host bits allowed', () => {
    expect(['0.0.0.0/0', '10.1.2.3/24', '2001:db8::/32', '2001:DB8::/32', '::/0'].every(isCidr)).toBe(true);
    expect(['10.0.0.0', '10.0.0.0/33', '256.0.0.0/8', 'any', '::/129'].some(isCidr)).toBe(false);
  });

  test('refuses colon strings that are no IPv6 address, which the earlier pattern let through', () => {
    expect([':/64', '::::/64', 'fff:::/64', '1:2:3:4:5:6:7:8:9/64'].some(isCidr)).toBe(false);
  });

  test('checks report the rule and a fix', () => {
    expect(messages((p) => checkIpv4Network(p, 'podCidr', '10.244.0.1/16'))).toEqual([
      '- podCidr: "10.244.0.1/16" must be an IPv4 CIDR whose address is the network address, such as "10.244.0.0/16". Fix: use "10.244.0.0/16".',
    ]);
    expect(messages((p) => checkIpv4Network(p, 'podCidr', 'fd00::/64'))).toEqual([
      '- podCidr: "fd00::/64" must be an IPv4 CIDR whose address is the network address, such as "10.244.0.0/16".',
    ]);
    expect(messages((p) => checkCidr(p, 'address', '192.168.1.1', '192.168.1.1/24'))).toEqual([
      '- address: "192.168.1.1" must be an IP address with prefix length in lower case. Fix: write it like "192.168.1.1/24".',
    ]);
  });
});
