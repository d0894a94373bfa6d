import { Redis, RedisProps } from '../../../constructs/data/redis';
import { RedisOperator } from '../../../constructs/data/redis-operator';
import { PrometheusOperatorCrds } from '../../../constructs/platform/prometheus-operator-crds';
import { Tenant } from '../../../constructs/platform/tenant';

import { PlatformProps } from '../../../lib/core/platform';
import { SecretRef } from '../../../lib/core/secrets';

import { versions } from '../../../lib/versions';
import { find, newPlatform, problemsOf, validated } from '../../helpers';

function setup(props?: RedisProps, platformProps?: PlatformProps) {
  const platform = newPlatform(platformProps);
  const tenant = new Tenant(platform, 'acme');
  const redis = new Redis(tenant, 'cache', props);
  return { platform, tenant, redis, all: validated(platform) };
}

const redisPods = {
  'app.kubernetes.io/component': 'redis',
  'app.kubernetes.io/name': 'cache',
  'app.kubernetes.io/part-of': 'redis-failover',
};
const sentinelPods = { ...redisPods, 'app.kubernetes.io/component': 'sentinel' };

describe('Redis defaults', () => {
  test('a RedisFailover with 2 Redis pods and 3 Sentinels on the pinned v8 image', () => {
    const { redis, all } = setup();
    const failover = find(all, 'RedisFailover', 'cache');
    expect(failover.metadata).toMatchObject({
      namespace: 'tenant-acme',
      labels: { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'cache', 'kubestrata.io/tenant': 'acme' },
    });
    expect(failover.spec.redis).toMatchObject({ replicas: 2, image: 'docker.io/library/redis:8.4.0', imagePullPolicy: 'IfNotPresent' });
    expect(failover.spec.sentinel).toMatchObject({ replicas: 3, image: 'docker.io/library/redis:8.4.0' });
    expect(redis).toMatchObject({
      replicas: 2,
      version: 'v8',
      sentinels: 3,
      persistence: true,
      external: false,
      monitoring: false,
      host: 'rfrm-cache.tenant-acme.svc.cluster.local',
      sentinelHost: 'rfs-cache.tenant-acme.svc.cluster.local',
    });
    expect(versions.redis.releases.v8).toBe('8.4.0');
  });

  test('auth is always on: a generated password Secret the deployment layer creates, never rendered', () => {
    const { platform, redis, all } = setup();
    expect(find(all, 'RedisFailover').spec.auth).toEqual({ secretPath: 'cache-auth' });
    expect(redis.auth).toMatchObject({ name: 'cache-auth', source: 'generated', keys: ['username', 'password'] });
    expect(platform.secrets.all()).toEqual([expect.objectContaining({ namespace: 'tenant-acme', ref: redis.auth })]);
    expect(all.filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  test('t1.nano resources for Redis and Sentinel, requests by the allocation ratio', () => {
    const spec = find(setup().all, 'RedisFailover').spec;
    const nano = {
      limits: { cpu: '250m', memory: '128Mi', 'ephemeral-storage': '2Gi' },
      requests: { cpu: '25m', memory: '128Mi', 'ephemeral-storage': '52Mi' },
    };
    expect(spec.redis.resources).toEqual(nano);
    expect(spec.sentinel.resources).toEqual(nano);
  });

  test('a 1Gi volume per Redis pod in the platform storage class', () => {
    const spec = find(setup(undefined, { storageClass: 'replicated' }).all, 'RedisFailover').spec;
    expect(spec.redis.storage).toEqual({
      persistentVolumeClaim: {
        metadata: { name: 'redis-data' },
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'replicated', resources: { requests: { storage: '1Gi' } } },
      },
    });
    expect(spec.redis.customConfig).toBeUndefined();
  });

  test('Redis and Sentinel pods are spread across nodes by the labels the operator puts on them', () => {
    const spec = find(setup().all, 'RedisFailover').spec;
    expect(spec.redis.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm).toEqual({
      topologyKey: 'kubernetes.io/hostname',
      labelSelector: { matchLabels: redisPods },
    });
    expect(spec.redis.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: redisPods } },
    ]);
    expect(spec.sentinel.topologySpreadConstraints[0].labelSelector.matchLabels).toEqual(sentinelPods);
  });

  test('pods run non-root with the RuntimeDefault seccomp profile (the restricted Pod Security level)', () => {
    const spec = find(setup().all, 'RedisFailover').spec;
    for (const role of [spec.redis, spec.sentinel]) {
      expect(role.securityContext).toEqual({
        runAsUser: 1000,
        runAsGroup: 1000,
        runAsNonRoot: true,
        fsGroup: 1000,
        seccompProfile: { type: 'RuntimeDefault' },
      });
    }
  });

  test('the operator is required once, as a Flux release in its own namespace', () => {
    const { platform, redis, all } = setup();
    const operator = platform.registry.find(RedisOperator)!;
    expect(platform.registry.requirementsOf(redis)).toEqual([operator]);
    expect(operator.version).toBe('v1.3.0');
    const release = find(all, 'HelmRelease', 'redis-operator');
    expect(release.metadata.namespace).toBe('redis-operator');
    expect(release.spec.chart.spec).toMatchObject({ chart: 'redis-operator', version: '3.3.5' });
    expect(release.spec.values).toMatchObject({
      image: { repository: 'quay.io/spotahome/redis-operator', tag: 'v1.3.0' },
      securityContext: {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
    });
    expect(find(all, 'HelmRepository', 'redis-operator').spec.url).toBe('https://spotahome.github.io/redis-operator');
    expect(find(all, 'Namespace', 'redis-operator').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('no LoadBalancer, exporter or ServiceMonitor unless asked', () => {
    const all = setup().all;
    expect(all.filter((m) => m.kind === 'Service' || m.kind === 'ServiceMonitor')).toEqual([]);
    expect(find(all, 'RedisFailover').spec.redis.exporter).toBeUndefined();
  });

  test('small snapshot of the default RedisFailover spec', () => {
    expect(find(setup().all, 'RedisFailover').spec).toMatchSnapshot();
  });
});

describe('Redis options', () => {
  test('v7, more replicas and sentinels, explicit resources and storage', () => {
    const spec = find(
      setup({
        version: 'v7',
        replicas: 3,
        sentinels: 5,
        resources: { cpu: '1', memory: '2Gi' },
        sentinelResources: 't1.micro',
        storage: { size: '5Gi', storageClass: 'fast' },
      }).all,
      'RedisFailover',
    ).spec;
    expect(spec.redis).toMatchObject({
      replicas: 3,
      image: 'docker.io/library/redis:7.4.7',
      resources: { limits: { cpu: '1', memory: '2Gi' }, requests: { cpu: '100m', memory: '2Gi' } },
    });
    expect(spec.redis.storage.persistentVolumeClaim.spec).toMatchObject({
      storageClassName: 'fast',
      resources: { requests: { storage: '5Gi' } },
    });
    expect(spec.sentinel).toMatchObject({
      replicas: 5,
      image: 'docker.io/library/redis:7.4.7',
      resources: { limits: { cpu: '500m', memory: '256Mi' } },
    });
  });

  test('persistence: false keeps data in memory and turns snapshots off, as Cozystack does without a size', () => {
    const spec = find(setup({ persistence: false }).all, 'RedisFailover').spec;
    expect(spec.redis.storage).toEqual({ emptyDir: {} });
    expect(spec.redis.customConfig).toEqual(['appendonly no', 'save ""']);
  });

  test('config becomes the operator customConfig', () => {
    const spec = find(setup({ config: { 'maxmemory-policy': 'allkeys-lru', 'tcp-keepalive': '0' } }).all, 'RedisFailover').spec;
    expect(spec.redis.customConfig).toEqual(['maxmemory-policy allkeys-lru', 'tcp-keepalive 0']);
  });

  test('an existing password Secret', () => {
    const auth = SecretRef.existing('cache-password', ['password']);
    const { platform, all } = setup({ auth });
    expect(find(all, 'RedisFailover').spec.auth).toEqual({ secretPath: 'cache-password' });
    expect(platform.secrets.all().map((s) => s.ref)).toEqual([auth]);
  });

  test('external: a LoadBalancer to the master only, admitted by a NetworkPolicy from the source ranges', () => {
    const all = setup({ external: true, externalSourceRanges: ['198.51.100.0/24'] }).all;
    const service = find(all, 'Service', 'cache-external');
    expect(service.spec).toMatchObject({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      loadBalancerSourceRanges: ['198.51.100.0/24'],
      selector: { ...redisPods, 'redisfailovers-role': 'master' },
      ports: [{ name: 'redis', port: 6379, targetPort: 6379, protocol: 'TCP' }],
    });
    expect(find(all, 'NetworkPolicy', 'cache-external').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ protocol: 'TCP', port: 6379 }] },
    ]);
  });

  test('monitoring: the exporter sidecar, a metrics Service and a ServiceMonitor after the CRDs', () => {
    const { platform, redis, all } = setup({ monitoring: true });
    expect(find(all, 'RedisFailover').spec.redis.exporter).toEqual({
      enabled: true,
      image: 'docker.io/oliver006/redis_exporter:v1.55.0-alpine',
      imagePullPolicy: 'IfNotPresent',
      args: ['--web.telemetry-path', '/metrics'],
      env: [{ name: 'REDIS_EXPORTER_LOG_FORMAT', value: 'txt' }],
    });
    const metrics = find(all, 'Service', 'cache-metrics');
    expect(metrics.spec).toEqual({ selector: redisPods, ports: [{ name: 'metrics', port: 9121, targetPort: 'metrics', protocol: 'TCP' }] });
    const monitor = find(all, 'ServiceMonitor', 'cache');
    expect(monitor.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'redis',
      'app.kubernetes.io/instance': 'cache',
      'app.kubernetes.io/component': 'metrics',
    });
    expect(metrics.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(monitor.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
    expect(platform.registry.requirementsOf(redis)).toEqual([
      platform.registry.find(RedisOperator),
      platform.registry.find(PrometheusOperatorCrds),
    ]);
  });

  test('required anti-affinity for both roles', () => {
    const spec = find(setup({ antiAffinity: 'required' }).all, 'RedisFailover').spec;
    expect(spec.redis.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    expect(spec.sentinel.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
  });

  test('K3s delivery installs the operator through a HelmChart', () => {
    const all = setup(undefined, { delivery: 'k3s' }).all;
    expect(find(all, 'HelmChart', 'redis-operator').spec).toMatchObject({
      chart: 'redis-operator',
      repo: 'https://spotahome.github.io/redis-operator',
      version: '3.3.5',
      targetNamespace: 'redis-operator',
    });
  });
});

describe('Redis errors', () => {
  test.each<[string, RedisProps, string, unknown, string]>([
    ['sentinels even', { sentinels: 4 }, 'sentinels', 4, 'must be an odd whole number ≥ 3 (the operator configures a quorum of 2)'],
    ['sentinels too few', { sentinels: 1 }, 'sentinels', 1, 'must be an odd whole number ≥ 3'],
    ['persistence not a boolean', { persistence: 'no' as any }, 'persistence', 'no', 'must be true or false'],
    [
      'storage without persistence',
      { persistence: false, storage: { size: '1Gi' } },
      'storage',
      { size: '1Gi' },
      'only applies with persistence: true',
    ],
    ['config key', { config: { 'Max Memory': '1gb' } }, 'config.Max Memory', '1gb', 'is not a redis.conf directive name'],
    [
      'reserved config',
      { config: { requirepass: 'x' } },
      'config.requirepass',
      'x',
      'is managed by the operator or would break auth, replication or the pod layout',
    ],
    [
      'multi-line config',
      { config: { maxmemory: '1gb\nrequirepass x' } },
      'config.maxmemory',
      '1gb\nrequirepass x',
      'must be a non-empty single-line string',
    ],
    [
      'auth without password key',
      { auth: SecretRef.existing('cache-password', ['token']) },
      'auth.keys',
      ['token'],
      'must include "password"',
    ],
    ['sentinel resources', { sentinelResources: 'huge' as any }, 'sentinelResources', 'huge', 'must be one of "t1.nano"'],
    ['unknown version', { version: 'v6' as any }, 'version', 'v6', 'must be one of "v8", "v7"'],
    ['no replicas', { replicas: 0 }, 'replicas', 0, 'must be a whole number ≥ 1'],
  ])('%s', (_, props, property, value, rule) => {
    const error = problemsOf(() => setup(props));
    expect(error.path).toBe('platform/acme/cache');
    expect(error.problems).toEqual([expect.objectContaining({ property, value })]);
    expect(error.problems[0].rule).toContain(rule);
  });

  test('ids longer than the operator-derived names allow', () => {
    const platform = newPlatform();
    const id = 'a'.repeat(49);
    const error = problemsOf(() => new Redis(new Tenant(platform, 'acme'), id));
    expect(error.problems).toEqual([expect.objectContaining({ property: 'id', value: id })]);
    expect(error.message).toContain('at most 48 characters');
    expect(error.message).toContain('the operator prefixes it (rfr-, rfrm-, rfs-)');
  });
});
