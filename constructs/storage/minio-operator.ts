import { Problems } from '../../lib/core/errors';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { HelmChartSource } from '../../lib/releases/chart';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';
import { checkCount, defaultReplicas } from './storage-rules';

export interface MinioOperatorProps {
  /** @default 'minio-operator' */
  readonly namespace?: string;
  /** Chart to install. @default versions.minioOperator.chart */
  readonly chart?: HelmChartSource;
  /** Operator pods; the chart keeps them on different nodes. @default - 1 with K3s delivery (one machine), else 2 @maximum 100 */
  readonly replicas?: number;
  /** Chart values merged over kubestrata's (`mergeValues`: maps merge, lists and scalars replace, `null` removes a key). @default {} */
  readonly values?: Record<string, unknown>;
}

/** The MinIO operator, which runs every `MinioTenant` of the platform. */
export class MinioOperator extends ChartComponent {
  readonly replicas: number;

  constructor(platform: Platform, props: MinioOperatorProps = {}) {
    checkProps(platform.layer('storage'), 'minio-operator', 'MinioOperatorProps', props);
    const chart = props.chart ?? versions.minioOperator.chart;
    const replicas = props.replicas ?? defaultReplicas(platform, 2);
    super(platform, 'storage', 'minio-operator', {
      namespace: props.namespace ?? 'minio-operator',
      releaseName: 'minio-operator',
      source: chart,
      version: chart.version,
      // operator.replicaCount of the operator chart values (min.io "Operator Helm Chart" reference).
      defaults: { operator: { replicaCount: replicas } },
      values: props.values,
    });
    this.replicas = replicas;
    const problems = Problems.of(this);
    checkCount(problems, 'replicas', replicas, 1);
    problems.throwIfAny();
  }
}
