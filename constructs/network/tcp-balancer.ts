import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems, show } from '../../lib/core/errors';
import { isDnsSubdomain } from '../../lib/core/names';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { ResourceRequirements, Resources, resolveResources } from '../../lib/core/resources';
import { Tenant } from '../platform/tenant';
import { checkIpv4Network, isIpv4 } from '../../lib/core/addresses';
import { claimNames, HAPROXY_DEFAULTS, HAPROXY_RESOLVERS, haproxy } from './haproxy';

/** How connections reach the backends. */
export type TcpBalancerMode =
  /** Plain L4 forwarding. */
  | 'tcp'
  /** L4 forwarding that first sends a PROXY protocol v2 header with the client address. */
  | 'tcp-with-proxy';
export const TCP_BALANCER_MODES: readonly TcpBalancerMode[] = ['tcp', 'tcp-with-proxy'];

export interface TcpBalancerProps {
  /**
   * Backends: IPv4 addresses or DNS names. @maxItems 1000
   * @requiredBecause the addresses of the backends
   * @requiredFix pass endpoints: ["10.0.0.11", "10.0.0.12"]
   */
  readonly endpoints: readonly string[];
  /** @default 'tcp' */
  readonly mode?: TcpBalancerMode;
  /** Backend port of the HTTP frontend (Service port 80), or false for none. @default 80 */
  readonly http?: number | false;
  /** Backend port of the HTTPS frontend (Service port 443), or false for none. @default 443 */
  readonly https?: number | false;
  /**
   * Client CIDRs let in; HAProxy, the NetworkPolicy and the LoadBalancer refuse others. A range inside the cluster's
   * pod or Service ranges is refused. @default - every client outside the cluster
   */
  readonly allowList?: readonly string[];
  /** @default 2 @maximum 100 */
  readonly replicas?: number;
  /** @default 't1.nano' */
  readonly resources?: Resources;
  /** Expose through a LoadBalancer that keeps client addresses (externalTrafficPolicy Local). @default false */
  readonly external?: boolean;
}

const ID = /^[a-z]([-a-z0-9]{0,53}[a-z0-9])?$/;

/** Name, container port, Service port and backend port of one frontend. */
type Frontend = readonly [string, number, number, number];

/**
 * A layer-4 load balancer for a tenant, as Cozystack's tcp-balancer app: HAProxy replicas that spread HTTP and
 * HTTPS connections over the backends by least connections, marking failing backends down.
 */
export class TcpBalancer extends Construct {
  readonly tenant: Tenant;
  /** Name of the Deployment, ConfigMap and Service. */
  readonly name: string;
  readonly endpoints: readonly string[];
  readonly mode: TcpBalancerMode;
  readonly http: number | false;
  readonly https: number | false;
  readonly allowList: readonly string[];
  readonly replicas: number;
  readonly resources: ResourceRequirements;
  readonly external: boolean;
  /** In-cluster DNS name of the Service. */
  readonly host: string;
  readonly service: ApiObject;

  constructor(scope: Construct, id: string, props: TcpBalancerProps) {
    checkProps(scope, id, 'TcpBalancerProps', props);
    super(scope, id);
    const tenant = Tenant.of(this);
    const platform = Platform.of(this);
    this.tenant = tenant;
    this.name = `${id}-haproxy`;
    this.endpoints = props.endpoints;
    this.mode = props.mode ?? 'tcp';
    this.http = props.http ?? 80;
    this.https = props.https ?? 443;
    this.allowList = props.allowList ?? [];
    this.replicas = props.replicas ?? 2;
    this.external = props.external ?? false;
    this.host = `${this.name}.${tenant.namespaceName}.svc.${platform.clusterDomain}`;
    const problems = Problems.of(this);
    problems.check(ID.test(id), 'id', id, 'must be a DNS-1035 label of at most 55 characters (it names a Service)');
    const resources = resolveResources(problems, 'resources', props.resources ?? 't1.nano', platform.allocationRatio);
    this.check(problems, props);
    if (problems.empty) claimNames(problems, tenant, this.node.path, [this.name, `${this.name}-external`]);
    problems.throwIfAny();
    this.resources = resources!;

    const frontends: Frontend[] = [];
    if (this.http !== false) frontends.push(['http', 8080, 80, this.http]);
    if (this.https !== false) frontends.push(['https', 8443, 443, this.https]);
    this.service = haproxy(this, {
      tenant,
      app: 'tcp-balancer',
      instance: id,
      name: this.name,
      replicas: this.replicas,
      resources: this.resources,
      config: this.config(frontends),
      external: this.external,
      allowList: this.allowList,
      ports: frontends.map(([name, containerPort, servicePort]) => ({ name, containerPort, servicePort })),
    }).service;
    this.node.defaultChild = this.service;
  }

  private config(frontends: readonly Frontend[]): string {
    const allow =
      this.allowList.length > 0 ? [`    acl allowed src ${this.allowList.join(' ')}`, '    tcp-request connection reject if !allowed'] : [];
    const proxy = this.mode === 'tcp-with-proxy' ? ' send-proxy-v2' : '';
    return [
      ...HAPROXY_RESOLVERS,
      ...HAPROXY_DEFAULTS('tcp'),
      ...frontends.flatMap(([name, bind, , target]) => [
        `frontend ${name}`,
        `    bind :${bind}`,
        ...allow,
        `    default_backend ${name}`,
        '',
        `backend ${name}`,
        '    balance leastconn',
        `    default-server observe layer4 error-limit 10 on-error mark-down check resolvers cluster init-addr last,libc,none${proxy}`,
        ...this.endpoints.map((endpoint, i) => `    server srv${i} ${endpoint}:${target}`),
        '',
      ]),
    ].join('\n');
  }

  private check(problems: Problems, props: TcpBalancerProps): void {
    if (
      problems.check(
        this.endpoints.length > 0,
        'endpoints',
        props.endpoints,
        'is required: the addresses of the backends',
        'pass endpoints: ["10.0.0.11", "10.0.0.12"]',
      )
    ) {
      this.endpoints.forEach((e, i) =>
        problems.check(
          isIpv4(e) || (isDnsSubdomain(e) && !/^[\d.]+$/.test(e)),
          `endpoints[${i}]`,
          e,
          'must be an IPv4 address or a DNS name, without a port',
        ),
      );
    }
    problems.check(TCP_BALANCER_MODES.includes(this.mode), 'mode', this.mode, `must be one of ${TCP_BALANCER_MODES.map(show).join(', ')}`);
    for (const key of ['http', 'https'] as const) {
      const port = this[key];
      if (port !== false)
        problems.check(Number.isInteger(port) && port >= 1 && port <= 65535, key, port, 'must be a TCP port (1-65535) or false');
    }
    problems.check(
      this.http !== false || this.https !== false,
      'http',
      false,
      'and https are both false, which leaves nothing to balance',
      'keep one of them',
    );
    this.allowList.forEach((cidr, i) => checkIpv4Network(problems, `allowList[${i}]`, cidr));
    problems.check(Number.isInteger(this.replicas) && this.replicas >= 1, 'replicas', this.replicas, 'must be a whole number ≥ 1');
  }
}
