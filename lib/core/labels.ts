export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'kubestrata' } as const;

/** Label that marks a namespace as part of the platform's system layers (operators, controllers). */
export const SYSTEM_NAMESPACE_LABEL = 'kubestrata.io/system';
/** Label that names the tenant a namespace belongs to. */
export const TENANT_LABEL = 'kubestrata.io/tenant';
/** Pods with this label may reach the Kubernetes API server from inside a tenant. */
export const ALLOW_APISERVER_LABEL = 'kubestrata.io/allow-to-apiserver';
/** Pods with this label may reach addresses outside the cluster (object storage, registries), never cluster-internal ones. */
export const ALLOW_EXTERNAL_LABEL = 'kubestrata.io/allow-to-external';
/** Pods with this label serve HTTP through the platform's shared ingress controller, which alone may reach them. */
export const INGRESS_BACKEND_LABEL = 'kubestrata.io/ingress-backend';

/** The recommended labels of one component instance. */
export function componentLabels(name: string, component: string, instance: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/instance': instance,
    ...MANAGED_BY,
  };
}
