import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkIpv4Network, isIpv4 } from '../../lib/core/addresses';
import { Problems, show } from '../../lib/core/errors';
import { MANAGED_BY } from '../../lib/core/labels';
import { isDnsLabel, isDnsSubdomain } from '../../lib/core/names';
import { Platform } from '../../lib/core/platform';
import { checkProps } from '../../lib/core/props-check';
import { KubeOvn } from './kube-ovn';
import { Tenant } from '../platform/tenant';
import { checkTenantName, checkTenantNamespaces, DEFAULT_VPC, KubeOvnSubnet, KubeOvnSubnetProps } from './kube-ovn-subnet';

/** A static route of a VPC: traffic to (policyDst) or from (policySrc) `cidr` goes to `nextHopIp`. */
export interface KubeOvnStaticRoute {
  readonly cidr: string;
  readonly nextHopIp: string;
  /** @default 'policyDst' */
  readonly policy?: 'policyDst' | 'policySrc';
}

export interface KubeOvnVpcProps {
  /**
   * Name of the cluster-scoped Vpc. Under a Tenant it is the tenant namespace or starts with `<namespace>.`.
   * @default the construct id; `<tenant namespace>.<id>` under a Tenant
   */
  readonly name?: string;
  /** Namespaces that may use the VPC's subnets; under a Tenant only its own. @default [] */
  readonly namespaces?: readonly string[];
  /** @default [] */
  readonly staticRoutes?: readonly KubeOvnStaticRoute[];
}

const POLICIES = ['policyDst', 'policySrc'];

/** A Kube-OVN `Vpc` (kubeovn.io/v1): an isolated logical router whose subnets may reuse addresses of other VPCs. */
export class KubeOvnVpc extends Construct {
  readonly vpcName: string;
  readonly namespaces: readonly string[];
  readonly vpc: ApiObject;

  constructor(scope: Construct, id: string, props: KubeOvnVpcProps = {}) {
    checkProps(scope, id, 'KubeOvnVpcProps', props);
    super(scope, id);
    Platform.of(this).registry.require(this, KubeOvn);
    const tenant = Tenant.tryOf(this);
    this.vpcName = props.name ?? (tenant ? `${tenant.namespaceName}.${id}` : id);
    this.namespaces = props.namespaces ?? [];
    const routes = props.staticRoutes ?? [];
    const problems = Problems.of(this);
    problems.check(
      isDnsSubdomain(this.vpcName) && this.vpcName !== DEFAULT_VPC,
      'name',
      this.vpcName,
      `must be a DNS-1123 subdomain other than "${DEFAULT_VPC}" (the default VPC)`,
    );
    this.namespaces.forEach((ns, i) => problems.check(isDnsLabel(ns), `namespaces[${i}]`, ns, 'must be a namespace name'));
    routes.forEach((route, i) => {
      checkIpv4Network(problems, `staticRoutes[${i}].cidr`, route.cidr);
      problems.check(isIpv4(route.nextHopIp), `staticRoutes[${i}].nextHopIp`, route.nextHopIp, 'must be an IPv4 address');
      if (route.policy !== undefined)
        problems.check(
          POLICIES.includes(route.policy),
          `staticRoutes[${i}].policy`,
          route.policy,
          `must be one of ${POLICIES.map(show).join(', ')}`,
        );
    });
    if (tenant) {
      checkTenantName(problems, tenant, 'name', this.vpcName, 'Vpc');
      checkTenantNamespaces(problems, tenant, this.namespaces);
    }
    problems.throwIfAny();
    this.vpc = new ApiObject(this, 'vpc', {
      apiVersion: 'kubeovn.io/v1',
      kind: 'Vpc',
      metadata: { name: this.vpcName, labels: { ...MANAGED_BY } },
      spec: {
        namespaces: this.namespaces.length > 0 ? [...this.namespaces] : undefined,
        staticRoutes:
          routes.length > 0 ? routes.map((r) => ({ cidr: r.cidr, nextHopIP: r.nextHopIp, policy: r.policy ?? 'policyDst' })) : undefined,
      },
    });
    this.node.defaultChild = this.vpc;
  }

  /** A subnet of this VPC, created after it. */
  subnet(id: string, props: Omit<KubeOvnSubnetProps, 'vpc'>): KubeOvnSubnet {
    const subnet = new KubeOvnSubnet(this, id, { ...props, vpc: this.vpcName });
    subnet.node.addDependency(this.vpc);
    return subnet;
  }
}
