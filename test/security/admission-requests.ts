import { TENANT_KIND_AUDIT } from '../../constructs/platform/tenant-admission-audit';
import { TenantAdmission } from '../../constructs/platform/tenant-admission';
import { Tenant } from '../../constructs/platform/tenant';
import { newPlatform, validated } from '../helpers';
import { AdmissionEvaluator, AdmissionRequest } from './admission-evaluator';

/** Who sends a request. */
export const TENANT_ADMIN = { username: 'alice', groups: ['tenant-a-admins', 'system:authenticated'] };
export const TENANT_WORKLOAD = {
  username: 'system:serviceaccount:tenant-a:app',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:tenant-a', 'system:authenticated'],
};
export const FLUX = {
  username: 'system:serviceaccount:flux-system:kustomize-controller',
  groups: ['system:serviceaccounts', 'system:authenticated'],
};
export const CONTROLLER_MANAGER = { username: 'system:kube-controller-manager', groups: ['system:authenticated'] };
export const ENDPOINT_CONTROLLER = {
  username: 'system:serviceaccount:kube-system:endpointslice-controller',
  groups: ['system:serviceaccounts'],
};
export const CLUSTER_ADMIN = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
export const NODE = { username: 'system:node:worker-1', groups: ['system:nodes', 'system:authenticated'] };

const RESOURCES = new Map(TENANT_KIND_AUDIT.map((k) => [`${k.group}/${k.kind}`, k.resource]));

/** The resource of a manifest's kind: from the audit table, else the regular lower-case plural. */
export function resourceOf(apiVersion: string, kind: string): { group: string; version: string; resource: string } {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const plural = kind.toLowerCase().replace(/(s|y)?$/, (end) => (end === 'y' ? 'ies' : end === 's' ? 'ses' : 's'));
  return { group, version, resource: RESOURCES.get(`${group}/${kind}`) ?? plural };
}

export interface RequestOptions {
  readonly operation?: 'CREATE' | 'UPDATE';
  readonly oldObject?: any;
  readonly userInfo?: AdmissionRequest['userInfo'];
  readonly namespaceLabels?: Record<string, string>;
}

/** An admission request writing `object` into its namespace (default: created by the tenant admin of tenant-a). */
export function requestFor(object: any, options: RequestOptions = {}): AdmissionRequest {
  const namespace = object.metadata.namespace ?? 'tenant-a';
  return {
    operation: options.operation ?? (options.oldObject ? 'UPDATE' : 'CREATE'),
    resource: resourceOf(object.apiVersion, object.kind),
    namespace,
    namespaceLabels: options.namespaceLabels ?? {
      'kubernetes.io/metadata.name': namespace,
      'kubestrata.io/tenant': namespace.replace(/^tenant-/, ''),
    },
    userInfo: options.userInfo ?? TENANT_ADMIN,
    object: { ...object, metadata: { ...object.metadata, namespace } },
    oldObject: options.oldObject,
  };
}

/** The policies a platform with one tenant renders, schema-checked, in an evaluator. */
export function tenantAdmission(): { evaluator: AdmissionEvaluator; policies: any[]; bindings: any[] } {
  const platform = newPlatform();
  new Tenant(platform, 'a');
  const all = validated(platform);
  expect(platform.registry.find(TenantAdmission)).toBeDefined();
  return {
    evaluator: new AdmissionEvaluator(all),
    policies: all.filter((m) => m.kind === 'ValidatingAdmissionPolicy'),
    bindings: all.filter((m) => m.kind === 'ValidatingAdmissionPolicyBinding'),
  };
}
