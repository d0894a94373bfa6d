import { Construct } from 'constructs';
import { checkAddress, IpPrefix } from '../../lib/core/addresses';
import { Problems } from '../../lib/core/errors';
import { checkDnsLabel, isDnsLabel, isTaint } from '../../lib/core/names';
import { checkProps } from '../../lib/core/props-check';
import { checkNodeLabels } from './node-labels';

/** A K3s server runs etcd and the control plane (and workloads); an agent runs workloads only. */
export type K3sRole = 'server' | 'agent';
export const K3S_ROLES: readonly K3sRole[] = ['server', 'agent'];

export interface K3sNodeProps {
  readonly role: K3sRole;
  /** The node's address on the cluster network (K3s `node-ip`), e.g. `10.0.0.11`. */
  readonly address: string;
  /** Hostname and Kubernetes node name. @default - the node's id */
  readonly hostname?: string;
  /** Kubernetes labels of the node. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Taints as `key=value:Effect`. @default [] */
  readonly taints?: readonly string[];
}

/** One machine of a `K3sCluster`. Create it with `cluster.addNode(id, props)`. */
export class K3sNode extends Construct {
  readonly role: K3sRole;
  readonly address: string;
  /** The parsed address; undefined only when the props were rejected. */
  readonly ip: IpPrefix;
  readonly hostname: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly string[];

  constructor(scope: Construct, id: string, props: K3sNodeProps) {
    checkProps(scope, id, 'K3sNodeProps', props);
    super(scope, id);
    this.role = props.role;
    this.address = props.address;
    this.hostname = props.hostname ?? id;
    this.labels = { ...props.labels };
    this.taints = [...(props.taints ?? [])];

    const problems = Problems.of(this);
    problems.check(
      K3S_ROLES.includes(props.role),
      'role',
      props.role,
      `must be one of ${K3S_ROLES.map((r) => JSON.stringify(r)).join(', ')}`,
    );
    this.ip = checkAddress(problems, 'address', props.address, '10.0.0.11')!;
    const idOk = problems.check(
      isDnsLabel(id),
      'id',
      id,
      "must be a DNS-1123 label: it names the node's folder of generated files and is its default hostname",
      'use the hostname, e.g. "node-1"',
    );
    if (props.hostname !== undefined || idOk) checkDnsLabel(problems, 'hostname', this.hostname);
    checkNodeLabels(problems, 'labels', props.labels ?? {});
    for (const taint of this.taints) {
      problems.check(
        isTaint(taint),
        'taints',
        taint,
        'must be "key=value:Effect" with effect NoSchedule, PreferNoSchedule or NoExecute',
        'write it like "dedicated=gpu:NoSchedule"',
      );
    }
    problems.throwIfAny();
  }

  get server(): boolean {
    return this.role === 'server';
  }
}
