import { createHash } from 'crypto';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems } from '../../lib/core/errors';
import { ALLOW_EXTERNAL_LABEL, INGRESS_BACKEND_LABEL, TENANT_LABEL, componentLabels } from '../../lib/core/labels';
import { externalPeers } from '../../lib/core/network-peers';
import { ResourceRequirements } from '../../lib/core/resources';
import { versions } from '../../lib/versions';
import { Tenant } from '../platform/tenant';

/** The user of the official HAProxy image. */
const HAPROXY_UID = 99;
const names = new WeakMap<Tenant, Map<string, string>>();

/** One listening port of a workload and the Service port in front of it. */
export interface WorkloadPort {
  readonly name: string;
  readonly containerPort: number;
  readonly servicePort: number;
}

/** Pod-level security of the restricted Pod Security Standard, for an image that runs as `uid`. */
export function restrictedPodSecurity(uid: number): Record<string, unknown> {
  return { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: { type: 'RuntimeDefault' } };
}

export const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
} as const;

/** Claims object names in the tenant namespace for the construct at `path`; reports names another construct holds. */
export function claimNames(problems: Problems, tenant: Tenant, path: string, wanted: readonly string[]): void {
  const taken = names.get(tenant) ?? new Map<string, string>();
  const clash = wanted.find((name) => taken.has(name) && taken.get(name) !== path);
  if (clash !== undefined) {
    problems.add(
      'id',
      path.split('/').pop(),
      `would name objects "${clash}", which the construct at ${taken.get(clash)} already uses in namespace ${tenant.namespaceName}`,
      'give each balancer and cache of a tenant its own id',
    );
  }
  if (problems.empty) {
    for (const name of wanted) taken.set(name, path);
    names.set(tenant, taken);
  }
}

export interface HaproxyOptions {
  readonly tenant: Tenant;
  /** The app name in the recommended labels (`tcp-balancer`, `http-cache`). */
  readonly app: string;
  readonly instance: string;
  readonly name: string;
  readonly replicas: number;
  readonly resources: ResourceRequirements;
  readonly config: string;
  readonly ports: readonly WorkloadPort[];
  readonly external: boolean;
  /** Client CIDRs allowed in through the LoadBalancer. @default - every client outside the cluster */
  readonly allowList?: readonly string[];
  /** Whether the platform's shared ingress controller forwards to these pods. @default false */
  readonly ingressBackend?: boolean;
}

/**
 * HAProxy as Cozystack runs it for tenants: a ConfigMap with haproxy.cfg, a Deployment of non-root, read-only
 * replicas spread over nodes that restarts when the configuration changes, a Service (a LoadBalancer that keeps
 * client addresses when external), and the NetworkPolicy that lets clients from outside the cluster in.
 */
export function haproxy(scope: Construct, options: HaproxyOptions): { readonly deployment: ApiObject; readonly service: ApiObject } {
  const { tenant, name } = options;
  const labels = componentLabels(options.app, 'haproxy', options.instance);
  const selector = {
    'app.kubernetes.io/name': options.app,
    'app.kubernetes.io/component': 'haproxy',
    'app.kubernetes.io/instance': options.instance,
  };
  const object = (id: string, apiVersion: string, kind: string, body: Record<string, unknown>) => {
    const obj = tenant.namespaced(id, apiVersion, kind, name, body, scope);
    for (const [key, value] of Object.entries(labels)) obj.metadata.addLabel(key, value);
    return obj;
  };
  object('haproxy-config', 'v1', 'ConfigMap', { data: { 'haproxy.cfg': options.config } });
  const deployment = object('haproxy', 'apps/v1', 'Deployment', {
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: selector },
      template: {
        metadata: {
          labels: {
            ...selector,
            [TENANT_LABEL]: tenant.tenantName,
            [ALLOW_EXTERNAL_LABEL]: 'true',
            ...(options.ingressBackend ? { [INGRESS_BACKEND_LABEL]: 'true' } : {}),
          },
          annotations: { 'kubestrata.io/config-hash': createHash('sha256').update(options.config).digest('hex').slice(0, 16) },
        },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: restrictedPodSecurity(HAPROXY_UID),
          affinity: spread(selector),
          containers: [
            {
              name: 'haproxy',
              image: `${versions.haproxy.image}:${versions.haproxy.tag}`,
              ports: options.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: 'TCP' })),
              readinessProbe: { tcpSocket: { port: options.ports[0].name }, periodSeconds: 10 },
              livenessProbe: { tcpSocket: { port: options.ports[0].name }, periodSeconds: 20, failureThreshold: 3 },
              resources: { limits: { ...options.resources.limits }, requests: { ...options.resources.requests } },
              securityContext: RESTRICTED_CONTAINER,
              volumeMounts: [
                { name: 'config', mountPath: '/usr/local/etc/haproxy', readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'config', configMap: { name } },
            { name: 'tmp', emptyDir: { sizeLimit: '16Mi' } },
          ],
        },
      },
    },
  });
  const service = object('haproxy-service', 'v1', 'Service', {
    spec: {
      type: options.external ? 'LoadBalancer' : 'ClusterIP',
      externalTrafficPolicy: options.external ? 'Local' : undefined,
      allocateLoadBalancerNodePorts: options.external ? false : undefined,
      loadBalancerSourceRanges: options.external && options.allowList && options.allowList.length > 0 ? [...options.allowList] : undefined,
      selector,
      ports: options.ports.map((p) => ({ name: p.name, protocol: 'TCP', port: p.servicePort, targetPort: p.name })),
    },
  });
  if (options.external) {
    const from = externalPeers(
      scope,
      options.allowList && options.allowList.length > 0 ? { property: 'allowList', ranges: options.allowList } : undefined,
    );
    const policy = tenant.namespaced(
      'haproxy-external',
      'networking.k8s.io/v1',
      'NetworkPolicy',
      `${name}-external`,
      {
        spec: {
          podSelector: { matchLabels: selector },
          policyTypes: ['Ingress'],
          ingress: [{ from, ports: options.ports.map((p) => ({ protocol: 'TCP', port: p.containerPort })) }],
        },
      },
      scope,
    );
    for (const [key, value] of Object.entries(labels)) policy.metadata.addLabel(key, value);
  }
  return { deployment, service };
}

/** Prefers one replica per node. */
export function spread(selector: Record<string, string>): Record<string, unknown> {
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } },
        },
      ],
    },
  };
}

/** A `resolvers` section from the pod's resolv.conf, so that backends named by DNS are found again when they move. */
export const HAPROXY_RESOLVERS = ['resolvers cluster', '    parse-resolv-conf', '    hold valid 10s', ''];

export const HAPROXY_DEFAULTS = (mode: 'tcp' | 'http') => [
  'defaults',
  `    mode ${mode}`,
  '    option dontlognull',
  ...(mode === 'http' ? ['    timeout http-request 10s', '    timeout http-keep-alive 10s', '    timeout queue 20s'] : []),
  '    timeout connect 5s',
  '    timeout client 5m',
  '    timeout server 5m',
  '    timeout tunnel 5m',
  '    timeout check 10s',
  '',
];
