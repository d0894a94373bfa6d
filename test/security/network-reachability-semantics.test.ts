import {
  Endpoint,
  NetworkReachability,
  PodEndpoint,
  PolicyEngine,
  Protocol,
  ReachabilityOptions,
} from '../../lib/validate/network-reachability';
import { problemsOf } from '../helpers';

const namespace = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});
const policy = (ns: string, name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: ns },
  spec,
});
const pod = (name: string, ns: string, ip: string, labels: Record<string, string> = {}, extra: Partial<PodEndpoint> = {}): PodEndpoint => ({
  kind: 'pod',
  name,
  namespace: ns,
  ip,
  labels,
  ...extra,
});

const web = pod(
  'web',
  'shop',
  '10.244.1.10',
  { app: 'web', tier: 'front' },
  {
    ports: [
      { name: 'http', port: 8080 },
      { name: 'dns', port: 53, protocol: 'UDP' },
    ],
    node: 'n1',
  },
);
const db = pod('db', 'shop', '10.244.1.11', { app: 'db' }, { ports: [{ name: 'pg', port: 5432 }] });
const other = pod('other', 'lab', '10.244.2.10', { app: 'web' });
const client: Endpoint = { kind: 'external', name: 'client', ip: '203.0.113.7' };
const node1: Endpoint = { kind: 'node', name: 'n1', ip: '192.168.1.11' };
const node2: Endpoint = { kind: 'node', name: 'n2', ip: '192.168.1.12' };
const BASE = [namespace('shop', { team: 'a' }), namespace('lab', { team: 'b' })];

function reach(policies: unknown[], options: ReachabilityOptions = { engine: 'calico' }) {
  const r = new NetworkReachability([...BASE, ...policies], options);
  return (from: Endpoint, to: Endpoint, port: number, protocol?: Protocol) => r.allows({ from, to, port, protocol });
}

describe('NetworkReachability: Kubernetes NetworkPolicy', () => {
  test('pods no policy selects are open both ways', () => {
    const allows = reach([]);
    expect(allows(other, web, 1)).toBe(true);
    expect(allows(web, client, 443)).toBe(true);
  });

  test('a policy without rules isolates the pods it selects; policyTypes defaults to Ingress', () => {
    const allows = reach([policy('shop', 'deny', { podSelector: {} })]);
    expect(allows(other, web, 8080)).toBe(false);
    expect(allows(web, other, 8080)).toBe(true);
  });

  test('a policy selects pods of its own namespace only', () => {
    const allows = reach([policy('lab', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })]);
    expect(allows(web, db, 5432)).toBe(true);
    expect(allows(web, other, 80)).toBe(false);
  });

  test.each(['calico', 'cilium', 'kube-ovn'] as PolicyEngine[])(
    '%s: a rule without peers admits pods, nodes and outside addresses alike',
    (engine) => {
      const allows = reach([policy('shop', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 8080 }] }] })], { engine });
      expect([other, node2, client].map((from) => allows(from, web, 8080))).toEqual([true, true, true]);
    },
  );

  test('policyTypes defaults to Ingress and Egress when egress rules exist; an empty egress list adds nothing', () => {
    expect(reach([policy('shop', 'p', { podSelector: {}, egress: [{ to: [{ podSelector: {} }] }] })])(web, other, 80)).toBe(false);
    expect(reach([policy('shop', 'p', { podSelector: { matchLabels: { app: 'db' } }, egress: [] })])(db, other, 80)).toBe(true);
  });

  test('a policy with only Egress leaves ingress to its pods open, and its ingress rules are ignored', () => {
    const allows = reach([
      policy('shop', 'egress-only', {
        podSelector: {},
        policyTypes: ['Egress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'none' } } }] }],
      }),
    ]);
    expect(allows(other, web, 8080)).toBe(true);
    expect(allows(web, other, 8080)).toBe(false);
  });

  test('egress must be allowed at the source and ingress at the destination', () => {
    const egress = policy('lab', 'lab-out', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { team: 'a' } } }] }],
    });
    const ingress = policy('shop', 'shop-in', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] });
    expect(reach([egress])(other, web, 8080)).toBe(true);
    expect(reach([egress, ingress])(other, web, 8080)).toBe(false);
    expect(reach([egress, ingress])(db, web, 8080)).toBe(true);
  });

  test('rules of every policy selecting a pod add up', () => {
    const allows = reach([
      policy('shop', 'deny', { podSelector: {} }),
      policy('shop', 'from-lab', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'b' } } }] }],
      }),
    ]);
    expect(allows(other, web, 8080)).toBe(true);
    expect(allows(other, db, 5432)).toBe(false);
  });

  test('a podSelector peer alone means pods of the policy namespace; a namespaceSelector alone all pods of matching namespaces', () => {
    const podOnly = reach([
      policy('shop', 'p', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] }),
    ]);
    expect(podOnly(web, db, 5432)).toBe(true);
    expect(podOnly(other, db, 5432)).toBe(false);
    const namespaceOnly = reach([policy('shop', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] })]);
    expect(namespaceOnly(other, db, 5432)).toBe(true);
    expect(namespaceOnly(client, db, 5432)).toBe(false);
  });

  test('namespaceSelector and podSelector in one peer must both match; in two peers either does', () => {
    const both = [{ namespaceSelector: { matchLabels: { team: 'b' } }, podSelector: { matchLabels: { app: 'api' } } }];
    expect(reach([policy('shop', 'p', { podSelector: {}, ingress: [{ from: both }] })])(other, db, 5432)).toBe(false);
    const either = [{ namespaceSelector: { matchLabels: { team: 'b' } } }, { podSelector: { matchLabels: { app: 'api' } } }];
    expect(reach([policy('shop', 'p', { podSelector: {}, ingress: [{ from: either }] })])(other, db, 5432)).toBe(true);
  });

  test('namespaces carry kubernetes.io/metadata.name, also those without a manifest', () => {
    const from = [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }];
    const allows = reach([policy('shop', 'p', { podSelector: {}, ingress: [{ from }] })]);
    expect(allows(pod('dns', 'kube-system', '10.244.0.2', { 'k8s-app': 'kube-dns' }), db, 5432)).toBe(true);
    expect(allows(other, db, 5432)).toBe(false);
  });

  test.each([
    ['In', ['web', 'api'], [true, false]],
    ['NotIn', ['web'], [false, true]],
    ['Exists', undefined, [true, true]],
    ['DoesNotExist', undefined, [false, false]],
  ] as const)('matchExpressions %s', (operator, values, [webAllowed, dbAllowed]) => {
    const allows = reach([
      policy('shop', 'p', {
        podSelector: { matchExpressions: [{ key: 'app', operator, values }] },
        policyTypes: ['Egress'],
      }),
    ]);
    expect(allows(web, other, 80)).toBe(!webAllowed);
    expect(allows(db, other, 80)).toBe(!dbAllowed);
  });

  test('NotIn and DoesNotExist select pods without the key', () => {
    const bare = pod('bare', 'shop', '10.244.1.12');
    for (const operator of ['NotIn', 'DoesNotExist']) {
      const allows = reach([
        policy('shop', 'p', {
          podSelector: { matchExpressions: [{ key: 'app', operator, values: operator === 'NotIn' ? ['x'] : undefined }] },
          policyTypes: ['Egress'],
        }),
      ]);
      expect(allows(bare, other, 80)).toBe(false);
    }
  });

  test('matchLabels and matchExpressions of one selector must all match', () => {
    const allows = reach([
      policy('shop', 'p', {
        podSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] },
        policyTypes: ['Egress'],
      }),
    ]);
    expect(allows(web, other, 80)).toBe(true);
  });

  describe('ports', () => {
    const only = (ports: unknown[]) => reach([policy('shop', 'p', { podSelector: {}, ingress: [{ ports }] })]);

    test('a numeric port admits that port and protocol only; protocol defaults to TCP', () => {
      const allows = only([{ port: 8080 }]);
      expect(allows(other, web, 8080)).toBe(true);
      expect(allows(other, web, 8081)).toBe(false);
      expect(allows(other, web, 8080, 'UDP')).toBe(false);
    });

    test('endPort admits the inclusive range', () => {
      const allows = only([{ port: 8000, endPort: 8010 }]);
      expect([7999, 8000, 8010, 8011].map((p) => allows(other, web, p))).toEqual([false, true, true, false]);
    });

    test('a port entry with only a protocol admits every port of that protocol', () => {
      const allows = only([{ protocol: 'UDP' }]);
      expect(allows(other, web, 5353, 'UDP')).toBe(true);
      expect(allows(other, web, 5353)).toBe(false);
    });

    test('a named port resolves against the container ports of the destination pod, protocol included', () => {
      const allows = only([{ port: 'http' }, { port: 'dns', protocol: 'UDP' }]);
      expect(allows(other, web, 8080)).toBe(true);
      expect(allows(other, web, 53, 'UDP')).toBe(true);
      expect(allows(other, web, 53)).toBe(false);
      expect(allows(other, db, 8080)).toBe(false);
    });

    test('a named port in an egress rule resolves against the destination, never against a non-pod', () => {
      const allows = reach([policy('lab', 'p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'pg' }] }] })]);
      expect(allows(other, db, 5432)).toBe(true);
      expect(allows(other, web, 5432)).toBe(false);
      expect(allows(other, client, 5432)).toBe(false);
    });

    test('ports and peers of one rule must both match', () => {
      const allows = reach([policy('shop', 'p', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 5432 }] }] })]);
      expect(allows(web, db, 5432)).toBe(true);
      expect(allows(web, db, 5433)).toBe(false);
      expect(allows(other, db, 5432)).toBe(false);
    });
  });

  describe('ipBlock', () => {
    const fromBlock = (ipBlock: unknown, options?: ReachabilityOptions) =>
      reach([policy('shop', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock }] }] })], options);

    test('admits addresses in the CIDR except the excepted ones', () => {
      const allows = fromBlock({ cidr: '203.0.113.0/24', except: ['203.0.113.0/30'] });
      expect(allows(client, web, 80)).toBe(true);
      expect(allows({ kind: 'external', name: 'x', ip: '203.0.113.2' }, web, 80)).toBe(false);
      expect(allows({ kind: 'external', name: 'y', ip: '198.51.100.1' }, web, 80)).toBe(false);
    });

    test('IPv6 blocks never match IPv4 endpoints', () => {
      expect(fromBlock({ cidr: '::/0' })(client, web, 80)).toBe(false);
    });

    test.each(['calico', 'kube-ovn'] as const)('%s: ipBlocks match pod and node addresses too', (engine) => {
      const allows = fromBlock({ cidr: '0.0.0.0/0', except: ['10.244.2.0/24'] }, { engine });
      expect(allows(client, web, 80)).toBe(true);
      expect(allows(db, web, 80)).toBe(true);
      expect(allows(other, web, 80)).toBe(false);
      expect(allows(node2, web, 80)).toBe(true);
    });

    test('cilium: ipBlocks match only addresses outside the cluster, nodes only with policyCidrMatchMode nodes', () => {
      const allows = fromBlock({ cidr: '0.0.0.0/0' }, { engine: 'cilium' });
      expect(allows(client, web, 80)).toBe(true);
      expect(allows(db, web, 80)).toBe(false);
      expect(allows(node2, web, 80)).toBe(false);
      expect(fromBlock({ cidr: '0.0.0.0/0' }, { engine: 'cilium', policyCidrMatchMode: 'nodes' })(node2, web, 80)).toBe(true);
    });

    test('cilium: egress to a node (the API server) needs a rule without peers unless policyCidrMatchMode is nodes', () => {
      const toNode = policy('shop', 'p', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '192.168.1.0/24' } }], ports: [{ port: 6443 }] }],
      });
      expect(reach([toNode], { engine: 'cilium' })(web, node2, 6443)).toBe(false);
      expect(reach([toNode], { engine: 'cilium', policyCidrMatchMode: 'nodes' })(web, node2, 6443)).toBe(true);
      expect(reach([toNode], { engine: 'calico' })(web, node2, 6443)).toBe(true);
      const anywhere = policy('shop', 'p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 6443 }] }] });
      expect(reach([anywhere], { engine: 'cilium' })(web, node2, 6443)).toBe(true);
    });
  });

  test.each(['calico', 'cilium', 'kube-ovn'] as PolicyEngine[])('%s: a node reaches its own pods whatever the policies say', (engine) => {
    const allows = reach([policy('shop', 'deny', { podSelector: {} })], { engine });
    expect(allows(node1, web, 8080)).toBe(true);
    expect(allows(node2, web, 8080)).toBe(false);
  });

  test('explain names the policies that admit a connection and the side that refuses it', () => {
    const r = new NetworkReachability(
      [
        ...BASE,
        policy('shop', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
        policy('shop', 'web-in', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{}] }),
      ],
      { engine: 'calico' },
    );
    expect(r.explain({ from: other, to: web, port: 8080 })).toEqual({
      allowed: true,
      egress: { allowed: true, isolated: false, allowedBy: [] },
      ingress: { allowed: true, isolated: true, allowedBy: ['shop/web-in'] },
    });
    expect(r.explain({ from: web, to: other, port: 80 }).egress).toEqual({ allowed: false, isolated: true, allowedBy: [] });
  });
});

describe('NetworkReachability: invalid input', () => {
  test('options', () => {
    expect(problemsOf(() => new NetworkReachability([], { engine: 'weave' as PolicyEngine })).message).toContain(
      'engine: "weave" must be one of calico, cilium, kube-ovn',
    );
    expect(problemsOf(() => new NetworkReachability([], { engine: 'calico', policyCidrMatchMode: 'nodes' })).message).toContain(
      'policyCidrMatchMode: "nodes" is a Cilium setting whose only value is "nodes". Fix: remove it, or set engine: "cilium"',
    );
  });

  test('policies: every field without a meaning is reported with its path', () => {
    const message = problemsOf(
      () =>
        new NetworkReachability(
          [
            policy('shop', 'bad', {
              podSelector: {
                matchExpressions: [
                  { key: 'a', operator: 'Equals', values: ['x'] },
                  { key: 'b', operator: 'In' },
                  { key: 'c', operator: 'Exists', values: ['x'] },
                ],
              },
              policyTypes: ['Ingress', 'Sideways'],
              ingress: [
                {
                  from: [{ ipBlock: { cidr: '10.0.0.0/33', except: ['nope'] } }, { ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }],
                  ports: [
                    { protocol: 'ICMP', port: 80 },
                    { port: 0 },
                    { port: 'Not_A_Name' },
                    { port: 'http', endPort: 90 },
                    { port: 90, endPort: 80 },
                  ],
                },
              ],
            }),
            { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'nowhere' }, spec: { podSelector: {} } },
          ],
          { engine: 'calico' },
        ),
    ).message;
    for (const expected of [
      '[NetworkReachability] 13 problems:',
      'NetworkPolicy shop/bad: spec.policyTypes: "Sideways" must be "Ingress" or "Egress"',
      'spec.podSelector.matchExpressions[0].operator: "Equals" must be one of In, NotIn, Exists, DoesNotExist',
      'spec.podSelector.matchExpressions[1].values: (not set) must list at least one value for In',
      'spec.podSelector.matchExpressions[2].values: ["x"] must be empty for Exists',
      'spec.ingress[0].from[0].ipBlock.cidr: "10.0.0.0/33" must be an IPv4 or IPv6 CIDR. Fix: write it like "203.0.113.0/24"',
      'spec.ingress[0].from[0].ipBlock.except[0]: "nope" must be an IPv4 or IPv6 CIDR',
      'spec.ingress[0].from[1]: {"ipBlock":{"cidr":"10.0.0.0/8"},"podSelector":{}} must not combine ipBlock with a selector',
      'spec.ingress[0].ports[0].protocol: "ICMP" must be one of TCP, UDP, SCTP',
      'spec.ingress[0].ports[1].port: 0 must be a port number from 1 to 65535 or a container port name',
      'spec.ingress[0].ports[2].port: "Not_A_Name" must be a port number',
      'spec.ingress[0].ports[3].endPort: 90 must be a whole number from port to 65535, beside a numeric port',
      'spec.ingress[0].ports[4].endPort: 80 must be a whole number from port to 65535',
      'NetworkPolicy undefined/nowhere: metadata.namespace: (not set) must be set: a NetworkPolicy selects pods of its own namespace',
    ])
      expect(message).toContain(expected);
  });

  test('matchLabels values must be strings', () => {
    expect(
      problemsOf(() => new NetworkReachability([policy('shop', 'p', { podSelector: { matchLabels: { app: 1 } } })], { engine: 'cilium' }))
        .message,
    ).toContain('NetworkPolicy shop/p: spec.podSelector.matchLabels.app: 1 must be a string');
  });

  test('connections', () => {
    const r = new NetworkReachability([], { engine: 'calico' });
    const message = problemsOf(() =>
      r.allows({
        from: { kind: 'pod', name: 'a', namespace: '', labels: {}, ip: '10.0.0.300' },
        to: { kind: 'vm', name: 'b', ip: '10.0.0.1' } as unknown as Endpoint,
        port: 70000,
        protocol: 'ICMP' as Protocol,
      }),
    ).message;
    for (const expected of [
      'from.ip: "10.0.0.300" must be an IPv4 address. Fix: write it like "10.244.1.7"',
      'from.namespace: "" must name the namespace of the pod',
      'to.kind: "vm" must be "pod", "node" or "external"',
      'port: 70000 must be a whole number from 1 to 65535',
      'protocol: "ICMP" must be one of TCP, UDP, SCTP',
    ])
      expect(message).toContain(expected);
  });
});
