import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { Problems } from '../../core/errors';
import { checkPropsAt } from '../../core/props-check';
import { contains, IpPrefix, IpRange, overlaps, parseIp } from '../../core/addresses';

export interface AwsNetworkArgs {
  /** The VPC's range. @default '10.0.0.0/16' */
  readonly cidr?: string;
  /** One public subnet per availability zone, in zone order. @default ['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20'] */
  readonly subnets?: readonly string[];
  /** Zones for the subnets, e.g. `eu-central-1a`. @default - the region's available zones, read at deployment */
  readonly availabilityZones?: readonly string[];
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A VPC with one public subnet per availability zone and an internet gateway. The nodes get public addresses so
 * that talosctl, SSH and the Kubernetes API are reachable from where `pulumi up` runs without a bastion or NAT
 * gateway; the security groups admit only the admin networks and the cluster's own traffic. The VPC's default
 * security group is emptied.
 */
export class AwsNetwork extends pulumi.ComponentResource {
  readonly cidr: string;
  readonly vpc: aws.ec2.Vpc;
  readonly subnets: ReadonlyArray<{ readonly cidr: string; readonly subnet: aws.ec2.Subnet }>;

  constructor(name: string, args: AwsNetworkArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
    checkPropsAt(name, 'AwsNetworkArgs', args);
    const cidr = args.cidr ?? '10.0.0.0/16';
    const cidrs = [...(args.subnets ?? ['10.0.0.0/20', '10.0.16.0/20', '10.0.32.0/20'])];
    check(name, cidr, cidrs, args.availabilityZones);
    super('kubestrata:provision:AwsNetwork', name, {}, opts);
    this.cidr = cidr;
    const child = { parent: this };
    const tags = (suffix: string) => ({ ...args.tags, Name: `${name}-${suffix}` });

    this.vpc = new aws.ec2.Vpc(
      `${name}/vpc`,
      { cidrBlock: this.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: tags('vpc') },
      child,
    );
    new aws.ec2.DefaultSecurityGroup(
      `${name}/default-sg`,
      { vpcId: this.vpc.id, ingress: [], egress: [], tags: tags('default-deny') },
      child,
    );
    const gateway = new aws.ec2.InternetGateway(`${name}/igw`, { vpcId: this.vpc.id, tags: tags('igw') }, child);
    const routes = new aws.ec2.RouteTable(
      `${name}/public`,
      {
        vpcId: this.vpc.id,
        routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: gateway.id }],
        tags: tags('public'),
      },
      child,
    );
    const zones: pulumi.Input<string[]> = args.availabilityZones
      ? [...args.availabilityZones]
      : aws.getAvailabilityZonesOutput({ state: 'available' }, child).names;
    this.subnets = cidrs.map((cidr, i) => {
      const subnet = new aws.ec2.Subnet(
        `${name}/subnet-${i}`,
        {
          vpcId: this.vpc.id,
          cidrBlock: cidr,
          availabilityZone: pulumi.output(zones).apply((names) => {
            if (i >= names.length)
              throw new Error(`${name}: subnet ${cidr} needs availability zone #${i + 1}, but the region has ${names.length}`);
            return names[i];
          }),
          mapPublicIpOnLaunch: false,
          tags: tags(`subnet-${i}`),
        },
        child,
      );
      new aws.ec2.RouteTableAssociation(`${name}/subnet-${i}/routes`, { subnetId: subnet.id, routeTableId: routes.id }, child);
      return { cidr, subnet };
    });
    this.registerOutputs({ vpcId: this.vpc.id });
  }

  /** The subnet a node address belongs to. */
  subnetOf(address: string): { readonly cidr: string; readonly subnet: aws.ec2.Subnet } | undefined {
    const ip = parseIpv4(address);
    return ip && this.subnets.find((s) => contains(parseIp(s.cidr)!, ip));
  }

  /** Problems with placing a node at `address`: outside every subnet, or an address AWS keeps. */
  checkAddress(problems: Problems, property: string, address: string): void {
    const ip = parseIpv4(address);
    if (!problems.check(ip !== undefined && ip.prefix === 32, property, address, 'must be an IPv4 address such as "10.0.0.11"')) return;
    const found = this.subnetOf(address);
    if (!found) {
      problems.add(
        property,
        address,
        `is in none of the subnets (${this.subnets.map((s) => s.cidr).join(', ')})`,
        'pick an address inside one of them, or add its subnet',
      );
    } else if (isAwsReserved(parseIp(found.cidr)!, ip!)) {
      problems.add(
        property,
        address,
        `is one of the five addresses AWS keeps in subnet ${found.cidr} (the first four and the last)`,
        'pick another address of the subnet',
      );
    }
  }
}

function parseIpv4(text: string): IpPrefix | undefined {
  const ip = parseIp(text);
  return ip?.family === 4 ? ip : undefined;
}

/** Addresses AWS keeps in every subnet: the network, router, DNS, future use and broadcast addresses. */
function isAwsReserved(subnet: IpRange, address: IpPrefix): boolean {
  const offset = address.value - subnet.first;
  return offset <= 3n || address.value === subnet.last;
}

function check(name: string, cidr: string, subnets: readonly string[], zones?: readonly string[]): void {
  const problems = new Problems(name);
  const vpc = parseIpv4(cidr);
  const network = (property: string, text: string): IpPrefix | undefined => {
    const net = parseIpv4(text);
    const ok = net !== undefined && text.includes('/') && net.value === net.first && net.prefix >= 16 && net.prefix <= 28;
    return problems.check(
      ok,
      property,
      text,
      'must be an IPv4 network between /16 and /28 (AWS limits), with no host bits',
      'write it like "10.0.0.0/16"',
    )
      ? net
      : undefined;
  };
  network('cidr', cidr);
  problems.check(subnets.length > 0, 'subnets', subnets, 'must list at least one subnet');
  const parsed = subnets.map((s, i) => network(`subnets[${i}]`, s));
  parsed.forEach((net, i) => {
    if (!net) return;
    if (vpc) problems.check(contains(vpc, net), `subnets[${i}]`, subnets[i], `is outside the VPC range ${cidr}`);
    const clash = parsed.slice(0, i).findIndex((other) => other && overlaps(other, net));
    if (clash >= 0) problems.add(`subnets[${i}]`, subnets[i], `overlaps subnets[${clash}] ${subnets[clash]}`, 'use disjoint ranges');
  });
  if (zones)
    problems.check(
      zones.length >= subnets.length,
      'availabilityZones',
      zones,
      `names ${zones.length} zones for ${subnets.length} subnets`,
      'name one zone per subnet',
    );
  problems.throwIfAny();
}
