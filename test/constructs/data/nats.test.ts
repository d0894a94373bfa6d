import { Nats, NatsProps } from '../../../constructs/data/nats';
import { CertManager } from '../../../constructs/platform/cert-manager';
import { PrometheusOperatorCrds } from '../../../constructs/platform/prometheus-operator-crds';
import { Tenant } from '../../../constructs/platform/tenant';

import { PlatformProps } from '../../../lib/core/platform';
import { SecretRef } from '../../../lib/core/secrets';

import { find, newPlatform, problemsOf, validated } from '../../helpers';
import { parse } from 'yaml';

function setup(props?: NatsProps, platformProps?: PlatformProps) {
  const platform = newPlatform(platformProps);
  const tenant = new Tenant(platform, 'acme');
  const nats = new Nats(tenant, 'events', props);
  return { platform, tenant, nats, all: validated(platform) };
}

const values = (all: any[]) => find(all, 'HelmRelease', 'events').spec.values;

/**
 * The value paths the nats chart 1.x documents in its values.yaml (nats-io/k8s helm/charts/nats/values.yaml; the 1.x
 * layout that chart 1.3.16 keeps, and that Cozystack's packages/apps/nats/templates/nats.yaml sets). The chart ships no
 * values.schema.json. Paths ending in `*` are free-form maps the chart merges as given.
 */
const DOCUMENTED = [
  'fullnameOverride',
  'global.labels.*',
  'tlsCA.enabled',
  'tlsCA.secretName',
  'config.cluster.enabled',
  'config.cluster.replicas',
  'config.cluster.routeURLs.k8sClusterDomain',
  'config.cluster.routeURLs.useFQDN',
  'config.cluster.tls.enabled',
  'config.cluster.tls.secretName',
  'config.jetstream.enabled',
  'config.jetstream.fileStore.enabled',
  'config.jetstream.fileStore.pvc.enabled',
  'config.jetstream.fileStore.pvc.size',
  'config.jetstream.fileStore.pvc.storageClassName',
  'config.nats.tls.enabled',
  'config.nats.tls.secretName',
  'config.monitor.enabled',
  'config.merge.*',
  'container.image.repository',
  'container.image.tag',
  'container.env.*',
  'container.merge.*',
  'reloader.enabled',
  'reloader.merge.*',
  'promExporter.enabled',
  'promExporter.podMonitor.enabled',
  'promExporter.merge.*',
  'podTemplate.topologySpreadConstraints.*',
  'podTemplate.merge.*',
  'natsBox.enabled',
];

function leafPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, v]) => leafPaths(v, prefix ? `${prefix}.${key}` : key));
}

function undocumented(v: Record<string, unknown>): string[] {
  return leafPaths(v).filter((path) => !DOCUMENTED.some((d) => (d.endsWith('.*') ? path.startsWith(d.slice(0, -1)) : path === d)));
}

describe('Nats defaults', () => {
  test('a release of the pinned chart in the tenant namespace, applied after the Namespace', () => {
    const { nats, all } = setup();
    const release = find(all, 'HelmRelease', 'events');
    expect(release.metadata.namespace).toBe('tenant-acme');
    expect(release.spec.chart.spec).toMatchObject({
      chart: 'nats',
      version: '1.3.16',
      sourceRef: { kind: 'HelmRepository', name: 'events', namespace: 'tenant-acme' },
    });
    expect(find(all, 'HelmRepository', 'events').spec.url).toBe('https://nats-io.github.io/k8s/helm/charts/');
    expect(all.findIndex((m) => m.kind === 'Namespace')).toBeLessThan(all.indexOf(release));
    expect(nats).toMatchObject({
      replicas: 3,
      version: '2.11',
      jetstream: true,
      tls: false,
      url: 'nats://events.tenant-acme.svc.cluster.local:4222',
    });
  });

  test('three clustered servers with JetStream on a 10Gi volume each', () => {
    const v = values(setup(undefined, { storageClass: 'replicated' }).all);
    expect(v.fullnameOverride).toBe('events');
    expect(v.config.cluster).toEqual({ enabled: true, replicas: 3, routeURLs: { k8sClusterDomain: 'cluster.local' } });
    expect(v.config.jetstream).toEqual({
      enabled: true,
      fileStore: { enabled: true, pvc: { enabled: true, size: '10Gi', storageClassName: 'replicated' } },
    });
    expect(v.container.image).toEqual({ repository: 'nats', tag: '2.11.10-alpine' });
  });

  test('auth is always on: user app with a generated password, read from its Secret through the environment', () => {
    const { platform, nats, all } = setup();
    expect(nats.users.app).toMatchObject({ name: 'events.app', source: 'generated' });
    expect(platform.secrets.all().map((s) => `${s.namespace}/${s.ref.name}`)).toEqual(['tenant-acme/events.app']);
    const v = values(all);
    expect(v.config.merge).toEqual({
      accounts: { A: { jetstream: 'enabled', users: [{ user: 'app', password: '<< $NATS_PASSWORD_0 >>' }] } },
    });
    expect(v.container.env).toEqual({ NATS_PASSWORD_0: { valueFrom: { secretKeyRef: { name: 'events.app', key: 'password' } } } });
    expect(find(all, 'HelmRelease', 'events').spec.valuesFrom).toBeUndefined();
  });

  test('restricted Pod Security for every container, spread across nodes, no nats-box', () => {
    const v = values(setup().all);
    const restricted = {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
      readOnlyRootFilesystem: true,
    };
    expect(v.container.merge.securityContext).toEqual(restricted);
    expect(v.reloader.merge.securityContext).toEqual(restricted);
    expect(v.promExporter.merge.securityContext).toEqual(restricted);
    expect(v.podTemplate.merge.spec.securityContext).toEqual({
      runAsUser: 1000,
      runAsGroup: 1000,
      runAsNonRoot: true,
      fsGroup: 1000,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(v.podTemplate.topologySpreadConstraints).toEqual({
      'kubernetes.io/hostname': { maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' },
    });
    expect(
      v.podTemplate.merge.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector,
    ).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'nats', 'app.kubernetes.io/instance': 'events' } });
    expect(v.natsBox).toEqual({ enabled: false });
    expect(v.container.merge.resources.limits).toEqual({ cpu: '250m', memory: '128Mi', 'ephemeral-storage': '2Gi' });
  });

  test('Flux applies the release as a ServiceAccount limited to the tenant namespace', () => {
    const all = setup().all;
    expect(find(all, 'HelmRelease', 'events').spec.serviceAccountName).toBe('events-release');
    expect(find(all, 'ServiceAccount', 'events-release').metadata.namespace).toBe('tenant-acme');
    const rules = find(all, 'Role', 'events-release').rules;
    expect(rules.flatMap((r: any) => r.apiGroups)).not.toContain('*');
    expect(rules.flatMap((r: any) => r.resources)).not.toContain('*');
    expect(find(all, 'RoleBinding', 'events-release')).toMatchObject({
      roleRef: { kind: 'Role', name: 'events-release' },
      subjects: [{ kind: 'ServiceAccount', name: 'events-release', namespace: 'tenant-acme' }],
    });
  });

  test('every value passed is one the chart documents', () => {
    expect(undocumented(values(setup().all))).toEqual([]);
    expect(undocumented(values(setup({ tls: true, monitoring: true, replicas: 1, users: { a: {}, b: {} } }).all))).toEqual([]);
    expect(undocumented({ config: { jetstream: { fileStore: { pvc: { storageClass: 'x' } } } } })).toEqual([
      'config.jetstream.fileStore.pvc.storageClass',
    ]);
  });

  test('small snapshot of the default values', () => {
    expect(values(setup().all)).toMatchSnapshot();
  });
});

describe('Nats options', () => {
  test('one server: no cluster; explicit resources, storage and users with given Secrets', () => {
    const password = SecretRef.existing('orders-nats', ['password']);
    const { platform, nats, all } = setup({
      replicas: 1,
      resources: 't1.micro',
      storage: { size: '20Gi', storageClass: 'fast' },
      users: { orders: { password }, audit: {} },
    });
    const v = values(all);
    expect(v.config.cluster).toMatchObject({ enabled: false, replicas: 1 });
    expect(v.config.jetstream.fileStore.pvc).toEqual({ enabled: true, size: '20Gi', storageClassName: 'fast' });
    expect(v.container.merge.resources.limits).toMatchObject({ cpu: '500m', memory: '256Mi' });
    expect(v.config.merge.accounts.A.users).toEqual([
      { user: 'orders', password: '<< $NATS_PASSWORD_0 >>' },
      { user: 'audit', password: '<< $NATS_PASSWORD_1 >>' },
    ]);
    expect(v.container.env.NATS_PASSWORD_0.valueFrom.secretKeyRef).toEqual({ name: 'orders-nats', key: 'password' });
    expect(nats.users.audit.name).toBe('events.audit');
    expect(platform.secrets.all().map((s) => s.ref.name)).toEqual(['events.audit', 'orders-nats']);
  });

  test('without JetStream the account has no streams', () => {
    const v = values(setup({ jetstream: false }).all);
    expect(v.config.jetstream.enabled).toBe(false);
    expect(v.config.merge.accounts.A.jetstream).toBe('disabled');
  });

  test('authValues: the whole auth setup merged from a Secret key at install time', () => {
    const authValues = SecretRef.fromConfig('events-auth', ['values.yaml']);
    const { nats, platform, all } = setup({ authValues });
    const release = find(all, 'HelmRelease', 'events');
    expect(release.spec.valuesFrom).toEqual([{ kind: 'Secret', name: 'events-auth', valuesKey: 'values.yaml' }]);
    expect(release.spec.values.config.merge).toBeUndefined();
    expect(release.spec.values.container.env).toBeUndefined();
    expect(nats.users).toEqual({});
    expect(platform.secrets.all().map((s) => `${s.namespace}/${s.ref.name}`)).toEqual(['tenant-acme/events-auth']);
    const documentedShape = parse(
      'config:\n  merge:\n    accounts:\n      A:\n        jetstream: enabled\n        users:\n          - { user: app, password: s3cret }\n',
    );
    expect(undocumented(documentedShape)).toEqual([]);
  });

  test('authValues under K3s: the Secret, named after the tenant namespace, is read from the namespace of the HelmChart', () => {
    const authValues = SecretRef.fromConfig('tenant-acme.events-auth', ['values.yaml']);
    const { platform, all } = setup({ authValues }, { delivery: 'k3s' });
    const chart = find(all, 'HelmChart', 'tenant-acme.events');
    expect(chart.metadata.namespace).toBe('kube-system');
    expect(chart.spec).toMatchObject({
      targetNamespace: 'tenant-acme',
      valuesSecrets: [{ name: 'tenant-acme.events-auth', keys: ['values.yaml'], ignoreUpdates: false }],
    });
    expect(platform.secrets.all().map((s) => `${s.namespace}/${s.ref.name}`)).toEqual([
      'kube-system/tenant-acme.events-auth',
      'tenant-acme/tenant-acme.events-auth',
    ]);
    expect(all.filter((m) => m.kind === 'ServiceAccount')).toEqual([]);
  });

  test('tls: a cert-manager CA and server certificate for clients and routes', () => {
    const { platform, nats, all } = setup({ tls: true });
    expect(nats.url).toBe('tls://events.tenant-acme.svc.cluster.local:4222');
    expect(platform.registry.requirementsOf(nats)).toEqual([platform.registry.find(CertManager)]);
    const v = values(all);
    expect(v.config.nats.tls).toEqual({ enabled: true, secretName: 'events-tls' });
    expect(v.config.cluster.tls).toEqual({ enabled: true, secretName: 'events-tls' });
    expect(v.config.cluster.routeURLs.useFQDN).toBe(true);
    expect(v.tlsCA).toEqual({ enabled: true, secretName: 'events-ca' });
    expect(find(all, 'Issuer', 'events-selfsigned').spec).toEqual({ selfSigned: {} });
    expect(find(all, 'Certificate', 'events-ca').spec).toMatchObject({
      isCA: true,
      secretName: 'events-ca',
      issuerRef: { name: 'events-selfsigned', kind: 'Issuer' },
    });
    expect(find(all, 'Issuer', 'events-ca').spec).toEqual({ ca: { secretName: 'events-ca' } });
    expect(find(all, 'Certificate', 'events-tls').spec.dnsNames).toEqual([
      'events',
      'events.tenant-acme.svc',
      'events.tenant-acme.svc.cluster.local',
      'events-headless',
      'events-headless.tenant-acme.svc',
      'events-headless.tenant-acme.svc.cluster.local',
      '*.events-headless.tenant-acme.svc.cluster.local',
    ]);
  });

  test('external: TLS follows it, a LoadBalancer and NetworkPolicy for the client port', () => {
    const { nats, all } = setup({ external: true, externalSourceRanges: ['192.0.2.0/24'] });
    expect(nats.tls).toBe(true);
    expect(find(all, 'Service', 'events-external').spec).toMatchObject({
      type: 'LoadBalancer',
      selector: { 'app.kubernetes.io/name': 'nats', 'app.kubernetes.io/instance': 'events' },
      ports: [{ name: 'nats', port: 4222, targetPort: 4222, protocol: 'TCP' }],
    });
    expect(find(all, 'NetworkPolicy', 'events-external').spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '192.0.2.0/24' } }]);
    expect(setup({ external: true, tls: false }).nats.tls).toBe(false);
  });

  test('monitoring: the exporter and its PodMonitor, after the prometheus-operator CRDs', () => {
    const { platform, nats, all } = setup({ monitoring: true });
    const v = values(all);
    expect(v.promExporter).toMatchObject({ enabled: true, podMonitor: { enabled: true } });
    const crds = platform.registry.find(PrometheusOperatorCrds)!;
    expect(platform.registry.requirementsOf(nats)).toEqual([crds]);
    expect(nats.release.dependsOn).toEqual([crds.release]);
    expect(find(all, 'HelmRelease', 'events').spec.dependsOn).toEqual([{ name: 'prometheus-operator-crds', namespace: 'monitoring' }]);
  });

  test('required anti-affinity makes the topology spread hard too', () => {
    const v = values(setup({ antiAffinity: 'required' }).all);
    expect(v.podTemplate.topologySpreadConstraints['kubernetes.io/hostname'].whenUnsatisfiable).toBe('DoNotSchedule');
    expect(v.podTemplate.merge.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
  });
});

describe('Nats errors', () => {
  test.each<[string, NatsProps, string, unknown, string]>([
    ['no users', { users: {} }, 'users', {}, 'must name at least one user: auth cannot be turned off'],
    ['user name', { users: { 'bad user': {} } }, 'users.bad user', 'bad user', 'must be a NATS user name'],
    [
      'user password without key',
      { users: { app: { password: SecretRef.existing('x', ['token']) } } },
      'users.app.password.keys',
      ['token'],
      'must include "password"',
    ],
    [
      'users with authValues',
      { users: { app: {} }, authValues: SecretRef.fromConfig('a', ['values.yaml']) },
      'users',
      { app: {} },
      'cannot be combined with authValues',
    ],
    [
      'authValues without key',
      { authValues: SecretRef.fromConfig('a', ['auth.yaml']) },
      'authValues.keys',
      ['auth.yaml'],
      'must include "values.yaml"',
    ],
    [
      'storage without JetStream',
      { jetstream: false, storage: { size: '1Gi' } },
      'storage',
      { size: '1Gi' },
      'only applies with jetstream: true',
    ],
    ['jetstream type', { jetstream: 'yes' as any }, 'jetstream', 'yes', 'must be true or false'],
    ['tls type', { tls: 1 as any }, 'tls', 1, 'must be true or false'],
    ['unknown version', { version: '2.10' as any }, 'version', '2.10', 'must be "2.11"'],
  ])('%s', (_, props, property, value, rule) => {
    const error = problemsOf(() => setup(props));
    expect(error.path).toBe('platform/acme/events');
    expect(error.problems).toEqual([expect.objectContaining({ property, value })]);
    expect(error.problems[0].rule).toContain(rule);
  });

  test('ids longer than the release and StatefulSet names allow', () => {
    const id = 'n'.repeat(53);
    const error = problemsOf(() => new Nats(new Tenant(newPlatform(), 'acme'), id));
    expect(error.problems).toEqual([expect.objectContaining({ property: 'id', value: id })]);
    expect(error.message).toContain('at most 52 characters');
  });
});
