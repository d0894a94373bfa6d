import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { HelmChartSource } from '../../lib/releases/chart';
import { Operator } from '../../lib/releases/operator';
import { versions } from '../../lib/versions';

export interface MariaDbOperatorCrdsProps {
  /** @default 'mariadb-operator' */
  readonly namespace?: string;
  /** Chart to install. @default versions.mariadbOperator.crdsChart */
  readonly chart?: HelmChartSource;
}

/** The CRDs of mariadb-operator (`k8s.mariadb.com`), a release of their own so that upgrades of the operator never remove them. */
export class MariaDbOperatorCrds extends Operator {
  /** mariadb-operator version the CRDs belong to. */
  readonly version: string;

  constructor(platform: Platform, props: MariaDbOperatorCrdsProps = {}) {
    checkProps(platform.layer('data'), 'mariadb-operator-crds', 'MariaDbOperatorCrdsProps', props);
    const chart = props.chart ?? versions.mariadbOperator.crdsChart;
    super(platform, 'data', 'mariadb-operator-crds', {
      namespace: props.namespace ?? 'mariadb-operator',
      releaseName: 'mariadb-operator-crds',
      source: chart,
    });
    this.version = chart.version;
  }
}
