import * as ipaddr from 'ipaddr.js';
import { Problems } from './errors';

/** A block of consecutive addresses of one family, both ends included. */
export interface IpRange {
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
}

/** A parsed IP address, or a network when it carries a prefix length; `first`..`last` is the network it lies in. */
export interface IpPrefix extends IpRange {
  /** The address itself, host bits included. */
  readonly value: bigint;
  readonly prefix: number;
  /** The address as given, without the prefix length. */
  readonly address: string;
}

const BITS = { 4: 32, 6: 128 } as const;
const PREFIX_LENGTH = /^(0|[1-9]\d{0,2})$/;

/** Parses `10.0.0.1`, `10.0.0.1/24`, `fd00::1/64` written in lower case; undefined when it is not one. */
export function parseIp(text: unknown): IpPrefix | undefined {
  if (typeof text !== 'string') return undefined;
  const [address, length, extra] = text.split('/');
  if (extra !== undefined || address !== address.toLowerCase()) return undefined;
  const ip = parseAddress(address);
  if (ip === undefined) return undefined;
  const family = ip.kind() === 'ipv4' ? 4 : 6;
  const prefix = length === undefined ? BITS[family] : PREFIX_LENGTH.test(length) ? Number(length) : NaN;
  if (!(prefix <= BITS[family])) return undefined;
  const value = toBigInt(ip);
  const hostBits = BigInt(BITS[family] - prefix);
  const first = (value >> hostBits) << hostBits;
  return { family, value, prefix, address, first, last: first + (1n << hostBits) - 1n };
}

/** Dotted-decimal IPv4 (no octal, hex or short forms) or IPv6 without a zone. */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) return ipaddr.IPv4.parse(address);
  if (!address.includes('%') && ipaddr.IPv6.isValid(address) && embeddedIpv4IsDecimal(address)) return ipaddr.IPv6.parse(address);
  return undefined;
}

function embeddedIpv4IsDecimal(address: string): boolean {
  const tail = address.slice(address.lastIndexOf(':') + 1);
  return !tail.includes('.') || ipaddr.IPv4.isValidFourPartDecimal(tail);
}

function toBigInt(ip: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return ip.toByteArray().reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
}

/** The address `value` of a family, as text (`10.0.0.1`, `fd00::1`). */
export function formatIp(family: 4 | 6, value: bigint): string {
  const bytes = Array.from({ length: BITS[family] / 8 }, (_, i) => Number((value >> BigInt(BITS[family] - 8 * (i + 1))) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

/** A dotted-decimal IPv4 address without prefix length. */
export function isIpv4(value: unknown): value is string {
  return typeof value === 'string' && ipaddr.IPv4.isValidFourPartDecimal(value);
}

/** An IPv4 or IPv6 address with prefix length, host bits allowed, in either case (`203.0.113.7/32`, `2001:DB8::/32`). */
export function isCidr(value: unknown): value is string {
  return typeof value === 'string' && value.includes('/') && parseIp(value.toLowerCase()) !== undefined;
}

/** An IPv4 network such as `10.244.0.0/16` (no host bits set); undefined for anything else. */
export function parseIpv4Network(value: unknown): IpPrefix | undefined {
  const ip = typeof value === 'string' && value.includes('/') ? parseIp(value) : undefined;
  return ip?.family === 4 && ip.value === ip.first ? ip : undefined;
}

/** The range of `a.b.c.d-e.f.g.h` (both ends included) or of an IPv4 network. */
export function parseAddressRange(value: unknown): IpRange | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.includes('/')) return parseIpv4Network(value);
  const [start, end, extra] = value.split('-');
  if (extra !== undefined || !isIpv4(start) || !isIpv4(end)) return undefined;
  const range = { family: 4 as const, first: parseIp(start)!.value, last: parseIp(end)!.value };
  return range.first <= range.last ? range : undefined;
}

/** The network an address with prefix belongs to, as `a.b.c.0/24`. */
export function networkOf(ip: IpPrefix): string {
  return `${formatIp(ip.family, ip.first)}/${ip.prefix}`;
}

/** The address `offset` places into a range: 1 gives the first usable address, which Kube-OVN and most routers take as the gateway. */
export function addressAt(range: IpRange, offset: number): string {
  return formatIp(range.family, range.first + BigInt(offset));
}

/** Whether every address of `inner` lies inside `outer` (same family). */
export function contains(outer: IpRange, inner: IpRange): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

/** Whether two ranges share any address. */
export function overlaps(a: IpRange, b: IpRange): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** Checks an address with prefix length, such as `192.168.100.11/24`. */
export function checkCidr(problems: Problems, property: string, value: unknown, example: string): IpPrefix | undefined {
  const ip = parseIp(value);
  const ok = ip !== undefined && typeof value === 'string' && value.includes('/');
  problems.check(ok, property, value, 'must be an IP address with prefix length in lower case', `write it like ${JSON.stringify(example)}`);
  return ok ? ip : undefined;
}

/** Checks a network (no host bits set), such as `10.244.0.0/16`. */
export function checkNetwork(problems: Problems, property: string, value: unknown, example: string): IpPrefix | undefined {
  const ip = checkCidr(problems, property, value, example);
  if (ip && networkOf(ip) !== value) {
    problems.add(property, value, 'has host bits set; a network is written with its first address', `use ${JSON.stringify(networkOf(ip))}`);
    return undefined;
  }
  return ip;
}

/** Checks an IPv4 network whose address is the network address, such as `10.244.0.0/16`, as the CNIs take it. */
export function checkIpv4Network(problems: Problems, property: string, value: unknown): IpPrefix | undefined {
  const network = parseIpv4Network(value);
  if (network) return network;
  const given = typeof value === 'string' && /^[\d.]+\/\d+$/.test(value) ? parseIp(value) : undefined;
  problems.add(
    property,
    value,
    'must be an IPv4 CIDR whose address is the network address, such as "10.244.0.0/16"',
    given?.family === 4 ? `use ${JSON.stringify(networkOf(given))}` : undefined,
  );
  return undefined;
}

/** Checks a plain IP address, such as `192.168.100.1`. */
export function checkAddress(problems: Problems, property: string, value: unknown, example: string): IpPrefix | undefined {
  const ip = parseIp(value);
  const ok = ip !== undefined && typeof value === 'string' && !value.includes('/');
  problems.check(
    ok,
    property,
    value,
    'must be an IP address without prefix length, in lower case',
    `write it like ${JSON.stringify(example)}`,
  );
  return ok ? ip : undefined;
}

/** Reports every pair of named ranges that overlap. */
export function checkDisjoint(
  problems: Problems,
  ranges: ReadonlyArray<{ readonly property: string; readonly value: string; readonly range?: IpRange }>,
): void {
  const known = ranges.filter((r): r is { property: string; value: string; range: IpRange } => r.range !== undefined);
  known.forEach((a, i) => {
    for (const b of known.slice(i + 1)) {
      if (overlaps(a.range, b.range))
        problems.add(a.property, a.value, `overlaps ${b.property} (${b.value})`, 'give each range its own addresses');
    }
  });
}
