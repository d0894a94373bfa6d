import { Problems } from './errors';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isDnsLabel(value: unknown, maxLength = 63): value is string {
  return typeof value === 'string' && value.length <= maxLength && DNS_LABEL.test(value);
}

export function isDnsSubdomain(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 253 && DNS_SUBDOMAIN.test(value);
}

/** Checks an RFC 1123 label (object names used as Service or Pod names). */
export function checkDnsLabel(problems: Problems, property: string, value: unknown, maxLength = 63): boolean {
  return problems.check(
    isDnsLabel(value, maxLength),
    property,
    value,
    `must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most ${maxLength} characters)`,
    typeof value === 'string' ? `use ${JSON.stringify(suggestLabel(value, maxLength))}` : undefined,
  );
}

function suggestLabel(value: string, maxLength: number): string {
  const cleaned = value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return (cleaned || 'x').slice(0, maxLength).replace(/-+$/, '');
}
