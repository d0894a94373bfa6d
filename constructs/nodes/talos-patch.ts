import * as YAML from 'yaml';
import { evictionEntries, reservationEntries } from './kubelet-settings';
import type { TalosCluster } from './talos-cluster';
import { TALOS_PATCH_DELETE, mergeTalosDocuments, TalosDocument } from './talos-merge';
import type { TalosNode } from './talos-node';
import type { TalosSecretsBundle } from './talos-secrets';

/** Containerd 1.x and 2.x sections, so the drop-in holds on either runtime. */
const CONTAINERD_DROP_IN = `[plugins]
  [plugins."io.containerd.grpc.v1.cri"]
    device_ownership_from_security_context = true
  [plugins."io.containerd.cri.v1.runtime"]
    device_ownership_from_security_context = true
`;

const LVM_CONF = `backup {
  backup = 0
  archive = 0
}
devices {
  global_filter = [ "r|^/dev/drbd.*|", "r|^/dev/dm-.*|", "r|^/dev/zd.*|", "r|^/dev/loop.*|" ]
}
`;

const EXCLUDE_FROM_LB = 'node.kubernetes.io/exclude-from-external-load-balancers';

const doc = (kind: string, body: Record<string, unknown>): TalosDocument => ({ apiVersion: 'v1alpha1', kind, ...body });

function compact<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

function endpointHost(cluster: TalosCluster): string {
  return new URL(cluster.endpoint).hostname.replace(/^\[|\]$/g, '');
}

function kubeletExtraConfig(cluster: TalosCluster): Record<string, unknown> {
  const { maxPods, systemReserved, kubeReserved, evictionHard } = cluster.kubelet;
  return compact({
    maxPods,
    systemReserved: systemReserved && Object.fromEntries(reservationEntries(systemReserved)),
    kubeReserved: kubeReserved && Object.fromEntries(reservationEntries(kubeReserved)),
    evictionHard: evictionHard && Object.fromEntries(evictionEntries(evictionHard)),
  });
}

/** The strategic-merge patch of one node: what it changes over `talosctl gen config` output. */
export function talosNodePatch(cluster: TalosCluster, node: TalosNode): TalosDocument[] {
  const cp = node.controlPlane;
  const files = [
    cluster.deviceOwnershipFromSecurityContext
      ? { content: CONTAINERD_DROP_IN, path: '/etc/cri/conf.d/20-customization.part', op: 'create' }
      : undefined,
    cluster.lvmFilter ? { content: LVM_CONF, permissions: 0o644, path: '/etc/lvm/lvm.conf', op: 'overwrite' } : undefined,
  ].filter((f) => f !== undefined);
  const nodeLabels = { ...(cp && cluster.loadBalancersOnControlPlanes ? { [EXCLUDE_FROM_LB]: TALOS_PATCH_DELETE } : {}), ...node.labels };
  const machine = compact({
    type: node.role,
    install: { disk: node.installDisk ?? cluster.installDisk, image: cluster.installerImage, wipe: false },
    kubelet: { nodeIP: { validSubnets: cluster.nodeSubnets }, extraConfig: kubeletExtraConfig(cluster) },
    kernel: {
      modules: cluster.kernelModules.map((m) =>
        compact({ name: m.name, parameters: m.parameters?.length ? [...m.parameters] : undefined }),
      ),
    },
    sysctls: { ...cluster.sysctls },
    certSANs: ['127.0.0.1'],
    files: files.length ? files : undefined,
    nodeLabels: Object.keys(nodeLabels).length ? nodeLabels : undefined,
  });
  const controlPlane = cp
    ? compact({
        allowSchedulingOnControlPlanes: cluster.allowSchedulingOnControlPlanes,
        apiServer: compact({
          certSANs: [...new Set([endpointHost(cluster), '127.0.0.1', ...(cluster.vip ? [cluster.vip] : []), ...cluster.certSANs])],
          extraArgs: cluster.oidc && {
            'oidc-issuer-url': cluster.oidc.issuerUrl,
            'oidc-client-id': cluster.oidc.clientId,
            'oidc-username-claim': cluster.oidc.usernameClaim,
            'oidc-groups-claim': cluster.oidc.groupsClaim,
          },
        }),
        controllerManager: cluster.controlPlaneMetrics ? { extraArgs: { 'bind-address': '0.0.0.0' } } : undefined,
        scheduler: cluster.controlPlaneMetrics ? { extraArgs: { 'bind-address': '0.0.0.0' } } : undefined,
        proxy: { disabled: !cluster.kubeProxy },
        etcd: { advertisedSubnets: cluster.nodeSubnets },
      })
    : {};
  const v1alpha1: TalosDocument = {
    machine,
    cluster: {
      clusterName: cluster.clusterName,
      controlPlane: { endpoint: cluster.endpoint },
      network: {
        cni: { name: cluster.cni },
        dnsDomain: cluster.platform.clusterDomain,
        podSubnets: [...cluster.podSubnets],
        serviceSubnets: [...cluster.serviceSubnets],
      },
      discovery: { enabled: cluster.discovery },
      ...controlPlane,
    },
  };
  const link = node.link ?? cluster.link;
  return [
    v1alpha1,
    doc('HostnameConfig', { auto: 'off', hostname: node.hostname }),
    doc(
      'LinkConfig',
      compact({ name: link, addresses: [{ address: node.address }], routes: cluster.gateway ? [{ gateway: cluster.gateway }] : undefined }),
    ),
    ...(cp && cluster.vip ? [doc('Layer2VIPConfig', { name: cluster.vip, link })] : []),
    ...(cluster.nameservers.length ? [doc('ResolverConfig', { nameservers: cluster.nameservers.map((address) => ({ address })) })] : []),
    ...Object.entries(cluster.registryMirrors).map(([name, urls]) =>
      doc('RegistryMirrorConfig', { name, endpoints: urls.map((url) => ({ url })) }),
    ),
  ];
}

/** What `talosctl gen config` writes for a v1.13 node before any patch, from the cluster's secrets. */
function generatedConfig(cluster: TalosCluster, node: TalosNode, s: TalosSecretsBundle): TalosDocument[] {
  const cp = node.controlPlane;
  const k8s = `v${cluster.kubernetesVersion}`;
  const image = (name: string) => `registry.k8s.io/${name}:${k8s}`;
  const controlPlaneOnly = cp
    ? {
        secretboxEncryptionSecret: s.secrets.secretboxencryptionsecret,
        aggregatorCA: { crt: s.certs.k8saggregator.crt, key: s.certs.k8saggregator.key },
        serviceAccount: { key: s.certs.k8sserviceaccount.key },
        apiServer: {
          image: image('kube-apiserver'),
          certSANs: [endpointHost(cluster)],
          admissionControl: [{ name: 'PodSecurity', configuration: DEFAULT_POD_SECURITY }],
          auditPolicy: { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Metadata' }] },
        },
        controllerManager: { image: image('kube-controller-manager') },
        proxy: { image: image('kube-proxy') },
        scheduler: { image: image('kube-scheduler') },
        etcd: { ca: { crt: s.certs.etcd.crt, key: s.certs.etcd.key } },
        extraManifests: [],
        inlineManifests: [],
      }
    : {};
  return [
    {
      version: 'v1alpha1',
      debug: false,
      machine: compact({
        type: node.role,
        token: s.trustdinfo.token,
        ca: cp ? { crt: s.certs.os.crt, key: s.certs.os.key } : { crt: s.certs.os.crt },
        certSANs: [],
        kubelet: { image: `ghcr.io/siderolabs/kubelet:${k8s}`, defaultRuntimeSeccompProfileEnabled: true, disableManifestsDirectory: true },
        install: { disk: cluster.installDisk, image: cluster.installerImage, wipe: false },
        features: {
          diskQuotaSupport: true,
          kubePrism: { enabled: true, port: 7445 },
          hostDNS: { enabled: true, forwardKubeDNSToHost: true },
        },
        nodeLabels: cp ? { [EXCLUDE_FROM_LB]: '' } : undefined,
      }),
      cluster: {
        id: s.cluster.id,
        secret: s.cluster.secret,
        controlPlane: { endpoint: cluster.endpoint },
        clusterName: cluster.clusterName,
        network: { dnsDomain: 'cluster.local', podSubnets: ['10.244.0.0/16'], serviceSubnets: ['10.96.0.0/12'] },
        token: s.secrets.bootstraptoken,
        ca: cp ? { crt: s.certs.k8s.crt, key: s.certs.k8s.key } : { crt: s.certs.k8s.crt },
        discovery: { enabled: true, registries: { kubernetes: { disabled: true }, service: {} } },
        ...controlPlaneOnly,
      },
    },
    doc('HostnameConfig', { auto: 'stable' }),
  ];
}

/** Talos's default Pod Security admission configuration (pkg/machinery/config/types/k8s). */
const DEFAULT_POD_SECURITY = {
  apiVersion: 'pod-security.admission.config.k8s.io/v1alpha1',
  kind: 'PodSecurityConfiguration',
  defaults: {
    audit: 'restricted',
    'audit-version': 'latest',
    enforce: 'baseline',
    'enforce-version': 'latest',
    warn: 'restricted',
    'warn-version': 'latest',
  },
  exemptions: { namespaces: ['kube-system'], runtimeClasses: [], usernames: [] },
};

/** The complete machine config of one node: the generated config with the node's patch applied. */
export function talosMachineConfig(cluster: TalosCluster, node: TalosNode, secrets: TalosSecretsBundle): TalosDocument[] {
  return mergeTalosDocuments(generatedConfig(cluster, node, secrets), talosNodePatch(cluster, node));
}

/** Multi-document YAML (1.2, as Talos's Go YAML reads it); file permissions are written in octal (`0o644`). */
export function talosYaml(documents: readonly TalosDocument[]): string {
  return documents
    .map((d) => {
      const document = new YAML.Document(d);
      YAML.visit(document, {
        Pair(_, pair) {
          if (YAML.isScalar(pair.key) && pair.key.value === 'permissions' && YAML.isScalar(pair.value)) pair.value.format = 'OCT';
        },
      });
      return document.toString({ lineWidth: 0 });
    })
    .join('---\n');
}
