/** An IPv4 network or address: its first address as a number and its prefix length. */
export interface Ipv4Prefix {
  readonly value: number;
  readonly prefix: number;
  readonly text: string;
}

/** `10.0.0.0/16` or `10.0.0.11` (a /32); undefined when it is neither. */
export function parseIpv4(text: unknown): Ipv4Prefix | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = match[5] === undefined ? 32 : Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const value = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { value, prefix, text };
}

function size(net: Ipv4Prefix): number {
  return 2 ** (32 - net.prefix);
}

/** The network's first address, when `text` names its network exactly (no host bits set). */
export function isNetwork(net: Ipv4Prefix): boolean {
  return net.value % size(net) === 0;
}

export function contains(net: Ipv4Prefix, inner: Ipv4Prefix): boolean {
  const start = net.value - (net.value % size(net));
  return inner.value >= start && inner.value + size(inner) <= start + size(net);
}

export function overlaps(a: Ipv4Prefix, b: Ipv4Prefix): boolean {
  return contains(a, b) || contains(b, a);
}

/** Addresses AWS keeps in every subnet: the network, router, DNS, future use and broadcast addresses. */
export function isAwsReserved(subnet: Ipv4Prefix, address: Ipv4Prefix): boolean {
  const offset = address.value - subnet.value;
  return offset <= 3 || offset === size(subnet) - 1;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
