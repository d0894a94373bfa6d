import { ApiObject } from 'cdk8s';
import { Component } from '../../lib/core/component';
import { Problems } from '../../lib/core/errors';
import { MANAGED_BY, TENANT_LABEL } from '../../lib/core/labels';
import { Platform } from '../../lib/core/platform';
import { TenantPolicy, tenantPolicies } from './tenant-admission-policies';

const API_VERSION = 'admissionregistration.k8s.io/v1';

/**
 * ValidatingAdmissionPolicies, bound to every namespace labelled `kubestrata.io/tenant`, that refuse what would
 * let a tenant reach outside its namespace: operator resources naming another namespace, ExternalName Services and
 * external IPs, hand-written Endpoints, claims of foreign volumes, Pods on other namespaces' networks and
 * ingress-nginx snippets. Every Tenant requires it. Kubernetes 1.30 or later (the API is GA there).
 */
export class TenantAdmission extends Component {
  /** The policies, as rendered (without the bindings). */
  readonly policies: readonly TenantPolicy[];

  constructor(platform: Platform) {
    super(platform, 'platform', 'tenant-admission');
    const problems = Problems.of(this);
    problems.check(
      platform.kubernetesVersion !== '1.28',
      'platform.kubernetesVersion',
      platform.kubernetesVersion,
      'cannot isolate tenants: their ValidatingAdmissionPolicies are GA from Kubernetes 1.30; in 1.28 the API is beta and off ' +
        'unless the API server runs with --feature-gates=ValidatingAdmissionPolicy=true and ' +
        '--runtime-config=admissionregistration.k8s.io/v1beta1=true, and without the gate stored policies are not enforced',
      'use a platform kubernetesVersion of 1.32 or 1.33',
    );
    problems.throwIfAny();
    this.policies = tenantPolicies(platform.clusterDomain);
    for (const policy of this.policies) this.render(policy);
  }

  private render(policy: TenantPolicy): void {
    const metadata = () => ({ name: policy.name, labels: { ...MANAGED_BY } });
    new ApiObject(this, policy.name, {
      apiVersion: API_VERSION,
      kind: 'ValidatingAdmissionPolicy',
      metadata: metadata(),
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: policy.resourceRules.map((rule) => ({
            apiGroups: [...rule.apiGroups],
            apiVersions: ['*'],
            resources: [...rule.resources],
            operations: ['CREATE', 'UPDATE'],
          })),
        },
        ...(policy.matchConditions.length > 0 && { matchConditions: policy.matchConditions.map((c) => ({ ...c })) }),
        ...(policy.variables.length > 0 && { variables: policy.variables.map((v) => ({ ...v })) }),
        validations: policy.validations.map((v) => ({ ...v })),
      },
    });
    new ApiObject(this, `${policy.name}-binding`, {
      apiVersion: API_VERSION,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: metadata(),
      spec: {
        policyName: policy.name,
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchExpressions: [{ key: TENANT_LABEL, operator: 'Exists' }] } },
      },
    });
  }
}
