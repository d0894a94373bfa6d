import { Cilium, CiliumProps } from '../../../constructs/network/cilium';
import { KubeOvn } from '../../../constructs/network/kube-ovn';
import { PlatformProps } from '../../../lib/core/platform';
import { SchemaRegistry } from '../../../lib/validate';
import { find, manifests, newPlatform, SCHEMAS_DIR } from '../../helpers';

function setup(props?: CiliumProps, platformProps?: PlatformProps, withKubeOvn = false) {
  const platform = newPlatform(platformProps);
  if (withKubeOvn) new KubeOvn(platform);
  const cilium = new Cilium(platform, props);
  return { platform, cilium, all: manifests(platform) };
}

function values(all: any[]): any {
  return find(all, 'HelmRelease', 'cilium').spec.values;
}

const BASE = {
  kubeProxyReplacement: true,
  k8sServiceHost: 'localhost',
  k8sServicePort: 7445,
  ipam: { mode: 'kubernetes' },
  policyCIDRMatchMode: ['nodes'],
  hostFirewall: { enabled: true },
  hubble: { enabled: false },
  loadBalancer: { algorithm: 'maglev', serviceTopology: true },
  envoy: { enabled: false },
  rollOutCiliumPods: true,
  operator: { replicas: 1, rollOutPods: true },
  cgroup: { autoMount: { enabled: false }, hostRoot: '/sys/fs/cgroup' },
};

describe('Cilium stand-alone', () => {
  test('kube-proxy replacement on Talos, through KubePrism on localhost:7445, with Cozystack base values', () => {
    const { cilium, all } = setup();
    expect(values(all)).toEqual(BASE);
    expect(find(all, 'HelmRelease', 'cilium').spec.chart.spec).toMatchObject({ chart: 'cilium', version: '1.19.5' });
    expect(find(all, 'HelmRepository', 'cilium').spec.url).toBe('https://helm.cilium.io/');
    expect(find(all, 'Namespace', 'cilium').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(all.filter((m) => m.kind === 'ConfigMap')).toEqual([]);
    expect(cilium).toMatchObject({ version: '1.19.5', mode: 'standalone', nodeOs: 'talos', apiServer: { host: 'localhost', port: 7445 } });
  });

  test('on generic K3s nodes: the given API endpoint, no cgroup override, a bootstrap HelmChart', () => {
    const { all } = setup({ apiServer: { host: '10.0.0.10', port: 6443 } }, { delivery: 'k3s' });
    const chart = find(all, 'HelmChart', 'cilium');
    expect(chart.spec.bootstrap).toBe(true);
    expect(chart.spec.valuesContent).toContain('k8sServiceHost: 10.0.0.10\n');
    expect(chart.spec.valuesContent).toContain('k8sServicePort: 6443\n');
    expect(chart.spec.valuesContent).not.toContain('cgroup');
  });

  test('without kube-proxy replacement generic nodes need no endpoint', () => {
    const { all } = setup({ kubeProxyReplacement: false, nodeOs: 'generic' });
    expect(values(all)).toMatchObject({ kubeProxyReplacement: false });
    expect(values(all).k8sServiceHost).toBeUndefined();
  });

  test('options', () => {
    const { all } = setup({
      hubble: true,
      hostFirewall: false,
      operatorReplicas: 2,
      devices: ['eth+', 'bond0'],
      mtu: 1450,
      values: { bpf: { preallocateMaps: true } },
    });
    expect(values(all)).toMatchObject({
      hubble: { enabled: true },
      hostFirewall: { enabled: false },
      operator: { replicas: 2, rollOutPods: true },
      devices: 'eth+ bond0',
      MTU: 1450,
      bpf: { preallocateMaps: true },
    });
  });

  test('operator-registered kinds are declared, so that nothing applies them before cilium-operator serves them', () => {
    const { platform, cilium } = setup();
    for (const kind of ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy', 'CiliumLoadBalancerIPPool']) {
      expect(platform.readiness.providerOf('cilium.io/v2', kind)?.provider).toBe(cilium);
    }
  });
});

describe('Cilium chained behind Kube-OVN, as Cozystack runs it', () => {
  test('chosen automatically when the platform has a KubeOvn', () => {
    const { cilium, all } = setup(undefined, undefined, true);
    expect(cilium.mode).toBe('kube-ovn-chained');
    expect(values(all)).toEqual({
      ...BASE,
      devices: 'ovn0 genev_sys_6081',
      cni: { chainingMode: 'generic-veth', chainingTarget: 'kube-ovn', customConf: true, configMap: 'cni-configuration' },
      routingMode: 'native',
      autoDirectNodeRoutes: false,
      enableIPv4Masquerade: false,
      enableIPv6Masquerade: false,
      bpf: { masquerade: false },
      enableIdentityMark: false,
      forceDeviceDetection: true,
      sctp: { enabled: true },
    });
  });

  test('the generic-veth chain Kube-OVN, portmap, Cilium, in a ConfigMap applied before the release', () => {
    const { platform, all } = setup(undefined, undefined, true);
    const config = find(all, 'ConfigMap', 'cni-configuration');
    expect(config.metadata.namespace).toBe('cilium');
    expect(JSON.parse(config.data['cni-config'])).toEqual({
      name: 'generic-veth',
      cniVersion: '0.3.1',
      plugins: [
        {
          type: 'kube-ovn',
          server_socket: '/run/openvswitch/kube-ovn-daemon.sock',
          ipam: { type: 'kube-ovn', server_socket: '/run/openvswitch/kube-ovn-daemon.sock' },
        },
        { type: 'portmap', snat: true, capabilities: { portMappings: true } },
        { type: 'cilium-cni' },
      ],
    });
    const release = platform
      .render()
      .flatMap((c) => c.objects)
      .find((o) => o.manifest.kind === 'HelmRelease' && o.manifest.metadata.name === 'cilium')!;
    expect(release.dependsOn.map((d) => d.toJson().kind)).toContain('ConfigMap');
  });

  test('the node OS follows the KubeOvn', () => {
    const platform = newPlatform();
    new KubeOvn(platform, { nodeOs: 'generic' });
    const cilium = new Cilium(platform, { apiServer: { host: '10.0.0.10', port: 6443 } });
    expect(cilium.nodeOs).toBe('generic');
  });
});

describe('Cilium LB-IPAM pools (opt-in)', () => {
  const props: CiliumProps = {
    loadBalancerIpPools: {
      public: { blocks: ['203.0.113.0/28', '203.0.113.100-203.0.113.110'] },
      internal: { blocks: ['10.10.0.0/24'], serviceSelector: { 'kubestrata.io/exposure': 'internal' } },
    },
  };

  test('CiliumLoadBalancerIPPool objects with CIDR and range blocks, applied after the release', () => {
    const { platform, all } = setup(props);
    expect(find(all, 'CiliumLoadBalancerIPPool', 'public')).toEqual({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumLoadBalancerIPPool',
      metadata: { name: 'public', labels: { 'app.kubernetes.io/managed-by': 'kubestrata' } },
      spec: { blocks: [{ cidr: '203.0.113.0/28' }, { start: '203.0.113.100', stop: '203.0.113.110' }] },
    });
    expect(find(all, 'CiliumLoadBalancerIPPool', 'internal').spec.serviceSelector).toEqual({
      matchLabels: { 'kubestrata.io/exposure': 'internal' },
    });
    const pool = platform
      .render()
      .flatMap((c) => c.objects)
      .find((o) => o.manifest.kind === 'CiliumLoadBalancerIPPool')!;
    expect(pool.dependsOn.map((d) => d.toJson().kind)).toContain('HelmRelease');
  });
});

describe('Cilium schemas', () => {
  test.each([
    ['stand-alone on Flux', {}, {}, false],
    ['chained behind Kube-OVN', {}, {}, true],
    [
      'every option on K3s',
      {
        namespace: 'kube-cilium',
        kubeProxyReplacement: true,
        nodeOs: 'generic',
        apiServer: { host: 'api.example.com', port: 6443 },
        hostFirewall: false,
        hubble: true,
        operatorReplicas: 2,
        devices: ['eth0'],
        mtu: 1450,
        loadBalancerIpPools: { public: { blocks: ['203.0.113.0/28'] } },
      },
      { delivery: 'k3s' },
      false,
    ],
  ] as const)(
    '%s: every object validates against the upstream schemas; the CiliumLoadBalancerIPPool is reported as not validated',
    (_, props, platformProps, withKubeOvn) => {
      const registry = SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: '1.32.0' });
      const { all } = setup(props as CiliumProps, platformProps as PlatformProps, withKubeOvn);
      // No upstream schema exists for Cilium's kinds (cilium-operator registers them at run time): those objects pass
      // validation and are listed apart, with the reason.
      const runtimeOnly = all.filter((m) => m.kind === 'CiliumLoadBalancerIPPool');
      expect(all.flatMap((m) => registry.validate(m))).toEqual([]);
      expect(all.flatMap((m) => registry.notValidated(m))).toEqual(
        runtimeOnly.map(() =>
          expect.objectContaining({ message: expect.stringMatching(/^not validated: no upstream schema \(cilium-operator/) }),
        ),
      );
    },
  );
});
