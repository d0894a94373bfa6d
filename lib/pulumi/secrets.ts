import { randomBytes } from 'crypto';
import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import { Problems } from '../core/errors';
import { MANAGED_BY } from '../core/labels';
import { Platform } from '../core/platform';
import { SecretUse } from '../core/secrets';

/** Values of `config` Secrets: Secret name → key → value. */
export type SecretValues = Readonly<Record<string, Readonly<Record<string, pulumi.Input<string>>> | undefined>>;

/** A Secret that the deployment creates, with the values it gets. */
export interface PlannedSecret {
  readonly use: SecretUse;
  readonly stringData: Readonly<Record<string, pulumi.Input<string>>>;
  /** Values were generated here; later runs keep the ones stored in the cluster. */
  readonly generated: boolean;
}

/** The secret config object `kubestrata:secrets`, read as plain values so that missing keys are reported before anything is registered. */
export function configSecretValues(): SecretValues {
  return new pulumi.Config('kubestrata').getObject<SecretValues>('secrets') ?? {};
}

/** The Secrets to create for every reference the platform uses; every missing config value is reported at once. */
export function planSecrets(platform: Platform, values: SecretValues): PlannedSecret[] {
  const planned: PlannedSecret[] = [];
  const missing = new Map<string, SecretUse[]>();
  for (const use of platform.secrets.all()) {
    const { ref } = use;
    if (ref.source === 'existing') continue;
    if (ref.source === 'generated') {
      const stringData = Object.fromEntries(ref.keys.map((key) => [key, ref.fixed[key] ?? randomPassword()]));
      planned.push({ use, stringData, generated: true });
      continue;
    }
    const given = values[ref.name];
    const stringData: Record<string, pulumi.Input<string>> = {};
    for (const key of ref.keys) {
      const value = typeof given === 'object' && given !== null ? given[key] : undefined;
      if (value === undefined || value === null) missing.set(`${ref.name}.${key}`, [...(missing.get(`${ref.name}.${key}`) ?? []), use]);
      else stringData[key] = value;
    }
    planned.push({ use, stringData, generated: false });
  }
  const problems = Problems.of(platform);
  for (const [path, uses] of missing) {
    const secrets = uses.map((u) => `${u.namespace}/${u.ref.name} (used by ${u.users.join(', ')})`);
    problems.add(
      `secrets.${path}`,
      undefined,
      `is needed for Secret ${secrets.join(' and ')}`,
      `pulumi config set --secret --path 'kubestrata:secrets.${path}' <value>`,
    );
  }
  problems.throwIfAny();
  return planned;
}

export function secretResource(name: string, planned: PlannedSecret, opts: pulumi.CustomResourceOptions): k8s.core.v1.Secret {
  const { namespace, ref } = planned.use;
  return new k8s.core.v1.Secret(
    name,
    {
      metadata: { name: ref.name, namespace, labels: { ...MANAGED_BY } },
      type: ref.type,
      stringData: pulumi.secret(planned.stringData),
    },
    {
      ...opts,
      // A generated value is random on every run: keep the one created first, which the operator already uses.
      ignoreChanges: planned.generated ? ['stringData', 'data'] : undefined,
    },
  );
}

/** 32 URL-safe characters (192 bits). */
function randomPassword(): string {
  return randomBytes(24).toString('base64url');
}
