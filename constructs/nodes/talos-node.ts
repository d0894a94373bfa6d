import { Construct } from 'constructs';
import { checkCidr, IpPrefix } from '../../lib/core/addresses';
import { Problems } from '../../lib/core/errors';
import { checkDnsLabel, isDnsLabel } from '../../lib/core/names';
import { checkProps } from '../../lib/core/props-check';
import { checkNodeLabels } from './node-labels';

/** What a Talos machine runs: etcd and the control plane, or only workloads. */
export type TalosRole = 'controlplane' | 'worker';
export const TALOS_ROLES: readonly TalosRole[] = ['controlplane', 'worker'];

export interface TalosNodeProps {
  readonly role: TalosRole;
  /** The node's static address with prefix length on its link, e.g. `192.168.100.11/24`. */
  readonly address: string;
  /** The link (interface) that carries the address. @default - the cluster's `network.link` */
  readonly link?: string;
  /** Hostname and Kubernetes node name. @default - the node's id */
  readonly hostname?: string;
  /** Disk Talos installs itself on. @default - the cluster's `installDisk` */
  readonly installDisk?: string;
  /** Kubernetes labels of the node. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

const LINK = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,14}$/;
const DISK = /^\/dev\/[a-zA-Z0-9/_-]+$/;

/** One Talos machine of a `TalosCluster`. Create it with `cluster.addNode(id, props)`. */
export class TalosNode extends Construct {
  readonly role: TalosRole;
  readonly address: string;
  /** The parsed address; undefined only when the props were rejected. */
  readonly ip: IpPrefix;
  readonly link?: string;
  readonly hostname: string;
  readonly installDisk?: string;
  readonly labels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: TalosNodeProps) {
    checkProps(scope, id, 'TalosNodeProps', props);
    super(scope, id);
    this.role = props.role;
    this.address = props.address;
    this.link = props.link;
    this.hostname = props.hostname ?? id;
    this.installDisk = props.installDisk;
    this.labels = { ...props.labels };

    const problems = Problems.of(this);
    problems.check(
      TALOS_ROLES.includes(props.role),
      'role',
      props.role,
      `must be one of ${TALOS_ROLES.map((r) => JSON.stringify(r)).join(', ')}`,
    );
    this.ip = checkCidr(problems, 'address', props.address, '192.168.100.11/24')!;
    const idOk = problems.check(
      isDnsLabel(id),
      'id',
      id,
      "must be a DNS-1123 label: it names the node's folder of generated files and is its default hostname",
      'use the hostname, e.g. "node-1"',
    );
    if (props.hostname !== undefined || idOk) checkDnsLabel(problems, 'hostname', this.hostname);
    if (props.link !== undefined)
      problems.check(
        LINK.test(props.link),
        'link',
        props.link,
        'must be a Linux interface name (at most 15 characters)',
        'write it like "enp1s0"',
      );
    if (props.installDisk !== undefined)
      problems.check(
        DISK.test(props.installDisk),
        'installDisk',
        props.installDisk,
        'must be a device path',
        'write it like "/dev/sda" or "/dev/nvme0n1"',
      );
    checkNodeLabels(problems, 'labels', props.labels ?? {});
    problems.throwIfAny();
  }

  get controlPlane(): boolean {
    return this.role === 'controlplane';
  }
}
