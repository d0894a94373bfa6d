import type { DeliveryKind, Platform } from '../../../lib/core/platform';
import type { PlatformDeployment, SecretValues } from '../../../lib/pulumi';
import { Deployed, deployWithMocks, Modules } from './harness';

export const NAME = 'platform';

/** Values no manifest and no plain input may contain. */
export const SECRET_VALUES = {
  'orders-backup': { ACCESS_KEY_ID: 'AKIA0KUBESTRATA0TEST', ACCESS_SECRET_KEY: 'wJalr-kubestrata-test-9f8e7d6c' },
};

/** Two tenants, each with a backed-up, pooled Postgres that has a managed role. */
export function buildPlatform(mods: Modules, delivery: DeliveryKind = 'flux', customize?: Customize): Platform {
  const { ks, cdk8s, postgres } = mods;
  const platform = new ks.Platform(new cdk8s.App({ outdir: '/nonexistent' }), 'platform', { delivery });
  customize?.(mods, platform);
  for (const name of ['acme', 'globex']) {
    const tenant = new ks.Tenant(platform, name, { quota: { cpu: '8', memory: '16Gi', storage: '100Gi' } });
    new postgres.Postgres(tenant, 'orders', {
      backup: {
        destinationPath: `s3://backups/${name}/orders`,
        endpointUrl: 'https://s3.example.com',
        credentials: ks.SecretRef.fromConfig('orders-backup', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']),
        endpointCa: ks.SecretRef.existing('s3-ca', ['ca.crt']),
      },
      pooler: true,
      users: { reporting: { inRoles: ['pg_read_all_data'] } },
    });
  }
  return platform;
}

/** Creates components with non-default settings before the tenants require them. */
export type Customize = (mods: Modules, platform: Platform) => void;

export interface DeployOptions {
  readonly delivery?: DeliveryKind;
  /** @default SECRET_VALUES; null reads the Pulumi config */
  readonly secrets?: SecretValues | null;
  /** Deploy through an explicit provider. @default false */
  readonly provider?: boolean;
  readonly customize?: Customize;
}

export async function deployPlatform(
  mods: Modules,
  options: DeployOptions = {},
): Promise<Deployed<PlatformDeployment> & { platform: Platform }> {
  const platform = buildPlatform(mods, options.delivery, options.customize);
  const secrets = options.secrets === null ? undefined : (options.secrets ?? SECRET_VALUES);
  const deployed = await deployWithMocks(mods, (opts) => {
    const provider = options.provider ? new mods.k8s.Provider('cluster', { kubeconfig: 'unused' }) : undefined;
    return new mods.bridge.PlatformDeployment(NAME, { platform, secrets, provider }, opts);
  });
  return { ...deployed, platform };
}

export function objectId(m: any): string {
  return [m.apiVersion, m.kind, m.metadata.namespace, m.metadata.name].filter(Boolean).join('/');
}

/** The Pulumi type token of an object: the typed class of a built-in kind, a CustomResource otherwise. */
export function typeToken(m: any): string {
  return `kubernetes:${m.apiVersion === 'v1' ? 'core/v1' : m.apiVersion}:${m.kind}`;
}

export function manifestsOf(platform: Platform): any[] {
  return platform.render().flatMap((c) => c.objects.map((o) => o.manifest));
}
