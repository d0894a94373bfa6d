import { contains, networkOf, overlaps, parseIp } from '../../../constructs/nodes/addresses';

describe('addresses', () => {
  test('parses IPv4 and IPv6 with and without prefix; rejects the rest', () => {
    expect(parseIp('192.168.100.11/24')).toMatchObject({ family: 4, prefix: 24, address: '192.168.100.11' });
    expect(parseIp('fd00::1/64')).toMatchObject({ family: 6, prefix: 64 });
    expect(parseIp('10.0.0.1')).toMatchObject({ prefix: 32 });
    for (const bad of ['10.0.0.1/33', '10.0.0/24', 'FD00::1/64', '10.0.0.1/24/1', 'host', 42]) expect(parseIp(bad)).toBeUndefined();
  });

  test('computes networks and containment', () => {
    expect(networkOf(parseIp('192.168.100.11/24')!)).toBe('192.168.100.0/24');
    expect(networkOf(parseIp('fd00:1:2:3::1/64')!)).toBe('fd00:1:2:3::/64');
    expect(networkOf(parseIp('::ffff:10.0.0.1/120')!)).toBe('::ffff:a00:0/120');
    expect(contains(parseIp('10.0.0.0/8')!, parseIp('10.1.2.3')!)).toBe(true);
    expect(contains(parseIp('10.0.0.0/8')!, parseIp('11.0.0.1')!)).toBe(false);
    expect(contains(parseIp('10.0.0.0/8')!, parseIp('fd00::1')!)).toBe(false);
    expect(overlaps(parseIp('10.244.0.0/16')!, parseIp('10.0.0.0/8')!)).toBe(true);
    expect(overlaps(parseIp('10.244.0.0/16')!, parseIp('10.245.0.0/16')!)).toBe(false);
  });
});
