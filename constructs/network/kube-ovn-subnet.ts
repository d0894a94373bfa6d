import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { addressAt, checkIpv4Network, contains, IpRange, isIpv4, overlaps, parseIp } from '../../lib/core/addresses';
import { Problems, show } from '../../lib/core/errors';
import { MANAGED_BY } from '../../lib/core/labels';
import { isDnsLabel, isDnsSubdomain } from '../../lib/core/names';
import { Platform } from '../../lib/core/platform';
import { Tenant } from '../platform/tenant';
import { checkProps } from '../../lib/core/props-check';
import { KubeOvn } from './kube-ovn';

/** Where traffic leaving a subnet of the default VPC exits: on each node, or through chosen gateway nodes. */
export type KubeOvnGatewayType = 'distributed' | 'centralized';

export interface KubeOvnSubnetProps {
  /** The subnet's IPv4 range. */
  readonly cidr: string;
  /**
   * Name of the cluster-scoped Subnet. Under a Tenant it is the tenant namespace or starts with `<namespace>.`.
   * @default the construct id; `<tenant namespace>.<id>` under a Tenant
   */
  readonly name?: string;
  /** @default the first address of cidr */
  readonly gateway?: string;
  /** Addresses Kube-OVN never assigns: `a.b.c.d` or `a.b.c.d..e.f.g.h`. @default [gateway] */
  readonly excludeIps?: readonly string[];
  /** Namespaces whose pods take their addresses from this subnet; under a Tenant only its own. @default [] */
  readonly namespaces?: readonly string[];
  /** The VPC the subnet belongs to; under a Tenant the default VPC or one of the tenant's. @default 'ovn-cluster' (the default VPC) */
  readonly vpc?: string;
  /** Masquerade traffic leaving the cluster; only the default VPC supports it. @default true in the default VPC */
  readonly natOutgoing?: boolean;
  /** Drop traffic from other subnets except allowSubnets (tenant NetworkPolicies already isolate a tenant). @default false */
  readonly private?: boolean;
  /** CIDRs a private subnet still accepts traffic from. @default [] */
  readonly allowSubnets?: readonly string[];
  /** @default 'distributed' */
  readonly gatewayType?: KubeOvnGatewayType;
  /** @default the KubeOvn mtu, else detected */
  readonly mtu?: number;
}

export const DEFAULT_VPC = 'ovn-cluster';
const RESERVED_SUBNETS = ['ovn-default', 'join'];
const GATEWAY_TYPES: readonly KubeOvnGatewayType[] = ['distributed', 'centralized'];
const TENANT_SUBNET = 'kube-ovn-subnet';
const taken = new WeakMap<
  KubeOvn,
  Array<{ readonly name: string; readonly vpc: string; readonly cidr: string; readonly range: IpRange; readonly path: string }>
>();

/** A Kube-OVN `Subnet` (kubeovn.io/v1): an address range and logical switch, bound to namespaces. */
export class KubeOvnSubnet extends Construct {
  /** A subnet of the default VPC for the tenant's namespace, created before the namespace so that every pod gets its addresses. */
  static forTenant(tenant: Tenant, cidr: string, props: Omit<KubeOvnSubnetProps, 'cidr' | 'namespaces'> = {}): KubeOvnSubnet {
    const existing = tenant.node.tryFindChild(TENANT_SUBNET) as KubeOvnSubnet | undefined;
    if (existing) {
      new Problems(tenant.node.path)
        .add(
          'subnet',
          cidr,
          `is a second subnet for the tenant, which already has ${existing.subnetName} (${existing.cidr})`,
          'give a tenant one subnet',
        )
        .throwIfAny();
    }
    const subnet = new KubeOvnSubnet(tenant, TENANT_SUBNET, {
      name: tenant.namespaceName,
      ...props,
      cidr,
      namespaces: [tenant.namespaceName],
    });
    tenant.namespaceObject.node.addDependency(subnet.subnet);
    return subnet;
  }

  readonly subnetName: string;
  readonly cidr: string;
  readonly gateway: string;
  readonly vpc: string;
  readonly namespaces: readonly string[];
  readonly subnet: ApiObject;

  constructor(scope: Construct, id: string, props: KubeOvnSubnetProps) {
    checkProps(scope, id, 'KubeOvnSubnetProps', props);
    super(scope, id);
    const platform = Platform.of(this);
    const kubeOvn = platform.registry.require(this, KubeOvn);
    const tenant = Tenant.tryOf(this);
    this.subnetName = props.name ?? (tenant ? `${tenant.namespaceName}.${id}` : id);
    this.cidr = props.cidr;
    this.vpc = props.vpc ?? DEFAULT_VPC;
    this.namespaces = props.namespaces ?? [];
    const problems = Problems.of(this);
    const range = checkIpv4Network(problems, 'cidr', props.cidr);
    this.gateway = props.gateway ?? (range ? addressAt(range, 1) : '');
    const natOutgoing = props.natOutgoing ?? this.vpc === DEFAULT_VPC;
    const gatewayType = props.gatewayType ?? 'distributed';
    check(problems, props, this, range, natOutgoing, gatewayType);
    if (tenant) {
      checkTenantName(problems, tenant, 'name', this.subnetName, 'Subnet');
      checkTenantNamespaces(problems, tenant, this.namespaces);
      if (this.vpc !== DEFAULT_VPC) checkTenantName(problems, tenant, 'vpc', this.vpc, 'Vpc');
    }
    const others = taken.get(kubeOvn) ?? [];
    if (range) checkOverlaps(problems, kubeOvn, others, this, range);
    problems.throwIfAny();
    taken.set(kubeOvn, [...others, { name: this.subnetName, vpc: this.vpc, cidr: this.cidr, range: range!, path: this.node.path }]);

    const defaultVpc = this.vpc === DEFAULT_VPC;
    this.subnet = new ApiObject(this, 'subnet', {
      apiVersion: 'kubeovn.io/v1',
      kind: 'Subnet',
      metadata: { name: this.subnetName, labels: { ...MANAGED_BY } },
      spec: {
        protocol: 'IPv4',
        cidrBlock: this.cidr,
        gateway: this.gateway,
        excludeIps: [...(props.excludeIps ?? [this.gateway])],
        namespaces: this.namespaces.length > 0 ? [...this.namespaces] : undefined,
        vpc: defaultVpc ? undefined : this.vpc,
        natOutgoing: defaultVpc ? natOutgoing : undefined,
        gatewayType: defaultVpc ? gatewayType : undefined,
        private: props.private ?? false,
        allowSubnets: props.allowSubnets && props.allowSubnets.length > 0 ? [...props.allowSubnets] : undefined,
        mtu: props.mtu ?? kubeOvn.mtu,
      },
    });
    this.node.defaultChild = this.subnet;
  }
}

/**
 * Cluster-scoped Kube-OVN objects made in a tenant are named after its namespace (`tenant-shop`, `tenant-shop.<id>`):
 * tenant names contain no dot, so no two tenants' names can collide.
 */
export function checkTenantName(problems: Problems, tenant: Tenant, property: string, name: string, kind: string): void {
  const ns = tenant.namespaceName;
  problems.check(
    name === ns || name.startsWith(`${ns}.`),
    property,
    name,
    `must be "${ns}" or start with "${ns}." in the tenant at ${tenant.node.path}: ${kind} objects are cluster-wide, and only this prefix keeps them apart from other tenants'`,
    `use ${JSON.stringify(`${ns}.${name}`)}`,
  );
}

/** Only the tenant's own namespace may be bound to a Kube-OVN object made in the tenant. */
export function checkTenantNamespaces(problems: Problems, tenant: Tenant, namespaces: readonly string[]): void {
  namespaces.forEach((ns, i) =>
    problems.check(
      ns === tenant.namespaceName,
      `namespaces[${i}]`,
      ns,
      `is not the namespace of the tenant at ${tenant.node.path}, which may only bind its own namespace "${tenant.namespaceName}"`,
      `list only "${tenant.namespaceName}", or create the object outside tenants`,
    ),
  );
}

function check(
  problems: Problems,
  props: KubeOvnSubnetProps,
  subnet: KubeOvnSubnet,
  range: IpRange | undefined,
  natOutgoing: boolean,
  gatewayType: string,
): void {
  problems.check(
    isDnsSubdomain(subnet.subnetName) && !RESERVED_SUBNETS.includes(subnet.subnetName),
    'name',
    subnet.subnetName,
    `must be a DNS-1123 subdomain other than ${RESERVED_SUBNETS.map(show).join(' and ')} (Kube-OVN's own subnets)`,
  );
  problems.check(isDnsSubdomain(subnet.vpc), 'vpc', props.vpc, 'must be the name of a Kube-OVN Vpc');
  if (range) {
    const addressIn = (ip: unknown) => (isIpv4(ip) && contains(range, parseIp(ip)!) ? parseIp(ip)!.value : undefined);
    const inside = (ip: string) => ![undefined, range.first, range.last].includes(addressIn(ip));
    problems.check(inside(subnet.gateway), 'gateway', subnet.gateway, `must be a host address inside cidr (${subnet.cidr})`);
    (props.excludeIps ?? []).forEach((entry, i) => {
      const [from, to, extra] = typeof entry === 'string' ? entry.split('..') : [];
      const [first, last] = [addressIn(from), addressIn(to)];
      const ok = extra === undefined && first !== undefined && (to === undefined || (last !== undefined && last >= first));
      problems.check(ok, `excludeIps[${i}]`, entry, `must be an address or a range "a.b.c.d..e.f.g.h" inside cidr (${subnet.cidr})`);
    });
  }
  subnet.namespaces.forEach((ns, i) => problems.check(isDnsLabel(ns), `namespaces[${i}]`, ns, 'must be a namespace name'));
  problems.check(
    !(natOutgoing && subnet.vpc !== DEFAULT_VPC),
    'natOutgoing',
    natOutgoing,
    `is only supported in the default VPC "${DEFAULT_VPC}"`,
    'route the VPC through a VpcNatGateway, or leave natOutgoing unset',
  );
  problems.check(
    GATEWAY_TYPES.includes(gatewayType as KubeOvnGatewayType),
    'gatewayType',
    gatewayType,
    `must be one of ${GATEWAY_TYPES.map(show).join(', ')}`,
  );
  (props.allowSubnets ?? []).forEach((cidr, i) => checkIpv4Network(problems, `allowSubnets[${i}]`, cidr));
  if (props.mtu !== undefined)
    problems.check(
      Number.isInteger(props.mtu) && props.mtu >= 576 && props.mtu <= 9000,
      'mtu',
      props.mtu,
      'must be a whole number from 576 to 9000',
    );
}

function checkOverlaps(
  problems: Problems,
  kubeOvn: KubeOvn,
  others: NonNullable<ReturnType<typeof taken.get>>,
  subnet: KubeOvnSubnet,
  range: IpRange,
): void {
  for (const reserved of kubeOvn.reservedRanges) {
    if (reserved.property === 'podCidr' && subnet.vpc !== DEFAULT_VPC) continue;
    problems.check(
      !overlaps(range, reserved.range),
      'cidr',
      subnet.cidr,
      `overlaps the KubeOvn ${reserved.property} (${reserved.value})`,
      'choose a range outside the pod, join and Service CIDRs',
    );
  }
  for (const other of others) {
    problems.check(
      other.name !== subnet.subnetName,
      'name',
      subnet.subnetName,
      `is already the name of the Subnet at ${other.path}`,
      'give each Subnet its own name',
    );
    if (other.vpc === subnet.vpc) {
      problems.check(
        !overlaps(range, other.range),
        'cidr',
        subnet.cidr,
        `overlaps the Subnet ${other.name} (${other.cidr}) in VPC "${subnet.vpc}"`,
        'give each subnet of a VPC its own range',
      );
    }
  }
}
