import { Construct } from 'constructs';
import { ManagedService, ManagedServiceProps, RESTRICTED_CONTAINER_SECURITY } from '../../../constructs/data/managed-service';
import { ServiceConnection } from '../../../constructs/data/service-connection';
import { PrometheusOperatorCrds } from '../../../constructs/platform/prometheus-operator-crds';
import { Tenant, TenantProps } from '../../../constructs/platform/tenant';
import { ConfigurationError } from '../../../lib/core/errors';

import { SecretRef } from '../../../lib/core/secrets';

import { versions } from '../../../lib/versions';
import { find, manifests, newPlatform, problemsOf, validated } from '../../helpers';

type EchoVersion = '1' | '2';

interface EchoProps extends ManagedServiceProps<EchoVersion> {
  readonly password?: SecretRef;
  readonly needsBaseline?: boolean;
}

/** A minimal service on the base: a Deployment spread across nodes, a Service, optional exposure and metrics. */
class Echo extends ManagedService<EchoVersion> {
  readonly password: SecretRef;

  constructor(scope: Construct, id: string, props: EchoProps = {}) {
    super(scope, id, props, {
      kind: 'echo',
      replicas: 2,
      minReplicas: 1,
      versions: ['1', '2'],
      version: '2',
      storageSize: '1Gi',
      resources: 't1.nano',
      maxNameLength: 20,
    });
    if (props.password) this.useSecret(props.password, 'password', ['password']);
    if (props.needsBaseline) this.requirePodSecurity('baseline', 'it needs NET_ADMIN');
    this.throwIfInvalid();
    this.password = props.password ?? this.generatedPassword('echo');
    const selector = this.selector();
    this.object('deployment', 'apps/v1', 'Deployment', id, {
      spec: {
        replicas: this.replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: { ...selector, ...this.podLabels({ apiserver: true }) } },
          spec: {
            ...this.spread(selector),
            containers: [
              {
                name: 'echo',
                image: `example.org/echo:${this.version}`,
                securityContext: RESTRICTED_CONTAINER_SECURITY,
                resources: this.resources,
                ports: [
                  { name: 'echo', containerPort: 7000 },
                  { name: 'metrics', containerPort: 9000 },
                ],
              },
            ],
          },
        },
      },
    });
    this.object('pvc', 'v1', 'PersistentVolumeClaim', `${id}-data`, { spec: this.volume() });
    this.object('service', 'v1', 'Service', id, {
      spec: {
        selector,
        ports: [
          { name: 'echo', port: 7000 },
          { name: 'metrics', port: 9000 },
        ],
      },
    });
    if (this.external) this.exposeExternally(selector, [{ name: 'echo', port: 7000 }]);
    this.monitor(selector, 'metrics', [{ pods: selector, port: 9000 }]);
  }

  get connection(): ServiceConnection {
    return {
      host: this.serviceHost(this.serviceName),
      hosts: {},
      ports: { echo: 7000 },
      credentials: { echo: { name: this.password.name, keys: this.password.keys } },
    };
  }
}

function setup(props?: EchoProps, tenantProps?: TenantProps, platformProps = {}) {
  const platform = newPlatform(platformProps);
  const tenant = new Tenant(platform, 'acme', tenantProps);
  const echo = new Echo(tenant, 'echo', props);
  return { platform, tenant, echo };
}

describe('ManagedService defaults', () => {
  test('per-service defaults, applied once into public fields', () => {
    const { echo } = setup();
    expect(echo).toMatchObject({
      serviceName: 'echo',
      namespace: 'tenant-acme',
      replicas: 2,
      version: '2',
      storage: { size: '1Gi' },
      external: false,
      monitoring: false,
      antiAffinity: 'preferred',
    });
    expect(echo.storage.storageClass).toBeUndefined();
    expect(echo.resources.limits).toEqual({ cpu: '250m', memory: '128Mi', 'ephemeral-storage': '2Gi' });
  });

  test("serviceHost names a Service of the tenant namespace under the platform's cluster domain", () => {
    const { platform, echo } = setup({}, undefined, { clusterDomain: 'example.internal' });
    expect(echo.connection.host).toBe('echo.tenant-acme.svc.example.internal');
    expect(find(manifests(platform), 'Service', 'echo').metadata.namespace).toBe('tenant-acme');
  });

  test('objects live in the tenant namespace with the recommended labels', () => {
    const all = validated(setup().platform);
    const deployment = find(all, 'Deployment', 'echo');
    expect(deployment.metadata.namespace).toBe('tenant-acme');
    expect(deployment.metadata.labels).toMatchObject({
      'app.kubernetes.io/name': 'echo',
      'app.kubernetes.io/instance': 'echo',
      'app.kubernetes.io/component': 'echo',
      'app.kubernetes.io/managed-by': 'kubestrata',
      'kubestrata.io/tenant': 'acme',
    });
    expect(deployment.spec.template.metadata.labels).toMatchObject({
      'kubestrata.io/tenant': 'acme',
      'kubestrata.io/allow-to-apiserver': 'true',
    });
  });

  test('preferred spread: soft anti-affinity and ScheduleAnyway topology spread across hostnames', () => {
    const spec = find(validated(setup().platform), 'Deployment', 'echo').spec.template.spec;
    const selector = { 'app.kubernetes.io/name': 'echo', 'app.kubernetes.io/instance': 'echo', 'app.kubernetes.io/component': 'echo' };
    expect(spec.affinity).toEqual({
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } } },
        ],
      },
    });
    expect(spec.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } },
    ]);
  });

  test('required spread: hard anti-affinity and DoNotSchedule', () => {
    const spec = find(validated(setup({ antiAffinity: 'required' }).platform), 'Deployment', 'echo').spec.template.spec;
    expect(spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
    expect(spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
  });

  test('volumes use the size and the platform storage class unless overridden', () => {
    expect(find(validated(setup(undefined, undefined, { storageClass: 'replicated' }).platform), 'PersistentVolumeClaim').spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'replicated',
      resources: { requests: { storage: '1Gi' } },
    });
    expect(
      find(
        validated(setup({ storage: { size: '5Gi', storageClass: 'local' } }, undefined, { storageClass: 'replicated' }).platform),
        'PersistentVolumeClaim',
      ).spec,
    ).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'local', resources: { requests: { storage: '5Gi' } } });
  });

  test('a generated password is registered for the deployment layer and never rendered', () => {
    const { platform, echo } = setup();
    expect(echo.password).toMatchObject({ name: 'echo.echo', source: 'generated', keys: ['username', 'password'] });
    expect(platform.secrets.all()).toEqual([
      expect.objectContaining({ namespace: 'tenant-acme', ref: echo.password, users: ['platform/acme/echo'] }),
    ]);
    expect(manifests(platform).filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  test('a given SecretRef is registered under the tenant namespace', () => {
    const ref = SecretRef.fromConfig('echo-auth', ['password']);
    const { platform } = setup({ password: ref });
    expect(platform.secrets.all().map((s) => s.ref)).toEqual([ref]);
  });

  test('no external Service, NetworkPolicy or ServiceMonitor by default', () => {
    const all = validated(setup().platform);
    expect(all.filter((m) => m.kind === 'Service').map((m) => m.metadata.name)).toEqual(['echo']);
    expect(all.filter((m) => m.kind === 'ServiceMonitor')).toEqual([]);
    expect(all.filter((m) => m.kind === 'NetworkPolicy' && m.metadata.name.startsWith('echo'))).toEqual([]);
  });
});

describe('ManagedService exposure and monitoring', () => {
  test('external: a LoadBalancer keeping client addresses and a NetworkPolicy admitting the source ranges', () => {
    const all = validated(setup({ external: true, externalSourceRanges: ['203.0.113.0/24', '2001:db8::/32'] }).platform);
    const service = find(all, 'Service', 'echo-external');
    expect(service.spec).toEqual({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      loadBalancerSourceRanges: ['203.0.113.0/24', '2001:db8::/32'],
      selector: { 'app.kubernetes.io/name': 'echo', 'app.kubernetes.io/instance': 'echo', 'app.kubernetes.io/component': 'echo' },
      ports: [{ name: 'echo', port: 7000, targetPort: 7000, protocol: 'TCP' }],
    });
    expect(find(all, 'NetworkPolicy', 'echo-external').spec).toEqual({
      podSelector: { matchLabels: service.spec.selector },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ ipBlock: { cidr: '203.0.113.0/24' } }, { ipBlock: { cidr: '2001:db8::/32' } }],
          ports: [{ protocol: 'TCP', port: 7000 }],
        },
      ],
    });
  });

  test('external without source ranges admits any address outside the cluster on the service ports only', () => {
    const all = validated(setup({ external: true }).platform);
    expect(find(all, 'Service', 'echo-external').spec.loadBalancerSourceRanges).toBeUndefined();
    const ingress = find(all, 'NetworkPolicy', 'echo-external').spec.ingress;
    expect(ingress.map((rule: any) => rule.ports)).toEqual([[{ protocol: 'TCP', port: 7000 }]]);
    expect(ingress[0].from.map((peer: any) => peer.ipBlock.cidr)).toEqual(['0.0.0.0/0', '::/0']);
  });

  test('monitoring: a ServiceMonitor on the metrics port, after the prometheus-operator CRDs', () => {
    const { platform, echo } = setup({ monitoring: true });
    const all = validated(platform);
    expect(find(all, 'ServiceMonitor', 'echo').spec).toEqual({
      selector: {
        matchLabels: { 'app.kubernetes.io/name': 'echo', 'app.kubernetes.io/instance': 'echo', 'app.kubernetes.io/component': 'echo' },
      },
      namespaceSelector: { matchNames: ['tenant-acme'] },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }],
    });
    expect(find(all, 'NetworkPolicy', 'echo-monitoring').spec).toEqual({
      podSelector: {
        matchLabels: { 'app.kubernetes.io/name': 'echo', 'app.kubernetes.io/instance': 'echo', 'app.kubernetes.io/component': 'echo' },
      },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
          ports: [{ protocol: 'TCP', port: 9000 }],
        },
      ],
    });
    const crds = platform.registry.find(PrometheusOperatorCrds)!;
    expect(platform.registry.requirementsOf(echo)).toEqual([crds]);
    expect(crds.version).toBe('0.87.0');
    const release = find(all, 'HelmRelease', 'prometheus-operator-crds');
    expect(release.metadata.namespace).toBe('monitoring');
    expect(release.spec.chart.spec).toMatchObject({
      chart: 'prometheus-operator-crds',
      version: versions.prometheusOperatorCrds.chart.version,
    });
    expect(find(all, 'HelmRepository', 'prometheus-operator-crds').spec.url).toBe('https://prometheus-community.github.io/helm-charts');
  });

  test('the CRD release is rendered for K3s delivery too', () => {
    const all = validated(setup({ monitoring: true }, undefined, { delivery: 'k3s' }).platform);
    expect(find(all, 'HelmChart', 'prometheus-operator-crds').spec).toMatchObject({
      chart: 'prometheus-operator-crds',
      version: '25.0.0',
      targetNamespace: 'monitoring',
    });
  });
});

describe('ManagedService errors', () => {
  test.each([
    ['id', 'Echo', 'must be a DNS-1035 label of at most 20 characters', 'use "echo"'],
    ['id', '1echo', 'must be a DNS-1035 label of at most 20 characters', 'use "echo"'],
    ['id', 'a-very-long-service-name', 'must be a DNS-1035 label of at most 20 characters', 'use "a-very-long-service"'],
  ])('%s %j', (property, id, rule, fix) => {
    const platform = newPlatform();
    const tenant = new Tenant(platform, 'acme');
    const error = problemsOf(() => new Echo(tenant, id));
    expect(error.path).toBe(`platform/acme/${id}`);
    expect(error.problems).toEqual([expect.objectContaining({ property, value: id })]);
    expect(error.message).toContain(rule);
    expect(error.message).toContain(fix);
  });

  test.each<[string, EchoProps, string, unknown, string]>([
    ['replicas below the minimum', { replicas: 0 }, 'replicas', 0, 'must be a whole number ≥ 1'],
    ['fractional replicas', { replicas: 1.5 }, 'replicas', 1.5, 'must be a whole number ≥ 1'],
    ['unknown version', { version: '3' as EchoVersion }, 'version', '3', 'is not a supported version (one of "1", "2")'],
    ['storage size', { storage: { size: '10GB' } }, 'storage.size', '10GB', 'must be a positive Kubernetes quantity'],
    ['storage class', { storage: { storageClass: 'Fast_SSD' } }, 'storage.storageClass', 'Fast_SSD', 'must be a StorageClass name'],
    ['resources preset', { resources: 'x1.huge' as any }, 'resources', 'x1.huge', 'is not a resource preset'],
    ['resources amounts', { resources: { cpu: '-1', memory: '1Gi' } }, 'resources.cpu', '-1', 'must be a positive Kubernetes quantity'],
    ['external type', { external: 'yes' as any }, 'external', 'yes', 'must be true or false'],
    ['monitoring type', { monitoring: 1 as any }, 'monitoring', 1, 'must be true or false'],
    ['anti-affinity', { antiAffinity: 'strict' as any }, 'antiAffinity', 'strict', 'must be one of "preferred", "required"'],
    [
      'source ranges without external',
      { externalSourceRanges: ['10.0.0.0/8'] },
      'externalSourceRanges',
      ['10.0.0.0/8'],
      'only applies to the LoadBalancer of external: true',
    ],
    [
      'source range not a CIDR',
      { external: true, externalSourceRanges: ['10.0.0.0'] },
      'externalSourceRanges',
      '10.0.0.0',
      'must be an IPv4 or IPv6 CIDR',
    ],
    [
      'source ranges not a list',
      { external: true, externalSourceRanges: '10.0.0.0/8' as any },
      'externalSourceRanges',
      '10.0.0.0/8',
      'must be a list of CIDRs',
    ],
    [
      'secret without the key',
      { password: SecretRef.existing('echo-auth', ['token']) },
      'password.keys',
      ['token'],
      'must include "password"',
    ],
    ['secret not a SecretRef', { password: { name: 'x' } as any }, 'password', { name: 'x' }, 'must be a SecretRef'],
  ])('%s', (_, props, property, value, rule) => {
    const error = problemsOf(() => setup(props));
    expect(error.path).toBe('platform/acme/echo');
    expect(error.problems).toEqual([expect.objectContaining({ property, value })]);
    expect(error.problems[0].rule).toContain(rule);
  });

  test('all problems of one service are reported together', () => {
    const error = problemsOf(() => setup({ replicas: -1, version: '9' as EchoVersion, storage: { size: 'big' } }));
    expect(error.problems.map((p) => p.property)).toEqual(['replicas', 'version', 'storage.size']);
  });

  test('two services of one tenant cannot share an id', () => {
    const platform = newPlatform();
    const tenant = new Tenant(platform, 'acme');
    new Echo(tenant, 'echo');
    const group = new Construct(tenant, 'group');
    const error = problemsOf(() => new Echo(group, 'echo'));
    expect(error.path).toBe('platform/acme/group/echo');
    expect(error.problems).toEqual([expect.objectContaining({ property: 'id', value: 'echo' })]);
    expect(error.message).toContain(
      'id: "echo" is already the name of the Echo at platform/acme/echo in namespace tenant-acme. Fix: give each Echo of a tenant its own id.',
    );
  });

  test('services of different kinds cannot share an id either', () => {
    class Other extends Echo {}
    const platform = newPlatform();
    const tenant = new Tenant(platform, 'acme');
    new Echo(tenant, 'echo');
    const error = problemsOf(() => new Other(new Construct(tenant, 'group'), 'echo'));
    expect(error.message).toContain(
      'id: "echo" is already the name of the Echo at platform/acme/echo in namespace tenant-acme. Fix: give each managed service of a tenant its own id.',
    );
  });

  test('a service with problems registers neither its Secrets nor its id', () => {
    const platform = newPlatform();
    const tenant = new Tenant(platform, 'acme');
    expect(() => new Echo(tenant, 'echo', { password: SecretRef.fromConfig('echo-auth', ['password']), replicas: 0 })).toThrow(
      ConfigurationError,
    );
    expect(platform.secrets.all()).toEqual([]);
    expect(() => new Echo(new Construct(tenant, 'again'), 'echo')).not.toThrow();
  });

  test('the same id in two tenants is fine', () => {
    const platform = newPlatform();
    new Echo(new Tenant(platform, 'a'), 'echo');
    expect(() => new Echo(new Tenant(platform, 'b'), 'echo')).not.toThrow();
  });

  test('a service that needs a weaker Pod Security level than the tenant enforces', () => {
    const error = problemsOf(() => setup({ needsBaseline: true }));
    expect(error.problems).toEqual([expect.objectContaining({ property: 'tenant.podSecurity', value: 'restricted' })]);
    expect(error.message).toContain('is stricter than the "baseline" Pod Security level this service needs (it needs NET_ADMIN)');
    expect(error.message).toContain("Fix: create the tenant with podSecurity: 'baseline'.");
    expect(() => setup({ needsBaseline: true }, { podSecurity: 'baseline' })).not.toThrow();
  });

  test('outside a tenant', () => {
    const platform = newPlatform();
    expect(() => new Echo(platform, 'echo')).toThrow(
      '[platform/echo] 1 problem:\n  - scope: "platform/echo" is not inside a Tenant.' +
        " Fix: create it in a tenant, new Echo(tenant, 'echo'), where tenant = new Tenant(platform, 'name').",
    );
  });
});
