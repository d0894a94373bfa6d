import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { HelmChartSource } from '../../lib/releases/chart';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';
import { MariaDbOperatorCrds } from './mariadb-operator-crds';

export interface MariaDbOperatorProps {
  /** @default 'mariadb-operator' */
  readonly namespace?: string;
  /** Chart to install; its appVersion is the operator image tag. @default versions.mariadbOperator.chart */
  readonly chart?: HelmChartSource;
  /** Chart values merged over kubestrata's (`mergeValues`: maps merge, lists and scalars replace, `null` removes a key). @default {} */
  readonly values?: Record<string, unknown>;
}

/** Pod and container settings of the restricted Pod Security level, fresh for each component of the chart. */
const secured = () => ({
  podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true },
});

/**
 * mariadb-operator, which runs every `MariaDB` of the platform: the controller, its admission webhook and the
 * cert-controller that issues the webhook certificate. Its CRDs come first, from `MariaDbOperatorCrds`.
 */
export class MariaDbOperator extends ChartComponent {
  readonly crds: MariaDbOperatorCrds;

  constructor(platform: Platform, props: MariaDbOperatorProps = {}) {
    checkProps(platform.layer('data'), 'mariadb-operator', 'MariaDbOperatorProps', props);
    const chart = props.chart ?? versions.mariadbOperator.chart;
    super(platform, 'data', 'mariadb-operator', {
      namespace: props.namespace ?? 'mariadb-operator',
      releaseName: 'mariadb-operator',
      source: chart,
      version: chart === versions.mariadbOperator.chart ? versions.mariadbOperator.app : chart.version,
      defaults: {
        // The CRDs belong to the mariadb-operator-crds release.
        crds: { enabled: false },
        ...secured(),
        webhook: secured(),
        certController: secured(),
      },
      values: props.values,
    });
    // A release-level edge only: the Namespace both releases share belongs to whichever was created first, so a
    // construct-level requirement of the CRDs from here would be a cycle when the operator comes first.
    this.crds = platform.registry.find(MariaDbOperatorCrds) ?? new MariaDbOperatorCrds(platform);
    this.release.addDependency(this.crds.release);
  }
}
