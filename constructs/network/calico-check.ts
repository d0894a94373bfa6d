import { checkDisjoint, checkIpv4Network, IpRange } from '../../lib/core/addresses';
import { Problems, show } from '../../lib/core/errors';
import { isDnsSubdomain } from '../../lib/core/names';
import { Platform } from '../../lib/core/platform';
import {
  CALICO_DATAPLANES,
  CALICO_ENCAPSULATIONS,
  CalicoDataplane,
  CalicoEncapsulation,
  CalicoFelixSettings,
  CalicoIpPool,
  CalicoNodeAddressDetection,
  CalicoProps,
  ResolvedCalicoIpPool,
} from './calico-props';

export const DEFAULT_POOL = 'default-ipv4-ippool';
const NODE_ADDRESS_METHODS = ['kubernetes', 'canReach', 'interface', 'skipInterface', 'cidrs', 'firstFound'];
const FEATURE_NAME = /^[a-zA-Z0-9-_]+$/;
const LOG_SEVERITIES = ['Debug', 'Info', 'Warning', 'Error', 'Fatal'];
const ENDPOINT_TO_HOST = ['Accept', 'Drop', 'Return'];

/** Calico's settings with every default applied. */
export interface ResolvedCalico {
  readonly podCidr: string;
  readonly blockSize: number;
  readonly encapsulation: CalicoEncapsulation;
  readonly natOutgoing: boolean;
  readonly bgp: boolean;
  readonly mtu?: number;
  readonly dataplane: CalicoDataplane;
  readonly nodeAddressDetection: CalicoNodeAddressDetection;
  readonly containerIpForwarding: boolean;
  readonly apiServer: boolean;
  readonly ipPools: Readonly<Record<string, ResolvedCalicoIpPool>>;
  readonly felix: Required<CalicoFelixSettings>;
}

export function resolveCalico(platform: Platform, props: CalicoProps): ResolvedCalico {
  const encapsulation = props.encapsulation ?? 'IPIP';
  const blockSize = props.blockSize ?? 24;
  return {
    podCidr: props.podCidr ?? '10.233.64.0/18',
    blockSize,
    encapsulation,
    natOutgoing: props.natOutgoing ?? true,
    bgp: props.bgp ?? true,
    mtu: props.mtu,
    dataplane: props.dataplane ?? 'Iptables',
    nodeAddressDetection: props.nodeAddressDetection ?? { method: 'kubernetes' },
    containerIpForwarding: props.containerIpForwarding ?? platform.delivery === 'k3s',
    apiServer: props.apiServer ?? false,
    ipPools: Object.fromEntries(
      Object.entries(props.ipPools ?? {}).map(([name, pool]) => [
        name,
        {
          cidr: pool?.cidr,
          encapsulation: pool?.encapsulation ?? encapsulation,
          natOutgoing: pool?.natOutgoing ?? true,
          blockSize: pool?.blockSize ?? blockSize,
          nodeSelector: pool?.nodeSelector ?? 'all()',
          disabled: pool?.disabled ?? false,
        },
      ]),
    ),
    felix: {
      workloadToHostAction: props.felix?.workloadToHostAction ?? 'Accept',
      ipv6: props.felix?.ipv6 ?? false,
      featureDetectOverride: props.felix?.featureDetectOverride ?? { SNATFullyRandom: false, MASQFullyRandom: false },
      wireguard: props.felix?.wireguard ?? false,
      prometheusMetrics: props.felix?.prometheusMetrics ?? false,
      logSeverity: props.felix?.logSeverity ?? 'Info',
    },
  };
}

/** Collects every problem of a Calico's props. */
export function checkCalico(problems: Problems, props: CalicoProps, resolved: ResolvedCalico): void {
  const podRange = checkIpv4Network(problems, 'podCidr', resolved.podCidr);
  checkPool(
    problems,
    '',
    { cidr: resolved.podCidr, blockSize: resolved.blockSize, encapsulation: resolved.encapsulation },
    podRange,
    resolved.bgp,
  );
  if (props.mtu !== undefined) {
    problems.check(
      Number.isInteger(props.mtu) && props.mtu >= 576 && props.mtu <= 9000,
      'mtu',
      props.mtu,
      'must be a whole number from 576 to 9000',
    );
  }
  if (props.dataplane !== undefined) {
    problems.check(
      CALICO_DATAPLANES.includes(props.dataplane),
      'dataplane',
      props.dataplane,
      `must be one of ${CALICO_DATAPLANES.map(show).join(', ')}`,
    );
  }
  if (props.nodeAddressDetection !== undefined) checkNodeAddress(problems, props.nodeAddressDetection);
  if (props.kubernetesServiceEndpoint !== undefined) {
    const { host, port } = props.kubernetesServiceEndpoint;
    problems.check(
      typeof host === 'string' && host.length > 0 && !/\s/.test(host),
      'kubernetesServiceEndpoint.host',
      host,
      'must be a host name or IP address',
    );
    problems.check(
      Number.isInteger(port) && port > 0 && port < 65536,
      'kubernetesServiceEndpoint.port',
      port,
      'must be a TCP port (1-65535)',
    );
  }
  const ranges: { property: string; value: string; range?: IpRange }[] = [
    { property: 'podCidr', value: resolved.podCidr, range: podRange },
  ];
  for (const [name, pool] of Object.entries(resolved.ipPools)) {
    const property = `ipPools.${name}`;
    if (
      !problems.check(
        isDnsSubdomain(name) && name !== DEFAULT_POOL,
        property,
        name,
        `must be a DNS-1123 subdomain other than "${DEFAULT_POOL}" (the operator's pool for podCidr)`,
      )
    )
      continue;
    const range = checkIpv4Network(problems, `${property}.cidr`, pool.cidr);
    checkPool(problems, `${property}.`, pool, range, resolved.bgp);
    ranges.push({ property: `${property}.cidr`, value: pool.cidr, range });
  }
  checkDisjoint(problems, ranges);
  checkFelix(problems, props.felix ?? {});
}

function checkPool(problems: Problems, prefix: string, pool: CalicoIpPool, range: { prefix: number } | undefined, bgp: boolean): void {
  const { encapsulation, blockSize } = pool;
  if (encapsulation !== undefined) {
    if (
      problems.check(
        CALICO_ENCAPSULATIONS.includes(encapsulation),
        `${prefix}encapsulation`,
        encapsulation,
        `must be one of ${CALICO_ENCAPSULATIONS.map(show).join(', ')}`,
      )
    ) {
      problems.check(
        !encapsulation.startsWith('IPIP') || bgp,
        `${prefix}encapsulation`,
        encapsulation,
        'needs BGP, which carries the routes IPIP tunnels follow, but bgp is false',
        'set bgp: true or use "VXLAN"',
      );
    }
  }
  if (blockSize !== undefined) {
    const ok = problems.check(
      Number.isInteger(blockSize) && blockSize >= 20 && blockSize <= 32,
      `${prefix}blockSize`,
      blockSize,
      'must be a whole number from 20 to 32',
    );
    if (ok && range) {
      problems.check(
        blockSize >= range.prefix,
        `${prefix}blockSize`,
        blockSize,
        `must not be shorter than the prefix of the pool's CIDR (/${range.prefix})`,
        `use ${range.prefix} or more`,
      );
    }
  }
  if (pool.nodeSelector !== undefined) {
    problems.check(
      typeof pool.nodeSelector === 'string' && pool.nodeSelector.trim().length > 0,
      `${prefix}nodeSelector`,
      pool.nodeSelector,
      'must be a Calico selector such as "all()" or "rack == \'a\'"',
    );
  }
}

function checkNodeAddress(problems: Problems, detection: CalicoNodeAddressDetection): void {
  const property = 'nodeAddressDetection';
  if (
    !problems.check(
      NODE_ADDRESS_METHODS.includes(detection?.method),
      `${property}.method`,
      detection?.method,
      `must be one of ${NODE_ADDRESS_METHODS.map(show).join(', ')}`,
    )
  )
    return;
  if (detection.method === 'canReach')
    problems.check(
      nonEmpty(detection.destination),
      `${property}.destination`,
      detection.destination,
      'must be an IP address or DNS name the nodes can reach',
    );
  if (detection.method === 'interface' || detection.method === 'skipInterface') {
    problems.check(
      nonEmpty(detection.pattern) && isRegExp(detection.pattern),
      `${property}.pattern`,
      detection.pattern,
      'must be a regular expression of interface names, such as "eth.*"',
    );
  }
  if (detection.method === 'cidrs') {
    if (
      problems.check(
        Array.isArray(detection.cidrs) && detection.cidrs.length > 0,
        `${property}.cidrs`,
        detection.cidrs,
        'must list at least one CIDR',
      )
    ) {
      detection.cidrs.forEach((cidr, i) => checkIpv4Network(problems, `${property}.cidrs[${i}]`, cidr));
    }
  }
}

function checkFelix(problems: Problems, felix: CalicoFelixSettings): void {
  if (felix.workloadToHostAction !== undefined) {
    problems.check(
      ENDPOINT_TO_HOST.includes(felix.workloadToHostAction),
      'felix.workloadToHostAction',
      felix.workloadToHostAction,
      `must be one of ${ENDPOINT_TO_HOST.map(show).join(', ')}`,
    );
  }
  if (felix.logSeverity !== undefined) {
    problems.check(
      LOG_SEVERITIES.includes(felix.logSeverity),
      'felix.logSeverity',
      felix.logSeverity,
      `must be one of ${LOG_SEVERITIES.map(show).join(', ')}`,
    );
  }
  for (const [name, value] of Object.entries(felix.featureDetectOverride ?? {})) {
    problems.check(
      FEATURE_NAME.test(name) && typeof value === 'boolean',
      `felix.featureDetectOverride.${name}`,
      value,
      'must be a feature name (letters, digits, "-", "_") set to true or false',
    );
  }
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
