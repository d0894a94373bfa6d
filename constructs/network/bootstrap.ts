import { JsonPatch } from 'cdk8s';
import { Release } from '../../lib/releases/release';

/**
 * Marks the K3s HelmChart of a CNI as a bootstrap chart, so that the helm-controller runs its install Job on the
 * host network and on not-ready nodes: before the CNI is installed there is no pod network to run it on.
 * Flux releases are left as they are.
 */
export function bootstrapOnK3s(release: Release): void {
  if (release.readiness.kind === 'job') release.readiness.object.addJsonPatch(JsonPatch.add('/spec/bootstrap', true));
}
