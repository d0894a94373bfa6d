import { isIPv4, isIPv6 } from 'node:net';
import { Problems } from './errors';

/** A parsed IP address, or a network when it carries a prefix length. */
export interface IpPrefix {
  readonly family: 4 | 6;
  readonly value: bigint;
  readonly prefix: number;
  /** The address as given, without the prefix length. */
  readonly address: string;
}

const BITS = { 4: 32, 6: 128 } as const;

/** Parses `10.0.0.1`, `10.0.0.1/24`, `fd00::1/64`; undefined when it is not one. */
export function parseIp(text: unknown): IpPrefix | undefined {
  if (typeof text !== 'string') return undefined;
  const [address, length, extra] = text.split('/');
  if (extra !== undefined) return undefined;
  const family = isIPv4(address) ? 4 : isIPv6(address) ? 6 : undefined;
  if (family === undefined || address !== address.toLowerCase()) return undefined;
  const prefix = length === undefined ? BITS[family] : /^\d{1,3}$/.test(length) ? Number(length) : NaN;
  if (!(prefix >= 0 && prefix <= BITS[family])) return undefined;
  return { family, value: family === 4 ? ipv4Value(address) : ipv6Value(address), prefix, address };
}

function ipv4Value(address: string): bigint {
  return address.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6Value(address: string): bigint {
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const value = ipv4Value(v4[1]);
    text = `${text.slice(0, -v4[1].length)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function mask(ip: IpPrefix): bigint {
  const bits = BigInt(BITS[ip.family]);
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(ip.prefix))) - 1n);
}

/** The network an address with prefix belongs to, as `a.b.c.0/24`. */
export function networkOf(ip: IpPrefix): string {
  const value = ip.value & mask(ip);
  return `${format(ip.family, value)}/${ip.prefix}`;
}

/** Whether `ip` lies inside `network` (same family, within its prefix). */
export function contains(network: IpPrefix, ip: IpPrefix): boolean {
  return network.family === ip.family && ip.prefix >= network.prefix && (ip.value & mask(network)) === (network.value & mask(network));
}

/** Whether two networks share any address. */
export function overlaps(a: IpPrefix, b: IpPrefix): boolean {
  return contains(a, b) || contains(b, a);
}

function format(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => ((value >> shift) & 0xffffn).toString(16));
  const text = groups.join(':');
  const zeros = /(^|:)0(:0)+(:|$)/g;
  let best = '';
  for (const match of text.match(zeros) ?? []) if (match.length > best.length) best = match;
  return best ? text.replace(best, '::') : text;
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

/** Checks a plain IP address, such as `192.168.100.1`. */
export function checkAddress(problems: Problems, property: string, value: unknown, example: string): IpPrefix | undefined {
  const ip = parseIp(value);
  const ok = ip !== undefined && typeof value === 'string' && !value.includes('/');
  problems.check(ok, property, value, 'must be an IP address without prefix length, in lower case', `write it like ${JSON.stringify(example)}`);
  return ok ? ip : undefined;
}
