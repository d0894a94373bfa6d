import { RuntimeKind } from '../../lib/core/readiness';

const kind = (group: string, name: string, plural: string): RuntimeKind => ({ group, kind: name, plural });

/** Kinds whose CRDs virt-operator registers once the `KubeVirt` CR is reconciled; no manifest installs them. */
export const KUBEVIRT_RUNTIME_KINDS: readonly RuntimeKind[] = [
  kind('kubevirt.io', 'VirtualMachine', 'virtualmachines'),
  kind('kubevirt.io', 'VirtualMachineInstance', 'virtualmachineinstances'),
  kind('kubevirt.io', 'VirtualMachineInstanceMigration', 'virtualmachineinstancemigrations'),
  kind('kubevirt.io', 'VirtualMachineInstanceReplicaSet', 'virtualmachineinstancereplicasets'),
  kind('instancetype.kubevirt.io', 'VirtualMachineInstancetype', 'virtualmachineinstancetypes'),
  kind('instancetype.kubevirt.io', 'VirtualMachineClusterInstancetype', 'virtualmachineclusterinstancetypes'),
  kind('instancetype.kubevirt.io', 'VirtualMachinePreference', 'virtualmachinepreferences'),
  kind('instancetype.kubevirt.io', 'VirtualMachineClusterPreference', 'virtualmachineclusterpreferences'),
  kind('pool.kubevirt.io', 'VirtualMachinePool', 'virtualmachinepools'),
  kind('snapshot.kubevirt.io', 'VirtualMachineSnapshot', 'virtualmachinesnapshots'),
  kind('snapshot.kubevirt.io', 'VirtualMachineSnapshotContent', 'virtualmachinesnapshotcontents'),
  kind('snapshot.kubevirt.io', 'VirtualMachineRestore', 'virtualmachinerestores'),
  kind('export.kubevirt.io', 'VirtualMachineExport', 'virtualmachineexports'),
  kind('clone.kubevirt.io', 'VirtualMachineClone', 'virtualmachineclones'),
  kind('migrations.kubevirt.io', 'MigrationPolicy', 'migrationpolicies'),
];

/** Kinds whose CRDs cdi-operator registers once the `CDI` CR is reconciled. */
export const CDI_RUNTIME_KINDS: readonly RuntimeKind[] = [
  kind('cdi.kubevirt.io', 'DataVolume', 'datavolumes'),
  kind('cdi.kubevirt.io', 'DataSource', 'datasources'),
  kind('cdi.kubevirt.io', 'DataImportCron', 'dataimportcrons'),
  kind('cdi.kubevirt.io', 'StorageProfile', 'storageprofiles'),
  kind('cdi.kubevirt.io', 'CDIConfig', 'cdiconfigs'),
  kind('cdi.kubevirt.io', 'ObjectTransfer', 'objecttransfers'),
  kind('cdi.kubevirt.io', 'VolumeImportSource', 'volumeimportsources'),
  kind('cdi.kubevirt.io', 'VolumeUploadSource', 'volumeuploadsources'),
  kind('cdi.kubevirt.io', 'VolumeCloneSource', 'volumeclonesources'),
];
