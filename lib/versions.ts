/**
 * The one catalog of pinned upstream versions. Every chart, operator and image kubestrata installs is
 * pinned here; constructs expose the version they use and accept an override. Chart versions match the
 * CRDs the validator checks against (`crds/<component>/<version>` in the schemas directory). A map from the version
 * line a user picks (`'18'`, `'v11.8'`) to the exact release it pins is always named `releases`.
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
    releases: { '13': '13.22', '14': '14.20', '15': '15.15', '16': '16.11', '17': '17.7', '18': '18.1' },
  },
  piraeusOperator: {
    /** Chart piraeus 2.10.2 as Cozystack vendors it (packages/system/piraeus-operator); the CRDs in crds/piraeus-operator/2.10.2. */
    app: '2.10.2',
    chart: { repository: 'oci://ghcr.io/piraeusdatastore/piraeus-operator', chart: 'piraeus', version: '2.10.2' },
  },
  minioOperator: {
    /** MinIO operator 7.1.1; the CRDs in crds/minio-operator/7.1.1 (minio/operator@v7.1.1 resources/base/crds). */
    app: '7.1.1',
    chart: { repository: 'https://operator.min.io', chart: 'operator', version: '7.1.1' },
  },
  juicefsCsiDriver: {
    /** JuiceFS CSI driver chart 0.30.0 (juicedata/charts); no CRDs. Neither source platform runs it: Olares mounts JuiceFS on the host. */
    app: '0.30.0',
    chart: { repository: 'https://juicedata.github.io/charts', chart: 'juicefs-csi-driver', version: '0.30.0' },
  },
  seaweedfs: {
    /** Chart seaweedfs 4.31.0 (SeaweedFS 4.31) as Cozystack vendors it (packages/system/seaweedfs); the chart ships no CRDs. */
    app: '4.31',
    chart: { repository: 'https://seaweedfs.github.io/seaweedfs/helm', chart: 'seaweedfs', version: '4.31.0' },
  },
  kubevirt: {
    /**
     * virt-operator v1.8.4 as Cozystack pins it (packages/system/kubevirt-operator); the CRD in crds/kubevirt/1.8.4 and
     * the workload API in schemas/kubevirt/1.8.4. Upstream publishes a release manifest, not a Helm chart, so the chart
     * that installs it is given to `KubeVirt` (Cozystack wraps the manifest in a chart of its own).
     */
    app: '1.8.4',
  },
  cdi: {
    /**
     * cdi-operator v1.64.0 as Cozystack pins it (packages/system/kubevirt-cdi-operator); the CRD in
     * crds/kubevirt-cdi/1.64.0 and the workload API in schemas/cdi/1.64.0. Published as a release manifest only, like KubeVirt.
     */
    app: '1.64.0',
  },
  nvidiaDevicePlugin: {
    /** NVIDIA k8s-device-plugin chart 0.17.1 (https://nvidia.github.io/k8s-device-plugin); no CRDs. */
    app: '0.17.1',
    chart: { repository: 'https://nvidia.github.io/k8s-device-plugin', chart: 'nvidia-device-plugin', version: '0.17.1' },
  },
  hami: {
    /** HAMi chart 2.9.0 from https://project-hami.github.io/HAMi/ as Cozystack pins it (packages/system/hami); no CRDs in it. */
    app: '2.9.0',
    chart: { repository: 'https://project-hami.github.io/HAMi/', chart: 'hami', version: '2.9.0' },
  },
  prometheusOperatorCrds: {
    /** Chart prometheus-operator-crds 25.0.0 (appVersion v0.87.0) as Cozystack pins it (packages/system/prometheus-operator-crds); the CRDs in crds/prometheus-operator/0.87.0. */
    app: '0.87.0',
    chart: { repository: 'https://prometheus-community.github.io/helm-charts', chart: 'prometheus-operator-crds', version: '25.0.0' },
  },
  redisOperator: {
    /** spotahome redis-operator 1.3.0 from chart redis-operator 3.3.5 as Cozystack vendors it (packages/system/redis-operator); the CRD in crds/redis-operator-spotahome/1.3.0. */
    app: '1.3.0',
    chart: { repository: 'https://spotahome.github.io/redis-operator', chart: 'redis-operator', version: '3.3.5' },
    image: 'quay.io/spotahome/redis-operator',
  },
  /** Redis major version → image tag, as Cozystack pins them (packages/apps/redis/files/versions.yaml: v8 8.4.0, v7 7.4.7). */
  redis: {
    image: 'docker.io/library/redis',
    releases: { v8: '8.4.0', v7: '7.4.7' },
    /** The exporter sidecar Cozystack's Redis runs (packages/apps/redis/templates/redisfailover.yaml). */
    exporter: 'docker.io/oliver006/redis_exporter:v1.55.0-alpine',
  },
  /** Apache Kvrocks (Olares runs its fork beclab/kvrocks:0.1.1); the upstream image, which ships /bin/kvrocks, /bin/sh and redis-cli. */
  kvrocks: {
    image: 'docker.io/apache/kvrocks',
    releases: { '2.15': '2.15.0' },
  },
  nats: {
    /** The upstream NATS chart 1.3.16 (NATS 2.11.10) as Cozystack vendors it (packages/system/nats); the chart ships no CRDs. */
    app: '2.11.10',
    chart: { repository: 'https://nats-io.github.io/k8s/helm/charts/', chart: 'nats', version: '1.3.16' },
  },
  strimzi: {
    /**
     * Strimzi 0.45.1-rc1 as Cozystack pins it (packages/system/kafka-operator pulls it from oci://quay.io/strimzi-helm);
     * the CRDs in crds/strimzi-kafka-operator/0.45.1-rc1.
     */
    app: '0.45.1-rc1',
    chart: { repository: 'oci://quay.io/strimzi-helm', chart: 'strimzi-kafka-operator', version: '0.45.1-rc1' },
  },
  /**
   * Kafka minor → the release and KRaft metadata version the Strimzi operator above runs (its images
   * quay.io/strimzi/kafka:0.45.1-rc1-kafka-3.9.1 and -kafka-3.8.0, which Cozystack's Kafka tooling uses).
   */
  kafka: {
    releases: { '3.9': { version: '3.9.1', metadataVersion: '3.9-IV0' }, '3.8': { version: '3.8.0', metadataVersion: '3.8-IV0' } },
  },
  altinityClickhouseOperator: {
    /** Altinity clickhouse-operator chart 0.25.2 as Cozystack pins it (packages/system/clickhouse-operator); the CRDs in crds/altinity-clickhouse-operator/0.25.2. */
    app: '0.25.2',
    chart: { repository: 'https://docs.altinity.com/clickhouse-operator/', chart: 'altinity-clickhouse-operator', version: '0.25.2' },
  },
  /**
   * ClickHouse server and Keeper images per major.minor, both tags published for each: v24.9 → 24.9.2.42 as Cozystack
   * pins it (packages/apps/clickhouse, also its Keeper image), v25.8 → 25.8.30.16 on the 25.8 LTS line.
   */
  clickhouse: {
    server: 'docker.io/clickhouse/clickhouse-server',
    keeper: 'docker.io/clickhouse/clickhouse-keeper',
    releases: { 'v25.8': '25.8.30.16', 'v24.9': '24.9.2.42' },
  },
  mariadbOperator: {
    /**
     * mariadb-operator 25.10.2 as Cozystack vendors it (packages/system/mariadb-operator): the operator chart and, as
     * its own release, the chart mariadb-operator-crds 25.10.2 whose CRDs are crds/mariadb-operator/25.10.2.
     */
    app: '25.10.2',
    chart: { repository: 'https://helm.mariadb.com/mariadb-operator', chart: 'mariadb-operator', version: '25.10.2' },
    crdsChart: { repository: 'https://helm.mariadb.com/mariadb-operator', chart: 'mariadb-operator-crds', version: '25.10.2' },
    /** The chart's default image (values.yaml `image.repository`), also the data-plane init container of replicated servers. */
    image: 'docker-registry3.mariadb.com/mariadb-operator/mariadb-operator',
  },
  /**
   * MariaDB version → image tag, as Cozystack pins them (packages/apps/mariadb: v11.8 → 11.8.5; 10.6.24, 10.11.15 and
   * 11.4.9 are the servers its my.cnf tuning is checked against). The exporter is the one Cozystack's MariaDB runs.
   */
  mariadb: {
    image: 'docker.io/library/mariadb',
    releases: { 'v11.8': '11.8.5', 'v11.4': '11.4.9', 'v10.11': '10.11.15', 'v10.6': '10.6.24' },
    exporter: 'docker.io/prom/mysqld-exporter:v0.15.1',
  },
  rabbitmqOperator: {
    /**
     * RabbitMQ cluster-operator 2.9.0 and messaging-topology-operator 1.14.2 as Cozystack pins them (packages/system/
     * rabbitmq-operator; CRDs in crds/rabbitmq-cluster-operator/2.9.0 and crds/rabbitmq-messaging-topology-operator/1.14.2),
     * installed from Bitnami's chart rabbitmq-cluster-operator 4.3.3 (appVersion 2.9.0, which bundles topology-operator
     * 1.14.1) with the upstream images of both operators, since Bitnami's own images left docker.io/bitnami in 2025.
     */
    app: '2.9.0',
    topology: '1.14.2',
    chart: { repository: 'oci://registry-1.docker.io/bitnamicharts', chart: 'rabbitmq-cluster-operator', version: '4.3.3' },
    clusterOperatorImage: 'rabbitmqoperator/cluster-operator',
    topologyOperatorImage: 'rabbitmqoperator/messaging-topology-operator',
    credentialUpdaterImage: { repository: 'rabbitmqoperator/default-user-credential-updater', tag: '1.0.4' },
  },
  /**
   * RabbitMQ version → management image tag: v4.2 → 4.2.4 as Cozystack pins it (packages/apps/rabbitmq); the older lines
   * at their last community patch releases.
   */
  rabbitmq: {
    image: 'docker.io/library/rabbitmq',
    releases: { 'v4.2': '4.2.4', 'v4.1': '4.1.4', 'v4.0': '4.0.9', 'v3.13': '3.13.7' },
  },
  /** In-cluster `kubectl` used by readiness gates. */
  kubectl: { image: 'registry.k8s.io/kubectl', tag: 'v1.33.4' },
  talos: {
    /**
     * Talos Linux v1.13.9: the machine-config schema in schemas/talos/1.13.9 (the newest stable tag there). Cozystack
     * builds v1.13.6 (packages/core/talos); same minor, same config contract.
     */
    version: 'v1.13.9',
    imageFactory: 'factory.talos.dev',
    /**
     * Kubernetes per API level. 1.32.12 as Cozystack pins its v1.32 line (packages/apps/kubernetes/files/versions.yaml);
     * 1.33.12 as Cozystack's Talos CI (reference/cozystack-features.md §4).
     */
    kubernetes: { '1.32': '1.32.12', '1.33': '1.33.12' },
  },
  k3s: {
    /**
     * K3s release per API level. v1.33.3+k3s1 is Olares' DefaultK3sVersion (cli/pkg/common/common.go, "v1.33.3-k3s");
     * v1.32.5+k3s1 the K3s v1.32 release used for the 1.32 API level.
     */
    releases: { '1.32': 'v1.32.5+k3s1', '1.33': 'v1.33.3+k3s1' },
    /** The official installer; it verifies the K3s binary against the release's sha256sum file. */
    installer: 'https://get.k3s.io',
  },
  aws: {
    /**
     * Sidero Labs' AWS account, which publishes the official Talos AMIs (`talos-<talos.version>-<region>-amd64`); no
     * schema in shared/ covers AMIs. The AMI is the stock image: the schematic's installer is applied after boot.
     */
    talosAmiOwner: '540036508848',
    /** Canonical's account and its Ubuntu 24.04 LTS (noble) server images on gp3, for K3s machines. */
    ubuntu: { owner: '099720109477', name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*' },
  },
  calico: {
    /**
     * Calico v3.32.0 through the Tigera operator v1.43.0 that ships it: the CRDs in crds/tigera-operator/1.43.0
     * (operator.tigera.io, in the chart) and crds/calico/3.32.0 (crd.projectcalico.org, registered by the operator).
     * The tigera-operator chart is versioned as the Calico release.
     */
    app: '3.32.0',
    operator: '1.43.0',
    chart: { repository: 'https://docs.tigera.io/calico/charts', chart: 'tigera-operator', version: 'v3.32.0' },
  },
  kubeOvn: {
    /** Kube-OVN as Cozystack pins it (packages/system/kubeovn, chart v1.15.10); the CRDs in crds/kube-ovn/1.15.10. */
    app: '1.15.10',
    chart: { repository: 'https://kubeovn.github.io/kube-ovn/', chart: 'kube-ovn', version: 'v1.15.10' },
  },
  cilium: {
    /** Cilium as Cozystack pins it (packages/system/cilium, chart 1.19.5); the chart has no CRDs, cilium-operator registers them. */
    app: '1.19.5',
    chart: { repository: 'https://helm.cilium.io/', chart: 'cilium', version: '1.19.5' },
  },
  metallb: {
    /** MetalLB with its frr-k8s backend as Cozystack pins it; the CRDs in crds/metallb/0.16.1 and crds/frr-k8s/0.0.25. */
    app: '0.16.1',
    chart: { repository: 'https://metallb.github.io/metallb', chart: 'metallb', version: '0.16.1' },
  },
  /** HAProxy of TcpBalancer and HttpCache: the release Cozystack's tcp-balancer app pins (appVersion 3.3.6). */
  haproxy: { image: 'docker.io/library/haproxy', tag: '3.3.6' },
  /** The cache tier of HttpCache: upstream nginx built to run as a non-root user (uid 101) on port 8080. */
  nginx: { image: 'docker.io/nginxinc/nginx-unprivileged', tag: '1.28.0-alpine' },
} as const;

export type Versions = typeof versions;
