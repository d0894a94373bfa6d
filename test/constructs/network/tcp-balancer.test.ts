import { Construct } from 'constructs';
import { TcpBalancer, TcpBalancerProps } from '../../../constructs/network/tcp-balancer';
import { Tenant } from '../../../constructs/platform/tenant';
import { ConfigurationError } from '../../../lib/core/errors';
import { SchemaRegistry } from '../../../lib/validate';
import { versions } from '../../../lib/versions';
import { find, manifests, newPlatform, SCHEMAS_DIR } from '../../helpers';
import { checkWith } from './config-check';

const ENDPOINTS = { endpoints: ['10.0.0.11', 'web-2.example.com'] };

function setup(props: TcpBalancerProps = ENDPOINTS) {
  const platform = newPlatform();
  const tenant = new Tenant(platform, 'acme');
  const balancer = new TcpBalancer(tenant, 'web', props);
  return { platform, tenant, balancer, all: manifests(platform) };
}

function config(all: any[]): string {
  return find(all, 'ConfigMap', 'web-haproxy').data['haproxy.cfg'];
}

describe('TcpBalancer defaults (Cozystack tcp-balancer)', () => {
  test('two HAProxy replicas spread over nodes, t1.nano, in the tenant namespace', () => {
    const { balancer, all } = setup();
    const deployment = find(all, 'Deployment', 'web-haproxy');
    expect(deployment.metadata.namespace).toBe('tenant-acme');
    expect(deployment.spec.replicas).toBe(2);
    const pod = deployment.spec.template.spec;
    expect(pod.containers[0].image).toBe(`docker.io/library/haproxy:${versions.haproxy.tag}`);
    expect(pod.containers[0].resources).toEqual({
      limits: { cpu: '250m', memory: '128Mi', 'ephemeral-storage': '2Gi' },
      requests: { cpu: '25m', memory: '128Mi', 'ephemeral-storage': '52Mi' },
    });
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe(
      'kubernetes.io/hostname',
    );
    expect(deployment.spec.template.metadata.labels).toMatchObject({
      'kubestrata.io/tenant': 'acme',
      'kubestrata.io/allow-to-external': 'true',
    });
    expect(balancer).toMatchObject({
      name: 'web-haproxy',
      host: 'web-haproxy.tenant-acme.svc.cluster.local',
      mode: 'tcp',
      http: 80,
      https: 443,
    });
  });

  test('restricted pods: non-root, read-only root, no privilege escalation, no capabilities, RuntimeDefault seccomp, no token', () => {
    const pod = find(setup().all, 'Deployment', 'web-haproxy').spec.template.spec;
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 99,
      runAsGroup: 99,
      fsGroup: 99,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('haproxy.cfg: least-connection backends per frontend, failing backends marked down', () => {
    expect(config(setup().all)).toBe(
      [
        'resolvers cluster',
        '    parse-resolv-conf',
        '    hold valid 10s',
        '',
        'defaults',
        '    mode tcp',
        '    option dontlognull',
        '    timeout connect 5s',
        '    timeout client 5m',
        '    timeout server 5m',
        '    timeout tunnel 5m',
        '    timeout check 10s',
        '',
        'frontend http',
        '    bind :8080',
        '    default_backend http',
        '',
        'backend http',
        '    balance leastconn',
        '    default-server observe layer4 error-limit 10 on-error mark-down check resolvers cluster init-addr last,libc,none',
        '    server srv0 10.0.0.11:80',
        '    server srv1 web-2.example.com:80',
        '',
        'frontend https',
        '    bind :8443',
        '    default_backend https',
        '',
        'backend https',
        '    balance leastconn',
        '    default-server observe layer4 error-limit 10 on-error mark-down check resolvers cluster init-addr last,libc,none',
        '    server srv0 10.0.0.11:443',
        '    server srv1 web-2.example.com:443',
        '',
      ].join('\n'),
    );
  });

  test('a ClusterIP Service on 80 and 443; no external policy', () => {
    const { all } = setup();
    expect(find(all, 'Service', 'web-haproxy').spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'tcp-balancer', 'app.kubernetes.io/component': 'haproxy', 'app.kubernetes.io/instance': 'web' },
      ports: [
        { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' },
        { name: 'https', protocol: 'TCP', port: 443, targetPort: 'https' },
      ],
    });
    expect(all.filter((m) => m.metadata.name === 'web-haproxy-external')).toEqual([]);
  });

  test('the Deployment restarts when haproxy.cfg changes', () => {
    const hash = (props: TcpBalancerProps) =>
      find(setup(props).all, 'Deployment', 'web-haproxy').spec.template.metadata.annotations['kubestrata.io/config-hash'];
    expect(hash(ENDPOINTS)).toMatch(/^[0-9a-f]{16}$/);
    expect(hash(ENDPOINTS)).not.toBe(hash({ endpoints: ['10.0.0.12'] }));
  });
});

describe('TcpBalancer options', () => {
  const props: TcpBalancerProps = {
    endpoints: ['10.0.0.11'],
    mode: 'tcp-with-proxy',
    http: false,
    https: 8443,
    allowList: ['203.0.113.0/24', '198.51.100.7/32'],
    replicas: 3,
    resources: { cpu: '1', memory: '256Mi' },
    external: true,
  };

  test('PROXY v2 to the backends, one frontend, an allow-list, three replicas', () => {
    const { all } = setup(props);
    const cfg = config(all);
    expect(cfg).not.toContain('frontend http\n');
    expect(cfg).toContain(
      'frontend https\n    bind :8443\n    acl allowed src 203.0.113.0/24 198.51.100.7/32\n    tcp-request connection reject if !allowed\n',
    );
    expect(cfg).toContain('init-addr last,libc,none send-proxy-v2\n    server srv0 10.0.0.11:8443\n');
    expect(find(all, 'Deployment', 'web-haproxy').spec.replicas).toBe(3);
  });

  test('external: a LoadBalancer keeping client addresses, limited to the allow-list, and a NetworkPolicy letting them in', () => {
    const { all } = setup(props);
    expect(find(all, 'Service', 'web-haproxy').spec).toMatchObject({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      allocateLoadBalancerNodePorts: false,
      loadBalancerSourceRanges: ['203.0.113.0/24', '198.51.100.7/32'],
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 'https' }],
    });
    expect(find(all, 'NetworkPolicy', 'web-haproxy-external').spec).toEqual({
      podSelector: {
        matchLabels: {
          'app.kubernetes.io/name': 'tcp-balancer',
          'app.kubernetes.io/component': 'haproxy',
          'app.kubernetes.io/instance': 'web',
        },
      },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ ipBlock: { cidr: '203.0.113.0/24' } }, { ipBlock: { cidr: '198.51.100.7/32' } }],
          ports: [{ protocol: 'TCP', port: 8443 }],
        },
      ],
    });
  });

  test('external without an allow-list admits every client outside the cluster', () => {
    const policy = find(setup({ ...ENDPOINTS, external: true }).all, 'NetworkPolicy', 'web-haproxy-external');
    expect(policy.spec.ingress.map((rule: any) => rule.ports)).toEqual([
      [
        { protocol: 'TCP', port: 8080 },
        { protocol: 'TCP', port: 8443 },
      ],
    ]);
    expect(policy.spec.ingress[0].from.map((peer: any) => peer.ipBlock.cidr)).toEqual(['0.0.0.0/0', '::/0']);
  });

  test('every object validates against the Kubernetes schemas', () => {
    const registry = SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: '1.32.0' });
    for (const p of [ENDPOINTS, props]) expect(setup(p).all.flatMap((m) => registry.validate(m))).toEqual([]);
  });

  test('HAProxy accepts the generated configuration', () => {
    checkWith('haproxy', ['-c', '-f'], config(setup(props).all), 'haproxy.cfg');
    checkWith('haproxy', ['-c', '-f'], config(setup().all), 'haproxy.cfg');
  });
});

const CASES: ReadonlyArray<[string, TcpBalancerProps, string]> = [
  [
    'empty endpoints',
    { endpoints: [] },
    'endpoints: [] is required: the addresses of the backends. Fix: pass endpoints: ["10.0.0.11", "10.0.0.12"].',
  ],
  [
    'no endpoints (untyped input)',
    {} as TcpBalancerProps,
    'endpoints: (not set) is required: the addresses of the backends. Fix: pass endpoints: ["10.0.0.11", "10.0.0.12"].',
  ],
  [
    'endpoint with a port',
    { endpoints: ['10.0.0.11:80'] },
    'endpoints[0]: "10.0.0.11:80" must be an IPv4 address or a DNS name, without a port.',
  ],
  [
    'endpoint that looks like an address',
    { endpoints: ['10.0.0.256'] },
    'endpoints[0]: "10.0.0.256" must be an IPv4 address or a DNS name, without a port.',
  ],
  ['mode', { ...ENDPOINTS, mode: 'http' as any }, 'mode: "http" must be one of "tcp", "tcp-with-proxy".'],
  ['HTTP port', { ...ENDPOINTS, http: 0 }, 'http: 0 must be a TCP port (1-65535) or false.'],
  ['HTTPS port', { ...ENDPOINTS, https: 70000 }, 'https: 70000 must be a TCP port (1-65535) or false.'],
  [
    'no frontend',
    { ...ENDPOINTS, http: false, https: false },
    'http: false and https are both false, which leaves nothing to balance. Fix: keep one of them.',
  ],
  ['allow-list entry', { ...ENDPOINTS, allowList: ['203.0.113.1'] }, 'allowList[0]: "203.0.113.1" must be an IPv4 CIDR'],
  ['replicas', { ...ENDPOINTS, replicas: 0 }, 'replicas: 0 must be a whole number ≥ 1.'],
  ['resources', { ...ENDPOINTS, resources: 'x1.huge' as any }, 'resources: "x1.huge" must be one of "t1.nano"'],
];

describe('TcpBalancer errors', () => {
  test.each(CASES)('%s', (_, props, line) => {
    expect(() => setup(props)).toThrow(ConfigurationError);
    expect(() => setup(props)).toThrow(`\n  - ${line}`);
  });

  test('an id that cannot name a Service', () => {
    const tenant = new Tenant(newPlatform(), 'acme');
    expect(() => new TcpBalancer(tenant, '1web', ENDPOINTS)).toThrow(
      '[platform/acme/1web] 1 problem:\n  - id: "1web" must be a DNS-1035 label of at most 55 characters (it names a Service).',
    );
  });

  test('two balancers of one id in one tenant', () => {
    const tenant = new Tenant(newPlatform(), 'acme');
    new TcpBalancer(tenant, 'web', ENDPOINTS);
    expect(() => new TcpBalancer(new Construct(tenant, 'team'), 'web', ENDPOINTS)).toThrow(
      '[platform/acme/team/web] 1 problem:\n' +
        '  - id: "web" would name objects "web-haproxy", which the construct at platform/acme/web already uses in namespace tenant-acme. Fix: give each balancer and cache of a tenant its own id.',
    );
  });

  test('outside a tenant', () => {
    expect(() => new TcpBalancer(newPlatform(), 'web', ENDPOINTS)).toThrow(
      '[platform/web] 1 problem:\n  - scope: "platform/web" is not inside a Tenant.' +
        " Fix: create it in a tenant, new TcpBalancer(tenant, 'web'), where tenant = new Tenant(platform, 'name').",
    );
  });
});
