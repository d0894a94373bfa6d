import { App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { checkNetwork } from './addresses';
import { ClusterNetworkRegistry, ClusterNetworks } from './cluster-networks';
import { ComponentRegistry } from './component';
import { notInside, Problems } from './errors';
import { isDnsSubdomain } from './names';
import { checkSystemNamespace } from './namespaces';
import { PodNetwork } from './pod-network';
import { checkProps } from './props-check';
import { AllocationRatio, DEFAULT_ALLOCATION_RATIO } from './resources';
import { ReadinessCatalog } from './readiness';
import { SecretCatalog } from './secrets';
import { checkStorageClass, StorageClassInput } from './storage-class';
import { SynthesizedChart, synthesize, writeCharts } from './synth';

/** How release intents become objects in the cluster. */
export type DeliveryKind =
  /** Flux HelmRepository/OCIRepository + HelmRelease with remediation and `dependsOn` (as Cozystack). */
  | 'flux'
  /** The K3s helm-controller's HelmChart (as Olares on a single machine). */
  | 'k3s';

/** Kubernetes API levels kubestrata validates against. */
export type KubernetesVersion = '1.28' | '1.32' | '1.33';
export const KUBERNETES_VERSIONS: readonly KubernetesVersion[] = ['1.28', '1.32', '1.33'];

/** The system charts of a platform, one per layer. */
export type Layer = 'network' | 'storage' | 'virtualization' | 'data' | 'platform';
export const LAYERS: readonly Layer[] = ['network', 'storage', 'virtualization', 'data', 'platform'];

export interface PlatformProps {
  /** How operators and other charts are delivered. @default 'flux' */
  readonly delivery?: DeliveryKind;
  /** Kubernetes API level of the cluster; selects the schemas used for validation. @default '1.32' */
  readonly kubernetesVersion?: KubernetesVersion;
  /** The cluster's DNS domain. @default 'cluster.local' */
  readonly clusterDomain?: string;
  /** Overcommit ratios that turn resource limits into requests. @default { cpu: 10, memory: 1, ephemeralStorage: 40 } */
  readonly allocationRatio?: AllocationRatio;
  /** Namespace of the shared ingress controller, allowed into tenants. @default 'ingress-nginx' */
  readonly ingressNamespace?: string;
  /** Namespace of the monitoring stack, allowed to scrape tenants. @default 'monitoring' */
  readonly monitoringNamespace?: string;
  /**
   * StorageClass for volumes that do not name one. A reference, which exists only once its provider does, is set
   * with `setStorageClass` instead. @default - the cluster's default StorageClass
   */
  readonly storageClass?: StorageClassInput;
  /**
   * Pod, Service and join ranges of the cluster, added to those the CNI and node cluster constructs declare. NetworkPolicies
   * that admit "external" addresses exclude them. While no pod range is known, every private, CGNAT, link-local and
   * unique-local range counts as internal. @default - the ranges the constructs declare
   */
  readonly clusterNetworks?: ClusterNetworks;
}

const PLATFORM = Symbol.for('kubestrata.Platform');
/**
 * A function on `globalThis` that `kubestrata synth` and `graph` set while they run a cdk8s app, called with each new
 * platform; a global symbol, so that a platform built by another copy of kubestrata reaches it too.
 */
export const PLATFORM_COLLECTOR = Symbol.for('kubestrata.PlatformCollector');
const CHART_ROLE = Symbol.for('kubestrata.ChartRole');

/** What a chart of the platform holds. */
export type ChartRole = 'layer' | 'tenant';

/** A summary of one synthesis. */
export interface SynthSummary {
  readonly outdir: string;
  /** Each chart: its construct id, the file it was written to, its role and how many objects it holds. */
  readonly charts: ReadonlyArray<{
    readonly name: string;
    readonly file: string;
    readonly role: ChartRole | 'other';
    readonly objects: number;
  }>;
  readonly objects: number;
  readonly releases: number;
  readonly tenants: number;
  readonly secrets: number;
}

/**
 * The root of a self-hosted platform under a cdk8s `App`: platform-wide settings, the registry of
 * singleton components and one system chart per layer.
 */
export class Platform extends Construct {
  /** Finds the platform that `scope` belongs to. */
  static of(scope: IConstruct): Platform {
    for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
      if ((c as any)[PLATFORM]) return c as Platform;
    }
    throw notInside(
      scope,
      'Platform',
      "create the platform first, new Platform(app, 'platform'), and the construct under it or one of its tenants",
    );
  }

  readonly app: App;
  readonly delivery: DeliveryKind;
  readonly kubernetesVersion: KubernetesVersion;
  readonly clusterDomain: string;
  readonly allocationRatio: Required<AllocationRatio>;
  readonly ingressNamespace: string;
  readonly monitoringNamespace: string;
  readonly registry: ComponentRegistry;
  /** The cluster's own address ranges, declared by CNIs and node clusters and read at synthesis. */
  readonly clusterNetworks: ClusterNetworkRegistry;
  /** The CNIs that make the pod network, and the components waiting for it. */
  readonly podNetwork = new PodNetwork();
  readonly secrets = new SecretCatalog();
  /** Conditions and run-time CRDs the deployment waits for. */
  readonly readiness = new ReadinessCatalog();
  private readonly layers = new Map<Layer, Chart>();
  private defaultStorageClass?: StorageClassInput;

  constructor(app: App, id: string, props: PlatformProps = {}) {
    checkProps(app, id, 'PlatformProps', props);
    super(app, id);
    Object.defineProperty(this, PLATFORM, { value: true });
    this.app = app;
    this.delivery = props.delivery ?? 'flux';
    this.kubernetesVersion = props.kubernetesVersion ?? '1.32';
    this.clusterDomain = props.clusterDomain ?? 'cluster.local';
    this.allocationRatio = { ...DEFAULT_ALLOCATION_RATIO, ...props.allocationRatio };
    this.ingressNamespace = props.ingressNamespace ?? 'ingress-nginx';
    this.monitoringNamespace = props.monitoringNamespace ?? 'monitoring';
    this.defaultStorageClass = props.storageClass;
    this.registry = new ComponentRegistry(this);
    this.clusterNetworks = new ClusterNetworkRegistry(props.clusterNetworks);
    this.check(props);
    (globalThis as { [PLATFORM_COLLECTOR]?: (platform: Platform) => void })[PLATFORM_COLLECTOR]?.(this);
  }

  /** StorageClass for volumes that do not name one. */
  get storageClass(): StorageClassInput | undefined {
    return this.defaultStorageClass;
  }

  /**
   * Makes `input` the StorageClass of volumes that do not name one, for the constructs created after this call. A
   * reference (`linstor.replicatedClass`) orders each of them after the component that serves the class.
   */
  setStorageClass(input: StorageClassInput): void {
    checkProps(this.node.scope!, this.node.id, 'PlatformProps', { storageClass: input });
    const problems = Problems.of(this);
    checkStorageClass(problems, 'storageClass', input);
    problems.throwIfAny();
    this.defaultStorageClass = input;
  }

  /** The system chart of a layer, created on first use. */
  layer(name: Layer): Chart {
    let chart = this.layers.get(name);
    if (!chart) {
      chart = new Chart(this, name);
      Platform.markChart(chart, 'layer');
      this.layers.set(name, chart);
    }
    return chart;
  }

  static markChart(chart: Chart, role: ChartRole): void {
    Object.defineProperty(chart, CHART_ROLE, { value: role });
  }

  static chartRole(chart: Chart): ChartRole | undefined {
    return (chart as any)[CHART_ROLE];
  }

  /** Renders every chart of the app in one linear pass. */
  render(): SynthesizedChart[] {
    this.clusterNetworks.check();
    return synthesize(this.app);
  }

  /**
   * Writes the app's manifests to its outdir: the same files as `app.synth()` but for stable file name prefixes
   * (see `SynthesizedChart.file`), in time linear in the number of tenants.
   */
  synth(): SynthSummary {
    const charts = this.render();
    writeCharts(charts, this.app.outdir);
    return this.summarize(charts);
  }

  /** What `synth()` reports, without writing: for an app that cdk8s's `app.synth()` wrote. */
  summary(): SynthSummary {
    return this.summarize(this.render());
  }

  private summarize(charts: readonly SynthesizedChart[]): SynthSummary {
    const roles = charts.map((c) => ({
      name: c.chart.node.id,
      file: c.file,
      role: Platform.chartRole(c.chart) ?? ('other' as const),
      objects: c.objects.length,
    }));
    const objects = charts.flatMap((c) => c.objects);
    return {
      outdir: this.app.outdir,
      charts: roles,
      objects: objects.length,
      releases: objects.filter((o) => RELEASE_KINDS.has(o.manifest.kind)).length,
      tenants: roles.filter((c) => c.role === 'tenant').length,
      secrets: this.secrets.all().length,
    };
  }

  private check(props: PlatformProps): void {
    const problems = Problems.of(this);
    problems.check(['flux', 'k3s'].includes(this.delivery), 'delivery', props.delivery, 'must be "flux" or "k3s"');
    problems.check(
      KUBERNETES_VERSIONS.includes(this.kubernetesVersion),
      'kubernetesVersion',
      props.kubernetesVersion,
      `must be one of ${KUBERNETES_VERSIONS.join(', ')}`,
    );
    problems.check(isDnsSubdomain(this.clusterDomain), 'clusterDomain', props.clusterDomain, 'must be a DNS name such as "cluster.local"');
    for (const [key, value] of Object.entries(this.allocationRatio)) {
      problems.check(typeof value === 'number' && value >= 1, `allocationRatio.${key}`, value, 'must be a number ≥ 1');
    }
    for (const key of ['ingressNamespace', 'monitoringNamespace'] as const) {
      if (problems.check(isDnsSubdomain(this[key]), key, props[key], 'must be a namespace name'))
        checkSystemNamespace(problems, this, key, this[key]);
    }
    checkStorageClass(problems, 'storageClass', props.storageClass);
    for (const key of ['pods', 'services', 'join', 'nodes', 'apiServers'] as const) {
      const ranges = props.clusterNetworks?.[key];
      if (ranges !== undefined) {
        ranges.forEach((cidr, i) =>
          checkNetwork(
            problems,
            `clusterNetworks.${key}[${i}]`,
            cidr,
            {
              pods: '10.244.0.0/16',
              services: '10.96.0.0/12',
              join: '100.64.0.0/16',
              nodes: '192.168.1.10/32',
              apiServers: '192.168.1.10/32',
            }[key],
          ),
        );
      }
    }
    problems.throwIfAny();
  }
}

const RELEASE_KINDS = new Set(['HelmRelease', 'HelmChart']);
