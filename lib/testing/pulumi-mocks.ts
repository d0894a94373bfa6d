import type { Platform } from '../core/platform';
import type { PlatformDeployment, SecretValues } from '../pulumi';

/** One resource the program registered, as `pulumi up` would create it. */
export interface MockResource {
  readonly name: string;
  /** The Pulumi type token, e.g. `kubernetes:core/v1:Secret`. */
  readonly type: string;
  /** The inputs the engine received, with secret values in place (see `secretInputs`). */
  readonly inputs: Record<string, any>;
  /** JSON pointers to the inputs the engine received as secrets, e.g. `/stringData`. */
  readonly secretInputs: readonly string[];
  /** The resources it waits for: its `dependsOn`, its provider, and those whose outputs its inputs use. */
  readonly dependsOn: readonly string[];
  /** Its parent component, when it has one. */
  readonly parent?: string;
}

export interface MockDeployment<T> {
  /** What the program returned (a `PlatformDeployment` when a platform was deployed). */
  readonly result: T;
  /** Every resource, in the order the program registered them. */
  readonly resources: readonly MockResource[];
}

export interface MockOptions {
  /** @default 'project' */
  readonly project?: string;
  /** @default 'test' */
  readonly stack?: string;
  /**
   * Stack config by full key (`<project>:<key>`), as `pulumi config` would hold it (values other than strings as JSON);
   * set for the run, cleared after it. @default the config already set, untouched
   */
  readonly config?: Readonly<Record<string, unknown>>;
  /** The keys of `config` that are secret. @default none */
  readonly secretConfig?: readonly string[];
}

export interface PlatformMockOptions extends MockOptions {
  /** The name of the `PlatformDeployment`. @default 'platform' */
  readonly name?: string;
  /** Values of the Secrets whose source is config, by Secret name then key. @default the config `kubestrata:secrets` */
  readonly secrets?: SecretValues;
  /** @default platform.delivery === 'flux' */
  readonly installFlux?: boolean;
}

/**
 * Deploys a platform through `PlatformDeployment`, or runs a Pulumi program, against Pulumi's mocks: nothing is created
 * and no engine or cluster is needed, but every resource is registered as `pulumi up` would register it. Returns each
 * resource with its inputs, which of them are secret, and what it waits for.
 *
 * Pulumi needs the mocks in place before a program creates resources or reads config, so a program is a callback
 * that imports its modules inside (`() => require('./index')`, or `await import('kubestrata/pulumi')`); the
 * `@pulumi/*` packages are loaded here, on the first call, never when `kubestrata/testing` is imported.
 */
export async function deployWithMocks(platform: Platform, options?: PlatformMockOptions): Promise<MockDeployment<PlatformDeployment>>;
export async function deployWithMocks<T>(program: () => T | Promise<T>, options?: MockOptions): Promise<MockDeployment<T>>;
export async function deployWithMocks<T>(
  subject: Platform | (() => T | Promise<T>),
  options: PlatformMockOptions = {},
): Promise<MockDeployment<T | PlatformDeployment>> {
  const program: () => T | PlatformDeployment | Promise<T | PlatformDeployment> =
    typeof subject === 'function' ? subject : () => deployPlatform(subject, options);
  const [pulumi, engine] = await Promise.all([import('@pulumi/pulumi'), import('../pulumi/mock-engine')]);
  const setsConfig = options.config !== undefined || options.secretConfig !== undefined;
  if (setsConfig) {
    const config = Object.entries(options.config ?? {}).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]);
    pulumi.runtime.setAllConfig(Object.fromEntries(config), [...(options.secretConfig ?? [])]);
  }
  try {
    const run = await engine.runUnderMocks(options.project ?? 'project', options.stack ?? 'test', program);
    const resources = [...run.resources.values()].map((r): MockResource => {
      const secretInputs: string[] = [];
      const inputs = revealSecrets(r.inputs ?? {}, '', secretInputs, engine.isSecretValue);
      return { name: r.name, type: r.type, inputs, secretInputs, dependsOn: r.dependsOn, parent: r.parent };
    });
    return { result: run.result, resources };
  } finally {
    if (setsConfig) pulumi.runtime.setAllConfig({}, []);
  }
}

async function deployPlatform(platform: Platform, options: PlatformMockOptions): Promise<PlatformDeployment> {
  const { PlatformDeployment } = await import('../pulumi/platform-deployment');
  return new PlatformDeployment(options.name ?? 'platform', { platform, secrets: options.secrets, installFlux: options.installFlux });
}

/** `value` with each secret-wrapped value replaced by what it wraps; the JSON pointer of each goes to `found`. */
function revealSecrets(value: any, at: string, found: string[], isSecret: (v: unknown) => boolean): any {
  if (isSecret(value)) {
    found.push(at);
    return revealSecrets(value.value, at, [], isSecret);
  }
  if (Array.isArray(value)) return value.map((v, i) => revealSecrets(v, `${at}/${i}`, found, isSecret));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, revealSecrets(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, found, isSecret)]),
  );
}
