import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { HelmChartSource } from '../../lib/releases/chart';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';

export interface MariaDbOperatorCrdsProps {
  /** @default 'mariadb-operator' */
  readonly namespace?: string;
  /** Chart to install. @default versions.mariadbOperator.crdsChart */
  readonly chart?: HelmChartSource;
}

/** The CRDs of mariadb-operator (`k8s.mariadb.com`), a release of their own so that upgrades of the operator never remove them. */
export class MariaDbOperatorCrds extends ChartComponent {
  constructor(platform: Platform, props: MariaDbOperatorCrdsProps = {}) {
    checkProps(platform.layer('data'), 'mariadb-operator-crds', 'MariaDbOperatorCrdsProps', props);
    const chart = props.chart ?? versions.mariadbOperator.crdsChart;
    super(platform, 'data', 'mariadb-operator-crds', {
      namespace: props.namespace ?? 'mariadb-operator',
      releaseName: 'mariadb-operator-crds',
      source: chart,
      version: chart.version,
    });
  }
}
