import { Problems } from './errors';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

const DNS_LABEL_RULE = "lower-case letters, digits and '-', starting and ending with a letter or digit";
const LABEL_KEY_RULE =
  'is not a label key (an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit)';
const LABEL_VALUE_RULE =
  'is not a label value (a string of at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit)';

export function isDnsLabel(value: unknown, maxLength = 63): value is string {
  return typeof value === 'string' && value.length <= maxLength && DNS_LABEL.test(value);
}

export function isDnsSubdomain(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 253 && DNS_SUBDOMAIN.test(value);
}

/**
 * A label (or annotation, taint) key: an optional DNS subdomain prefix and `/`, then a name of at most 63 characters.
 * Extended resource names (`nvidia.com/gpu`) are the same rule with the prefix `required`.
 */
export function isLabelKey(key: unknown, prefix: 'optional' | 'required' = 'optional'): key is string {
  if (typeof key !== 'string') return false;
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  return LABEL_NAME.test(name) && (slash < 0 ? prefix === 'optional' : isDnsSubdomain(key.slice(0, slash)));
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** A node taint as K3s and kubectl write it: `key[=value]:Effect`. */
export function isTaint(taint: unknown): taint is string {
  const match = typeof taint === 'string' ? /^([^=:]+)(?:=([^:]+))?:([A-Za-z]+)$/.exec(taint) : null;
  return match !== null && isLabelKey(match[1]) && (match[2] === undefined || isLabelValue(match[2])) && TAINT_EFFECTS.includes(match[3]);
}

export function isLabelValue(value: unknown): value is string {
  return typeof value === 'string' && LABEL_VALUE.test(value);
}

/** Checks a map of labels, such as a node selector or the labels of a node; returns whether it is one. */
export function checkLabels(
  problems: Problems,
  property: string,
  labels: unknown,
  example = '{ "node-role.kubernetes.io/storage": "" }',
): labels is Readonly<Record<string, string>> {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    problems.add(property, labels, 'must be a map of label keys to values', `write it like ${example}`);
    return false;
  }
  let ok = true;
  for (const [key, value] of Object.entries(labels)) {
    ok = problems.check(isLabelKey(key), `${property}.${key}`, key, LABEL_KEY_RULE) && ok;
    ok = problems.check(isLabelValue(value), `${property}.${key}`, value, LABEL_VALUE_RULE) && ok;
  }
  return ok;
}

/** Checks an RFC 1123 label (object names used as Service or Pod names). */
export function checkDnsLabel(problems: Problems, property: string, value: unknown, maxLength = 63): boolean {
  return problems.check(
    isDnsLabel(value, maxLength),
    property,
    value,
    `must be a DNS-1123 label (${DNS_LABEL_RULE}, at most ${maxLength} characters)`,
    typeof value === 'string' ? `use ${JSON.stringify(suggestLabel(value, maxLength))}` : undefined,
  );
}

/**
 * Checks that a user-given name still makes a valid object name once it is part of `objectName` (e.g. the
 * database `app_` of the cluster `svc` gives the Database `svc-app-`); `label` for names that must be DNS labels
 * (Services, Pods, hostnames), else DNS subdomains (Secrets, ConfigMaps, custom resources).
 */
export function checkDerivedName(
  problems: Problems,
  property: string,
  value: unknown,
  kind: string,
  objectName: string,
  label = false,
): boolean {
  const ok = label ? isDnsLabel(objectName) : isDnsSubdomain(objectName);
  return problems.check(
    ok,
    property,
    value,
    `would name the ${kind} ${JSON.stringify(objectName)}, which is not a DNS-1123 ${label ? 'label' : 'subdomain'} (${DNS_LABEL_RULE}${label ? ', at most 63 characters' : ', dot-separated, at most 253 characters'})`,
    'choose a name that ends with a letter or digit and has no upper-case letters',
  );
}

function suggestLabel(value: string, maxLength: number): string {
  const cleaned = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return (cleaned || 'x').slice(0, maxLength).replace(/-+$/, '');
}
