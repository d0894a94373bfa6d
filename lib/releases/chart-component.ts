import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Component, ComponentClass } from '../core/component';
import { Problems } from '../core/errors';
import { MANAGED_BY, SYSTEM_NAMESPACE_LABEL } from '../core/labels';
import { checkSystemNamespace, claimSystemNamespace } from '../core/namespaces';
import { hostPeers, namespacePeer } from '../core/network-peers';
import { Layer, Platform } from '../core/platform';
import { HelmChartSource } from './chart';
import { Release, ReleaseValuesFrom } from './release';
import { ChartValues, mergeValues } from './values';

/** Pod Security Standard enforced on a namespace. */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

export interface ChartComponentOptions {
  readonly namespace: string;
  readonly releaseName: string;
  readonly source: HelmChartSource;
  /** The upstream version the component runs: its operator or application, or the chart's own where the chart is the product. */
  readonly version: string;
  /** kubestrata's values for the chart. */
  readonly defaults?: ChartValues;
  /** The user's values, merged over `defaults` with `mergeValues`. */
  readonly values?: ChartValues;
  readonly valuesFrom?: readonly ReleaseValuesFrom[];
  /** @default 'restricted' */
  readonly podSecurity?: PodSecurityLevel;
  /** @default '10m' */
  readonly timeout?: string;
  /** Install the release before the pod network exists (CNIs); see `ReleaseProps.bootstrap`. @default false */
  readonly bootstrap?: boolean;
  /**
   * `namespace` may be kube-system, for components whose upstream installs there (CNIs). kube-system exists already
   * and keeps its labels: no Namespace object is rendered for it. Other reserved and tenant namespaces are refused.
   * @default false
   */
  readonly allowKubeSystem?: boolean;
}

const systemNamespaces = new WeakMap<Platform, Map<string, ApiObject>>();

/**
 * A component installed from an upstream chart into a system namespace: an operator, a CNI, a CSI driver, a CRD
 * bundle. Its release installs kubestrata's default values with the user's merged over them. Every component it
 * requires that is itself a chart becomes a `dependsOn` of its release.
 */
export abstract class ChartComponent extends Component {
  readonly namespace: string;
  /** See `ChartComponentOptions.version`. */
  readonly version: string;
  readonly release: Release;

  protected constructor(platform: Platform, layer: Layer, id: string, options: ChartComponentOptions) {
    const problems = Problems.of(platform.layer(layer), id);
    checkSystemNamespace(problems, platform, 'namespace', options.namespace, options.allowKubeSystem);
    problems.throwIfAny();
    super(platform, layer, id);
    this.namespace = options.namespace;
    this.version = options.version;
    claimSystemNamespace(platform, options.namespace, this.node.path);
    const namespace =
      options.namespace === 'kube-system' ? undefined : systemNamespace(this, options.namespace, options.podSecurity ?? 'restricted');
    this.release = new Release(this, 'release', {
      name: options.releaseName,
      namespace: options.namespace,
      source: options.source,
      values: mergeValues(options.defaults ?? {}, options.values),
      valuesFrom: options.valuesFrom,
      timeout: options.timeout,
      bootstrap: options.bootstrap,
    });
    this.node.defaultChild = this.release;
    if (namespace) this.release.node.addDependency(namespace);
  }

  protected override requires<T extends Component>(type: ComponentClass<T>): T {
    const component = super.requires(type);
    if (component instanceof ChartComponent) this.release.addDependency(component.release);
    return component;
  }
}

/** The Namespace of system components; shared by the components installed into it. */
function systemNamespace(component: ChartComponent, name: string, podSecurity: PodSecurityLevel): ApiObject {
  let namespaces = systemNamespaces.get(component.platform);
  if (!namespaces) systemNamespaces.set(component.platform, (namespaces = new Map()));
  let namespace = namespaces.get(name);
  if (!namespace) {
    namespace = new ApiObject(component, 'namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name,
        labels: {
          ...MANAGED_BY,
          [SYSTEM_NAMESPACE_LABEL]: 'true',
          'pod-security.kubernetes.io/enforce': podSecurity,
          'pod-security.kubernetes.io/enforce-version': 'latest',
        },
      },
    });
    namespaces.set(name, namespace);
    if (!NOT_OURS.includes(name)) platformNamespacePolicies(component, name, namespace);
  }
  return namespace;
}

/** Namespaces that exist in every cluster; their traffic is not the platform's to restrict. */
const NOT_OURS = ['kube-system', 'kube-public', 'kube-node-lease', 'default'];

/**
 * Ingress into a system namespace: nothing by default; its own pods; the API server, kubelets and other hosts
 * (webhooks, aggregated APIs, probes, host-network components), that is the declared node addresses and join ranges,
 * or, while no node address is known, every address outside the pod ranges; and the monitoring namespace. Tenant pods and other platform namespaces stay out. Egress stays open: operators reach the API server
 * and the pods they manage.
 */
export function platformNamespacePolicies(scope: Construct, name: string, namespace: ApiObject): void {
  const policy = (id: string, spec: Record<string, unknown>) => {
    const obj = new ApiObject(scope, `namespace-${id}`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `kubestrata-${id}`, namespace: name, labels: { ...MANAGED_BY } },
      spec: { podSelector: {}, policyTypes: ['Ingress'], ...spec },
    });
    obj.node.addDependency(namespace);
  };
  policy('default-deny', {});
  policy('allow-same-namespace', { ingress: [{ from: [{ podSelector: {} }] }] });
  policy('allow-from-hosts', { ingress: [{ from: hostPeers(scope) }] });
  const monitoring = Platform.of(scope).monitoringNamespace;
  // Every chart serves metrics on its own ports; only Prometheus's namespace, which the platform runs, gets to them.
  if (monitoring !== name) policy('allow-from-monitoring', { ingress: [{ from: [namespacePeer(monitoring)] }] });
}
