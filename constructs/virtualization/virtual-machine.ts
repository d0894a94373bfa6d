import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Problems } from '../../lib/core/errors';
import { ALLOW_EXTERNAL_LABEL, componentLabels, TENANT_LABEL } from '../../lib/core/labels';
import { externalPeers } from '../../lib/core/network-peers';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { SecretRef } from '../../lib/core/secrets';
import { Tenant } from '../platform/tenant';
import { checkVirtualMachine } from './virtual-machine-check';
import { VirtualMachineProps, VmDiskAttachment, VmResources, VmRunStrategy } from './virtual-machine-props';
import { KubeVirt } from './kubevirt';
import { VmDisk } from './vm-disk';

export * from './virtual-machine-props';

/** Template label that the external Service and NetworkPolicy select the VM's virt-launcher pod by. */
export const VM_LABEL = 'kubevirt.io/vm';
/** Namespace label read by KubeVirt's AutoResourceLimitsGate. */
export const MEMORY_LIMITS_RATIO_LABEL = 'alpha.kubevirt.io/auto-memory-limits-ratio';
const CLOUD_INIT = 'cloudinitdisk';
const POD_NETWORK = 'default';

/**
 * A KubeVirt `VirtualMachine` inside a tenant: sized by a cluster instancetype or explicit CPU and memory, booting
 * from `VmDisk`s in list order, configured by cloud-init from a Secret, on the pod network (masquerade) with optional
 * NICs on Kube-OVN subnets, and optionally reachable from outside through a LoadBalancer Service.
 */
export class VirtualMachine extends Construct {
  readonly tenant: Tenant;
  readonly namespace: string;
  /** Name of the `VirtualMachine`: the construct id. */
  readonly vmName: string;
  /** The cluster instancetype, unless `resources` sizes the VM. */
  readonly instancetype?: string;
  readonly preference?: string;
  readonly resources?: Required<VmResources>;
  /** Attached disks in boot order. */
  readonly disks: readonly VmDiskAttachment[];
  readonly cloudInit?: SecretRef;
  readonly subnets: readonly string[];
  readonly runStrategy: VmRunStrategy;
  readonly external: boolean;
  readonly externalPorts: readonly number[];
  readonly externalSourceRanges?: readonly string[];
  readonly internetAccess: boolean;
  /** Name of the LoadBalancer Service when `external`. */
  readonly externalServiceName?: string;
  readonly vm: ApiObject;

  constructor(scope: Construct, id: string, props: VirtualMachineProps) {
    checkProps(scope, id, 'VirtualMachineProps', props);
    super(scope, id);
    const tenant = Tenant.of(this);
    const platform = Platform.of(this);
    this.tenant = tenant;
    this.namespace = tenant.namespaceName;
    this.vmName = id;
    this.resources = props.resources && { sockets: 1, ...props.resources };
    this.instancetype = this.resources ? undefined : (props.instancetype ?? 'u1.medium');
    this.preference = props.preference ?? 'ubuntu';
    this.disks = (Array.isArray(props.disks) ? props.disks : []).map((d) => (d instanceof VmDisk ? { disk: d } : d));
    this.cloudInit = props.cloudInit;
    this.subnets = props.subnets ?? [];
    this.runStrategy = props.runStrategy ?? 'Always';
    this.external = props.external ?? false;
    this.externalPorts = props.externalPorts ?? [22];
    this.externalSourceRanges = props.externalSourceRanges;
    this.internetAccess = props.internetAccess ?? true;
    this.externalServiceName = this.external ? `${id}-external` : undefined;

    const problems = Problems.of(this);
    checkVirtualMachine(problems, this, props);
    problems.throwIfAny();

    platform.registry.require(this, KubeVirt);
    // virt-launcher memory limit = request × this ratio, where KubeVirt sets limits (as Cozystack labels its tenants).
    tenant.namespaceObject.metadata.addLabel(MEMORY_LIMITS_RATIO_LABEL, '1.0');
    for (const { disk } of this.disks) this.node.addDependency(disk);
    if (this.cloudInit) platform.secrets.use(this.namespace, this.cloudInit, this.node.path);

    this.vm = this.object('vm', 'kubevirt.io/v1', 'VirtualMachine', id, 'vm', { spec: this.spec() });
    this.node.defaultChild = this.vm;
    if (this.external) this.renderExternal();
  }

  private spec(): Record<string, unknown> {
    const disks: Record<string, unknown>[] = this.disks.map(({ disk, bus }, i) => ({
      name: disk.diskName,
      bootOrder: i + 1,
      ...(disk.optical ? { cdrom: { bus: bus ?? 'sata', readonly: true } } : { disk: bus ? { bus } : {} }),
    }));
    const volumes: Record<string, unknown>[] = this.disks.map(({ disk }) => ({ name: disk.diskName, dataVolume: { name: disk.diskName } }));
    if (this.cloudInit) {
      disks.push({ name: CLOUD_INIT, disk: { bus: 'virtio' } });
      const networkData = this.cloudInit.keys.includes('networkdata');
      volumes.push({
        name: CLOUD_INIT,
        cloudInitNoCloud: {
          secretRef: { name: this.cloudInit.name },
          networkDataSecretRef: networkData ? { name: this.cloudInit.name } : undefined,
        },
      });
    }
    const labels: Record<string, string> = { [VM_LABEL]: this.vmName, [TENANT_LABEL]: this.tenant.tenantName };
    if (this.internetAccess) labels[ALLOW_EXTERNAL_LABEL] = 'true';
    return {
      runStrategy: this.runStrategy,
      instancetype: this.instancetype === undefined ? undefined : { kind: 'VirtualMachineClusterInstancetype', name: this.instancetype },
      preference: this.preference === undefined ? undefined : { kind: 'VirtualMachineClusterPreference', name: this.preference },
      template: {
        metadata: { labels },
        spec: {
          domain: {
            cpu: this.resources && { cores: this.resources.cpu, sockets: this.resources.sockets },
            memory: this.resources && { guest: this.resources.memory },
            devices: {
              disks,
              interfaces: [{ name: POD_NETWORK, masquerade: {} }, ...this.subnets.map((name) => ({ name, bridge: {} }))],
            },
          },
          networks: [{ name: POD_NETWORK, pod: {} }, ...this.subnets.map((name) => ({ name, multus: { networkName: name } }))],
          volumes,
        },
      },
    };
  }

  /** A LoadBalancer for the listed ports, and the policy that lets clients through the tenant's default deny. */
  private renderExternal(): void {
    const ports = this.externalPorts.map((port) => ({ name: `tcp-${port}`, protocol: 'TCP', port, targetPort: port }));
    this.object('external-service', 'v1', 'Service', this.externalServiceName!, 'external', {
      spec: {
        type: 'LoadBalancer',
        externalTrafficPolicy: 'Local',
        selector: { [VM_LABEL]: this.vmName },
        ports,
        loadBalancerSourceRanges: this.externalSourceRanges && [...this.externalSourceRanges],
      },
    });
    const from = externalPeers(this, this.externalSourceRanges && { property: 'externalSourceRanges', ranges: this.externalSourceRanges });
    this.object('external-policy', 'networking.k8s.io/v1', 'NetworkPolicy', this.externalServiceName!, 'external', {
      spec: {
        podSelector: { matchLabels: { [VM_LABEL]: this.vmName } },
        policyTypes: ['Ingress'],
        ingress: [{ from, ports: this.externalPorts.map((port) => ({ protocol: 'TCP', port })) }],
      },
    });
  }

  private object(id: string, apiVersion: string, kind: string, name: string, component: string, body: Record<string, unknown>): ApiObject {
    const obj = this.tenant.namespaced(id, apiVersion, kind, name, body, this);
    for (const [key, value] of Object.entries(componentLabels('virtual-machine', component, this.vmName)))
      obj.metadata.addLabel(key, value);
    return obj;
  }
}
