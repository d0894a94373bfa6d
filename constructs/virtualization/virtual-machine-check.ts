import { ApiObject } from 'cdk8s';
import { isCidr } from '../../lib/core/addresses';
import { Problems } from '../../lib/core/errors';
import { isDnsLabel, isDnsSubdomain, checkDnsLabel } from '../../lib/core/names';
import { checkQuantity } from '../../lib/core/quantity';
import { SecretRef } from '../../lib/core/secrets';
import type { VirtualMachine } from './virtual-machine';
import { VirtualMachineProps, VmDiskBus, VmRunStrategy } from './virtual-machine-props';
import { VmDisk } from './vm-disk';

const RUN_STRATEGIES: readonly VmRunStrategy[] = ['Always', 'Halted', 'Manual', 'RerunOnFailure', 'Once'];
const BUSES: readonly VmDiskBus[] = ['virtio', 'sata', 'scsi'];
const RESERVED_NAMES = ['default', 'cloudinitdisk'];
/** `<id>-external` must stay a DNS label. */
const MAX_ID = 54;

/** Adds every problem of a VirtualMachine's effective settings to `problems`. */
export function checkVirtualMachine(problems: Problems, vm: VirtualMachine, props: VirtualMachineProps): void {
  checkDnsLabel(problems, 'id', vm.vmName, MAX_ID);
  problems.check(
    vm.tenant.podSecurity !== 'restricted',
    'tenant.podSecurity',
    vm.tenant.podSecurity,
    'is "restricted", which virt-launcher pods do not meet (they add capabilities and run without a seccomp profile), so KubeVirt could not start the VM',
    `create the tenant with podSecurity: "baseline"`,
  );
  const hard = quotaOf(vm);
  problems.check(
    hard['limits.cpu'] !== undefined && hard['limits.memory'] !== undefined,
    'tenant.quota',
    Object.keys(hard).length > 0 ? hard : undefined,
    "must limit cpu and memory: only then does KubeVirt set limits on virt-launcher pods itself; without them the tenant's default container limits " +
      "(LimitRange) apply to the VM's compute container, whose requests exceed them, and Kubernetes rejects the pod",
    'create the tenant with quota: { cpu, memory }',
  );
  checkSizing(problems, vm, props);
  checkDisks(problems, vm, props);
  if (vm.cloudInit !== undefined) SecretRef.prototype.check.call(vm.cloudInit, problems, 'cloudInit', ['userdata']);
  const subnets = list(problems, 'subnets', vm.subnets);
  for (const [i, subnet] of subnets.entries()) {
    problems.check(
      isDnsLabel(subnet) && !RESERVED_NAMES.includes(subnet as string),
      `subnets[${i}]`,
      subnet,
      'must be the name of a NetworkAttachmentDefinition in the tenant namespace (a DNS-1123 label other than "default")',
    );
    problems.check(subnets.indexOf(subnet) === i, `subnets[${i}]`, subnet, 'is listed twice; a VM has one NIC per subnet');
  }
  problems.check(RUN_STRATEGIES.includes(vm.runStrategy), 'runStrategy', vm.runStrategy, `must be one of ${RUN_STRATEGIES.join(', ')}`);
  checkExternal(problems, vm, props);
}

function checkSizing(problems: Problems, vm: VirtualMachine, props: VirtualMachineProps): void {
  if (props.resources !== undefined && props.instancetype !== undefined) {
    problems.add(
      'instancetype',
      props.instancetype,
      'cannot be combined with resources: KubeVirt rejects a VM whose instancetype and domain both set CPU and memory',
      'remove instancetype or resources',
    );
  }
  if (vm.instancetype !== undefined)
    problems.check(
      isDnsSubdomain(vm.instancetype),
      'instancetype',
      vm.instancetype,
      'must be the name of a VirtualMachineClusterInstancetype such as "u1.medium"',
    );
  if (vm.preference !== undefined)
    problems.check(
      isDnsSubdomain(vm.preference),
      'preference',
      vm.preference,
      'must be the name of a VirtualMachineClusterPreference such as "ubuntu"',
    );
  const r = vm.resources;
  if (!r) return;
  problems.check(Number.isInteger(r.cpu) && r.cpu >= 1, 'resources.cpu', r.cpu, 'must be a whole number of vCPUs ≥ 1');
  problems.check(Number.isInteger(r.sockets) && r.sockets >= 1, 'resources.sockets', r.sockets, 'must be a whole number ≥ 1');
  checkQuantity(problems, 'resources.memory', r.memory, '4Gi');
}

function checkDisks(problems: Problems, vm: VirtualMachine, props: VirtualMachineProps): void {
  if (
    !problems.check(
      Array.isArray(props.disks) && props.disks.length > 0,
      'disks',
      props.disks,
      'must list at least one disk to boot from',
      'create a VmDisk and pass disks: [disk]',
    )
  )
    return;
  const seen = new Set<VmDisk>();
  vm.disks.forEach(({ disk, bus }, i) => {
    if (!problems.check(disk instanceof VmDisk, `disks[${i}]`, disk, 'must be a VmDisk or { disk: VmDisk, bus }')) return;
    problems.check(!seen.has(disk), `disks[${i}]`, disk.diskName, 'is attached twice');
    seen.add(disk);
    problems.check(
      disk.namespace === vm.namespace,
      `disks[${i}]`,
      disk.node.path,
      `is in namespace ${disk.namespace}; a VM mounts only disks of its own tenant (${vm.namespace})`,
    );
    problems.check(
      !RESERVED_NAMES.includes(disk.diskName),
      `disks[${i}]`,
      disk.diskName,
      `is a name the VM uses for its own devices (${RESERVED_NAMES.join(', ')})`,
      'give the VmDisk another id',
    );
    if (bus === undefined) return;
    if (!problems.check(BUSES.includes(bus), `disks[${i}].bus`, bus, `must be one of ${BUSES.join(', ')}`)) return;
    problems.check(
      !(disk.optical && bus === 'virtio'),
      `disks[${i}].bus`,
      bus,
      'cannot carry a CD-ROM; an optical disk is attached on sata or scsi',
    );
  });
}

function checkExternal(problems: Problems, vm: VirtualMachine, props: VirtualMachineProps): void {
  if (!vm.external) {
    for (const key of ['externalPorts', 'externalSourceRanges'] as const) {
      problems.check(props[key] === undefined, key, props[key], 'only applies with external: true', `set external: true or remove ${key}`);
    }
    return;
  }
  const ports = list(problems, 'externalPorts', vm.externalPorts);
  problems.check(ports.length > 0, 'externalPorts', ports, 'must list at least one port to publish');
  for (const [i, port] of ports.entries()) {
    problems.check(
      Number.isInteger(port) && (port as number) >= 1 && (port as number) <= 65535,
      `externalPorts[${i}]`,
      port,
      'must be a TCP port between 1 and 65535',
    );
    problems.check(ports.indexOf(port) === i, `externalPorts[${i}]`, port, 'is listed twice');
  }
  if (vm.externalSourceRanges !== undefined) {
    for (const [i, cidr] of list(problems, 'externalSourceRanges', vm.externalSourceRanges).entries()) {
      problems.check(isCidr(cidr), `externalSourceRanges[${i}]`, cidr, 'must be an IPv4 or IPv6 CIDR', 'write it like "203.0.113.0/24"');
    }
  }
}

/** The hard limits of the tenant's ResourceQuota. */
function quotaOf(vm: VirtualMachine): Readonly<Record<string, string>> {
  const quota = vm.tenant.node.children.find((c): c is ApiObject => c instanceof ApiObject && c.kind === 'ResourceQuota');
  return quota?.toJson().spec?.hard ?? {};
}

function list(problems: Problems, property: string, value: unknown): readonly unknown[] {
  return problems.check(Array.isArray(value), property, value, 'must be a list') ? (value as unknown[]) : [];
}
