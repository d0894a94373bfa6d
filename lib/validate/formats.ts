import { isIP, isIPv4, isIPv6 } from 'node:net';

type FormatCheck = true | ((value: string) => boolean);

function isCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0 || !/^\d{1,3}$/.test(value.slice(slash + 1))) {
    return false;
  }
  const version = isIP(value.slice(0, slash));
  const prefix = Number(value.slice(slash + 1));
  return (version === 4 && prefix <= 32) || (version === 6 && prefix <= 128);
}

/**
 * Formats used by Kubernetes schemas. The address formats are checked the way the API server checks them;
 * every other known format (int32, int64, byte, date-time, duration, quantity, …) is accepted as is, and
 * formats not listed here are ignored, so an unusual format name never fails validation.
 */
export const KUBERNETES_FORMATS: Readonly<Record<string, FormatCheck>> = {
  ipv4: isIPv4,
  ipv6: isIPv6,
  cidr: isCidr,
  int32: true,
  int64: true,
  uint32: true,
  uint64: true,
  float: true,
  double: true,
  byte: true,
  binary: true,
  password: true,
  date: true,
  'date-time': true,
  duration: true,
  'int-or-string': true,
  uri: true,
  'uri-reference': true,
  email: true,
  hostname: true,
  uuid: true,
  mac: true,
  quantity: true,
};
