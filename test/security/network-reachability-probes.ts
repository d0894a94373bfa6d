import * as coreLabels from '../../lib/core/labels';
import { Endpoint, PodEndpoint, ReachabilityOptions } from '../../lib/validate/network-reachability';
import { TwoTenantPlatform } from './network-reachability-platform';
import {
  Model,
  MonitorModel,
  PodModel,
  ProbeRole,
  ServiceModel,
  natsPods,
  port,
  releaseOf,
  tenantObject,
} from './network-reachability-workloads';

/** What a probe pod stands for, and which paths to it the platform declares. */
export interface Probe extends PodEndpoint {
  readonly role: ProbeRole;
  readonly tenant?: string;
  /** Namespace of the operator that runs this pod. */
  readonly managedBy?: string;
  /** Ports that operator connects to (status, admin and management APIs). */
  readonly operatorPorts: readonly number[];
  /** Ports a ServiceMonitor or PodMonitor scrapes. */
  readonly metricsPorts: readonly number[];
  /** Ports a LoadBalancer Service exposes. */
  readonly externalPorts: readonly number[];
  readonly ingressBackend: boolean;
}

export interface Probes {
  readonly tenantPods: readonly Probe[];
  readonly platformPods: readonly Probe[];
  /** The API server's node. */
  readonly node: Endpoint & { readonly kind: 'node' };
  readonly client: Endpoint & { readonly kind: 'external' };
}

/** Every `*_LABEL` of lib/core/labels: pod labels a tenant can set itself, so an attacker sets all of them. */
const OPT_IN_LABELS = Object.entries(coreLabels)
  .filter(([name, value]) => name.endsWith('_LABEL') && typeof value === 'string' && value !== coreLabels.TENANT_LABEL)
  .map(([, value]) => value as string);
/** The label that marks a pod as a backend of the platform's ingress controller, once lib/core/labels has one. */
export const INGRESS_BACKEND_LABEL = Object.entries(coreLabels).find(
  ([name, value]) => /INGRESS/.test(name) && typeof value === 'string',
)?.[1] as string | undefined;

const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

/**
 * The probe pods of a synthesized platform: every pod its objects make (Deployments, StatefulSets, VMs' virt-launcher
 * pods, and the pods operators create for its custom resources, with the labels those operators set), one attacker
 * per tenant carrying every opt-in label, one pod per operator release, the ingress controller, Prometheus and
 * CoreDNS. Each pod's external and metrics ports come from the LoadBalancer Services and monitors that select it.
 */
export function probesOf(platform: TwoTenantPlatform, operatorNamespaces: Readonly<Record<string, string>>): Probes {
  const all = platform.manifests;
  const tenantNamespaces = new Map<string, string>(
    all
      .filter((m) => m.kind === 'Namespace' && m.metadata.labels?.[coreLabels.TENANT_LABEL])
      .map((m) => [m.metadata.name, m.metadata.labels[coreLabels.TENANT_LABEL]]),
  );
  const pods: PodModel[] = [];
  const services: ServiceModel[] = [];
  const monitors: MonitorModel[] = [];
  const kafkas = new Map<string, any>(all.filter((m) => m.kind === 'Kafka').map((m) => [`${m.metadata.namespace}/${m.metadata.name}`, m]));
  const model: Model = { pods, services, monitors, kafkas, operators: operatorNamespaces };
  for (const m of all) {
    const namespace = m.metadata?.namespace;
    if (namespace !== undefined && tenantNamespaces.has(namespace)) tenantObject(model, m, namespace);
    const release = releaseOf(m);
    if (release && tenantNamespaces.has(release.namespace) && release.chart === 'nats') natsPods(model, release);
  }
  const tenants = [...tenantNamespaces.values()];
  for (const [namespace, tenant] of tenantNamespaces) {
    const optIns = { ...Object.fromEntries(OPT_IN_LABELS.map((l) => [l, 'true'])), 'cdi.kubevirt.io': 'importer' };
    pods.push({
      name: 'attacker',
      namespace,
      role: 'attacker',
      ports: [port('http', 8080)],
      labels: { [coreLabels.TENANT_LABEL]: tenant, ...optIns },
    });
    // The same, claiming to belong to another tenant: only namespaces say which tenant a pod is in.
    const victim = tenants.find((t) => t !== tenant)!;
    pods.push({
      name: 'impostor',
      namespace,
      role: 'attacker',
      ports: [port('http', 8080)],
      labels: { [coreLabels.TENANT_LABEL]: victim, ...optIns },
    });
  }
  const ips = addresses(platform.podCidr);
  const resolve = (pod: PodModel): Probe => {
    const selecting = services.filter((s) => s.namespace === pod.namespace && matches(s.selector, pod.labels));
    const target = (p: ServiceModel['ports'][number]) => {
      const t = p.targetPort ?? p.port;
      return typeof t === 'number' ? t : pod.ports.find((c) => c.name === t)?.port;
    };
    const externalPorts = selecting.filter((s) => s.type === 'LoadBalancer').flatMap((s) => s.ports.map(target));
    const metricsPorts = monitors
      .filter((mon) => mon.namespace === pod.namespace)
      .flatMap((mon) =>
        mon.kind === 'PodMonitor'
          ? matches(mon.selector, pod.labels)
            ? mon.ports.map((name) => pod.ports.find((c) => c.name === name)?.port)
            : []
          : selecting
              .filter((s) => matches(mon.selector, s.labels))
              .flatMap((s) => s.ports.filter((p) => p.name !== undefined && mon.ports.includes(p.name)).map(target)),
      );
    const defined = (ns: Array<number | undefined>) => [...new Set(ns.filter((n): n is number => n !== undefined))];
    const ports = [...pod.ports];
    for (const n of defined([...externalPorts, ...metricsPorts])) if (!ports.some((p) => p.port === n)) ports.push(port(`p${n}`, n));
    return {
      kind: 'pod',
      name: pod.name,
      namespace: pod.namespace,
      labels: pod.labels,
      ip: ips.next().value!,
      ports,
      node: 'worker',
      role: pod.role ?? 'workload',
      tenant: tenantNamespaces.get(pod.namespace),
      managedBy: pod.managedBy,
      operatorPorts: pod.operatorPorts ?? [],
      externalPorts: defined(externalPorts),
      metricsPorts: defined(metricsPorts),
      ingressBackend: INGRESS_BACKEND_LABEL !== undefined && pod.labels[INGRESS_BACKEND_LABEL] === 'true',
    };
  };
  const tenantPods = pods.map(resolve);
  const platformPods = platformModels(platform).map(resolve);
  return {
    tenantPods,
    platformPods,
    node: { kind: 'node', name: 'control-plane', ip: platform.nodeIp },
    client: { kind: 'external', name: 'internet-client', ip: '203.0.113.50' },
  };
}

/** Evaluator options the synthesized CNI settles: Cilium's `policyCIDRMatchMode` value. */
export function reachabilityOptions(platform: TwoTenantPlatform): ReachabilityOptions {
  const cilium = platform.manifests.map(releaseOf).find((r) => r?.chart === 'cilium');
  const nodes = platform.engine === 'cilium' && [cilium?.values?.policyCIDRMatchMode ?? []].flat().includes('nodes');
  return { engine: platform.engine, ...(nodes ? { policyCidrMatchMode: 'nodes' as const } : {}) };
}

/** One pod per operator release in each system namespace, the ingress controller, Prometheus and CoreDNS. */
function platformModels(platform: TwoTenantPlatform): PodModel[] {
  const all = platform.manifests;
  const models: PodModel[] = [];
  const systemNamespaces = all
    .filter((m) => m.kind === 'Namespace' && m.metadata.labels?.[coreLabels.SYSTEM_NAMESPACE_LABEL] === 'true')
    .map((m) => m.metadata.name);
  for (const namespace of systemNamespaces) {
    // CRD-only charts run no pod.
    const releases = all.map(releaseOf).filter((r) => r?.namespace === namespace);
    const named =
      releases.length > 0
        ? releases.filter((r) => !r!.chart.endsWith('-crds')).map((r) => ({ name: r!.releaseName, chart: r!.chart }))
        : [{ name: 'controller', chart: namespace }];
    for (const r of named) {
      models.push({
        name: r.name,
        namespace,
        role: 'operator',
        ports: [port('webhook', 9443), port('metrics', 8080), port('health', 8081)],
        labels: { 'app.kubernetes.io/name': r.chart, 'app.kubernetes.io/instance': r.name },
      });
    }
  }
  models.push({
    name: 'ingress-controller',
    namespace: platform.platform.ingressNamespace,
    role: 'ingress',
    ports: [port('http', 80), port('https', 443), port('webhook', 8443)],
    labels: {
      'app.kubernetes.io/name': 'ingress-nginx',
      'app.kubernetes.io/component': 'controller',
      'app.kubernetes.io/instance': 'ingress-nginx',
    },
  });
  models.push({
    name: 'prometheus',
    namespace: platform.platform.monitoringNamespace,
    role: 'monitoring',
    ports: [port('web', 9090)],
    labels: { 'app.kubernetes.io/name': 'prometheus', prometheus: 'k8s' },
  });
  models.push({
    name: 'coredns',
    namespace: 'kube-system',
    role: 'dns',
    ports: [port('dns', 53, 'UDP'), port('dns-tcp', 53), port('metrics', 9153)],
    labels: { 'k8s-app': 'kube-dns' },
  });
  return models;
}

/** Pod addresses handed out in order from the platform's pod network. */
function* addresses(cidr: string): Generator<string> {
  const [base] = cidr.split('/');
  const start = base.split('.').reduce((n, o) => n * 256 + Number(o), 0) + 10;
  for (let i = 0; ; i++) {
    const n = start + i;
    yield [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
  }
}
