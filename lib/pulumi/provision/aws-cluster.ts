import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { Problems } from '../../core/errors';
import { AwsFirewall } from './aws-firewall';
import { talosAmi, ubuntuAmi } from './aws-images';
import { AwsMachines } from './aws-machines';
import { AwsNetwork, AwsNetworkArgs } from './aws-network';
import { K3sBootstrap } from './k3s-bootstrap';
import { generateTalosSecrets, TalosBootstrap } from './talos-bootstrap';
import { K3sCluster } from '../../../constructs/nodes/k3s-cluster';
import { K3sNode } from '../../../constructs/nodes/k3s-node';
import { TalosNode } from '../../../constructs/nodes/talos-node';
import { TalosCluster } from '../../../constructs/nodes/talos-cluster';
import { k3sMachines } from './k3s-machines';
import { nodeTraffic } from './node-traffic';
import { ProvisionedCluster } from './provisioned-cluster';
import { talosBootstrapArgs, talosMachineConfig } from './talos-machines';

export interface AwsPool {
  readonly name: string;
  /** e.g. `m6i.xlarge`. */
  readonly instanceType: string;
  /** @default 50 */
  readonly volumeGiB?: number;
  /** @default - the official Talos AMI of the cluster's Talos version, or Ubuntu 24.04 for K3s */
  readonly ami?: pulumi.Input<string>;
  /** The ids of the cluster's nodes that run in this pool. */
  readonly nodes: readonly string[];
}

export interface AwsSshKey {
  /** The OpenSSH public key AWS installs for the login user. */
  readonly publicKey: string;
  /** Its private key (secret). */
  readonly privateKey: pulumi.Input<string>;
  /** @default 'ubuntu' */
  readonly user?: string;
}

export interface AwsClusterArgs {
  /** Networks that may reach the Kubernetes API and SSH or talosctl, e.g. `203.0.113.7/32`. */
  readonly adminCidrs: readonly string[];
  /** Admit the whole internet to the management ports. @default false */
  readonly openToInternet?: boolean;
  /** The VPC; each node's address must lie in one of its subnets. @default - AwsNetwork's defaults */
  readonly network?: AwsNetworkArgs;
  readonly pools: readonly AwsPool[];
  /** SSH access to K3s machines (required for K3s: the kubeconfig is read over SSH). */
  readonly ssh?: AwsSshKey;
  /** The K3s cluster token (secret; required for K3s). */
  readonly token?: pulumi.Input<string>;
  /** The Talos secrets bundle YAML. @default - generated once by talosctl */
  readonly talosSecrets?: pulumi.Input<string>;
  /** @default 'talosctl' */
  readonly talosctl?: string;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A node cluster on EC2: a VPC, security groups with the ports of the distribution and the platform's CNI, one
 * instance per node at its configured address, and the bootstrap. Talos machines boot the official AMI with their
 * complete config as user data, are upgraded to the schematic's installer (the AMI lacks its extensions), and the
 * first control plane is bootstrapped through its public address. K3s machines run their install script from
 * cloud-init; the deployment then waits for each in join order over SSH and reads the kubeconfig.
 */
export class AwsCluster extends pulumi.ComponentResource implements ProvisionedCluster {
  readonly network: AwsNetwork;
  readonly firewall: AwsFirewall;
  readonly machines: AwsMachines;
  readonly bootstrap: TalosBootstrap | K3sBootstrap;
  readonly kubeconfig: pulumi.Output<string>;
  readonly ready: pulumi.Resource;

  constructor(name: string, cluster: TalosCluster | K3sCluster, args: AwsClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    cluster.check();
    check(name, cluster, args);
    super('kubestrata:provision:AwsCluster', name, {}, opts);
    const child = { parent: this };
    const talos = cluster instanceof TalosCluster;
    const nodes = new Map<string, TalosNode | K3sNode>(cluster.nodes.map((n) => [n.node.id, n]));
    this.network = new AwsNetwork(`${name}/network`, { ...args.network, tags: { ...args.tags, ...args.network?.tags } }, child);
    this.firewall = new AwsFirewall(
      `${name}/firewall`,
      {
        vpcId: this.network.vpc.id,
        distribution: talos ? 'talos' : 'k3s',
        traffic: nodeTraffic(cluster),
        adminCidrs: args.adminCidrs,
        openToInternet: args.openToInternet,
        tags: args.tags,
      },
      child,
    );
    const defaultAmi = () => (talos ? talosAmi(cluster.talosVersion, child) : ubuntuAmi(child));
    const pools = args.pools.map((p) => ({
      name: p.name,
      instanceType: p.instanceType,
      volumeGiB: p.volumeGiB,
      ami: p.ami ?? defaultAmi(),
    }));
    const placed = args.pools.flatMap((p) =>
      p.nodes.map((id) => {
        const node = nodes.get(id)!;
        return {
          name: id,
          pool: p.name,
          address: node.ip.address,
          controlPlane: node instanceof TalosNode ? node.controlPlane : node.server,
        };
      }),
    );

    if (cluster instanceof TalosCluster) {
      const secrets =
        args.talosSecrets === undefined
          ? generateTalosSecrets(`${name}/secrets`, args.talosctl, child)
          : pulumi.secret(pulumi.output(args.talosSecrets));
      this.machines = new AwsMachines(
        `${name}/machines`,
        {
          network: this.network,
          firewall: this.firewall,
          pools,
          machines: placed,
          tags: args.tags,
          userData: (id) => pulumi.secret(secrets.apply((yaml) => talosMachineConfig(cluster, id, yaml))),
        },
        child,
      );
      const instance = (id: string) => this.machines.instances.get(id)!;
      const first = cluster.bootstrapNode!;
      const bootstrap = new TalosBootstrap(
        `${name}/talos`,
        {
          ...talosBootstrapArgs(cluster, (id) => ({ endpoint: instance(id).publicIp, dependsOn: [instance(id)] })),
          delivery: 'user-data',
          secrets,
          installerImage: cluster.installerImage,
          talosctl: args.talosctl,
          apiServer: pulumi.interpolate`https://${instance(first.node.id).publicIp}:6443`,
          tlsServerName: first.ip.address,
        },
        child,
      );
      this.bootstrap = bootstrap;
    } else {
      const keyPair = new aws.ec2.KeyPair(`${name}/ssh`, { publicKey: args.ssh!.publicKey, tags: { ...args.tags } }, child);
      const token = pulumi.secret(pulumi.output(args.token!));
      this.machines = new AwsMachines(
        `${name}/machines`,
        {
          network: this.network,
          firewall: this.firewall,
          pools,
          machines: placed,
          tags: args.tags,
          keyName: keyPair.keyName,
          userData: (id) => pulumi.secret(token.apply((t) => cluster.userData(nodes.get(id) as K3sNode, t))),
        },
        child,
      );
      const instance = (id: string) => this.machines.instances.get(id)!;
      const first = cluster.firstServer!;
      this.bootstrap = new K3sBootstrap(
        `${name}/k3s`,
        {
          machines: k3sMachines(cluster, {
            ssh: (id) => ({ host: instance(id).publicIp, user: args.ssh!.user ?? 'ubuntu', privateKey: args.ssh!.privateKey }),
            token,
            dependsOn: (id) => [instance(id)],
          }),
          apiServer: pulumi.interpolate`https://${instance(first.node.id).publicIp}:6443`,
          tlsServerName: first.address,
        },
        child,
      );
    }
    this.kubeconfig = this.bootstrap.kubeconfig;
    this.ready = this.bootstrap.ready;
    this.registerOutputs({ kubeconfig: this.kubeconfig });
  }
}

function check(name: string, cluster: TalosCluster | K3sCluster, args: AwsClusterArgs): void {
  const problems = new Problems(name);
  const ids = cluster.nodes.map((n) => n.node.id);
  const placed = args.pools.flatMap((p) => p.nodes);
  for (const id of ids) {
    const count = placed.filter((p) => p === id).length;
    problems.check(
      count === 1,
      `pools`,
      id,
      count === 0 ? 'is a node that no pool runs' : `is a node that ${count} pools run`,
      `list "${id}" in the nodes of exactly one pool`,
    );
  }
  for (const id of new Set(placed))
    problems.check(ids.includes(id), 'pools', id, `is not a node of ${cluster.node.path} (${ids.join(', ')})`);
  if (cluster instanceof TalosCluster) {
    problems.check(
      cluster.imagePlatform === 'aws',
      'cluster.imagePlatform',
      cluster.imagePlatform,
      'must be "aws" on EC2: the installer image is built per platform',
    );
    problems.check(
      cluster.vip === undefined,
      'cluster.vip',
      cluster.vip,
      'is a Layer 2 VIP, which a VPC does not forward',
      'remove vip; the endpoint is the first control plane',
    );
  } else {
    problems.check(
      args.ssh !== undefined,
      'ssh',
      args.ssh,
      'is required for K3s: the deployment waits for each node and reads the kubeconfig over SSH',
      'set ssh: { publicKey, privateKey }',
    );
    problems.check(
      args.token !== undefined,
      'token',
      args.token,
      'is required for K3s: it joins the nodes',
      "pass the value of the cluster's token Secret",
    );
  }
  problems.throwIfAny();
}
