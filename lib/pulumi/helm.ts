import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import { HelmChartSource, isOci } from '../releases/chart';
import type { Release } from '../releases/release';
import { parseDuration } from './duration';

/** How `helm.v3.Release` names a pinned chart: the full `oci://` reference, or the chart name and its repository. */
export function helmChartArgs(source: HelmChartSource): Pick<k8s.helm.v3.ReleaseArgs, 'chart' | 'version' | 'repositoryOpts'> {
  return {
    chart: isOci(source) ? `${source.repository.replace(/\/+$/, '')}/${source.chart}` : source.chart,
    version: source.version,
    repositoryOpts: isOci(source) ? undefined : { repo: source.repository },
  };
}

/**
 * The Helm install of a bootstrap release (a CNI) on a Flux platform: the chart, version, values, namespace and
 * release name its HelmRelease names, installed by Pulumi before Flux because Flux's controllers need the pod
 * network this release creates. Its Namespace is one of the platform's objects, applied first.
 *
 * The release's HelmRepository/OCIRepository and HelmRelease are not applied. Flux's helm-controller would adopt
 * a Helm release of the same name (it finds a release in storage that no HelmRelease history records and upgrades
 * it), but then Pulumi and Flux would both own the CNI: every Flux upgrade would be drift to Pulumi, and deleting
 * either side would uninstall the pod network. The synthesized manifests keep the Flux objects for GitOps users
 * who bootstrap the CNI themselves.
 *
 * Like the HelmRelease, an install or upgrade that fails is undone (`atomic`: uninstalled on install, rolled back
 * on upgrade) and cleans up what it created, with the release timeout, waiting for Jobs, and 5 revisions kept.
 */
export function bootstrapRelease(
  name: string,
  release: Release,
  values: Record<string, unknown>,
  opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    name,
    {
      name: release.releaseName,
      ...helmChartArgs(release.source),
      namespace: release.namespace,
      createNamespace: false,
      values,
      timeout: parseDuration(release.timeout),
      atomic: true,
      cleanupOnFail: true,
      waitForJobs: true,
      maxHistory: 5,
    },
    opts,
  );
}
