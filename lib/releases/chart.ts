/** Where an upstream Helm chart comes from, pinned to one version. */
export interface HelmChartSource {
  /** `https://…` for a classic Helm repository or `oci://…` for an OCI registry path (without the chart name). */
  readonly repository: string;
  /** Chart name. @pattern ^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$ */
  readonly chart: string;
  /** Exact chart version; ranges are not accepted. */
  readonly version: string;
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

export function isExactVersion(version: string): boolean {
  return EXACT_VERSION.test(version);
}

export function isOci(source: HelmChartSource): boolean {
  return source.repository.startsWith('oci://');
}
