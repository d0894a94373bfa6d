import { Cdi, CdiProps } from '../../../constructs/virtualization/cdi';
import { KubeVirt, KubeVirtProps } from '../../../constructs/virtualization/kubevirt';
import { Tenant, TenantProps } from '../../../constructs/platform/tenant';
import { ConfigurationError } from '../../../lib/core/errors';
import { Platform, PlatformProps } from '../../../lib/core/platform';
import { newPlatform } from '../../helpers';

export const KUBEVIRT_CHART = { repository: 'oci://registry.example.com/charts', chart: 'kubevirt-operator', version: '1.8.4' } as const;
export const CDI_CHART = { repository: 'oci://registry.example.com/charts', chart: 'cdi-operator', version: '1.64.0' } as const;

/** A platform with both operators and a tenant VMs may run in. */
export function virtualizationPlatform(
  options: {
    platform?: PlatformProps;
    kubevirt?: Omit<KubeVirtProps, 'chart'>;
    cdi?: Omit<CdiProps, 'chart'>;
    tenant?: TenantProps;
  } = {},
): { platform: Platform; kubevirt: KubeVirt; cdi: Cdi; tenant: Tenant } {
  const platform = newPlatform(options.platform);
  const kubevirt = new KubeVirt(platform, { chart: KUBEVIRT_CHART, ...options.kubevirt });
  const cdi = new Cdi(platform, { chart: CDI_CHART, ...options.cdi });
  const tenant = new Tenant(platform, 'acme', { podSecurity: 'baseline', quota: { cpu: '16', memory: '64Gi' }, ...options.tenant });
  return { platform, kubevirt, cdi, tenant };
}

/** The ConfigurationError message `create` throws. */
export function messageOf(create: () => unknown): string {
  try {
    create();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigurationError');
}
