import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { ChartComponent } from '../../lib/releases/chart-component';
import { HelmChartSource } from '../../lib/releases/chart';
import { versions } from '../../lib/versions';

export interface CertManagerProps {
  /** @default 'cert-manager' */
  readonly namespace?: string;
  /** Chart to install. @default versions.certManager.chart */
  readonly chart?: HelmChartSource;
  /** Chart values merged over kubestrata's (`mergeValues`: maps merge, lists and scalars replace, `null` removes a key). @default {} */
  readonly values?: Record<string, unknown>;
}

/** cert-manager, which issues the webhook and mTLS certificates other operators need. */
export class CertManager extends ChartComponent {
  constructor(platform: Platform, props: CertManagerProps = {}) {
    checkProps(platform.layer('platform'), 'cert-manager', 'CertManagerProps', props);
    const chart = props.chart ?? versions.certManager.chart;
    super(platform, 'platform', 'cert-manager', {
      namespace: props.namespace ?? 'cert-manager',
      releaseName: 'cert-manager',
      source: chart,
      version: chart.version,
      defaults: { crds: { enabled: true, keep: true } },
      values: props.values,
    });
  }
}
