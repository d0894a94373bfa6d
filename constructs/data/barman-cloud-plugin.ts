import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { HelmChartSource } from '../../lib/releases/chart';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';
import { CertManager } from '../platform/cert-manager';
import { CloudNativePg } from './cloudnative-pg';

export interface BarmanCloudPluginProps {
  /** Chart to install. @default versions.barmanCloudPlugin.chart */
  readonly chart?: HelmChartSource;
  /** Chart values merged over kubestrata's (`mergeValues`: maps merge, lists and scalars replace, `null` removes a key). @default {} */
  readonly values?: Record<string, unknown>;
}

/**
 * The Barman Cloud plugin of CloudNativePG (`ObjectStore`), which archives WAL and base backups to S3.
 * It runs beside the operator, in its namespace, and needs cert-manager for its mTLS certificates.
 */
export class BarmanCloudPlugin extends ChartComponent {
  /** The plugin name that `Cluster.spec.plugins` and backups refer to. */
  static readonly PLUGIN_NAME = 'barman-cloud.cloudnative-pg.io';

  constructor(platform: Platform, props: BarmanCloudPluginProps = {}) {
    checkProps(platform.layer('data'), 'barman-cloud-plugin', 'BarmanCloudPluginProps', props);
    const operator = platform.registry.find(CloudNativePg) ?? new CloudNativePg(platform);
    const chart = props.chart ?? versions.barmanCloudPlugin.chart;
    super(platform, 'data', 'barman-cloud-plugin', {
      namespace: operator.namespace,
      releaseName: 'barman-cloud-plugin',
      source: chart,
      version: versions.barmanCloudPlugin.app,
      defaults: { crds: { create: true } },
      values: props.values,
    });
    this.requires(CloudNativePg);
    this.requires(CertManager);
  }
}
