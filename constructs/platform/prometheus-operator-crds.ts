import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { HelmChartSource } from '../../lib/releases/chart';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';

export interface PrometheusOperatorCrdsProps {
  /** Namespace of the release. @default - the platform's monitoringNamespace */
  readonly namespace?: string;
  /** Chart to install. @default versions.prometheusOperatorCrds.chart */
  readonly chart?: HelmChartSource;
  /** Chart values merged over kubestrata's (`mergeValues`: maps merge, lists and scalars replace, `null` removes a key). @default {} */
  readonly values?: Record<string, unknown>;
}

/**
 * The prometheus-operator CRDs (`monitoring.coreos.com`: ServiceMonitor, PodMonitor, PrometheusRule, …) without
 * an operator, so that services can declare their scrape targets before or without a monitoring stack.
 */
export class PrometheusOperatorCrds extends ChartComponent {
  constructor(platform: Platform, props: PrometheusOperatorCrdsProps = {}) {
    checkProps(platform.layer('platform'), 'prometheus-operator-crds', 'PrometheusOperatorCrdsProps', props);
    const chart = props.chart ?? versions.prometheusOperatorCrds.chart;
    super(platform, 'platform', 'prometheus-operator-crds', {
      namespace: props.namespace ?? platform.monitoringNamespace,
      releaseName: 'prometheus-operator-crds',
      source: chart,
      version: chart === versions.prometheusOperatorCrds.chart ? versions.prometheusOperatorCrds.app : chart.version,
      values: props.values,
    });
  }
}
