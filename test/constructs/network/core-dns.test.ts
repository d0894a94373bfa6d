import { CoreDns, CoreDnsProps } from '../../../constructs/network/core-dns';
import { PlatformProps } from '../../../lib/core/platform';
import { SchemaRegistry } from '../../../lib/validate';
import { find, manifests, newPlatform, SCHEMAS_DIR } from '../../helpers';
import { messageOf } from './errors';

function setup(props?: CoreDnsProps, platformProps?: PlatformProps) {
  const platform = newPlatform(platformProps);
  const coreDns = new CoreDns(platform, props);
  return { platform, coreDns, all: manifests(platform) };
}

describe('CoreDns', () => {
  test("stub domains and hosts as extra server blocks in coredns-custom, which K3s' CoreDNS imports", () => {
    const { coreDns, all } = setup({
      stubDomains: { 'corp.example': ['10.0.0.53', '10.0.0.54:5353'], '10.in-addr.arpa': ['10.0.0.53'] },
      hosts: { 'registry.lan': '192.168.1.10', 'nas.lan': '192.168.1.11' },
    });
    const config = find(all, 'ConfigMap', 'coredns-custom');
    expect(config.metadata.namespace).toBe('kube-system');
    expect(config.data['stub-domains.server']).toBe(
      [
        '10.in-addr.arpa:53 {',
        '    errors',
        '    cache 30',
        '    forward . 10.0.0.53',
        '}',
        'corp.example:53 {',
        '    errors',
        '    cache 30',
        '    forward . 10.0.0.53 10.0.0.54:5353',
        '}',
        '',
      ].join('\n'),
    );
    expect(config.data['hosts.server']).toBe(
      [
        'nas.lan registry.lan:53 {',
        '    errors',
        '    cache 30',
        '    hosts {',
        '        192.168.1.11 nas.lan',
        '        192.168.1.10 registry.lan',
        '        fallthrough',
        '    }',
        '    forward . /etc/resolv.conf',
        '}',
        '',
      ].join('\n'),
    );
    expect(coreDns.clusterDomain).toBe('cluster.local');
  });

  test('no entries and no cache', () => {
    const { all } = setup({ stubDomains: { 'corp.example': ['10.0.0.53'] }, cacheSeconds: 0 });
    expect(find(all, 'ConfigMap', 'coredns-custom').data).toEqual({
      'stub-domains.server': 'corp.example:53 {\n    errors\n    forward . 10.0.0.53\n}\n',
    });
    expect(find(setup().all, 'ConfigMap', 'coredns-custom').data).toEqual({});
  });

  test('validates against the Kubernetes schema', () => {
    const registry = SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: '1.32.0' });
    const { all } = setup(
      { stubDomains: { 'corp.example': ['10.0.0.53'] }, hosts: { 'nas.lan': '192.168.1.11' }, cacheSeconds: 60 },
      { delivery: 'k3s' },
    );
    expect(all.flatMap((m) => registry.validate(m))).toEqual([]);
  });
});

const CASES: ReadonlyArray<[string, CoreDnsProps, string]> = [
  [
    'stub domain name',
    { stubDomains: { 'Corp Example': ['10.0.0.53'] } },
    'stubDomains.Corp Example: "Corp Example" must be a DNS zone such as "corp.example".',
  ],
  [
    'stub domain inside the cluster domain',
    { stubDomains: { 'svc.cozy.local': ['10.0.0.53'] } },
    'stubDomains.svc.cozy.local: "svc.cozy.local" is inside the cluster domain "cozy.local", which the kubernetes plugin answers.',
  ],
  [
    'stub domain without servers',
    { stubDomains: { 'corp.example': [] } },
    'stubDomains.corp.example: [] must list at least one DNS server.',
  ],
  [
    'stub domain server',
    { stubDomains: { 'corp.example': ['dns.corp.example'] } },
    'stubDomains.corp.example[0]: "dns.corp.example" must be an IPv4 address with an optional port, such as "10.0.0.53" or "10.0.0.53:5353".',
  ],
  ['host name', { hosts: { 'nas_1.lan': '192.168.1.11' } }, 'hosts.nas_1.lan: "nas_1.lan" must be a DNS name such as "registry.lan".'],
  [
    'host in the cluster domain',
    { hosts: { 'api.cozy.local': '192.168.1.11' } },
    'hosts.api.cozy.local: "api.cozy.local" is inside the cluster domain "cozy.local", which the kubernetes plugin answers.',
  ],
  [
    'host that is also a stub domain',
    { stubDomains: { 'nas.lan': ['10.0.0.53'] }, hosts: { 'nas.lan': '192.168.1.11' } },
    'hosts.nas.lan: "nas.lan" is also a stub domain; CoreDNS accepts one server block per zone. Fix: remove it from hosts or from stubDomains.',
  ],
  ['host address', { hosts: { 'nas.lan': '192.168.1.256' } }, 'hosts.nas.lan: "192.168.1.256" must be an IPv4 address.'],
  ['cache', { cacheSeconds: 7200 }, 'cacheSeconds: 7200 must be a whole number from 0 to 3600.'],
];

describe('CoreDns errors', () => {
  test.each(CASES)('%s', (_, props, line) => {
    const message = messageOf((platform) => new CoreDns(platform, props), { clusterDomain: 'cozy.local' });
    expect(message).toMatch(/^\[platform\/network\/coredns\] \d+ problems?:\n/);
    expect(message).toContain(`\n  - ${line}`);
  });
});
