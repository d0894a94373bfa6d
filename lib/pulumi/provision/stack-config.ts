import * as fs from 'fs';
import * as pulumi from '@pulumi/pulumi';
import * as YAML from 'yaml';
import { Problems } from '../../core/errors';
import { configSecretValues, SecretValues } from '../secrets';

/** Where a stack program reads its settings: the Pulumi stack's config, or a stack config file for `kubestrata plan`. */
export interface StackConfig {
  /** The stack's name, e.g. `prod`. */
  readonly stack: string;
  /** A plain value under the program's namespace (`<namespace>:<key>`). */
  get<T>(key: string): T | undefined;
  /** A secret under the program's namespace, set with `pulumi config set --secret`; undefined when not set. */
  getSecret(key: string): pulumi.Output<string> | undefined;
  /** A secret that must be set; Pulumi reports it missing with the command that sets it. */
  requireSecret(key: string): pulumi.Output<string>;
  /** The values of config Secrets (`kubestrata:secrets`), with `extra` taking precedence. */
  secretValues(extra?: SecretValues): SecretValues;
  /** Whether values that are missing are stood in for, as `kubestrata plan` does. */
  readonly planning: boolean;
}

/** Where a stack's machines come from: machines you have, or EC2 instances it creates. */
export type ProvisionTarget = 'metal' | 'aws';

/** The stack's `target` setting, `metal` unless set; anything else is added to `problems`. */
export function provisionTarget(config: StackConfig, problems: Problems): ProvisionTarget {
  const target = config.get<ProvisionTarget>('target') ?? 'metal';
  problems.check(target === 'metal' || target === 'aws', 'target', target, 'must be "metal" or "aws"');
  return target;
}

/** The config of the Pulumi stack being deployed. */
export function pulumiStackConfig(namespace: string): StackConfig {
  const config = new pulumi.Config(namespace);
  return {
    stack: pulumi.getStack(),
    get: <T>(key: string) => parsedValue<T>(config.get(key)),
    getSecret: (key) => config.getSecret(key),
    requireSecret: (key) => config.requireSecret(key),
    secretValues: (extra = {}) => ({ ...configSecretValues(), ...extra }),
    planning: false,
  };
}

/** A config value as the engine passes it: lists, objects, numbers and booleans as JSON, strings as they are. */
function parsedValue<T>(raw: string | undefined): T | undefined {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return raw as T;
  }
}

/** What `kubestrata plan` puts where a secret would be. */
export const PLACEHOLDER = '(secret)';

/**
 * The config of a stack config file (`Pulumi.<stack>.yaml`) as `kubestrata plan` uses it: plain values as written,
 * every secret, given or not, a placeholder, since the file holds only ciphertext.
 */
export function fileStackConfig(file: string, namespace: string, overrides: Readonly<Record<string, unknown>> = {}): StackConfig {
  const parsed = (YAML.parse(fs.readFileSync(file, 'utf8')) ?? {}) as { config?: Record<string, unknown> };
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed.config ?? {})) {
    if (key.startsWith(`${namespace}:`)) values[key.slice(namespace.length + 1)] = value;
  }
  Object.assign(values, overrides);
  const stack = /Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1] ?? 'plan';
  return {
    stack,
    get: <T>(key: string) => (isSecure(values[key]) ? undefined : (values[key] as T | undefined)),
    getSecret: (key) => (key in values ? pulumi.secret(PLACEHOLDER) : undefined),
    requireSecret: () => pulumi.secret(PLACEHOLDER),
    secretValues: (extra = {}) =>
      new Proxy(
        {},
        {
          get: (_, name) => (typeof name === 'string' && extra[name]) || new Proxy({}, { get: () => pulumi.secret(PLACEHOLDER) }),
        },
      ) as SecretValues,
    planning: true,
  };
}

function isSecure(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'secure' in value;
}
