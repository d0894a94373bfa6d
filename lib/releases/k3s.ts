import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import { stringify } from 'yaml';
import { MANAGED_BY } from '../core/labels';
import type { Release, ReleaseReadiness } from './release';

/** The namespace where K3s watches HelmChart objects and runs their install Jobs. */
export const K3S_HELM_NAMESPACE = 'kube-system';

/**
 * A K3s helm-controller HelmChart for a release; the controller installs it with a `helm-install-<name>` Job. A
 * bootstrap release gets `spec.bootstrap: true`, so that the Job runs on the host network and on not-ready nodes.
 */
export function renderK3s(release: Release): ReleaseReadiness {
  const { source } = release;
  const oci = source.repository.startsWith('oci://');
  const helmChart = new ApiObject(release, 'release', {
    apiVersion: 'helm.cattle.io/v1',
    kind: 'HelmChart',
    metadata: { name: release.releaseName, namespace: K3S_HELM_NAMESPACE, labels: { ...MANAGED_BY } },
    spec: {
      chart: oci ? `${source.repository.replace(/\/+$/, '')}/${source.chart}` : source.chart,
      repo: oci ? undefined : source.repository,
      version: source.version,
      targetNamespace: release.namespace,
      createNamespace: false,
      timeout: release.timeout,
      failurePolicy: 'reinstall',
      valuesContent: Lazy.any({ produce: () => valuesContent(release.values) }),
      valuesSecrets:
        release.valuesFrom.length > 0
          ? release.valuesFrom.map((v) => ({ name: v.secretName, keys: [v.key], ignoreUpdates: false }))
          : undefined,
    },
  });
  // A patch rather than a spec field: patches apply after cdk8s sorts the keys, which keeps `bootstrap` last.
  if (release.bootstrap) helmChart.addJsonPatch(JsonPatch.add('/spec/bootstrap', true));
  return { kind: 'job', object: helmChart, jobName: `helm-install-${release.releaseName}`, jobNamespace: K3S_HELM_NAMESPACE };
}

/** Values as the YAML document HelmChart `valuesContent` holds; none when there are no values. */
function valuesContent(values: Readonly<Record<string, unknown>>): string | undefined {
  if (Object.keys(values).length === 0) return undefined;
  return stringify(values, { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false });
}
