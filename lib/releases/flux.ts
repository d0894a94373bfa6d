import { ApiObject, Lazy } from 'cdk8s';
import { MANAGED_BY } from '../core/labels';
import { isOci } from './chart';
import type { Release, ReleaseReadiness } from './release';

const SOURCE_INTERVAL = '1h';
const RECONCILE_INTERVAL = '5m';

/**
 * Flux objects for a release: its chart source and a HelmRelease, both in the release namespace so that
 * no cross-namespace reference is needed.
 */
export function renderFlux(release: Release): ReleaseReadiness {
  const { source, namespace } = release;
  const labels = { ...MANAGED_BY };
  let chart: Record<string, unknown>;
  if (isOci(source)) {
    new ApiObject(release, 'source', {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'OCIRepository',
      metadata: { name: release.releaseName, namespace, labels },
      spec: {
        interval: SOURCE_INTERVAL,
        url: `${source.repository.replace(/\/+$/, '')}/${source.chart}`,
        ref: { tag: source.version },
        layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' },
      },
    });
    chart = { chartRef: { kind: 'OCIRepository', name: release.releaseName, namespace } };
  } else {
    new ApiObject(release, 'source', {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: { name: release.releaseName, namespace, labels },
      spec: { interval: SOURCE_INTERVAL, url: source.repository },
    });
    chart = {
      chart: {
        spec: {
          chart: source.chart,
          version: source.version,
          sourceRef: { kind: 'HelmRepository', name: release.releaseName, namespace },
          interval: SOURCE_INTERVAL,
        },
      },
    };
  }
  const helmRelease = new ApiObject(release, 'release', {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: release.releaseName, namespace, labels },
    spec: {
      ...chart,
      releaseName: release.releaseName,
      interval: RECONCILE_INTERVAL,
      timeout: release.timeout,
      maxHistory: 5,
      install: { crds: 'CreateReplace', remediation: { retries: 3 } },
      upgrade: {
        crds: 'CreateReplace',
        cleanupOnFail: true,
        remediation: { retries: 3, remediateLastFailure: true, strategy: 'rollback' },
      },
      driftDetection: { mode: 'enabled' },
      values: Lazy.any({ produce: () => (Object.keys(release.values).length > 0 ? release.values : undefined) }),
      valuesFrom:
        release.valuesFrom.length > 0
          ? release.valuesFrom.map((v) => ({ kind: 'Secret', name: v.secretName, valuesKey: v.key }))
          : undefined,
      dependsOn: Lazy.any({
        produce: () =>
          release.dependsOn.length === 0 ? undefined : release.dependsOn.map((d) => ({ name: d.releaseName, namespace: d.namespace })),
      }),
    },
  });
  return { kind: 'condition', object: helmRelease, condition: 'Ready' };
}
