/**
 * The one catalog of pinned upstream versions. Every chart, operator and image kubestrata installs is
 * pinned here; constructs expose the version they use and accept an override. Chart versions match the
 * CRDs the validator checks against (`crds/<component>/<version>` in the schemas directory).
 */
export const versions = {
  certManager: {
    /** Upstream application version; the CRDs in crds/cert-manager/1.20.2. */
    app: '1.20.2',
    chart: { repository: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.20.2' },
  },
  cloudnativePg: {
    /** Operator image; the CRDs in crds/cloudnative-pg/1.28.2. Chart 0.27.1 ships 1.28.1, so the image tag is set explicitly. */
    app: '1.28.2',
    chart: { repository: 'https://cloudnative-pg.github.io/charts', chart: 'cloudnative-pg', version: '0.27.1' },
    image: 'ghcr.io/cloudnative-pg/cloudnative-pg',
  },
  barmanCloudPlugin: {
    /** Plugin version; the CRDs in crds/cnpg-plugin-barman-cloud/0.13.0. */
    app: '0.13.0',
    chart: { repository: 'https://cloudnative-pg.github.io/charts', chart: 'plugin-barman-cloud', version: '0.7.0' },
  },
  flux: {
    /** Flux 2.8 line (the chart ships 2.8.8); manifests are validated against the 2.8.0 CRDs, whose APIs it serves unchanged. */
    app: '2.8.8',
    chart: { repository: 'https://fluxcd-community.github.io/helm-charts', chart: 'flux2', version: '2.18.4' },
  },
  k3sHelmController: {
    /** The helm-controller embedded in the supported K3s releases; the CRDs in crds/k3s-helm-controller/0.17.7. */
    app: '0.17.7',
  },
  /** PostgreSQL major version → CloudNativePG operand image (minor versions as Cozystack pins them). */
  postgres: {
    image: 'ghcr.io/cloudnative-pg/postgresql',
    majors: { '13': '13.22', '14': '14.20', '15': '15.15', '16': '16.11', '17': '17.7', '18': '18.1' },
  },
  /** In-cluster `kubectl` used by readiness gates. */
  kubectl: { image: 'registry.k8s.io/kubectl', tag: 'v1.33.4' },
} as const;

export type Versions = typeof versions;
