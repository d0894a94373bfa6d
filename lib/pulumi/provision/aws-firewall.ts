import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { Problems } from '../../core/errors';
import { parseIpv4Network } from '../../core/addresses';
import type { PodNetworkTraffic } from '../../core/pod-network';

export type ClusterDistribution = 'talos' | 'k3s';

/** Pod and service traffic the CNI exchanges between nodes: Flannel's VXLAN (K3s or Talos Flannel) or a pod network member's. */
export type NodeTraffic = 'flannel-vxlan' | PodNetworkTraffic;
export const NODE_TRAFFIC: readonly NodeTraffic[] = [
  'flannel-vxlan',
  'calico-ipip',
  'calico-vxlan',
  'calico-bgp',
  'calico-typha',
  'wireguard',
  'geneve',
  'ovn-databases',
  'cilium-health',
  'cilium-vxlan',
  'hubble',
];

/** One allowed inbound flow. `protocol` 'ipip' is IP protocol 4 (no ports). */
export interface FirewallRule {
  readonly description: string;
  readonly protocol: 'tcp' | 'udp' | 'ipip';
  readonly fromPort: number;
  readonly toPort: number;
  /** admins: the admin networks; nodes: every node; control-planes: control-plane nodes. */
  readonly from: 'admins' | 'nodes' | 'control-planes';
  readonly to: 'nodes' | 'control-planes';
}

const rule = (
  description: string,
  protocol: FirewallRule['protocol'],
  ports: number | [number, number],
  from: FirewallRule['from'],
  to: FirewallRule['to'],
): FirewallRule => {
  const [fromPort, toPort] = typeof ports === 'number' ? [ports, ports] : ports;
  return { description, protocol, fromPort, toPort, from, to };
};

const TRAFFIC_RULES: Readonly<Record<NodeTraffic, readonly FirewallRule[]>> = {
  'flannel-vxlan': [rule('Flannel VXLAN', 'udp', 8472, 'nodes', 'nodes')],
  'calico-ipip': [rule('Calico IP-in-IP', 'ipip', 0, 'nodes', 'nodes')],
  'calico-vxlan': [rule('Calico VXLAN', 'udp', 4789, 'nodes', 'nodes')],
  'calico-bgp': [rule('Calico BGP', 'tcp', 179, 'nodes', 'nodes')],
  'calico-typha': [rule('Calico Typha', 'tcp', 5473, 'nodes', 'nodes')],
  wireguard: [rule('WireGuard pod traffic', 'udp', 51820, 'nodes', 'nodes')],
  geneve: [rule('Kube-OVN Geneve', 'udp', 6081, 'nodes', 'nodes')],
  'ovn-databases': [rule('OVN databases and Raft', 'tcp', [6641, 6644], 'nodes', 'control-planes')],
  'cilium-health': [rule('Cilium health checks', 'tcp', 4240, 'nodes', 'nodes')],
  'cilium-vxlan': [rule('Cilium VXLAN', 'udp', 8472, 'nodes', 'nodes')],
  hubble: [rule('Hubble peers', 'tcp', 4244, 'nodes', 'nodes')],
};

/**
 * The inbound flows a cluster needs and no others: the Kubernetes API from the admins and the nodes, etcd between
 * control planes, the kubelet between nodes, the distribution's own management port (SSH for K3s, apid and trustd
 * for Talos), and the CNI's traffic between nodes.
 */
export function firewallRules(distribution: ClusterDistribution, traffic: readonly NodeTraffic[]): FirewallRule[] {
  const base = [
    rule('Kubernetes API from admins', 'tcp', 6443, 'admins', 'control-planes'),
    rule('Kubernetes API from nodes', 'tcp', 6443, 'nodes', 'control-planes'),
    rule('etcd between control planes', 'tcp', [2379, 2380], 'control-planes', 'control-planes'),
    rule('kubelet from nodes', 'tcp', 10250, 'nodes', 'nodes'),
  ];
  const management =
    distribution === 'k3s'
      ? [rule('SSH from admins', 'tcp', 22, 'admins', 'nodes')]
      : [
          rule('Talos apid from admins', 'tcp', 50000, 'admins', 'nodes'),
          rule('Talos apid from nodes', 'tcp', 50000, 'nodes', 'nodes'),
          rule('Talos trustd from nodes', 'tcp', 50001, 'nodes', 'control-planes'),
        ];
  const seen = new Set<string>();
  return [...base, ...management, ...[...new Set(traffic)].flatMap((t) => TRAFFIC_RULES[t])].filter((r) => {
    const key = `${r.protocol}/${r.fromPort}-${r.toPort}/${r.from}/${r.to}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

export interface AwsFirewallArgs {
  readonly vpcId: pulumi.Input<string>;
  readonly distribution: ClusterDistribution;
  /** @default [] */
  readonly traffic?: readonly NodeTraffic[];
  /** Networks that may reach the Kubernetes API, SSH or talosctl, e.g. your office or VPN (`203.0.113.0/24`). */
  readonly adminCidrs: readonly string[];
  /** Admit the whole internet (`0.0.0.0/0`) to the management ports. @default false */
  readonly openToInternet?: boolean;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Two security groups: `nodes` for every machine and `controlPlanes` for control-plane machines in addition,
 * each with exactly the inbound rules of `firewallRules`. Outbound traffic is open (images, time, DNS).
 */
export class AwsFirewall extends pulumi.ComponentResource {
  readonly rules: readonly FirewallRule[];
  readonly nodes: aws.ec2.SecurityGroup;
  readonly controlPlanes: aws.ec2.SecurityGroup;

  constructor(name: string, args: AwsFirewallArgs, opts: pulumi.ComponentResourceOptions = {}) {
    check(name, args);
    super('kubestrata:provision:AwsFirewall', name, {}, opts);
    this.rules = firewallRules(args.distribution, args.traffic ?? []);
    const child = { parent: this };
    const egress = [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'], description: 'all outbound' }];
    const ingress = (to: FirewallRule['to'], nodes?: pulumi.Input<string>) =>
      this.rules
        .filter((r) => r.to === to)
        .map((r) => ({
          description: r.description,
          protocol: r.protocol === 'ipip' ? '4' : r.protocol,
          fromPort: r.fromPort,
          toPort: r.toPort,
          ...(r.from === 'admins' ? { cidrBlocks: [...args.adminCidrs] } : {}),
          ...(r.from === to ? { self: true } : {}),
          ...(r.from === 'nodes' && to === 'control-planes' ? { securityGroups: [nodes!] } : {}),
        }));
    this.nodes = new aws.ec2.SecurityGroup(
      `${name}/nodes`,
      {
        vpcId: args.vpcId,
        description: 'kubestrata cluster nodes',
        ingress: ingress('nodes'),
        egress,
        tags: { ...args.tags, Name: `${name}-nodes` },
      },
      child,
    );
    this.controlPlanes = new aws.ec2.SecurityGroup(
      `${name}/control-planes`,
      {
        vpcId: args.vpcId,
        description: 'kubestrata control planes',
        ingress: ingress('control-planes', this.nodes.id),
        egress,
        tags: { ...args.tags, Name: `${name}-control-planes` },
      },
      child,
    );
    this.registerOutputs({});
  }
}

function check(name: string, args: AwsFirewallArgs): void {
  const problems = new Problems(name);
  problems.check(
    args.distribution === 'talos' || args.distribution === 'k3s',
    'distribution',
    args.distribution,
    'must be "talos" or "k3s"',
  );
  problems.check(
    args.adminCidrs.length > 0,
    'adminCidrs',
    args.adminCidrs,
    'must name the networks that manage the cluster; without them neither talosctl, SSH nor the Kubernetes API is reachable',
    'add your address, e.g. "203.0.113.7/32"',
  );
  for (const cidr of args.adminCidrs) {
    const net = parseIpv4Network(cidr);
    if (!problems.check(net !== undefined, 'adminCidrs', cidr, 'must be an IPv4 network with no host bits, e.g. "203.0.113.0/24"'))
      continue;
    if (net!.prefix === 0) {
      problems.check(
        args.openToInternet === true,
        'adminCidrs',
        cidr,
        'opens the Kubernetes API and the management ports to the whole internet',
        'name your own networks, or set openToInternet: true',
      );
    }
  }
  for (const t of args.traffic ?? []) problems.check(NODE_TRAFFIC.includes(t), 'traffic', t, `must be one of ${NODE_TRAFFIC.join(', ')}`);
  problems.throwIfAny();
}
