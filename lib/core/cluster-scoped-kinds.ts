import { groupKindKey, ResourceScope } from './gvk';

/**
 * Cluster-scoped kinds whose schemas do not come from a CustomResourceDefinition (a CRD states its own
 * `spec.scope`): the built-in Kubernetes API (1.28 – 1.33) and the KubeVirt/CDI kinds validated against the
 * projects' OpenAPI documents. Every other kind from those sources is namespaced.
 */
const CLUSTER_SCOPED: Readonly<Record<string, readonly string[]>> = {
  '': ['ComponentStatus', 'Namespace', 'Node', 'PersistentVolume'],
  'admissionregistration.k8s.io': [
    'MutatingAdmissionPolicy',
    'MutatingAdmissionPolicyBinding',
    'MutatingWebhookConfiguration',
    'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding',
    'ValidatingWebhookConfiguration',
  ],
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
  'apiregistration.k8s.io': ['APIService'],
  'authentication.k8s.io': ['SelfSubjectReview', 'TokenReview'],
  'authorization.k8s.io': ['SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'],
  'certificates.k8s.io': ['CertificateSigningRequest', 'ClusterTrustBundle'],
  'flowcontrol.apiserver.k8s.io': ['FlowSchema', 'PriorityLevelConfiguration'],
  'internal.apiserver.k8s.io': ['StorageVersion'],
  'networking.k8s.io': ['ClusterCIDR', 'IPAddress', 'IngressClass', 'ServiceCIDR'],
  'node.k8s.io': ['RuntimeClass'],
  'rbac.authorization.k8s.io': ['ClusterRole', 'ClusterRoleBinding'],
  'resource.k8s.io': ['DeviceClass', 'DeviceTaintRule', 'ResourceClass', 'ResourceSlice'],
  'scheduling.k8s.io': ['PriorityClass'],
  'storage.k8s.io': ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment', 'VolumeAttributesClass'],
  'storagemigration.k8s.io': ['StorageVersionMigration'],
  // KubeVirt: KubeVirt itself, VirtualMachine*, snapshots (including VirtualMachineSnapshotContent), exports,
  // clones and pools are namespaced. The swagger paths of the OpenAPI document do not show scope reliably.
  'instancetype.kubevirt.io': ['VirtualMachineClusterInstancetype', 'VirtualMachineClusterPreference'],
  'migrations.kubevirt.io': ['MigrationPolicy'],
  // CDI: DataVolume, DataSource, DataImportCron and the volume sources are namespaced.
  'cdi.kubevirt.io': ['CDI', 'CDIConfig', 'ObjectTransfer', 'StorageProfile'],
};

const CLUSTER_SCOPED_KEYS: ReadonlySet<string> = new Set(
  Object.entries(CLUSTER_SCOPED).flatMap(([group, kinds]) => kinds.map((kind) => groupKindKey(group, kind))),
);

/** The scope of a built-in or OpenAPI-described kind. */
export function scopeOfWellKnownKind(group: string, kind: string): ResourceScope {
  return CLUSTER_SCOPED_KEYS.has(groupKindKey(group, kind)) ? 'Cluster' : 'Namespaced';
}
