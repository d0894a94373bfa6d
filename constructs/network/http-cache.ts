import { createHash } from 'crypto';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems } from '../../lib/core/errors';
import { ALLOW_EXTERNAL_LABEL, TENANT_LABEL, componentLabels } from '../../lib/core/labels';
import { isDnsSubdomain } from '../../lib/core/names';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { checkQuantity, parseQuantity, Quantity } from '../../lib/core/quantity';
import { ResourceRequirements, Resources, resolveResources } from '../../lib/core/resources';
import { StorageClassInput } from '../../lib/core/storage-class';
import { versions } from '../../lib/versions';
import { Tenant } from '../platform/tenant';
import { isIpv4 } from '../../lib/core/addresses';
import { useStorageClass } from '../storage/storage-classes';
import { claimNames, HAPROXY_DEFAULTS, HAPROXY_RESOLVERS, haproxy, RESTRICTED_CONTAINER, restrictedPodSecurity, spread } from './haproxy';

/** Size and replicas of one tier. */
export interface HttpCacheTier {
  /** @default 2 @maximum 100 */
  readonly replicas?: number;
  /** @default 't1.nano' */
  readonly resources?: Resources;
}

export interface HttpCacheProps {
  /**
   * Origin servers as `host:port` (IPv4 address or DNS name). @maxItems 1000
   * @requiredBecause the origin servers the cache fetches from
   * @requiredFix pass endpoints: ["10.0.0.11:80"]
   */
  readonly endpoints: readonly string[];
  /** Cache volume of each nginx replica. @default '10Gi' */
  readonly size?: Quantity;
  /** A reference (`linstor.replicatedClass`) also orders the cache after its provider. @default the platform's storageClass */
  readonly storageClass?: StorageClassInput;
  /** Expose through a LoadBalancer that keeps client addresses (externalTrafficPolicy Local). @default false */
  readonly external?: boolean;
  /** The balancer tier, which hashes URLs onto the cache replicas. @default { replicas: 2, resources: 't1.nano' } */
  readonly haproxy?: HttpCacheTier;
  /** The caching tier. @default { replicas: 2, resources: 't1.nano' } */
  readonly nginx?: HttpCacheTier;
}

/** The user of the unprivileged nginx image. */
const NGINX_UID = 101;
const ID = /^[a-z]([-a-z0-9]{0,46}[a-z0-9])?$/;
const ENDPOINT = /^(.+):(\d{1,5})$/;

/**
 * An HTTP cache for a tenant, as Cozystack's http-cache app: HAProxy balances requests by URL (consistent hashing)
 * over nginx cache replicas, each with its own volume, and falls back to the origins when no cache replica is up.
 */
export class HttpCache extends Construct {
  readonly tenant: Tenant;
  readonly endpoints: readonly string[];
  readonly size: Quantity;
  readonly storageClass?: string;
  readonly external: boolean;
  readonly haproxyReplicas: number;
  readonly nginxReplicas: number;
  readonly haproxyResources: ResourceRequirements;
  readonly nginxResources: ResourceRequirements;
  /** Name of the HAProxy Service that clients use. */
  readonly serviceName: string;
  /** The Service clients reach the cache through (HAProxy in front of the nginx caches). */
  readonly service: ApiObject;
  /** In-cluster DNS name of that Service. */
  readonly host: string;

  constructor(scope: Construct, id: string, props: HttpCacheProps) {
    checkProps(scope, id, 'HttpCacheProps', props);
    super(scope, id);
    const tenant = Tenant.of(this);
    const platform = Platform.of(this);
    this.tenant = tenant;
    this.endpoints = props.endpoints;
    this.size = props.size ?? '10Gi';
    this.storageClass = useStorageClass(this, props.storageClass ?? platform.storageClass);
    this.external = props.external ?? false;
    this.haproxyReplicas = props.haproxy?.replicas ?? 2;
    this.nginxReplicas = props.nginx?.replicas ?? 2;
    this.serviceName = `${id}-haproxy`;
    this.host = `${this.serviceName}.${tenant.namespaceName}.svc.${platform.clusterDomain}`;

    const problems = Problems.of(this);
    problems.check(ID.test(id), 'id', id, 'must be a DNS-1035 label of at most 48 characters (it names Services)');
    const haproxyResources = resolveResources(
      problems,
      'haproxy.resources',
      props.haproxy?.resources ?? 't1.nano',
      platform.allocationRatio,
    );
    const nginxResources = resolveResources(problems, 'nginx.resources', props.nginx?.resources ?? 't1.nano', platform.allocationRatio);
    this.check(problems, props);
    const cacheNames = Array.from(
      { length: Number.isInteger(this.nginxReplicas) ? this.nginxReplicas : 0 },
      (_, i) => `${id}-nginx-cache-${i}`,
    );
    if (problems.empty)
      claimNames(problems, tenant, this.node.path, [this.serviceName, `${this.serviceName}-external`, `${id}-nginx-cache`, ...cacheNames]);
    problems.throwIfAny();
    this.haproxyResources = haproxyResources!;
    this.nginxResources = nginxResources!;

    const fqdn = (name: string) => `${name}.${tenant.namespaceName}.svc.${platform.clusterDomain}`;
    this.service = haproxy(this, {
      tenant,
      app: 'http-cache',
      instance: id,
      name: this.serviceName,
      replicas: this.haproxyReplicas,
      resources: this.haproxyResources,
      config: haproxyConfig(cacheNames.map(fqdn), this.endpoints),
      external: this.external,
      ingressBackend: true,
      ports: [{ name: 'http', containerPort: 8080, servicePort: 80 }],
    }).service;
    this.node.defaultChild = this.service;
    const nginxConfig = nginxConf(this.endpoints, parseQuantity(this.size)!);
    const config = this.object('nginx-config', 'v1', 'ConfigMap', `${id}-nginx-cache`, id, { data: { 'nginx.conf': nginxConfig } });
    const selector = { 'app.kubernetes.io/name': 'http-cache', 'app.kubernetes.io/component': 'nginx', 'app.kubernetes.io/instance': id };
    this.object('nginx-pdb', 'policy/v1', 'PodDisruptionBudget', `${id}-nginx-cache`, id, {
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    });
    cacheNames.forEach((name, i) =>
      this.cacheReplica(name, i, { ...selector }, createHash('sha256').update(nginxConfig).digest('hex').slice(0, 16), config),
    );
  }

  private cacheReplica(name: string, index: number, selector: Record<string, string>, configHash: string, config: ApiObject): void {
    const instance = { ...selector, 'kubestrata.io/replica': String(index) };
    this.object(`nginx-${index}-volume`, 'v1', 'PersistentVolumeClaim', name, this.node.id, {
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: this.size } }, storageClassName: this.storageClass },
    });
    this.object(`nginx-${index}`, 'apps/v1', 'Deployment', name, this.node.id, {
      spec: {
        replicas: 1,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: instance },
        template: {
          metadata: {
            labels: { ...instance, [TENANT_LABEL]: this.tenant.tenantName, [ALLOW_EXTERNAL_LABEL]: 'true' },
            annotations: { 'kubestrata.io/config-hash': configHash },
          },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPodSecurity(NGINX_UID),
            affinity: spread(selector),
            containers: [
              {
                name: 'nginx',
                image: `${versions.nginx.image}:${versions.nginx.tag}`,
                command: ['nginx', '-g', 'daemon off;'],
                ports: [
                  { name: 'http', containerPort: 8080, protocol: 'TCP' },
                  { name: 'health', containerPort: 8081, protocol: 'TCP' },
                ],
                readinessProbe: { httpGet: { path: '/healthz', port: 'health' }, periodSeconds: 5 },
                livenessProbe: { httpGet: { path: '/healthz', port: 'health' }, periodSeconds: 10, failureThreshold: 3 },
                resources: { limits: { ...this.nginxResources.limits }, requests: { ...this.nginxResources.requests } },
                securityContext: RESTRICTED_CONTAINER,
                volumeMounts: [
                  { name: 'config', mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf', readOnly: true },
                  { name: 'cache', mountPath: '/data' },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: config.name } },
              { name: 'cache', persistentVolumeClaim: { claimName: name } },
              { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
            ],
          },
        },
      },
    });
    this.object(`nginx-${index}-service`, 'v1', 'Service', name, this.node.id, {
      spec: { selector: instance, ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }] },
    });
  }

  private check(problems: Problems, props: HttpCacheProps): void {
    if (
      problems.check(
        this.endpoints.length > 0,
        'endpoints',
        props.endpoints,
        'is required: the origin servers the cache fetches from',
        'pass endpoints: ["10.0.0.11:80"]',
      )
    ) {
      this.endpoints.forEach((e, i) =>
        problems.check(isEndpoint(e), `endpoints[${i}]`, e, 'must be "host:port" with an IPv4 address or DNS name, such as "10.0.0.11:80"'),
      );
    }
    checkQuantity(problems, 'size', this.size, '10Gi');
    if (this.storageClass !== undefined)
      problems.check(isDnsSubdomain(this.storageClass), 'storageClass', this.storageClass, 'must be a StorageClass name');
    problems.check(
      Number.isInteger(this.haproxyReplicas) && this.haproxyReplicas >= 1,
      'haproxy.replicas',
      this.haproxyReplicas,
      'must be a whole number ≥ 1',
    );
    problems.check(
      Number.isInteger(this.nginxReplicas) && this.nginxReplicas >= 1 && this.nginxReplicas <= 99,
      'nginx.replicas',
      this.nginxReplicas,
      'must be a whole number from 1 to 99',
    );
  }

  private object(id: string, apiVersion: string, kind: string, name: string, instance: string, body: Record<string, unknown>): ApiObject {
    const obj = this.tenant.namespaced(id, apiVersion, kind, name, body, this);
    for (const [key, value] of Object.entries(componentLabels('http-cache', 'nginx', instance))) obj.metadata.addLabel(key, value);
    return obj;
  }
}

function isEndpoint(value: unknown): boolean {
  const match = typeof value === 'string' ? ENDPOINT.exec(value) : null;
  if (!match) return false;
  const port = Number(match[2]);
  return (isIpv4(match[1]) || (isDnsSubdomain(match[1]) && !/^[\d.]+$/.test(match[1]))) && port >= 1 && port <= 65535;
}

/** Consistent hashing of whole URLs onto the cache replicas; the origins only serve when no replica is up. */
function haproxyConfig(caches: readonly string[], origins: readonly string[]): string {
  return [
    ...HAPROXY_RESOLVERS,
    ...HAPROXY_DEFAULTS('http'),
    'frontend http',
    '    bind :8080',
    '    http-request set-header X-Forwarded-For %[src]',
    '    default_backend cache',
    '',
    'backend cache',
    '    balance uri whole',
    '    hash-type consistent',
    '    retry-on conn-failure 503',
    '    retries 2',
    '    option redispatch 1',
    '    default-server observe layer7 error-limit 10 on-error mark-down check resolvers cluster init-addr last,libc,none',
    ...caches.map((host, i) => `    server cache${i} ${host}:80`),
    ...origins.map((origin, i) => `    server origin${i} ${origin} backup`),
    '',
  ].join('\n');
}

/** nginx caching on the replica's volume; temporary files and the pid go to /tmp, as the root filesystem is read-only. */
function nginxConf(origins: readonly string[], sizeBytes: number): string {
  const maxSize = `${Math.max(1, Math.floor((sizeBytes * 0.9) / 2 ** 20))}m`;
  return [
    'worker_processes auto;',
    'pid /tmp/nginx.pid;',
    'error_log /dev/stderr notice;',
    '',
    'events {',
    '    worker_connections 4096;',
    '}',
    '',
    'http {',
    '    include /etc/nginx/mime.types;',
    '    default_type application/octet-stream;',
    '    client_body_temp_path /tmp/client_temp;',
    '    proxy_temp_path /tmp/proxy_temp;',
    '    fastcgi_temp_path /tmp/fastcgi_temp;',
    '    uwsgi_temp_path /tmp/uwsgi_temp;',
    '    scgi_temp_path /tmp/scgi_temp;',
    '    access_log /dev/stdout;',
    '    sendfile on;',
    '    keepalive_timeout 65;',
    `    proxy_cache_path /data/cache levels=1:2 keys_zone=cache:64m max_size=${maxSize} inactive=30d use_temp_path=off;`,
    '',
    '    upstream origin {',
    ...origins.map((origin) => `        server ${origin};`),
    '    }',
    '',
    '    server {',
    '        listen 8081;',
    '        location = /healthz {',
    '            access_log off;',
    '            return 200 "ok\\n";',
    '        }',
    '    }',
    '',
    '    server {',
    '        listen 8080;',
    '        location / {',
    '            proxy_cache cache;',
    '            proxy_cache_revalidate on;',
    '            proxy_cache_lock on;',
    '            proxy_cache_valid 200 1h;',
    '            proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504;',
    '            proxy_cache_background_update on;',
    '            proxy_set_header Host $http_host;',
    '            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '            add_header X-Cache-Status $upstream_cache_status;',
    '            proxy_pass http://origin;',
    '        }',
    '    }',
    '}',
    '',
  ].join('\n');
}
