import { TalosSchematic } from '../../../constructs/nodes/talos-schematic';
import { versions } from '../../../lib/versions';
import { newPlatform } from '../../helpers';
import { cozyCluster, kind, parseAll, placeholderSecrets, talosIssues } from './fixtures';

describe('TalosCluster patches', () => {
  test('a control-plane patch carries the Cozystack node contract', () => {
    const { cluster, cp1 } = cozyCluster();
    const patch = cluster.patch(cp1);
    const { machine, cluster: c } = kind(patch, 'v1alpha1');
    expect(machine.type).toBe('controlplane');
    expect(machine.kernel.modules).toEqual([
      { name: 'openvswitch' },
      { name: 'drbd', parameters: ['usermode_helper=disabled'] },
      { name: 'zfs' },
      { name: 'spl' },
    ]);
    expect(machine.kubelet).toEqual({ nodeIP: { validSubnets: ['192.168.100.0/24'] }, extraConfig: { maxPods: 512 } });
    expect(machine.install).toEqual({
      disk: '/dev/sda',
      image: `factory.talos.dev/metal-installer/${TalosSchematic.cozystack().id}:v1.13.9`,
      wipe: false,
    });
    expect(machine.files.map((f: any) => [f.path, f.op])).toEqual([
      ['/etc/cri/conf.d/20-customization.part', 'create'],
      ['/etc/lvm/lvm.conf', 'overwrite'],
    ]);
    expect(machine.files[0].content).toContain('device_ownership_from_security_context = true');
    expect(machine.files[1].content).toContain('"r|^/dev/drbd.*|"');
    expect(machine.files[1].permissions).toBe(0o644);
    expect(machine.nodeLabels).toEqual({ 'node.kubernetes.io/exclude-from-external-load-balancers': { $patch: 'delete' } });
    expect(c.network).toEqual({
      cni: { name: 'none' },
      dnsDomain: 'cozy.local',
      podSubnets: ['100.65.0.0/16'],
      serviceSubnets: ['10.96.0.0/16'],
    });
    expect(c.proxy).toEqual({ disabled: true });
    expect(c.controlPlane).toEqual({ endpoint: 'https://192.168.100.10:6443' });
    expect(c.allowSchedulingOnControlPlanes).toBe(true);
    expect(c.discovery).toEqual({ enabled: false });
    expect(c.etcd).toEqual({ advertisedSubnets: ['192.168.100.0/24'] });
    expect(c.controllerManager.extraArgs).toEqual({ 'bind-address': '0.0.0.0' });
    expect(c.scheduler.extraArgs).toEqual({ 'bind-address': '0.0.0.0' });
    expect(c.apiServer.certSANs).toEqual(['192.168.100.10', '127.0.0.1']);
    expect(kind(patch, 'HostnameConfig')).toEqual({ apiVersion: 'v1alpha1', kind: 'HostnameConfig', auto: 'off', hostname: 'cp1' });
    expect(kind(patch, 'LinkConfig')).toEqual({
      apiVersion: 'v1alpha1',
      kind: 'LinkConfig',
      name: 'enp1s0',
      addresses: [{ address: '192.168.100.11/24' }],
      routes: [{ gateway: '192.168.100.1' }],
    });
    expect(kind(patch, 'Layer2VIPConfig')).toEqual({
      apiVersion: 'v1alpha1',
      kind: 'Layer2VIPConfig',
      name: '192.168.100.10',
      link: 'enp1s0',
    });
    expect(kind(patch, 'RegistryMirrorConfig')).toEqual({
      apiVersion: 'v1alpha1',
      kind: 'RegistryMirrorConfig',
      name: 'docker.io',
      endpoints: [{ url: 'https://mirror.gcr.io' }],
    });
  });

  test('a worker patch has no control-plane settings and no VIP', () => {
    const { cluster, worker } = cozyCluster();
    const patch = cluster.patch(worker);
    const v1 = kind(patch, 'v1alpha1');
    expect(v1.machine.type).toBe('worker');
    expect(v1.machine.nodeLabels).toBeUndefined();
    expect(Object.keys(v1.cluster).sort()).toEqual(['clusterName', 'controlPlane', 'discovery', 'network']);
    expect(patch.some((d) => d.kind === 'Layer2VIPConfig')).toBe(false);
  });

  test('defaults follow the platform: cluster domain, Kubernetes version per API level', () => {
    const { cluster } = cozyCluster({}, newPlatform({ kubernetesVersion: '1.32' }));
    expect(cluster.kubernetesVersion).toBe(versions.talos.kubernetes['1.32']);
    expect(kind(cluster.patch(cluster.nodes[0]), 'v1alpha1').cluster.network.dnsDomain).toBe('cluster.local');
    expect(cluster.talosVersion).toBe('v1.13.9');
  });

  test('without a VIP the endpoint is the first control-plane address', () => {
    const { cluster } = cozyCluster({ vip: undefined });
    expect(cluster.endpoint).toBe('https://192.168.100.11:6443');
    expect(cluster.bootstrapNode?.node.id).toBe('cp1');
  });

  test('with no network component in the platform Talos runs Flannel and kube-proxy; opt-outs remove each host setting', () => {
    const { cluster, cp1 } = cozyCluster(
      {
        deviceOwnershipFromSecurityContext: false,
        lvmFilter: false,
        controlPlaneMetrics: false,
        loadBalancersOnControlPlanes: false,
        allowSchedulingOnControlPlanes: false,
        registryMirrors: {},
      },
      newPlatform({ kubernetesVersion: '1.33' }),
    );
    const patch = cluster.patch(cp1);
    const v1 = kind(patch, 'v1alpha1');
    expect(v1.cluster.proxy).toEqual({ disabled: false });
    expect(v1.cluster.network.cni).toEqual({ name: 'flannel' });
    expect(v1.cluster.network.podSubnets).toEqual(['10.244.0.0/16']);
    expect(v1.machine.kubelet.extraConfig).toEqual({ maxPods: 110 });
    expect(v1.machine.files).toBeUndefined();
    expect(v1.machine.nodeLabels).toBeUndefined();
    expect(v1.cluster.controllerManager).toBeUndefined();
    expect(v1.cluster.allowSchedulingOnControlPlanes).toBe(false);
    expect(patch.some((d) => d.kind === 'RegistryMirrorConfig')).toBe(false);
  });

  test('the YAML is what Talos reads: octal permissions, the delete directive, one document per kind', () => {
    const { cluster, cp1 } = cozyCluster();
    const yaml = cluster.patchYaml(cp1);
    expect(yaml).toContain('permissions: 0o644');
    expect(yaml).toContain('$patch: delete');
    expect(parseAll(yaml)).toEqual(JSON.parse(JSON.stringify(cluster.patch(cp1))));
  });

  test('every patch of a cluster using every option validates against the Talos 1.13.9 schema', () => {
    const { cluster } = cozyCluster({
      network: { link: 'bond0', gateway: '192.168.100.1', nameservers: ['1.1.1.1', '2606:4700:4700::1111'] },
      endpoint: 'https://api.cozy.example.org:6443',
      clusterName: 'cozy-prod',
      schematic: new TalosSchematic({ extensions: ['siderolabs/drbd', 'siderolabs/zfs'], extraKernelArgs: ['amd_pstate=active'] }),
      imagePlatform: 'metal',
      installDisk: '/dev/nvme0n1',
      podSubnets: ['100.65.0.0/16'],
      serviceSubnets: ['10.96.0.0/16'],
      nodeSubnets: ['192.168.100.0/24'],
      cni: 'none',
      kubeProxy: false,
      kernelModules: [
        { name: 'openvswitch' },
        { name: 'drbd', parameters: ['usermode_helper=disabled'] },
        { name: 'zfs' },
        { name: 'spl' },
        { name: 'vfio_pci' },
      ],
      sysctls: { 'vm.nr_hugepages': '1024' },
      kubelet: {
        maxPods: 256,
        systemReserved: { cpu: '500m', memory: '1Gi', ephemeralStorage: '1Gi' },
        kubeReserved: { cpu: '200m', memory: '512Mi' },
        evictionHard: { memoryAvailable: '7%', nodefsAvailable: '10%', imagefsAvailable: '15%', nodefsInodesFree: '5%' },
      },
      registryMirrors: { 'docker.io': ['https://mirror.gcr.io'], '*': ['http://registry.lan:5000'] },
      insecureRegistryMirrors: true,
      discovery: true,
      certSANs: ['api.cozy.example.org', '203.0.113.10'],
      oidc: {
        issuerUrl: 'https://keycloak.cozy.example.org/realms/cozy',
        clientId: 'kubernetes',
        usernameClaim: 'preferred_username',
        groupsClaim: 'groups',
      },
    });
    cluster.addNode('gpu1', {
      role: 'worker',
      address: '192.168.100.31/24',
      link: 'enp65s0',
      hostname: 'gpu-1',
      installDisk: '/dev/sdb',
      labels: { gpu: 'on', 'example.com/gpu': '' },
    });
    for (const node of cluster.nodes) {
      const patch = cluster.patch(node);
      expect({ node: node.node.id, issues: talosIssues(patch) }).toEqual({ node: node.node.id, issues: [] });
      expect(talosIssues(parseAll(cluster.patchYaml(node)))).toEqual([]);
    }
    const gpu = cluster.patch(cluster.nodes.find((n) => n.node.id === 'gpu1')!);
    expect(kind(gpu, 'v1alpha1').machine.kubelet.extraConfig).toEqual({
      maxPods: 256,
      systemReserved: { cpu: '500m', memory: '1Gi', 'ephemeral-storage': '1Gi' },
      kubeReserved: { cpu: '200m', memory: '512Mi' },
      evictionHard: { 'memory.available': '7%', 'nodefs.available': '10%', 'imagefs.available': '15%', 'nodefs.inodesFree': '5%' },
    });
    expect(kind(gpu, 'v1alpha1').machine.nodeLabels).toEqual({ gpu: 'on', 'example.com/gpu': '' });
    expect(kind(gpu, 'LinkConfig').name).toBe('enp65s0');
    expect(kind(gpu, 'HostnameConfig').hostname).toBe('gpu-1');
    const cp = kind(cluster.patch(cluster.nodes[0]), 'v1alpha1').cluster;
    expect(cp.apiServer.extraArgs).toEqual({
      'oidc-issuer-url': 'https://keycloak.cozy.example.org/realms/cozy',
      'oidc-client-id': 'kubernetes',
      'oidc-username-claim': 'preferred_username',
      'oidc-groups-claim': 'groups',
    });
    expect(cp.proxy).toEqual({ disabled: true });
    expect(cp.apiServer.certSANs).toEqual(['api.cozy.example.org', '127.0.0.1', '192.168.100.10', '203.0.113.10']);
  });
});

describe('TalosCluster complete machine configs', () => {
  test('are the generated config with the patch applied, and validate against the schema', () => {
    const { cluster, cp1, worker } = cozyCluster();
    const secrets = placeholderSecrets();
    for (const node of [cp1, worker]) {
      const config = cluster.machineConfig(node, secrets);
      expect(talosIssues(config)).toEqual([]);
      expect(talosIssues(parseAll(cluster.machineConfigYaml(node, secrets)))).toEqual([]);
    }
    const cp = kind(cluster.machineConfig(cp1, secrets), 'v1alpha1');
    expect(cp.machine.token).toBe(secrets.trustdinfo.token);
    expect(cp.machine.ca).toEqual(secrets.certs.os);
    expect(cp.machine.kubelet.image).toBe('ghcr.io/siderolabs/kubelet:v1.33.12');
    expect(cp.machine.kubelet.nodeIP).toEqual({ validSubnets: ['192.168.100.0/24'] });
    expect(cp.machine.nodeLabels).toEqual({});
    expect(cp.cluster.apiServer.image).toBe('registry.k8s.io/kube-apiserver:v1.33.12');
    expect(cp.cluster.secretboxEncryptionSecret).toBe(secrets.secrets.secretboxencryptionsecret);
    expect(cp.cluster.network.serviceSubnets).toEqual(['10.96.0.0/16']);
    expect(cp.cluster.discovery.enabled).toBe(false);
    expect(kind(cluster.machineConfig(cp1, secrets), 'HostnameConfig')).toEqual({
      apiVersion: 'v1alpha1',
      kind: 'HostnameConfig',
      auto: 'off',
      hostname: 'cp1',
    });
    const w = kind(cluster.machineConfig(worker, secrets), 'v1alpha1');
    expect(w.machine.ca).toEqual({ crt: secrets.certs.os.crt });
    expect(w.cluster.ca).toEqual({ crt: secrets.certs.k8s.crt });
    expect(w.cluster.aggregatorCA).toBeUndefined();
    expect(w.cluster.serviceAccount).toBeUndefined();
  });

  test('patches hold no secret material', () => {
    const { cluster } = cozyCluster();
    const secrets = placeholderSecrets();
    const values = [secrets.trustdinfo.token, secrets.secrets.bootstraptoken, secrets.certs.os.key, secrets.cluster.secret];
    for (const node of cluster.nodes) {
      const yaml = cluster.patchYaml(node);
      for (const v of values) expect(yaml).not.toContain(v);
    }
  });
});
