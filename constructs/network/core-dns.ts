import { ApiObject } from 'cdk8s';
import { isIpv4 } from '../../lib/core/addresses';
import { Component } from '../../lib/core/component';
import { Problems } from '../../lib/core/errors';
import { MANAGED_BY } from '../../lib/core/labels';
import { isDnsSubdomain } from '../../lib/core/names';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';

export interface CoreDnsProps {
  /** Zones answered by other DNS servers: zone → upstream servers (`10.0.0.53` or `10.0.0.53:5353`). @default {} */
  readonly stubDomains?: Readonly<Record<string, readonly string[]>>;
  /** Names answered with a fixed IPv4 address: name → address. @default {} */
  readonly hosts?: Readonly<Record<string, string>>;
  /** Seconds the answers for stub domains and hosts are cached; 0 turns the cache off. @default 30 */
  readonly cacheSeconds?: number;
}

const NAMESPACE = 'kube-system';
const UPSTREAM = /^(.+?)(?::(\d{1,5}))?$/;

/**
 * Stub domains and host entries for the cluster's CoreDNS, as the ConfigMap `coredns-custom` in kube-system whose
 * `*.server` entries are extra server blocks.
 *
 * The CoreDNS that K3s deploys reads it: its Deployment mounts that ConfigMap (optional) at /etc/coredns/custom and
 * its Corefile has `import /etc/coredns/custom/*.server` after the `.:53` block (and `*.override` inside it).
 * Talos, kubeadm, RKE2 and Olares' own CoreDNS do not mount it; there it has no effect until their Corefile gets
 * the same import. Host entries are served from their own server block because K3s' main block already uses the
 * `hosts` plugin, which CoreDNS allows once per block.
 */
export class CoreDns extends Component {
  static readonly CONFIG_MAP = 'coredns-custom';

  /** The cluster domain the kubernetes plugin serves, which no stub domain or host may shadow. */
  readonly clusterDomain: string;
  readonly stubDomains: Readonly<Record<string, readonly string[]>>;
  readonly hosts: Readonly<Record<string, string>>;
  readonly cacheSeconds: number;
  readonly configMap: ApiObject;

  constructor(platform: Platform, props: CoreDnsProps = {}) {
    checkProps(platform.layer('network'), 'coredns', 'CoreDnsProps', props);
    const stubDomains = props.stubDomains ?? {};
    const hosts = props.hosts ?? {};
    const cacheSeconds = props.cacheSeconds ?? 30;
    const problems = Problems.of(platform.layer('network'), 'coredns');
    check(problems, platform.clusterDomain, stubDomains, hosts, cacheSeconds);
    problems.throwIfAny();
    super(platform, 'network', 'coredns');
    this.clusterDomain = platform.clusterDomain;
    this.stubDomains = stubDomains;
    this.hosts = hosts;
    this.cacheSeconds = cacheSeconds;

    const data: Record<string, string> = {};
    const stubs = Object.entries(stubDomains).sort(([a], [b]) => a.localeCompare(b));
    if (stubs.length > 0)
      data['stub-domains.server'] = stubs
        .map(([zone, upstreams]) => block([zone], cacheSeconds, [`forward . ${upstreams.join(' ')}`]))
        .join('');
    const names = Object.entries(hosts).sort(([a], [b]) => a.localeCompare(b));
    if (names.length > 0) {
      data['hosts.server'] = block(
        names.map(([name]) => name),
        cacheSeconds,
        ['hosts {', ...names.map(([name, ip]) => `    ${ip} ${name}`), '    fallthrough', '}', 'forward . /etc/resolv.conf'],
      );
    }
    this.configMap = new ApiObject(this, 'config', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: CoreDns.CONFIG_MAP, namespace: NAMESPACE, labels: { ...MANAGED_BY } },
      data,
    });
    this.node.defaultChild = this.configMap;
  }
}

function block(zones: readonly string[], cacheSeconds: number, plugins: readonly string[]): string {
  const lines = ['errors', ...(cacheSeconds > 0 ? [`cache ${cacheSeconds}`] : []), ...plugins];
  return `${zones.join(' ')}:53 {\n${lines.map((l) => `    ${l}`).join('\n')}\n}\n`;
}

function check(
  problems: Problems,
  clusterDomain: string,
  stubDomains: Readonly<Record<string, readonly string[]>>,
  hosts: Readonly<Record<string, string>>,
  cacheSeconds: number,
): void {
  const inCluster = (name: string) => name === clusterDomain || name.endsWith(`.${clusterDomain}`);
  for (const [zone, upstreams] of Object.entries(stubDomains)) {
    const property = `stubDomains.${zone}`;
    if (problems.check(isDnsSubdomain(zone), property, zone, 'must be a DNS zone such as "corp.example"')) {
      problems.check(
        !inCluster(zone),
        property,
        zone,
        `is inside the cluster domain "${clusterDomain}", which the kubernetes plugin answers`,
      );
    }
    if (!problems.check(Array.isArray(upstreams) && upstreams.length > 0, property, upstreams, 'must list at least one DNS server'))
      continue;
    upstreams.forEach((upstream, i) =>
      problems.check(
        isUpstream(upstream),
        `${property}[${i}]`,
        upstream,
        'must be an IPv4 address with an optional port, such as "10.0.0.53" or "10.0.0.53:5353"',
      ),
    );
  }
  for (const [name, ip] of Object.entries(hosts)) {
    const property = `hosts.${name}`;
    if (problems.check(isDnsSubdomain(name), property, name, 'must be a DNS name such as "registry.lan"')) {
      problems.check(
        !inCluster(name),
        property,
        name,
        `is inside the cluster domain "${clusterDomain}", which the kubernetes plugin answers`,
      );
      problems.check(
        !(name in stubDomains),
        property,
        name,
        'is also a stub domain; CoreDNS accepts one server block per zone',
        'remove it from hosts or from stubDomains',
      );
    }
    problems.check(isIpv4(ip), property, ip, 'must be an IPv4 address');
  }
  problems.check(
    Number.isInteger(cacheSeconds) && cacheSeconds >= 0 && cacheSeconds <= 3600,
    'cacheSeconds',
    cacheSeconds,
    'must be a whole number from 0 to 3600',
  );
}

function isUpstream(value: unknown): boolean {
  const match = typeof value === 'string' ? UPSTREAM.exec(value) : null;
  return match !== null && isIpv4(match[1]) && (match[2] === undefined || (Number(match[2]) >= 1 && Number(match[2]) <= 65535));
}
