import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { Problems } from '../../core/errors';
import { AwsFirewall } from './aws-firewall';
import { AwsNetwork } from './aws-network';

/** Instances of one size and image. */
export interface AwsNodePool {
  readonly name: string;
  /** e.g. `m6i.xlarge`. */
  readonly instanceType: string;
  /** The image, e.g. from `talosAmi()` or `ubuntuAmi()`. Read once: a newer image later does not replace running machines. */
  readonly ami: pulumi.Input<string>;
  /** Size of the encrypted gp3 root volume. @default 50 */
  readonly volumeGiB?: number;
}

export interface AwsMachine {
  /** The node's id; it names the instance. */
  readonly name: string;
  readonly pool: string;
  readonly controlPlane: boolean;
  /** The node's private address, which its configuration already names; it picks the subnet. */
  readonly address: string;
}

export interface AwsMachinesArgs {
  readonly network: AwsNetwork;
  readonly firewall: AwsFirewall;
  readonly pools: readonly AwsNodePool[];
  readonly machines: readonly AwsMachine[];
  /** The user data of one machine (secret: it may carry tokens or keys). At most 16 KiB. */
  readonly userData: (machine: string) => pulumi.Input<string>;
  /** An EC2 key pair for SSH. @default - none */
  readonly keyName?: pulumi.Input<string>;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The most an EC2 instance's user data may hold. */
export const USER_DATA_LIMIT = 16384;

/**
 * One EC2 instance per machine, at the private address its configuration names, with a public address, IMDSv2
 * required (one hop: pods cannot reach the metadata service), an encrypted gp3 root volume and the machine's user
 * data. Later changes of image or user data do not replace a machine; its configuration is updated in place by
 * the bootstrap steps.
 */
export class AwsMachines extends pulumi.ComponentResource {
  readonly instances: ReadonlyMap<string, aws.ec2.Instance>;

  constructor(name: string, args: AwsMachinesArgs, opts: pulumi.ComponentResourceOptions = {}) {
    check(name, args);
    super('kubestrata:provision:AwsMachines', name, {}, opts);
    const instances = new Map<string, aws.ec2.Instance>();
    for (const machine of args.machines) {
      const pool = args.pools.find((p) => p.name === machine.pool)!;
      const userData = pulumi.output(args.userData(machine.name)).apply((data) => {
        const bytes = Buffer.byteLength(data, 'utf8');
        if (bytes > USER_DATA_LIMIT)
          throw new Error(`[${name}] machines.${machine.name}: user data of ${bytes} bytes is over the EC2 limit of ${USER_DATA_LIMIT}`);
        return data;
      });
      instances.set(
        machine.name,
        new aws.ec2.Instance(
          `${name}/${machine.name}`,
          {
            ami: pool.ami,
            instanceType: pool.instanceType,
            subnetId: args.network.subnetOf(machine.address)!.subnet.id,
            privateIp: machine.address,
            associatePublicIpAddress: true,
            vpcSecurityGroupIds: machine.controlPlane ? [args.firewall.nodes.id, args.firewall.controlPlanes.id] : [args.firewall.nodes.id],
            keyName: args.keyName,
            userData: pulumi.secret(userData),
            userDataReplaceOnChange: false,
            metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
            rootBlockDevice: { volumeType: 'gp3', volumeSize: pool.volumeGiB ?? 50, encrypted: true, deleteOnTermination: true },
            tags: { ...args.tags, Name: machine.name, 'kubestrata.io/role': machine.controlPlane ? 'control-plane' : 'worker' },
            volumeTags: { ...args.tags, Name: machine.name },
          },
          { parent: this, ignoreChanges: ['ami', 'userData'] },
        ),
      );
    }
    this.instances = instances;
    this.registerOutputs({});
  }
}

function check(name: string, args: AwsMachinesArgs): void {
  const problems = new Problems(name);
  args.pools.forEach((pool, i) => {
    problems.check(
      /^[a-z0-9][a-z0-9-]*\.[a-z0-9]+$/.test(pool.instanceType),
      `pools[${i}].instanceType`,
      pool.instanceType,
      'must be an EC2 instance type such as "m6i.xlarge"',
    );
    const size = pool.volumeGiB ?? 50;
    problems.check(
      Number.isInteger(size) && size >= 8 && size <= 16384,
      `pools[${i}].volumeGiB`,
      pool.volumeGiB,
      'must be a whole number of GiB from 8 to 16384 (gp3 limits)',
    );
    problems.check(args.pools.findIndex((p) => p.name === pool.name) === i, `pools[${i}].name`, pool.name, 'is the name of another pool');
  });
  args.machines.forEach((machine, i) => {
    problems.check(
      args.pools.some((p) => p.name === machine.pool),
      `machines.${machine.name}.pool`,
      machine.pool,
      `is not a pool (${args.pools.map((p) => p.name).join(', ') || 'none defined'})`,
    );
    args.network.checkAddress(problems, `machines.${machine.name}.address`, machine.address);
    const other = args.machines.slice(0, i).find((m) => m.address === machine.address);
    if (other)
      problems.add(
        `machines.${machine.name}.address`,
        machine.address,
        `is also the address of machine "${other.name}"`,
        'give each machine its own address',
      );
  });
  problems.throwIfAny();
}
