import { Problems } from '../../lib/core/errors';
import { checkLabels } from '../../lib/core/names';

/** The `kubernetes.io` and `k8s.io` labels a kubelet may set on its own Node (k8s.io/kubernetes pkg/kubelet/apis). */
const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname',
  'kubernetes.io/arch',
  'kubernetes.io/os',
  'beta.kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/instance-type',
  'failure-domain.beta.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'topology.kubernetes.io/zone',
  'node.kubernetes.io/instance-type',
]);
const KUBELET_LABEL_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io'];
const RESTRICTED_NAMESPACES = ['kubernetes.io', 'k8s.io'];

const within = (namespace: string, domain: string) => namespace === domain || namespace.endsWith(`.${domain}`);

/**
 * Whether a node may carry `key` from its own configuration: the kubelet refuses to start with other
 * `kubernetes.io`/`k8s.io` labels in `--node-labels`, and the NodeRestriction admission plugin refuses them
 * when the node sets them (K3s `node-label`, Talos `machine.nodeLabels`).
 */
export function isSelfSetNodeLabel(key: string): boolean {
  const slash = key.indexOf('/');
  const namespace = slash < 0 ? '' : key.slice(0, slash);
  if (!RESTRICTED_NAMESPACES.some((domain) => within(namespace, domain))) return true;
  return KUBELET_LABELS.has(key) || KUBELET_LABEL_NAMESPACES.some((domain) => within(namespace, domain));
}

/** Checks the labels a node sets on itself. */
export function checkNodeLabels(problems: Problems, property: string, labels: unknown): void {
  if (!checkLabels(problems, property, labels, '{ "example.com/gpu": "true" }')) return;
  for (const key of Object.keys(labels)) {
    problems.check(
      isSelfSetNodeLabel(key),
      `${property}.${key}`,
      key,
      'is a kubernetes.io/k8s.io label a node may not set on itself (the kubelet refuses it; only kubernetes.io/hostname|arch|os, topology.kubernetes.io/region|zone, node.kubernetes.io/* and kubelet.kubernetes.io/* are allowed)',
      'use a label of your own domain, e.g. "example.com/role", or set node-role.kubernetes.io/* with kubectl label after the node joined',
    );
  }
}
