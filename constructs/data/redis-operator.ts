import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { HelmChartSource } from '../../lib/releases/chart';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';

export interface RedisOperatorProps {
  /** @default 'redis-operator' */
  readonly namespace?: string;
  /** Chart to install. @default versions.redisOperator.chart */
  readonly chart?: HelmChartSource;
  /** Operator image tag. @default 'v' + versions.redisOperator.app */
  readonly version?: string;
  /** Chart values merged over kubestrata's (`mergeValues`: maps merge, lists and scalars replace, `null` removes a key). @default {} */
  readonly values?: Record<string, unknown>;
}

/** The spotahome redis-operator, which runs every `Redis` (RedisFailover: Redis with Sentinel) of the platform. */
export class RedisOperator extends ChartComponent {
  constructor(platform: Platform, props: RedisOperatorProps = {}) {
    checkProps(platform.layer('data'), 'redis-operator', 'RedisOperatorProps', props);
    const version = props.version ?? `v${versions.redisOperator.app}`;
    super(platform, 'data', 'redis-operator', {
      namespace: props.namespace ?? 'redis-operator',
      releaseName: 'redis-operator',
      source: props.chart ?? versions.redisOperator.chart,
      version,
      defaults: {
        image: { repository: versions.redisOperator.image, tag: version },
        // The chart applies `securityContext` to the operator container; this adds what `restricted` needs.
        securityContext: {
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          runAsUser: 1000,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
      },
      values: props.values,
    });
  }
}
