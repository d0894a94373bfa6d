import { HttpCache, HttpCacheProps } from '../../../constructs/network/http-cache';
import { TcpBalancer } from '../../../constructs/network/tcp-balancer';
import { Tenant } from '../../../constructs/platform/tenant';
import { ConfigurationError } from '../../../lib/core/errors';
import { PlatformProps } from '../../../lib/core/platform';
import { SchemaRegistry } from '../../../lib/validate';
import { versions } from '../../../lib/versions';
import { find, manifests, newPlatform, SCHEMAS_DIR } from '../../helpers';
import { checkWith } from './config-check';

const ORIGINS = { endpoints: ['10.0.0.11:80', '10.0.0.12:8080'] };

function setup(props: HttpCacheProps = ORIGINS, platformProps?: PlatformProps) {
  const platform = newPlatform(platformProps);
  const tenant = new Tenant(platform, 'acme');
  const cache = new HttpCache(tenant, 'web', props);
  return { platform, tenant, cache, all: manifests(platform) };
}

describe('HttpCache defaults (Cozystack http-cache)', () => {
  test('an HAProxy tier and two nginx replicas, each with its own Deployment, 10Gi volume and Service', () => {
    const { cache, all } = setup();
    expect(find(all, 'Deployment', 'web-haproxy').spec.replicas).toBe(2);
    for (const i of [0, 1]) {
      const name = `web-nginx-cache-${i}`;
      const deployment = find(all, 'Deployment', name);
      expect(deployment.spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
      expect(deployment.spec.template.spec.volumes).toContainEqual({ name: 'cache', persistentVolumeClaim: { claimName: name } });
      expect(find(all, 'PersistentVolumeClaim', name).spec).toEqual({
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '10Gi' } },
      });
      expect(find(all, 'Service', name).spec.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }]);
    }
    expect(find(all, 'PodDisruptionBudget', 'web-nginx-cache').spec.maxUnavailable).toBe(1);
    expect(cache).toMatchObject({
      serviceName: 'web-haproxy',
      host: 'web-haproxy.tenant-acme.svc.cluster.local',
      size: '10Gi',
      nginxReplicas: 2,
    });
  });

  test('restricted nginx pods: the unprivileged image as uid 101, read-only root, cache and temp volumes', () => {
    const pod = find(setup().all, 'Deployment', 'web-nginx-cache-0').spec.template.spec;
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 101,
      runAsGroup: 101,
      fsGroup: 101,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const container = pod.containers[0];
    expect(container.image).toBe(`docker.io/nginxinc/nginx-unprivileged:${versions.nginx.tag}`);
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/etc/nginx/nginx.conf', '/data', '/tmp']);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'health' });
  });

  test('HAProxy hashes whole URLs onto the cache replicas and falls back to the origins', () => {
    const cfg = find(setup().all, 'ConfigMap', 'web-haproxy').data['haproxy.cfg'];
    expect(cfg).toContain('backend cache\n    balance uri whole\n    hash-type consistent\n');
    expect(cfg).toContain(
      '    server cache0 web-nginx-cache-0.tenant-acme.svc.cluster.local:80\n    server cache1 web-nginx-cache-1.tenant-acme.svc.cluster.local:80\n',
    );
    expect(cfg).toContain('    server origin0 10.0.0.11:80 backup\n    server origin1 10.0.0.12:8080 backup\n');
    expect(cfg).toContain('http-request set-header X-Forwarded-For %[src]');
  });

  test('nginx caches on 90% of the volume and proxies to the origins', () => {
    const conf = find(setup().all, 'ConfigMap', 'web-nginx-cache').data['nginx.conf'];
    expect(conf).toContain('proxy_cache_path /data/cache levels=1:2 keys_zone=cache:64m max_size=9216m inactive=30d use_temp_path=off;');
    expect(conf).toContain('    upstream origin {\n        server 10.0.0.11:80;\n        server 10.0.0.12:8080;\n    }');
  });

  test('the daemons accept the generated configuration', () => {
    const { all } = setup();
    checkWith('haproxy', ['-c', '-f'], find(all, 'ConfigMap', 'web-haproxy').data['haproxy.cfg'], 'haproxy.cfg');
    checkWith('nginx', ['-t', '-c'], find(all, 'ConfigMap', 'web-nginx-cache').data['nginx.conf'], 'nginx.conf', (text, dir) =>
      text.split('/tmp/').join(`${dir}/`).split('/data/').join(`${dir}/`).split('/dev/std').join(`${dir}/std`),
    );
  });
});

describe('HttpCache options', () => {
  const props: HttpCacheProps = {
    endpoints: ['origin.example.com:443'],
    size: '50Gi',
    storageClass: 'replicated',
    external: true,
    haproxy: { replicas: 3, resources: 't1.micro' },
    nginx: { replicas: 3, resources: { cpu: '2', memory: '2Gi' } },
  };

  test('sizes, class, replicas and an external LoadBalancer', () => {
    const { all } = setup(props);
    expect(find(all, 'PersistentVolumeClaim', 'web-nginx-cache-2').spec).toMatchObject({
      resources: { requests: { storage: '50Gi' } },
      storageClassName: 'replicated',
    });
    expect(find(all, 'Deployment', 'web-haproxy').spec.replicas).toBe(3);
    expect(find(all, 'Deployment', 'web-nginx-cache-2').spec.template.spec.containers[0].resources.limits).toEqual({
      cpu: '2',
      memory: '2Gi',
      'ephemeral-storage': '2Gi',
    });
    expect(find(all, 'Service', 'web-haproxy').spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    const ingress = find(all, 'NetworkPolicy', 'web-haproxy-external').spec.ingress;
    expect(ingress.map((rule: any) => rule.ports)).toEqual([[{ protocol: 'TCP', port: 8080 }]]);
    expect(ingress[0].from.map((peer: any) => peer.ipBlock.cidr)).toEqual(['0.0.0.0/0', '::/0']);
  });

  test('the platform storage class is the default', () => {
    expect(find(setup(ORIGINS, { storageClass: 'local' }).all, 'PersistentVolumeClaim', 'web-nginx-cache-0').spec.storageClassName).toBe(
      'local',
    );
  });

  test('every object validates against the Kubernetes schemas', () => {
    const registry = SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: '1.32.0' });
    for (const p of [ORIGINS, props]) expect(setup(p).all.flatMap((m) => registry.validate(m))).toEqual([]);
  });
});

const CASES: ReadonlyArray<[string, HttpCacheProps, string]> = [
  [
    'no origins (untyped input)',
    {} as HttpCacheProps,
    'endpoints: (not set) is required: the origin servers the cache fetches from. Fix: pass endpoints: ["10.0.0.11:80"].',
  ],
  [
    'empty origins',
    { endpoints: [] },
    'endpoints: [] is required: the origin servers the cache fetches from. Fix: pass endpoints: ["10.0.0.11:80"].',
  ],
  [
    'origin without a port',
    { endpoints: ['10.0.0.11'] },
    'endpoints[0]: "10.0.0.11" must be "host:port" with an IPv4 address or DNS name, such as "10.0.0.11:80".',
  ],
  ['origin port', { endpoints: ['origin.example.com:0'] }, 'endpoints[0]: "origin.example.com:0" must be "host:port"'],
  ['size', { ...ORIGINS, size: '10GB' }, 'size: "10GB" must be a positive Kubernetes quantity. Fix: write it like "10Gi".'],
  ['storage class', { ...ORIGINS, storageClass: 'Fast SSD' }, 'storageClass: "Fast SSD" must be a StorageClass name.'],
  ['HAProxy replicas', { ...ORIGINS, haproxy: { replicas: 0 } }, 'haproxy.replicas: 0 must be a whole number ≥ 1.'],
  ['nginx replicas', { ...ORIGINS, nginx: { replicas: 100 } }, 'nginx.replicas: 100 must be a whole number from 1 to 99.'],
  ['nginx resources', { ...ORIGINS, nginx: { resources: 'huge' as any } }, 'nginx.resources: "huge" must be one of "t1.nano"'],
];

describe('HttpCache errors', () => {
  test.each(CASES)('%s', (_, props, line) => {
    expect(() => setup(props)).toThrow(ConfigurationError);
    expect(() => setup(props)).toThrow(`\n  - ${line}`);
  });

  test('an id that cannot name its Services', () => {
    const tenant = new Tenant(newPlatform(), 'acme');
    expect(() => new HttpCache(tenant, 'w'.repeat(49), ORIGINS)).toThrow(
      'must be a DNS-1035 label of at most 48 characters (it names Services)',
    );
  });

  test('a cache and a balancer of one id in one tenant', () => {
    const tenant = new Tenant(newPlatform(), 'acme');
    new TcpBalancer(tenant, 'web', { endpoints: ['10.0.0.11'] });
    expect(() => new HttpCache(tenant, 'edge', ORIGINS)).not.toThrow();
    expect(() => new HttpCache(new Tenant(tenant.platform, 'other'), 'web', ORIGINS)).not.toThrow();
    const twin = new Tenant(newPlatform(), 'acme');
    new TcpBalancer(twin, 'web', { endpoints: ['10.0.0.11'] });
    expect(() => new HttpCache(new (require('constructs').Construct)(twin, 'team'), 'web', ORIGINS)).toThrow(
      'would name objects "web-haproxy", which the construct at platform/acme/web already uses',
    );
  });
});
