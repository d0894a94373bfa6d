import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Kvrocks, KvrocksProps } from '../../../constructs/data/kvrocks';
import { PrometheusOperatorCrds } from '../../../constructs/platform/prometheus-operator-crds';
import { Tenant } from '../../../constructs/platform/tenant';

import { PlatformProps } from '../../../lib/core/platform';
import { SecretRef } from '../../../lib/core/secrets';

import { find, newPlatform, problemsOf, validated } from '../../helpers';
import { testWith } from '../../system-tools';

function setup(props?: KvrocksProps, platformProps?: PlatformProps) {
  const platform = newPlatform(platformProps);
  const tenant = new Tenant(platform, 'home');
  const kv = new Kvrocks(tenant, 'kv', props);
  return { platform, tenant, kv, all: validated(platform) };
}

const pods = { 'app.kubernetes.io/name': 'kvrocks', 'app.kubernetes.io/instance': 'kv', 'app.kubernetes.io/component': 'kvrocks' };
const podSpec = (all: any[]) => find(all, 'StatefulSet', 'kv').spec.template.spec;

describe('Kvrocks defaults', () => {
  test('one pod of the pinned image with a 10Gi volume', () => {
    const { kv, all } = setup();
    const sts = find(all, 'StatefulSet', 'kv');
    expect(sts.metadata.namespace).toBe('tenant-home');
    expect(sts.spec).toMatchObject({
      replicas: 1,
      serviceName: 'kv-headless',
      podManagementPolicy: 'OrderedReady',
      selector: { matchLabels: pods },
    });
    expect(sts.spec.template.spec.containers[0].image).toBe('docker.io/apache/kvrocks:2.15.0');
    expect(sts.spec.volumeClaimTemplates).toEqual([
      {
        metadata: { name: 'data', labels: pods },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
      },
    ]);
    expect(kv).toMatchObject({ replicas: 1, version: '2.15', host: 'kv.tenant-home.svc.cluster.local', replicasServiceName: undefined });
  });

  test('the password comes from the Secret as an environment variable, never from the ConfigMap', () => {
    const { platform, kv, all } = setup();
    expect(kv.auth).toMatchObject({ name: 'kv-auth', source: 'generated' });
    expect(platform.secrets.all()).toEqual([expect.objectContaining({ namespace: 'tenant-home', ref: kv.auth })]);
    const container = podSpec(all).containers[0];
    expect(container.env).toContainEqual({ name: 'REDISCLI_AUTH', valueFrom: { secretKeyRef: { name: 'kv-auth', key: 'password' } } });
    const config = find(all, 'ConfigMap', 'kv-config').data;
    expect(config['kvrocks.conf']).not.toMatch(/requirepass|masterauth/);
    expect(config['start.sh']).toContain(`printf 'requirepass %s\\nmasterauth %s\\n' "$REDISCLI_AUTH" "$REDISCLI_AUTH"`);
    expect(all.filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  test('kvrocks.conf: fixed layout, logs to stdout, cache sized from the memory limit', () => {
    const { kv, all } = setup();
    expect(find(all, 'ConfigMap', 'kv-config').data['kvrocks.conf']).toBe(
      [
        'bind 0.0.0.0',
        'port 6666',
        'dir /var/lib/kvrocks',
        'pidfile /run/kvrocks/kvrocks.pid',
        'log-dir stdout',
        'workers 4',
        'rocksdb.block_cache_size 256',
        'rocksdb.write_buffer_size 32',
        '',
      ].join('\n'),
    );
    expect(kv.resources.limits.memory).toBe('1Gi');
  });

  test('restricted Pod Security: non-root, no privilege escalation, no capabilities, read-only root, RuntimeDefault seccomp', () => {
    const spec = podSpec(setup().all);
    expect(spec.securityContext).toEqual({
      runAsUser: 999,
      runAsGroup: 999,
      runAsNonRoot: true,
      fsGroup: 999,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
      readOnlyRootFilesystem: true,
    });
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.volumes).toContainEqual({ name: 'run', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } });
  });

  test('probes: TCP startup and liveness, an authenticated PING for readiness', () => {
    const container = podSpec(setup().all).containers[0];
    expect(container.startupProbe).toEqual({ tcpSocket: { port: 'kvrocks' }, periodSeconds: 5, failureThreshold: 60 });
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 'kvrocks' });
    expect(container.readinessProbe.exec.command).toEqual(['/bin/sh', '-c', 'redis-cli -p 6666 ping | grep -q PONG']);
  });

  test('Services: the primary (pod 0) and a headless one for stable pod names; no PDB for one pod', () => {
    const all = setup().all;
    expect(find(all, 'Service', 'kv').spec).toEqual({
      selector: { ...pods, 'statefulset.kubernetes.io/pod-name': 'kv-0' },
      ports: [{ name: 'kvrocks', port: 6666, targetPort: 'kvrocks', protocol: 'TCP' }],
    });
    expect(find(all, 'Service', 'kv-headless').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true, selector: pods });
    expect(all.filter((m) => m.kind === 'PodDisruptionBudget' || m.metadata.name === 'kv-replicas')).toEqual([]);
  });

  test('no operator is required', () => {
    const { platform, kv } = setup();
    expect(platform.registry.requirementsOf(kv)).toEqual([]);
  });

  test('small snapshot of the pod template', () => {
    expect(find(setup().all, 'StatefulSet', 'kv').spec.template).toMatchSnapshot();
  });
});

describe('Kvrocks options', () => {
  test('replication: replicas follow pod 0, read Service over all pods, a PDB and spreading', () => {
    const { kv, all } = setup({ replicas: 3, antiAffinity: 'required' });
    expect(kv.replicasServiceName).toBe('kv-replicas');
    const spec = podSpec(all);
    expect(spec.containers[0].env).toContainEqual({ name: 'PRIMARY_HOST', value: 'kv-0.kv-headless.tenant-home.svc.cluster.local' });
    expect(find(all, 'ConfigMap', 'kv-config').data['start.sh']).toContain(`*) printf 'slaveof %s 6666\\n' "$PRIMARY_HOST" >> "$conf" ;;`);
    expect(find(all, 'Service', 'kv-replicas').spec.selector).toEqual(pods);
    expect(find(all, 'PodDisruptionBudget', 'kv').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: pods } });
    expect(spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]).toEqual({
      topologyKey: 'kubernetes.io/hostname',
      labelSelector: { matchLabels: pods },
    });
    expect(spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
  });

  test('config, resources, storage and an existing Secret', () => {
    const auth = SecretRef.existing('kv-password', ['password']);
    const all = setup({
      config: { 'rocksdb.compression': 'zstd', workers: '8' },
      resources: 'u1.small',
      storage: { size: '50Gi', storageClass: 'local' },
      auth,
    }).all;
    const conf = find(all, 'ConfigMap', 'kv-config').data['kvrocks.conf'];
    expect(conf).toContain('workers 8\n');
    expect(conf).toContain('rocksdb.compression zstd\n');
    expect(conf).toContain('rocksdb.block_cache_size 1024\n');
    expect(conf).toContain('rocksdb.write_buffer_size 64\n');
    const sts = find(all, 'StatefulSet', 'kv');
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({
      storageClassName: 'local',
      resources: { requests: { storage: '50Gi' } },
    });
    expect(sts.spec.template.spec.containers[0].resources.limits).toMatchObject({ cpu: '1', memory: '4Gi' });
    expect(sts.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef).toEqual({ name: 'kv-password', key: 'password' });
  });

  test('external: a LoadBalancer to pod 0 and the NetworkPolicy that admits it', () => {
    const all = setup({ external: true }).all;
    expect(find(all, 'Service', 'kv-external').spec).toMatchObject({
      type: 'LoadBalancer',
      selector: { ...pods, 'statefulset.kubernetes.io/pod-name': 'kv-0' },
    });
    const ingress = find(all, 'NetworkPolicy', 'kv-external').spec.ingress;
    expect(ingress.map((rule: any) => rule.ports)).toEqual([[{ protocol: 'TCP', port: 6666 }]]);
    expect(ingress[0].from.map((peer: any) => peer.ipBlock.cidr)).toEqual(['0.0.0.0/0', '::/0']);
  });

  test('monitoring: an exporter sidecar authenticated from the Secret, a metrics Service and a ServiceMonitor', () => {
    const { platform, kv, all } = setup({ monitoring: true });
    const exporter = podSpec(all).containers[1];
    expect(exporter).toMatchObject({
      name: 'exporter',
      image: 'docker.io/oliver006/redis_exporter:v1.55.0-alpine',
      ports: [{ name: 'metrics', containerPort: 9121, protocol: 'TCP' }],
    });
    expect(exporter.env).toEqual([
      { name: 'REDIS_ADDR', value: 'redis://127.0.0.1:6666' },
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'kv-auth', key: 'password' } } },
    ]);
    expect(find(all, 'Service', 'kv-metrics').spec.selector).toEqual(pods);
    expect(find(all, 'ServiceMonitor', 'kv').spec.selector.matchLabels).toEqual({ ...pods, 'app.kubernetes.io/component': 'metrics' });
    expect(platform.registry.requirementsOf(kv)).toEqual([platform.registry.find(PrometheusOperatorCrds)]);
  });
});

describe('Kvrocks start script', () => {
  const shell = ['/bin/sh', '/usr/bin/dash', '/bin/bash'].find((s) => fs.existsSync(s));
  const run = (hostname: string, password: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvrocks-'));
    const { all } = setup({ replicas: 2 });
    const data = find(all, 'ConfigMap', 'kv-config').data;
    const script = (data['start.sh'] as string)
      .replace(/\/run\/kvrocks/g, dir)
      .replace('/etc/kvrocks/kvrocks.conf', path.join(dir, 'base.conf'))
      .replace('exec kvrocks -c "$conf"', 'cat "$conf"');
    fs.writeFileSync(path.join(dir, 'base.conf'), data['kvrocks.conf']);
    return execFileSync(shell!, ['-c', script], {
      env: { POD_NAME: hostname, REDISCLI_AUTH: password, PRIMARY_HOST: 'kv-0.kv-headless' },
    }).toString();
  };

  (shell ? test : test.skip)('pod 0 is the primary; other pods follow it; the password is written verbatim', () => {
    const primary = run('kv-0', 'p%s w0rd');
    expect(primary).toContain('requirepass p%s w0rd\nmasterauth p%s w0rd\n');
    expect(primary).not.toContain('slaveof');
    expect(run('kv-1', 'x')).toMatch(/slaveof kv-0\.kv-headless 6666\n$/);
    expect(run('kv-10', 'x')).toContain('slaveof');
  });

  testWith('shellcheck')('passes shellcheck as POSIX sh', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kvrocks-')), 'start.sh');
    fs.writeFileSync(file, find(setup().all, 'ConfigMap', 'kv-config').data['start.sh']);
    expect(() => execFileSync('shellcheck', ['--shell=sh', '--severity=style', file], { stdio: 'pipe' })).not.toThrow();
  });
});

describe('Kvrocks errors', () => {
  test.each<[string, KvrocksProps, string, unknown, string]>([
    ['config key', { config: { 'Max Clients': '10' } }, 'config.Max Clients', '10', 'is not a kvrocks.conf directive name'],
    [
      'reserved config',
      { config: { requirepass: 'x' } },
      'config.requirepass',
      'x',
      'is set by kubestrata for the pod layout, auth or replication',
    ],
    ['reserved log-dir', { config: { 'log-dir': '/tmp' } }, 'config.log-dir', '/tmp', 'is set by kubestrata'],
    [
      'multi-line config',
      { config: { workers: '4\nslaveof x 1' } },
      'config.workers',
      '4\nslaveof x 1',
      'must be a non-empty single-line string',
    ],
    [
      'auth without password key',
      { auth: SecretRef.fromConfig('kv-password', ['secret']) },
      'auth.keys',
      ['secret'],
      'must include "password"',
    ],
    ['unknown version', { version: '2.9' as any }, 'version', '2.9', 'must be "2.15"'],
    ['storage size', { storage: { size: '0' } }, 'storage.size', '0', 'must be a positive Kubernetes quantity'],
  ])('%s', (_, props, property, value, rule) => {
    const error = problemsOf(() => setup(props));
    expect(error.path).toBe('platform/home/kv');
    expect(error.problems).toEqual([expect.objectContaining({ property, value })]);
    expect(error.problems[0].rule).toContain(rule);
  });

  test('ids longer than a StatefulSet name allows', () => {
    const id = 'k'.repeat(53);
    const error = problemsOf(() => new Kvrocks(new Tenant(newPlatform(), 'home'), id));
    expect(error.problems).toEqual([expect.objectContaining({ property: 'id', value: id })]);
    expect(error.message).toContain('at most 52 characters');
  });
});
