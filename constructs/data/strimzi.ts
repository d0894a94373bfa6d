import { Problems } from '../../lib/core/errors';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { HelmChartSource } from '../../lib/releases/chart';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';
import { RESTRICTED_CONTAINER_SECURITY } from './managed-service';

/** Which securityContext the cluster operator gives the pods it creates. */
export type StrimziPodSecurity =
  /** Pods meet the `restricted` Pod Security Standard (Strimzi's RestrictedPodSecurityProvider). */
  | 'restricted'
  /** Strimzi's own default (BaselinePodSecurityProvider): tenants running Kafka need podSecurity 'baseline'. */
  | 'baseline';

const POD_SECURITIES: readonly StrimziPodSecurity[] = ['restricted', 'baseline'];

export interface StrimziProps {
  /** @default 'strimzi' */
  readonly namespace?: string;
  /** Chart to install. @default versions.strimzi.chart */
  readonly chart?: HelmChartSource;
  /** Securing the Kafka, entity-operator and exporter pods of every cluster. @default 'restricted' */
  readonly podSecurity?: StrimziPodSecurity;
  /** Chart values merged over kubestrata's (`mergeValues`: maps merge, lists and scalars replace, `null` removes a key). @default {} */
  readonly values?: Record<string, unknown>;
}

/** The Strimzi cluster operator, which runs every `Kafka` of the platform in any namespace. */
export class Strimzi extends ChartComponent {
  readonly podSecurity: StrimziPodSecurity;

  constructor(platform: Platform, props: StrimziProps = {}) {
    checkProps(platform.layer('data'), 'strimzi', 'StrimziProps', props);
    const chart = props.chart ?? versions.strimzi.chart;
    const podSecurity = props.podSecurity ?? 'restricted';
    super(platform, 'data', 'strimzi', {
      namespace: props.namespace ?? 'strimzi',
      releaseName: 'strimzi-kafka-operator',
      source: chart,
      version: chart === versions.strimzi.chart ? versions.strimzi.app : chart.version,
      defaults: {
        watchAnyNamespace: true,
        // Strimzi's own NetworkPolicies admit every namespace to the listeners; tenants keep their own.
        generateNetworkPolicy: false,
        kubernetesServiceDnsDomain: platform.clusterDomain,
        resources: { limits: { memory: '512Mi', cpu: '1' }, requests: { memory: '512Mi', cpu: '200m' } },
        securityContext: RESTRICTED_CONTAINER_SECURITY,
        extraEnvs: [
          { name: 'STRIMZI_POD_SECURITY_PROVIDER_CLASS', value: podSecurity },
          // As Cozystack: the JVM of the operator image may miss the cgroup v2 memory limit and size its heap from the host.
          { name: 'CONTAINER_MEMORY_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.memory' } } },
          { name: 'CONTAINER_CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
          { name: 'JAVA_OPTS', value: '-XX:MaxRAM=$(CONTAINER_MEMORY_LIMIT) -XX:ActiveProcessorCount=$(CONTAINER_CPU_LIMIT)' },
        ],
      },
      values: props.values,
    });
    this.podSecurity = podSecurity;
    const problems = Problems.of(this);
    problems.check(
      POD_SECURITIES.includes(podSecurity),
      'podSecurity',
      podSecurity,
      `must be one of ${POD_SECURITIES.map((s) => JSON.stringify(s)).join(', ')}`,
    );
    problems.throwIfAny();
  }
}
