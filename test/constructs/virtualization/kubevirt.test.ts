import { KubeVirt, KUBEVIRT_DEFAULT_FEATURE_GATES } from '../../../constructs/virtualization/kubevirt';
import { Cdi } from '../../../constructs/virtualization/cdi';
import { KUBEVIRT_RUNTIME_KINDS, CDI_RUNTIME_KINDS } from '../../../constructs/virtualization/runtime-kinds';
import { versions } from '../../../lib/versions';
import { find, manifests, newPlatform } from '../../helpers';
import { CDI_CHART, KUBEVIRT_CHART } from './fixtures';

describe('KubeVirt', () => {
  test('installs virt-operator from the given chart into a privileged system namespace', () => {
    const platform = newPlatform();
    const kubevirt = new KubeVirt(platform, { chart: KUBEVIRT_CHART });
    const all = manifests(platform);
    const namespace = find(all, 'Namespace', 'kubevirt');
    expect(namespace.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'privileged', 'kubestrata.io/system': 'true' });
    expect(find(all, 'OCIRepository', 'kubevirt-operator').spec).toMatchObject({
      url: 'oci://registry.example.com/charts/kubevirt-operator',
      ref: { tag: '1.8.4' },
    });
    expect(find(all, 'HelmRelease', 'kubevirt-operator').metadata.namespace).toBe('kubevirt');
    expect(kubevirt).toMatchObject({ version: versions.kubevirt.app, namespace: 'kubevirt' });
    expect(kubevirt.version).toBe('1.8.4');
  });

  test('the KubeVirt CR as Cozystack configures it', () => {
    const platform = newPlatform();
    new KubeVirt(platform, { chart: KUBEVIRT_CHART });
    const cr = find(manifests(platform), 'KubeVirt', 'kubevirt');
    expect(cr.apiVersion).toBe('kubevirt.io/v1');
    expect(cr.metadata.namespace).toBe('kubevirt');
    expect(cr.spec.configuration).toEqual({
      commonInstancetypesDeployment: { enabled: true },
      developerConfiguration: {
        featureGates: ['HotplugVolumes', 'ExpandDisks', 'LiveMigration', 'AutoResourceLimitsGate', 'CPUManager', 'GPU', 'VMExport'],
        cpuAllocationRatio: 10,
      },
      evictionStrategy: 'LiveMigrateIfPossible',
      virtualMachineOptions: { disableSerialConsoleLog: {} },
      vmRolloutStrategy: 'LiveUpdate',
    });
    expect(cr.spec.workloadUpdateStrategy).toEqual({
      workloadUpdateMethods: ['LiveMigrate', 'Evict'],
      batchEvictionInterval: '1m',
      batchEvictionSize: 10,
    });
    expect(cr.spec.uninstallStrategy).toBe('BlockUninstallIfWorkloadsExist');
    expect(cr.spec.imagePullPolicy).toBe('IfNotPresent');
    const patch = cr.spec.customizeComponents.patches[0];
    expect(patch).toMatchObject({ resourceName: 'virt-handler', resourceType: 'DaemonSet', type: 'strategic' });
    expect(JSON.parse(patch.patch).spec.template.spec.containers[0]).toEqual({
      name: 'virt-handler',
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '2Gi' } },
    });
  });

  test('emulation, migrations, host devices and the other options reach the CR', () => {
    const platform = newPlatform({ allocationRatio: { cpu: 4 } });
    new KubeVirt(platform, {
      chart: KUBEVIRT_CHART,
      useEmulation: true,
      featureGates: [...KUBEVIRT_DEFAULT_FEATURE_GATES, 'HostDevices'],
      disabledFeatureGates: ['ImageVolume'],
      evictionStrategy: 'LiveMigrate',
      workloadUpdateMethods: ['LiveMigrate'],
      migrations: {
        bandwidthPerMigration: '64Mi',
        parallelMigrationsPerCluster: 4,
        parallelOutboundMigrationsPerNode: 1,
        completionTimeoutPerGiB: 800,
        progressTimeout: 300,
        allowAutoConverge: true,
        allowPostCopy: false,
        network: 'migration',
      },
      commonInstancetypes: false,
      serialConsoleLog: true,
      handlerResources: { memoryLimit: '4Gi' },
      pciHostDevices: [{ pciVendorSelector: '10DE:2335', resourceName: 'nvidia.com/H200', externalResourceProvider: true }],
      mediatedDevices: [{ mdevNameSelector: 'NVIDIA L40S-24Q', resourceName: 'nvidia.com/L40S-24Q' }],
      uninstallStrategy: 'RemoveWorkloads',
    });
    const { spec } = find(manifests(platform), 'KubeVirt');
    expect(spec.configuration.developerConfiguration).toEqual({
      featureGates: [...KUBEVIRT_DEFAULT_FEATURE_GATES, 'HostDevices'],
      disabledFeatureGates: ['ImageVolume'],
      useEmulation: true,
      cpuAllocationRatio: 4,
    });
    expect(spec.configuration.migrations).toEqual({
      bandwidthPerMigration: '64Mi',
      parallelMigrationsPerCluster: 4,
      parallelOutboundMigrationsPerNode: 1,
      completionTimeoutPerGiB: 800,
      progressTimeout: 300,
      allowAutoConverge: true,
      allowPostCopy: false,
      network: 'migration',
    });
    expect(spec.configuration.permittedHostDevices).toEqual({
      pciHostDevices: [{ pciVendorSelector: '10DE:2335', resourceName: 'nvidia.com/H200', externalResourceProvider: true }],
      mediatedDevices: [{ mdevNameSelector: 'NVIDIA L40S-24Q', resourceName: 'nvidia.com/L40S-24Q' }],
    });
    expect(spec.configuration.commonInstancetypesDeployment).toEqual({ enabled: false });
    expect(spec.configuration.virtualMachineOptions).toBeUndefined();
    expect(spec.configuration.evictionStrategy).toBe('LiveMigrate');
    expect(spec.workloadUpdateStrategy.workloadUpdateMethods).toEqual(['LiveMigrate']);
    expect(spec.uninstallStrategy).toBe('RemoveWorkloads');
    expect(JSON.parse(spec.customizeComponents.patches[0].patch).spec.template.spec.containers[0].resources.limits).toEqual({
      memory: '4Gi',
    });
  });

  test('TLS of migrations is only off when asked by name', () => {
    const platform = newPlatform();
    new KubeVirt(platform, { chart: KUBEVIRT_CHART, migrations: { disableTls: true } });
    expect(find(manifests(platform), 'KubeVirt').spec.configuration.migrations).toEqual({ disableTLS: true });
  });

  test('declares the CR Available wait and the workload kinds virt-operator registers at run time', () => {
    const platform = newPlatform();
    const kubevirt = new KubeVirt(platform, { chart: KUBEVIRT_CHART });
    expect(platform.readiness.conditions).toEqual([{ object: kubevirt.cr, condition: 'Available', timeout: undefined }]);
    expect(platform.readiness.runtimeKinds).toEqual([{ provider: kubevirt, kinds: KUBEVIRT_RUNTIME_KINDS, timeout: undefined }]);
    const kinds = KUBEVIRT_RUNTIME_KINDS.map((k) => k.kind);
    for (const kind of [
      'VirtualMachine',
      'VirtualMachineInstance',
      'VirtualMachineInstancetype',
      'VirtualMachineClusterInstancetype',
      'VirtualMachinePreference',
      'VirtualMachineClusterPreference',
    ]) {
      expect(kinds).toContain(kind);
    }
    expect(platform.readiness.providerOf('kubevirt.io/v1', 'VirtualMachine')?.provider).toBe(kubevirt);
    expect(platform.readiness.providerOf('kubevirt.io/v1', 'KubeVirt')).toBeUndefined();
  });

  test('the CR follows the operator release in the manifests', () => {
    const platform = newPlatform();
    new KubeVirt(platform, { chart: KUBEVIRT_CHART });
    const kinds = manifests(platform).map((m) => m.kind);
    expect(kinds.indexOf('KubeVirt')).toBeGreaterThan(kinds.indexOf('HelmRelease'));
  });

  test('under K3s delivery the operator is a HelmChart in kube-system targeting the kubevirt namespace', () => {
    const platform = newPlatform({ delivery: 'k3s' });
    new KubeVirt(platform, { chart: KUBEVIRT_CHART, namespace: 'virt', values: { replicas: 1 } });
    const chart = find(manifests(platform), 'HelmChart', 'kubevirt-operator');
    expect(chart.metadata.namespace).toBe('kube-system');
    expect(chart.spec).toMatchObject({
      targetNamespace: 'virt',
      chart: 'oci://registry.example.com/charts/kubevirt-operator',
      version: '1.8.4',
    });
    expect(chart.spec.valuesContent).toBe('replicas: 1\n');
    expect(find(manifests(platform), 'KubeVirt').metadata.namespace).toBe('virt');
  });
});

describe('Cdi', () => {
  test('installs cdi-operator into a restricted system namespace and creates the cluster-scoped CDI CR as Cozystack', () => {
    const platform = newPlatform();
    const cdi = new Cdi(platform, { chart: CDI_CHART });
    const all = manifests(platform);
    expect(find(all, 'Namespace', 'cdi').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(find(all, 'HelmRelease', 'cdi-operator').metadata.namespace).toBe('cdi');
    const cr = find(all, 'CDI', 'cdi');
    expect(cr.apiVersion).toBe('cdi.kubevirt.io/v1beta1');
    expect(cr.metadata.namespace).toBeUndefined();
    expect(cr.spec).toEqual({
      config: {
        featureGates: ['HonorWaitForFirstConsumer', 'ExpandDisks'],
        podResourceRequirements: { requests: { cpu: '100m', memory: '60M' }, limits: { cpu: '750m', memory: '600M' } },
      },
      imagePullPolicy: 'IfNotPresent',
      infra: { nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }] },
      workload: { nodeSelector: { 'kubernetes.io/os': 'linux' } },
      uninstallStrategy: 'BlockUninstallIfWorkloadsExist',
    });
    expect(cdi.version).toBe(versions.cdi.app);
    expect(cdi.cloneStrategy).toBeUndefined();
  });

  test('clone strategy, upload proxy, scratch class and pod resources reach the CR', () => {
    const platform = newPlatform();
    new Cdi(platform, {
      chart: CDI_CHART,
      cloneStrategy: 'csi-clone',
      uploadProxyUrl: 'https://cdi-uploadproxy.example.com',
      scratchSpaceStorageClass: 'local',
      podResources: { memoryLimit: '2G' },
      featureGates: ['HonorWaitForFirstConsumer'],
      uninstallStrategy: 'RemoveWorkloads',
    });
    const { spec } = find(manifests(platform), 'CDI');
    expect(spec.cloneStrategyOverride).toBe('csi-clone');
    expect(spec.config).toEqual({
      featureGates: ['HonorWaitForFirstConsumer'],
      podResourceRequirements: { requests: { cpu: '100m', memory: '60M' }, limits: { cpu: '750m', memory: '2G' } },
      uploadProxyURLOverride: 'https://cdi-uploadproxy.example.com',
      scratchSpaceStorageClass: 'local',
    });
    expect(spec.uninstallStrategy).toBe('RemoveWorkloads');
  });

  test('declares the CR Available wait and the kinds cdi-operator registers at run time', () => {
    const platform = newPlatform();
    const cdi = new Cdi(platform, { chart: CDI_CHART });
    expect(platform.readiness.conditions).toEqual([{ object: cdi.cr, condition: 'Available', timeout: undefined }]);
    expect(platform.readiness.runtimeKinds[0].provider).toBe(cdi);
    expect(CDI_RUNTIME_KINDS.map((k) => k.kind)).toEqual(
      expect.arrayContaining(['DataVolume', 'DataSource', 'DataImportCron', 'StorageProfile', 'CDIConfig']),
    );
    expect(platform.readiness.providerOf('cdi.kubevirt.io/v1beta1', 'DataVolume')?.provider).toBe(cdi);
  });
});
