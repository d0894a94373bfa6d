import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { HelmChartSource } from '../../lib/releases/chart';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';

export interface CloudNativePgProps {
  /** @default 'cnpg-system' */
  readonly namespace?: string;
  /** Chart to install. @default versions.cloudnativePg.chart */
  readonly chart?: HelmChartSource;
  /** Operator image tag. @default versions.cloudnativePg.app */
  readonly version?: string;
  /** Chart values merged over kubestrata's (`mergeValues`: maps merge, lists and scalars replace, `null` removes a key). @default {} */
  readonly values?: Record<string, unknown>;
}

/** The CloudNativePG operator, which runs every `Postgres` of the platform. */
export class CloudNativePg extends ChartComponent {
  constructor(platform: Platform, props: CloudNativePgProps = {}) {
    checkProps(platform.layer('data'), 'cloudnative-pg', 'CloudNativePgProps', props);
    const version = props.version ?? versions.cloudnativePg.app;
    super(platform, 'data', 'cloudnative-pg', {
      namespace: props.namespace ?? 'cnpg-system',
      releaseName: 'cloudnative-pg',
      source: props.chart ?? versions.cloudnativePg.chart,
      version,
      defaults: {
        crds: { create: true },
        config: { clusterWide: true },
        image: { repository: versions.cloudnativePg.image, tag: version },
        monitoring: { podMonitorEnabled: false },
      },
      values: props.values,
    });
  }
}
