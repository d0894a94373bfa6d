import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { isCidr } from '../../lib/core/addresses';
import { ComponentClass, Component } from '../../lib/core/component';
import { Problems } from '../../lib/core/errors';
import { ALLOW_APISERVER_LABEL, ALLOW_EXTERNAL_LABEL, TENANT_LABEL, componentLabels } from '../../lib/core/labels';
import { ClusterEndpoint, endpointPeer, externalPeers, namespacePeer } from '../../lib/core/network-peers';
import { Platform } from '../../lib/core/platform';
import { checkQuantity, Quantity } from '../../lib/core/quantity';
import { ResourceRequirements, Resources, resolveResources } from '../../lib/core/resources';
import { SecretRef } from '../../lib/core/secrets';
import { checkStorageClass, StorageClassInput } from '../../lib/core/storage-class';
import { ChartComponent, PodSecurityLevel } from '../../lib/releases/chart-component';
import { PrometheusOperatorCrds } from '../platform/prometheus-operator-crds';
import { Tenant } from '../platform/tenant';
import { useStorageClass } from '../storage/storage-classes';
import { ServiceConnection } from './service-connection';

/** How strictly the pods of a replicated service are kept on different nodes. */
export type ManagedServiceAntiAffinity =
  /** Spread when possible; pods still start when there are fewer nodes than pods. */
  | 'preferred'
  /** Never two pods on one node; pods stay Pending until enough nodes exist. */
  | 'required';

/** The persistent volume of each pod. */
export interface ManagedServiceStorage {
  /** Volume size. @default - per service */
  readonly size?: Quantity;
  /**
   * StorageClass of the volume; a reference (`linstor.replicatedClass`) also orders the service after its provider.
   * @default - the platform's storageClass, else the cluster default
   */
  readonly storageClass?: StorageClassInput;
}

/** The settings every managed service shares. */
export interface ManagedServiceProps<V extends string = string> {
  /** Number of server pods. @default - per service @maximum 100 */
  readonly replicas?: number;
  /** Upstream version, mapped to a pinned image in lib/versions.ts. @default - per service */
  readonly version?: V;
  /** Persistent volume of each pod. @default - per service size, the platform's storageClass */
  readonly storage?: ManagedServiceStorage;
  /** CPU and memory limits of each server pod (a preset or explicit); requests follow the platform's allocation ratio. @default - per service preset */
  readonly resources?: Resources;
  /** Exposes the service through a LoadBalancer Service `<id>-external` and admits its traffic into the tenant. @default false */
  readonly external?: boolean;
  /**
   * Client CIDRs allowed through the LoadBalancer. A range inside the cluster's pod or Service ranges is refused;
   * a range covering them admits all but them. @default - any address outside the cluster
   */
  readonly externalSourceRanges?: readonly string[];
  /** Declares a ServiceMonitor for the service's metrics (installs the prometheus-operator CRDs). @default false */
  readonly monitoring?: boolean;
  /** @default 'preferred' */
  readonly antiAffinity?: ManagedServiceAntiAffinity;
}

/** What differs between services: their defaults and limits. */
export interface ManagedServiceDefaults<V extends string> {
  /** `app.kubernetes.io/name` of every object, e.g. `redis`. */
  readonly kind: string;
  readonly replicas: number;
  readonly minReplicas: number;
  readonly versions: readonly V[];
  readonly version: V;
  readonly storageSize: Quantity;
  readonly resources: Resources;
  /** Longest id the names the operator derives from it allow. */
  readonly maxNameLength: number;
  /** Why the id is limited, appended to the id rule. @default - none */
  readonly nameReason?: string;
  /** What `version` selects, in messages. @default 'version' */
  readonly versionNoun?: string;
  /** What the id names, in messages. @default 'name' */
  readonly idNoun?: string;
}

/** A port of a Service. */
export interface ManagedServicePort {
  readonly name: string;
  readonly port: number;
  /** @default - `port` */
  readonly targetPort?: number | string;
}

/** Pods that Prometheus scrapes and their metrics port. */
export interface ScrapeTarget {
  readonly pods: Record<string, string>;
  readonly port: number | string;
}

/** Container securityContext that the `restricted` Pod Security Standard admits. */
export const RESTRICTED_CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
} as const;

const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const ANTI_AFFINITIES: readonly ManagedServiceAntiAffinity[] = ['preferred', 'required'];
const POD_SECURITY_ORDER: readonly PodSecurityLevel[] = ['restricted', 'baseline', 'privileged'];
/** The services of each tenant by id: the ids name objects in one namespace. */
const serviceNames = new WeakMap<Tenant, Map<string, { readonly path: string; readonly type: string; readonly noun: string }>>();

/**
 * The shared part of every managed data service in a tenant: the common props, their validation, and the
 * pieces of rendering they all need (objects in the tenant namespace, secrets, spreading, exposure, metrics).
 * A subclass resolves its own props, adds its problems to `problems`, calls `throwIfInvalid()` and renders.
 */
export abstract class ManagedService<V extends string = string> extends Construct {
  readonly tenant: Tenant;
  readonly platform: Platform;
  readonly namespace: string;
  /** The construct id: the name of the service's main object, from which the operator derives the others. */
  readonly serviceName: string;
  readonly replicas: number;
  readonly version: V;
  readonly storage: { readonly size: Quantity; readonly storageClass?: string };
  /** Requests and limits of each server pod. */
  readonly resources: ResourceRequirements;
  readonly external: boolean;
  readonly externalSourceRanges?: readonly string[];
  readonly monitoring: boolean;
  readonly antiAffinity: ManagedServiceAntiAffinity;
  /** Problems of this construct, thrown together by `throwIfInvalid()`. */
  protected readonly problems: Problems;
  private readonly kind: string;
  private readonly idNoun: string;
  private readonly pendingSecrets: { readonly namespace: string; readonly ref: SecretRef }[] = [];

  /** Where application code connects: hosts, ports, credentials Secrets and the CA Secret, as rendered. */
  abstract get connection(): ServiceConnection;

  protected constructor(scope: Construct, id: string, props: ManagedServiceProps<V>, defaults: ManagedServiceDefaults<V>) {
    super(scope, id);
    this.tenant = Tenant.of(this);
    this.platform = Platform.of(this);
    this.namespace = this.tenant.namespaceName;
    this.serviceName = id;
    this.kind = defaults.kind;
    this.idNoun = defaults.idNoun ?? 'name';
    this.replicas = props.replicas ?? defaults.replicas;
    this.version = props.version ?? defaults.version;
    this.storage = { size: props.storage?.size ?? defaults.storageSize, storageClass: this.useStorageClass(props.storage?.storageClass) };
    this.external = props.external ?? false;
    this.externalSourceRanges = props.externalSourceRanges;
    this.monitoring = props.monitoring ?? false;
    this.antiAffinity = props.antiAffinity ?? 'preferred';
    this.problems = Problems.of(this);
    this.checkShared(props, defaults);
    // Undefined only when invalid, and then throwIfInvalid() throws before anything renders.
    this.resources = this.resolveResources('resources', props.resources ?? defaults.resources)!;
  }

  /** In-cluster DNS name of the Service `service` in the tenant namespace. */
  protected serviceHost(service: string): string {
    return `${service}.${this.namespace}.svc.${this.platform.clusterDomain}`;
  }

  /** The class name of `input`, else of the platform's storageClass; a reference orders this service after its provider. */
  protected useStorageClass(input: StorageClassInput | undefined): string | undefined {
    return useStorageClass(this, input ?? this.platform.storageClass);
  }

  /** Resolves a preset or explicit amounts; a problem is recorded (and undefined returned) when invalid. */
  protected resolveResources(property: string, resources: Resources): ResourceRequirements | undefined {
    return resolveResources(this.problems, property, resources, this.platform.allocationRatio);
  }

  /**
   * Throws every recorded problem at once. Only then is the id taken in its tenant and are the Secrets of
   * `useSecret` registered, so that a failed service leaves nothing behind.
   */
  protected throwIfInvalid(): void {
    const type = this.constructor.name;
    const taken = serviceNames.get(this.tenant) ?? new Map();
    const holder = taken.get(this.serviceName);
    if (holder) {
      this.problems.add(
        'id',
        this.serviceName,
        `is already the ${holder.noun} of the ${holder.type} at ${holder.path} in namespace ${this.namespace}`,
        `give each ${holder.type === type ? type : 'managed service'} of a tenant its own id`,
      );
    }
    this.problems.throwIfAny();
    serviceNames.set(this.tenant, taken.set(this.serviceName, { path: this.node.path, type, noun: this.idNoun }));
    for (const { namespace, ref } of this.pendingSecrets.splice(0)) this.platform.secrets.use(namespace, ref, this.node.path);
  }

  /** An object in the tenant namespace, applied after the Namespace, with the service's recommended labels. */
  protected object(
    id: string,
    apiVersion: string,
    kind: string,
    name: string,
    body: Record<string, unknown>,
    component = this.kind,
  ): ApiObject {
    const obj = this.tenant.namespaced(id, apiVersion, kind, name, body, this);
    for (const [key, value] of Object.entries(componentLabels(this.kind, component, this.serviceName))) obj.metadata.addLabel(key, value);
    return obj;
  }

  /** Labels that select the pods of one component of this service. */
  protected selector(component = this.kind): Record<string, string> {
    return {
      'app.kubernetes.io/name': this.kind,
      'app.kubernetes.io/instance': this.serviceName,
      'app.kubernetes.io/component': component,
    };
  }

  /** Labels for pods: the tenant, and the egress the pods need beyond their namespace. */
  protected podLabels(needs: { readonly apiserver?: boolean; readonly external?: boolean } = {}): Record<string, string> {
    return {
      [TENANT_LABEL]: this.tenant.tenantName,
      ...(needs.apiserver ? { [ALLOW_APISERVER_LABEL]: 'true' } : {}),
      ...(needs.external ? { [ALLOW_EXTERNAL_LABEL]: 'true' } : {}),
    };
  }

  /** Records that this service needs `type` (its operator) and returns the platform's instance. */
  protected requireOperator<T extends Component>(type: ComponentClass<T>): T {
    return this.platform.registry.require(this, type);
  }

  /**
   * The name of an object the service derives from a name its user chose (a database user, a vhost): `<id>.<part>`.
   * Ids contain no dot and are unique in a tenant, so two services never derive one name; names with fixed suffixes
   * (`<id>-auth`) contain no dot, so they never meet these either.
   */
  protected derivedName(...parts: string[]): string {
    return [this.serviceName, ...parts].join('.');
  }

  /** A basic-auth Secret for `user` whose password the deployment layer generates. */
  protected generatedPassword(user: string, name = this.derivedName(user)): SecretRef {
    const ref = SecretRef.generatedPassword(name, user);
    this.platform.secrets.use(this.namespace, ref, this.node.path);
    return ref;
  }

  /**
   * Checks a Secret reference prop; when valid, it is registered by `throwIfInvalid()` so that the deployment layer
   * creates it in `namespace`.
   */
  protected useSecret(ref: SecretRef, property: string, keys: readonly string[], namespace = this.namespace): boolean {
    if (!(ref instanceof SecretRef)) {
      this.problems.add(property, ref, 'must be a SecretRef', 'use SecretRef.fromConfig(name, keys) or SecretRef.existing(name, keys)');
      return false;
    }
    const ok = ref.check(this.problems, property, keys);
    if (ok) this.pendingSecrets.push({ namespace, ref });
    return ok;
  }

  /** The spec of a ReadWriteOnce claim of `storage`. */
  protected volume(storage: { readonly size: Quantity; readonly storageClass?: string } = this.storage): Record<string, unknown> {
    return {
      accessModes: ['ReadWriteOnce'],
      storageClassName: storage.storageClass,
      resources: { requests: { storage: storage.size } },
    };
  }

  /** Pod anti-affinity and topology spread across nodes for the pods `selector` matches. */
  protected spread(selector: Record<string, string>): {
    affinity: Record<string, unknown>;
    topologySpreadConstraints: Record<string, unknown>[];
  } {
    const term = { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { ...selector } } };
    const podAntiAffinity =
      this.antiAffinity === 'required'
        ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
        : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] };
    return {
      affinity: { podAntiAffinity },
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'kubernetes.io/hostname',
          whenUnsatisfiable: this.antiAffinity === 'required' ? 'DoNotSchedule' : 'ScheduleAnyway',
          labelSelector: { matchLabels: { ...selector } },
        },
      ],
    };
  }

  /**
   * A LoadBalancer Service `<id>-external` for the pods `selector` matches, keeping client addresses
   * (`externalTrafficPolicy: Local`) so that the NetworkPolicy admitting them can filter by source range.
   */
  protected exposeExternally(selector: Record<string, string>, ports: readonly ManagedServicePort[]): ApiObject {
    const name = `${this.serviceName}-external`;
    const service = this.object('external-service', 'v1', 'Service', name, {
      spec: {
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        loadBalancerSourceRanges: this.externalSourceRanges && [...this.externalSourceRanges],
        selector: { ...selector },
        ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol: 'TCP' })),
      },
    });
    this.allowExternal(selector, ports);
    return service;
  }

  /**
   * The NetworkPolicy `<id>-external` admitting clients outside the cluster (`externalSourceRanges`, else any
   * address) to `ports`; pod and Service ranges stay excluded, so no pod of the cluster gets in this way.
   */
  protected allowExternal(podSelector: Record<string, string>, ports: readonly ManagedServicePort[]): ApiObject {
    const sources = this.externalSourceRanges && { property: 'externalSourceRanges', ranges: this.externalSourceRanges };
    return this.allowIngress(
      'external',
      podSelector,
      ports.map((p) => p.targetPort ?? p.port),
      externalPeers(this, sources),
    );
  }

  /**
   * The NetworkPolicy `<id>-from-operator` admitting the pods of `operator`'s namespace to `ports` of the pods
   * `podSelector` matches: the path over which an operator manages its instances.
   */
  protected allowFromOperator(
    operator: ChartComponent,
    podSelector: Record<string, string>,
    ports: readonly (number | string)[],
    name = 'from-operator',
  ): ApiObject {
    return this.allowIngress(name, podSelector, ports, [namespacePeer(operator.namespace)]);
  }

  /** A NetworkPolicy `<id>-<name>` letting the pods `podSelector` matches reach the pods of `endpoint` on its port. */
  protected allowEgressTo(name: string, podSelector: Record<string, string>, endpoint: ClusterEndpoint): ApiObject {
    return this.object(`${name}-policy`, 'networking.k8s.io/v1', 'NetworkPolicy', `${this.serviceName}-${name}`, {
      spec: {
        podSelector: { matchLabels: { ...podSelector } },
        policyTypes: ['Egress'],
        egress: [{ to: [endpointPeer(endpoint)], ports: [{ protocol: 'TCP', port: endpoint.port }] }],
      },
    });
  }

  /** A NetworkPolicy `<id>-<name>` admitting `from` to `ports` of the pods `podSelector` matches. */
  protected allowIngress(name: string, podSelector: Record<string, string>, ports: readonly (number | string)[], from: unknown): ApiObject {
    return this.object(`${name}-policy`, 'networking.k8s.io/v1', 'NetworkPolicy', `${this.serviceName}-${name}`, {
      spec: {
        podSelector: { matchLabels: { ...podSelector } },
        policyTypes: ['Ingress'],
        ingress: [{ from, ports: ports.map((port) => ({ protocol: 'TCP', port })) }],
      },
    });
  }

  /**
   * When `monitoring` is on, a ServiceMonitor `<id>` scraping the named `port` of the Services `selector`
   * matches, after the prometheus-operator CRDs, and per scraped pod set a NetworkPolicy (`<id>-monitoring`,
   * `<id>-monitoring-2`, …) admitting the monitoring namespace to its metrics port only.
   */
  protected monitor(
    selector: Record<string, string>,
    port: string,
    scraped: readonly ScrapeTarget[],
    path = '/metrics',
  ): ApiObject | undefined {
    if (!this.monitoring) return undefined;
    this.requireOperator(PrometheusOperatorCrds);
    scraped.forEach((target, i) => this.allowFromMonitoring(target, i === 0 ? 'monitoring' : `monitoring-${i + 1}`));
    return this.object('service-monitor', 'monitoring.coreos.com/v1', 'ServiceMonitor', this.serviceName, {
      spec: {
        selector: { matchLabels: { ...selector } },
        namespaceSelector: { matchNames: [this.namespace] },
        endpoints: [{ port, path, interval: '30s' }],
      },
    });
  }

  /** A NetworkPolicy `<id>-<name>` admitting the platform's monitoring namespace to the metrics port of `target`. */
  protected allowFromMonitoring(target: ScrapeTarget, name = 'monitoring'): ApiObject {
    return this.allowIngress(name, target.pods, [target.port], [namespacePeer(this.platform.monitoringNamespace)]);
  }

  /** Records a problem when the tenant enforces a stricter Pod Security level than the service's pods can meet. */
  protected requirePodSecurity(level: PodSecurityLevel, reason: string): void {
    const enforced = this.tenant.podSecurity;
    this.problems.check(
      POD_SECURITY_ORDER.indexOf(enforced) >= POD_SECURITY_ORDER.indexOf(level),
      'tenant.podSecurity',
      enforced,
      `is stricter than the "${level}" Pod Security level this service needs (${reason})`,
      `create the tenant with podSecurity: '${level}'`,
    );
  }

  private checkShared(props: ManagedServiceProps<V>, defaults: ManagedServiceDefaults<V>): void {
    const p = this.problems;
    const id = this.serviceName;
    const max = defaults.maxNameLength;
    p.check(
      DNS_1035.test(id) && id.length <= max,
      'id',
      id,
      `must be a DNS-1035 label of at most ${max} characters (lower-case letters, digits and "-", starting with a letter)${defaults.nameReason ? `: ${defaults.nameReason}` : ''}`,
      `use ${JSON.stringify(
        id
          .toLowerCase()
          .replace(/[^a-z0-9-]+/g, '-')
          .replace(/^[^a-z]+/, '')
          .slice(0, max)
          .replace(/-+$/, '') || defaults.kind,
      )}`,
    );
    p.check(
      Number.isInteger(this.replicas) && this.replicas >= defaults.minReplicas,
      'replicas',
      this.replicas,
      `must be a whole number ≥ ${defaults.minReplicas}`,
    );
    p.check(
      defaults.versions.includes(this.version),
      'version',
      this.version,
      `is not a supported ${defaults.versionNoun ?? 'version'} (one of ${defaults.versions.map((v) => JSON.stringify(v)).join(', ')})`,
      `use ${JSON.stringify(defaults.version)}`,
    );
    checkQuantity(p, 'storage.size', this.storage.size, defaults.storageSize);
    checkStorageClass(p, 'storage.storageClass', props.storage?.storageClass);
    for (const key of ['external', 'monitoring'] as const) {
      if (props[key] !== undefined) p.check(typeof props[key] === 'boolean', key, props[key], 'must be true or false');
    }
    p.check(
      ANTI_AFFINITIES.includes(this.antiAffinity),
      'antiAffinity',
      this.antiAffinity,
      `must be one of ${ANTI_AFFINITIES.map((a) => JSON.stringify(a)).join(', ')}`,
    );
    if (this.externalSourceRanges !== undefined) {
      p.check(
        this.external,
        'externalSourceRanges',
        this.externalSourceRanges,
        'only applies to the LoadBalancer of external: true',
        'set external: true or remove externalSourceRanges',
      );
      const ranges: readonly unknown[] = Array.isArray(this.externalSourceRanges) ? this.externalSourceRanges : [];
      p.check(Array.isArray(this.externalSourceRanges), 'externalSourceRanges', this.externalSourceRanges, 'must be a list of CIDRs');
      for (const cidr of ranges)
        p.check(isCidr(cidr), 'externalSourceRanges', cidr, 'must be an IPv4 or IPv6 CIDR', 'write it like "203.0.113.0/24"');
    }
  }
}
