import type { Environment } from '@marcbachmann/cel-js';
import { formatIp, parseIp } from '../../core/addresses';
import { celError } from './cel-runtime';

const BITS = { 4: 32, 6: 128 } as const;

/** An IP address of Kubernetes' CEL `net.IP` type. */
export class NetIp {
  /** Like Go's netip.ParseAddr, as Kubernetes uses it: no zones, no IPv4-mapped IPv6, no leading zeros. */
  static parse(text: string): NetIp | undefined {
    const parsed = text.includes('/') ? undefined : parseIp(text.toLowerCase());
    return parsed === undefined || isIpv4Mapped(parsed.family, parsed.value) ? undefined : new NetIp(parsed.family, parsed.value);
  }

  constructor(
    readonly family: 4 | 6,
    readonly value: bigint,
  ) {}

  toString(): string {
    return formatIp(this.family, this.value);
  }

  within(network: string): boolean {
    return NetCidr.parse(network)!.contains(this);
  }
}

/** A network of Kubernetes' CEL `net.CIDR` type; the address may have host bits set. */
export class NetCidr {
  static parse(text: string): NetCidr | undefined {
    const parsed = text.includes('/') ? parseIp(text.toLowerCase()) : undefined;
    return parsed === undefined || isIpv4Mapped(parsed.family, parsed.value)
      ? undefined
      : new NetCidr(new NetIp(parsed.family, parsed.value), parsed.prefix);
  }

  constructor(
    readonly ip: NetIp,
    readonly prefix: number,
  ) {}

  masked(): NetCidr {
    const hostBits = BigInt(BITS[this.ip.family] - this.prefix);
    return new NetCidr(new NetIp(this.ip.family, (this.ip.value >> hostBits) << hostBits), this.prefix);
  }

  contains(ip: NetIp): boolean {
    return ip.family === this.ip.family && new NetCidr(ip, this.prefix).masked().ip.value === this.masked().ip.value;
  }

  toString(): string {
    return `${this.ip}/${this.prefix}`;
  }
}

function isIpv4Mapped(family: 4 | 6, value: bigint): boolean {
  return family === 6 && value >> 32n === 0xffffn;
}

function ip(text: string): NetIp {
  const parsed = NetIp.parse(text);
  if (parsed === undefined) throw celError(`IP Address '${text}' parse error during conversion from string`);
  return parsed;
}

function cidr(text: string): NetCidr {
  const parsed = NetCidr.parse(text);
  if (parsed === undefined) throw celError(`network address '${text}' parse error during conversion from string`);
  return parsed;
}

function isGlobalUnicast(address: NetIp): boolean {
  const special =
    address.family === 4
      ? ['0.0.0.0/32', '127.0.0.0/8', '224.0.0.0/4', '169.254.0.0/16', '255.255.255.255/32']
      : ['::/128', '::1/128', 'ff00::/8', 'fe80::/10'];
  return !special.some((network) => address.within(network));
}

/** Kubernetes' IP and CIDR libraries (k8s.io/apiserver/pkg/cel/library/ip.go, cidr.go). */
export function registerNetworkLibrary(env: Environment): void {
  env.registerType('net.IP', NetIp);
  env.registerType('net.CIDR', NetCidr);
  env.registerFunction('ip(string): net.IP', ip);
  env.registerFunction('isIP(string): bool', (text: string) => NetIp.parse(text) !== undefined);
  env.registerFunction('string(net.IP): string', String);
  env.registerFunction('net.IP.family(): int', (address: NetIp) => BigInt(address.family));
  env.registerFunction('net.IP.isUnspecified(): bool', (address: NetIp) => address.value === 0n);
  env.registerFunction('net.IP.isLoopback(): bool', (address: NetIp) => address.within(address.family === 4 ? '127.0.0.0/8' : '::1/128'));
  env.registerFunction('net.IP.isLinkLocalMulticast(): bool', (address: NetIp) =>
    address.within(address.family === 4 ? '224.0.0.0/24' : 'ff02::/16'),
  );
  env.registerFunction('net.IP.isLinkLocalUnicast(): bool', (address: NetIp) =>
    address.within(address.family === 4 ? '169.254.0.0/16' : 'fe80::/10'),
  );
  env.registerFunction('net.IP.isGlobalUnicast(): bool', isGlobalUnicast);
  env.registerOperator('net.IP == net.IP', (a: NetIp, b: NetIp) => a.family === b.family && a.value === b.value);

  env.registerFunction('cidr(string): net.CIDR', cidr);
  env.registerFunction('isCIDR(string): bool', (text: string) => NetCidr.parse(text) !== undefined);
  env.registerFunction('string(net.CIDR): string', String);
  env.registerFunction('net.CIDR.containsIP(net.IP): bool', (network: NetCidr, address: NetIp) => network.contains(address));
  env.registerFunction('net.CIDR.containsIP(string): bool', (network: NetCidr, address: string) => network.contains(ip(address)));
  env.registerFunction('net.CIDR.containsCIDR(net.CIDR): bool', (network: NetCidr, other: NetCidr) => containsCidr(network, other));
  env.registerFunction('net.CIDR.containsCIDR(string): bool', (network: NetCidr, other: string) => containsCidr(network, cidr(other)));
  env.registerFunction('net.CIDR.ip(): net.IP', (network: NetCidr) => network.ip);
  env.registerFunction('net.CIDR.masked(): net.CIDR', (network: NetCidr) => network.masked());
  env.registerFunction('net.CIDR.prefixLength(): int', (network: NetCidr) => BigInt(network.prefix));
  env.registerOperator(
    'net.CIDR == net.CIDR',
    (a: NetCidr, b: NetCidr) => a.prefix === b.prefix && a.ip.family === b.ip.family && a.ip.value === b.ip.value,
  );
}

function containsCidr(network: NetCidr, other: NetCidr): boolean {
  return other.prefix >= network.prefix && network.contains(other.ip);
}
