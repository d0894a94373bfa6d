import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { notInside, Problems } from '../../lib/core/errors';
import { ALLOW_APISERVER_LABEL, ALLOW_EXTERNAL_LABEL, INGRESS_BACKEND_LABEL, MANAGED_BY, TENANT_LABEL } from '../../lib/core/labels';
import { checkDnsLabel } from '../../lib/core/names';
import { claimTenantNamespace } from '../../lib/core/namespaces';
import { apiServerEgress, externalPeers, namespacePeer } from '../../lib/core/network-peers';
import { LAYERS, Layer, Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { checkQuantity, formatBytes, formatCpu, parseQuantity, Quantity } from '../../lib/core/quantity';
import { PodSecurityLevel } from '../../lib/releases/chart-component';
import { TenantAdmission } from './tenant-admission';
import { TENANT_API_RESOURCES } from './tenant-api-groups';

/** What a tenant may consume in total. Unset entries are not limited. */
export interface TenantQuota {
  /** CPU limit of all pods; requests are limited to this divided by the platform's CPU allocation ratio. */
  readonly cpu?: Quantity;
  /** Memory limit (and request) of all pods. */
  readonly memory?: Quantity;
  /** Total requested persistent storage. */
  readonly storage?: Quantity;
  /** Number of pods. @maximum 1000000 */
  readonly pods?: number;
  /** Number of Services of type LoadBalancer. @maximum 10000 */
  readonly loadBalancers?: number;
  /** Number of PersistentVolumeClaims. @maximum 1000000 */
  readonly persistentVolumeClaims?: number;
}

export interface TenantProps {
  /** Resource limits of the whole tenant (a ResourceQuota). @default - no quota */
  readonly quota?: TenantQuota;
  /** Pod Security Standard enforced on the namespace. @default 'restricted' */
  readonly podSecurity?: PodSecurityLevel;
  /** Group bound to the tenant-admin Role. @default 'tenant-<name>-admins' */
  readonly adminGroup?: string;
  /** Group bound to the tenant-user Role. @default 'tenant-<name>-users' */
  readonly userGroup?: string;
}

const TENANT = Symbol.for('kubestrata.Tenant');
const DEFAULT_LIMIT = { cpu: '250m', memory: '128Mi', 'ephemeral-storage': '2Gi' };
const DEFAULT_REQUEST = { cpu: '25m', memory: '128Mi', 'ephemeral-storage': '50Mi' };
const POD_SECURITY_LEVELS: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];

/**
 * An isolated namespace for one customer or team: Pod Security, quota and default limits,
 * default-deny network policy with explicit allows, and admin/user roles. Managed services live inside.
 */
export class Tenant extends Chart {
  /** The tenant that `scope` belongs to. */
  static of(scope: IConstruct): Tenant {
    const tenant = Tenant.tryOf(scope);
    if (tenant) return tenant;
    const fix = `create it in a tenant, new ${scope.constructor.name}(tenant, '${scope.node.id}'), where tenant = new Tenant(platform, 'name')`;
    throw notInside(scope, 'Tenant', fix);
  }

  /** The tenant that `scope` belongs to, if any. (`instanceof Tenant` is true of every cdk8s Chart.) */
  static tryOf(scope: IConstruct): Tenant | undefined {
    for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
      if ((c as any)[TENANT]) return c as Tenant;
    }
    return undefined;
  }

  readonly platform: Platform;
  /** Tenant name (the construct id). */
  readonly tenantName: string;
  /** The tenant's namespace, `tenant-<name>`. (A chart's own `namespace` stays unset: cdk8s would stamp it on cluster-scoped objects too.) */
  readonly namespaceName: string;
  readonly podSecurity: PodSecurityLevel;
  readonly adminGroup: string;
  readonly userGroup: string;
  /** The Namespace object; everything in the tenant is applied after it. */
  readonly namespaceObject: ApiObject;

  constructor(platform: Platform, name: string, props: TenantProps = {}) {
    checkProps(platform, name, 'TenantProps', props);
    super(platform, Tenant.freeName(platform, name));
    Object.defineProperty(this, TENANT, { value: true });
    Platform.markChart(this, 'tenant');
    this.platform = platform;
    this.tenantName = name;
    this.namespaceName = `tenant-${name}`;
    this.podSecurity = props.podSecurity ?? 'restricted';
    this.adminGroup = props.adminGroup ?? `${this.namespaceName}-admins`;
    this.userGroup = props.userGroup ?? `${this.namespaceName}-users`;
    this.check(name, props);
    claimTenantNamespace(platform, this.namespaceName, this.node.path);

    this.namespaceObject = this.object(
      'namespace',
      'v1',
      'Namespace',
      this.namespaceName,
      {},
      {
        [TENANT_LABEL]: name,
        'pod-security.kubernetes.io/enforce': this.podSecurity,
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': 'latest',
      },
    );
    this.node.defaultChild = this.namespaceObject;
    // The Namespace, and so everything in it, waits for the policies; one edge instead of one per object.
    platform.registry.require(this.namespaceObject, TenantAdmission);
    if (props.quota) this.quota(props.quota);
    this.namespaced('limits', 'v1', 'LimitRange', 'tenant-limits', {
      spec: { limits: [{ type: 'Container', default: DEFAULT_LIMIT, defaultRequest: DEFAULT_REQUEST }] },
    });
    this.networkPolicies();
    this.roles();
  }

  /** Creates an object in the tenant namespace, applied after the Namespace. */
  namespaced(
    id: string,
    apiVersion: string,
    kind: string,
    name: string,
    body: Record<string, unknown>,
    scope: IConstruct = this,
  ): ApiObject {
    const obj = new ApiObject(scope as any, id, {
      apiVersion,
      kind,
      metadata: { name, namespace: this.namespaceName, labels: { ...MANAGED_BY, [TENANT_LABEL]: this.tenantName } },
      ...body,
    });
    obj.node.addDependency(this.namespaceObject);
    return obj;
  }

  private object(
    id: string,
    apiVersion: string,
    kind: string,
    name: string,
    body: Record<string, unknown>,
    labels: Record<string, string>,
  ): ApiObject {
    return new ApiObject(this, id, { apiVersion, kind, metadata: { name, labels: { ...MANAGED_BY, ...labels } }, ...body });
  }

  private quota(quota: TenantQuota): void {
    const hard: Record<string, string> = {};
    const ratio = this.platform.allocationRatio;
    if (quota.cpu !== undefined) {
      hard['limits.cpu'] = quota.cpu;
      hard['requests.cpu'] = formatCpu(parseQuantity(quota.cpu)! / ratio.cpu);
    }
    if (quota.memory !== undefined) {
      hard['limits.memory'] = quota.memory;
      hard['requests.memory'] = formatBytes(Math.ceil(parseQuantity(quota.memory)! / ratio.memory));
    }
    if (quota.storage !== undefined) hard['requests.storage'] = quota.storage;
    if (quota.pods !== undefined) hard.pods = String(quota.pods);
    if (quota.loadBalancers !== undefined) hard['services.loadbalancers'] = String(quota.loadBalancers);
    if (quota.persistentVolumeClaims !== undefined) hard.persistentvolumeclaims = String(quota.persistentVolumeClaims);
    this.namespaced('quota', 'v1', 'ResourceQuota', 'tenant-quota', { spec: { hard } });
  }

  private networkPolicies(): void {
    const policy = (id: string, spec: Record<string, unknown>) =>
      this.namespaced(id, 'networking.k8s.io/v1', 'NetworkPolicy', id, { spec });
    policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    policy('allow-same-namespace', {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    });
    policy('allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ ...namespacePeer('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    });
    // Platform namespaces reach tenant pods only on declared paths: the ingress controller here, monitoring and
    // operators through the policies of the services that need them.
    policy('allow-from-ingress', {
      podSelector: { matchLabels: { [INGRESS_BACKEND_LABEL]: 'true' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [namespacePeer(this.platform.ingressNamespace)] }],
    });
    policy('allow-to-apiserver', {
      podSelector: { matchLabels: { [ALLOW_APISERVER_LABEL]: 'true' } },
      policyTypes: ['Egress'],
      egress: apiServerEgress(this),
    });
    policy('allow-to-external', {
      podSelector: { matchLabels: { [ALLOW_EXTERNAL_LABEL]: 'true' } },
      policyTypes: ['Egress'],
      egress: [{ to: externalPeers(this) }],
    });
  }

  private roles(): void {
    const everything = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
    const read = ['get', 'list', 'watch'];
    const workloads = [
      { apiGroups: [''], resources: ['pods', 'services', 'configmaps', 'secrets', 'persistentvolumeclaims', 'serviceaccounts'] },
      { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'] },
      { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'] },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'] },
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'] },
      ...Object.entries(TENANT_API_RESOURCES).map(([group, resources]) => ({ apiGroups: [group], resources: [...resources] })),
    ];
    const endpoints = { apiGroups: [''], resources: ['endpoints'], verbs: read };
    const limits = { apiGroups: [''], resources: ['resourcequotas', 'limitranges', 'events'], verbs: read };
    const policies = { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: read };
    const interactive = { apiGroups: [''], resources: ['pods/log', 'pods/exec', 'pods/portforward'], verbs: ['get', 'create'] };
    const role = (id: string, rules: unknown[], group: string) => {
      this.namespaced(id, 'rbac.authorization.k8s.io/v1', 'Role', id, { rules });
      this.namespaced(`${id}-binding`, 'rbac.authorization.k8s.io/v1', 'RoleBinding', id, {
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: id },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
      });
    };
    role(
      'tenant-admin',
      [...workloads.map((r) => ({ ...r, verbs: everything })), endpoints, limits, policies, interactive],
      this.adminGroup,
    );
    role(
      'tenant-user',
      [
        ...workloads.filter((r) => !r.resources.includes('secrets')).map((r) => ({ ...r, verbs: read })),
        { apiGroups: [''], resources: ['pods', 'services', 'endpoints', 'configmaps', 'persistentvolumeclaims'], verbs: read },
        limits,
        { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      ],
      this.userGroup,
    );
  }

  /** Layer charts share the platform's scope with tenants, so their names are taken. */
  private static freeName(platform: Platform, name: string): string {
    if (LAYERS.includes(name as Layer)) {
      new Problems(`${platform.node.path}/${name}`)
        .add('name', name, `is the name of the platform's ${name} layer chart`, `name the tenant e.g. "${name}-team"`)
        .throwIfAny();
    }
    return name;
  }

  private check(name: string, props: TenantProps): void {
    const problems = Problems.of(this);
    checkDnsLabel(problems, 'name', name, 56);
    if (props.podSecurity !== undefined) {
      problems.check(
        POD_SECURITY_LEVELS.includes(props.podSecurity),
        'podSecurity',
        props.podSecurity,
        `must be one of ${POD_SECURITY_LEVELS.join(', ')}`,
      );
    }
    if (props.adminGroup !== undefined) checkGroup(problems, 'adminGroup', props.adminGroup, `${this.namespaceName}-admins`);
    if (props.userGroup !== undefined) checkGroup(problems, 'userGroup', props.userGroup, `${this.namespaceName}-users`);
    const quota = props.quota ?? {};
    if (quota.cpu !== undefined) checkQuantity(problems, 'quota.cpu', quota.cpu, '8');
    if (quota.memory !== undefined) checkQuantity(problems, 'quota.memory', quota.memory, '16Gi');
    if (quota.storage !== undefined) checkQuantity(problems, 'quota.storage', quota.storage, '100Gi');
    for (const key of ['pods', 'loadBalancers', 'persistentVolumeClaims'] as const) {
      const value = quota[key];
      if (value !== undefined)
        problems.check(Number.isSafeInteger(value) && value >= 0, `quota.${key}`, value, 'must be a whole number ≥ 0');
    }
    problems.throwIfAny();
  }
}

/** A group name as identity providers issue them (`platform-admins`, `oidc:team@example.com`), without spaces or control characters. */
const GROUP = /^[A-Za-z0-9][-A-Za-z0-9_.@:/=+]{0,252}$/;

/**
 * A group bound to a tenant Role must name people of that tenant: `system:` groups are Kubernetes' own
 * (`system:authenticated` is everyone who can log in, `system:serviceaccounts` every service account of every tenant).
 */
function checkGroup(problems: Problems, property: string, group: unknown, example: string): void {
  if (
    !problems.check(
      typeof group === 'string' && GROUP.test(group),
      property,
      group,
      'must be a group name (letters, digits and - _ . @ : / = +, starting with a letter or digit, at most 253 characters)',
      `use e.g. ${JSON.stringify(example)}`,
    )
  )
    return;
  problems.check(
    !(group as string).toLowerCase().startsWith('system:'),
    property,
    group,
    "is a Kubernetes system group, which holds users or service accounts outside this tenant; binding it would give them the tenant's role",
    `use a group of the tenant's own people, e.g. ${JSON.stringify(example)}`,
  );
}
