import { Problems } from '../../lib/core/errors';

/** An IPv4 range as two inclusive 32-bit numbers. */
export interface Ipv4Range {
  readonly first: number;
  readonly last: number;
}

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

export function isIpv4(value: unknown): value is string {
  return typeof value === 'string' && IPV4.test(value);
}

export function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** The range of a CIDR such as `10.244.0.0/16`; undefined unless it is an IPv4 CIDR whose address is the network address. */
export function parseCidr(value: unknown): (Ipv4Range & { readonly prefix: number }) | undefined {
  if (typeof value !== 'string') return undefined;
  const [address, prefixText, extra] = value.split('/');
  if (extra !== undefined || !isIpv4(address) || !/^(\d|[12]\d|3[0-2])$/.test(prefixText ?? '')) return undefined;
  const prefix = Number(prefixText);
  const size = 2 ** (32 - prefix);
  const first = ipv4ToNumber(address);
  if (first % size !== 0) return undefined;
  return { first, last: first + size - 1, prefix };
}

/** The range of `a.b.c.d-e.f.g.h` (inclusive) or of a CIDR. */
export function parseAddressRange(value: unknown): Ipv4Range | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.includes('/')) return parseCidr(value);
  const [start, end, extra] = value.split('-');
  if (extra !== undefined || !isIpv4(start) || !isIpv4(end)) return undefined;
  const range = { first: ipv4ToNumber(start), last: ipv4ToNumber(end) };
  return range.first <= range.last ? range : undefined;
}

export function overlaps(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}

export function contains(range: Ipv4Range, address: string): boolean {
  const n = ipv4ToNumber(address);
  return n >= range.first && n <= range.last;
}

/** The first usable address of a CIDR, which Kube-OVN and most routers take as the gateway. */
export function firstHost(cidr: string): string {
  return numberToIpv4(parseCidr(cidr)!.first + 1);
}

/** Checks an IPv4 CIDR and returns its range. */
export function checkCidr(problems: Problems, property: string, value: unknown): (Ipv4Range & { readonly prefix: number }) | undefined {
  const range = parseCidr(value);
  if (range) return range;
  const hint = typeof value === 'string' && /^[\d.]+\/\d+$/.test(value) ? suggestNetwork(value) : undefined;
  problems.add(
    property,
    value,
    'must be an IPv4 CIDR whose address is the network address, such as "10.244.0.0/16"',
    hint ? `use ${JSON.stringify(hint)}` : undefined,
  );
  return undefined;
}

/** Reports every pair of named ranges that overlap. */
export function checkDisjoint(problems: Problems, ranges: ReadonlyArray<{ readonly property: string; readonly value: string; readonly range?: Ipv4Range }>): void {
  const known = ranges.filter((r): r is { property: string; value: string; range: Ipv4Range } => r.range !== undefined);
  known.forEach((a, i) => {
    for (const b of known.slice(i + 1)) {
      if (overlaps(a.range, b.range)) problems.add(a.property, a.value, `overlaps ${b.property} (${b.value})`, 'give each range its own addresses');
    }
  });
}

function suggestNetwork(value: string): string | undefined {
  const [address, prefixText] = value.split('/');
  const prefix = Number(prefixText);
  if (!isIpv4(address) || !(prefix >= 0 && prefix <= 32)) return undefined;
  const size = 2 ** (32 - prefix);
  return `${numberToIpv4(Math.floor(ipv4ToNumber(address) / size) * size)}/${prefix}`;
}
