import { Calico, CalicoProps } from '../../../constructs/network/calico';
import { KubeOvn } from '../../../constructs/network/kube-ovn';
import { Cilium } from '../../../constructs/network/cilium';
import { ConfigurationError } from '../../../lib/core/errors';
import { PlatformProps } from '../../../lib/core/platform';
import { SchemaRegistry } from '../../../lib/validate';
import { find, manifests, newPlatform, SCHEMAS_DIR } from '../../helpers';

function setup(props?: CalicoProps, platformProps?: PlatformProps) {
  const platform = newPlatform(platformProps);
  const calico = new Calico(platform, props);
  return { platform, calico, all: manifests(platform) };
}

function installation(all: any[]): any {
  return find(all, 'Installation', 'default').spec;
}

describe('Calico defaults: the Olares network', () => {
  test('an Installation with the pod network 10.233.64.0/18, /24 blocks, IPIP over BGP, outgoing NAT', () => {
    const { calico, all } = setup();
    expect(installation(all)).toEqual({
      variant: 'Calico',
      cni: { type: 'Calico', ipam: { type: 'Calico' } },
      kubeletVolumePluginPath: 'None',
      calicoNetwork: {
        bgp: 'Enabled',
        linuxDataplane: 'Iptables',
        containerIPForwarding: 'Disabled',
        nodeAddressAutodetectionV4: { kubernetes: 'NodeInternalIP' },
        ipPools: [
          {
            name: 'default-ipv4-ippool',
            cidr: '10.233.64.0/18',
            blockSize: 24,
            encapsulation: 'IPIP',
            natOutgoing: 'Enabled',
            nodeSelector: 'all()',
          },
        ],
      },
    });
    expect(find(all, 'Installation', 'default').metadata.namespace).toBeUndefined();
    expect(calico).toMatchObject({ version: '3.32.0', operatorVersion: '1.43.0', podCidr: '10.233.64.0/18', namespace: 'tigera-operator' });
  });

  test('the FelixConfiguration default carries the Olares patch', () => {
    const felix = find(setup().all, 'FelixConfiguration', 'default');
    expect(felix.apiVersion).toBe('crd.projectcalico.org/v1');
    expect(felix.spec).toEqual({
      defaultEndpointToHostAction: 'Accept',
      ipv6Support: false,
      featureDetectOverride: 'SNATFullyRandom=false,MASQFullyRandom=false',
      wireguardEnabled: false,
      prometheusMetricsEnabled: false,
      logSeverityScreen: 'Info',
    });
  });

  test('the operator chart in a privileged namespace, with nothing of its own but the operator and its CRDs', () => {
    const { all } = setup();
    expect(find(all, 'Namespace', 'tigera-operator').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    const release = find(all, 'HelmRelease', 'tigera-operator');
    expect(release.metadata.namespace).toBe('tigera-operator');
    expect(release.spec.chart.spec).toMatchObject({ chart: 'tigera-operator', version: 'v3.32.0' });
    expect(find(all, 'HelmRepository', 'tigera-operator').spec.url).toBe('https://docs.tigera.io/calico/charts');
    expect(release.spec.values).toEqual({
      installation: { enabled: false },
      apiServer: { enabled: false },
      goldmane: { enabled: false },
      whisker: { enabled: false },
      defaultFelixConfiguration: { enabled: false },
      manageCRDs: true,
    });
    expect(all.filter((m) => m.kind === 'APIServer' || m.kind === 'IPPool')).toEqual([]);
  });

  test('custom resources follow the release, Calico kinds the Installation', () => {
    const { platform } = setup();
    const objects = platform.render().flatMap((c) => c.objects);
    const of = (kind: string) => objects.find((o) => o.manifest.kind === kind)!.dependsOn.map((d) => d.toJson().kind);
    expect(of('Installation')).toContain('HelmRelease');
    expect(of('FelixConfiguration')).toContain('Installation');
  });

  test('the deployment waits for the Installation to be Ready and for the Calico CRDs the operator registers', () => {
    const { platform, calico } = setup();
    expect(platform.readiness.conditions).toEqual([{ object: calico.installation, condition: 'Ready', timeout: undefined }]);
    expect(platform.readiness.providerOf('crd.projectcalico.org/v1', 'FelixConfiguration')?.provider).toBe(calico);
    expect(platform.readiness.providerOf('crd.projectcalico.org/v1', 'IPPool')?.provider).toBe(calico);
    expect(platform.readiness.providerOf('operator.tigera.io/v1', 'Installation')).toBeUndefined();
  });
});

describe('Calico on K3s', () => {
  test('a bootstrap HelmChart, which K3s runs on the host network before any CNI exists', () => {
    const { all } = setup({}, { delivery: 'k3s' });
    const chart = find(all, 'HelmChart', 'tigera-operator');
    expect(chart.spec).toMatchObject({ bootstrap: true, targetNamespace: 'tigera-operator', version: 'v3.32.0' });
    expect(installation(all).calicoNetwork.containerIPForwarding).toBe('Enabled');
  });

  test('Flux releases are not marked', () => {
    expect(find(setup().all, 'HelmRelease', 'tigera-operator').spec.bootstrap).toBeUndefined();
  });
});

describe('Calico options', () => {
  const props: CalicoProps = {
    podCidr: '10.42.0.0/16',
    blockSize: 26,
    encapsulation: 'VXLANCrossSubnet',
    natOutgoing: false,
    bgp: false,
    mtu: 1450,
    dataplane: 'Nftables',
    nodeAddressDetection: { method: 'canReach', destination: '8.8.8.8' },
    containerIpForwarding: true,
    apiServer: true,
    kubernetesServiceEndpoint: { host: '10.0.0.10', port: 6443 },
    ipPools: {
      'rack-a': { cidr: '10.50.0.0/16', encapsulation: 'VXLAN', nodeSelector: "rack == 'a'" },
      fixed: { cidr: '10.60.0.0/24', encapsulation: 'None', natOutgoing: false, blockSize: 28, disabled: true },
    },
    felix: {
      workloadToHostAction: 'Drop',
      ipv6: true,
      featureDetectOverride: { ChecksumOffloadBroken: true },
      wireguard: true,
      prometheusMetrics: true,
      logSeverity: 'Warning',
    },
  };

  test('every option reaches the Installation, the pools and Felix', () => {
    const { all } = setup(props);
    expect(installation(all).calicoNetwork).toEqual({
      bgp: 'Disabled',
      linuxDataplane: 'Nftables',
      mtu: 1450,
      containerIPForwarding: 'Enabled',
      nodeAddressAutodetectionV4: { canReach: '8.8.8.8' },
      ipPools: [
        {
          name: 'default-ipv4-ippool',
          cidr: '10.42.0.0/16',
          blockSize: 26,
          encapsulation: 'VXLANCrossSubnet',
          natOutgoing: 'Disabled',
          nodeSelector: 'all()',
        },
      ],
    });
    expect(find(all, 'IPPool', 'rack-a').spec).toEqual({
      cidr: '10.50.0.0/16',
      blockSize: 26,
      ipipMode: 'Never',
      vxlanMode: 'Always',
      natOutgoing: true,
      nodeSelector: "rack == 'a'",
      disabled: false,
    });
    expect(find(all, 'IPPool', 'fixed').spec).toEqual({
      cidr: '10.60.0.0/24',
      blockSize: 28,
      ipipMode: 'Never',
      vxlanMode: 'Never',
      natOutgoing: false,
      nodeSelector: 'all()',
      disabled: true,
    });
    expect(find(all, 'FelixConfiguration', 'default').spec).toEqual({
      defaultEndpointToHostAction: 'Drop',
      ipv6Support: true,
      featureDetectOverride: 'ChecksumOffloadBroken=true',
      wireguardEnabled: true,
      prometheusMetricsEnabled: true,
      logSeverityScreen: 'Warning',
    });
    expect(find(all, 'APIServer', 'default').spec).toEqual({});
    expect(find(all, 'HelmRelease', 'tigera-operator').spec.values.kubernetesServiceEndpoint).toEqual({ host: '10.0.0.10', port: '6443' });
  });

  test.each([
    ['IPIP', 'Always', 'Never'],
    ['IPIPCrossSubnet', 'CrossSubnet', 'Never'],
    ['VXLAN', 'Never', 'Always'],
    ['VXLANCrossSubnet', 'Never', 'CrossSubnet'],
    ['None', 'Never', 'Never'],
  ] as const)('an extra pool with %s encapsulation has ipipMode %s and vxlanMode %s', (encapsulation, ipipMode, vxlanMode) => {
    const spec = find(setup({ ipPools: { extra: { cidr: '10.70.0.0/16', encapsulation } } }).all, 'IPPool', 'extra').spec;
    expect(spec).toMatchObject({ ipipMode, vxlanMode });
  });

  test.each([
    [{ method: 'kubernetes' }, { kubernetes: 'NodeInternalIP' }],
    [{ method: 'interface', pattern: 'eth.*' }, { interface: 'eth.*' }],
    [{ method: 'skipInterface', pattern: 'docker.*' }, { skipInterface: 'docker.*' }],
    [{ method: 'cidrs', cidrs: ['192.168.0.0/24'] }, { cidrs: ['192.168.0.0/24'] }],
    [{ method: 'firstFound' }, { firstFound: true }],
  ] as const)('node address detection %j', (detection, expected) => {
    expect(installation(setup({ nodeAddressDetection: detection as any }).all).calicoNetwork.nodeAddressAutodetectionV4).toEqual(expected);
  });

  test('an empty featureDetectOverride leaves the field out', () => {
    expect(
      find(setup({ felix: { featureDetectOverride: {} } }).all, 'FelixConfiguration', 'default').spec.featureDetectOverride,
    ).toBeUndefined();
  });
});

describe('Calico and other CNIs', () => {
  test.each([
    [
      'Kube-OVN after Calico',
      (p: any) => {
        new Calico(p);
        new KubeOvn(p);
      },
      '[platform/network/kube-ovn] 1 problem:\n  - component: "KubeOvn" conflicts with Calico at platform/network/calico. Fix: choose one of KubeOvn and Calico.',
    ],
    [
      'Calico after Kube-OVN',
      (p: any) => {
        new KubeOvn(p, { cilium: false });
        new Calico(p);
      },
      '[platform/network/calico] 1 problem:\n  - component: "Calico" conflicts with KubeOvn at platform/network/kube-ovn. Fix: choose one of Calico and KubeOvn.',
    ],
    [
      'Cilium after Calico',
      (p: any) => {
        new Calico(p);
        new Cilium(p);
      },
      '[platform/network/cilium] 1 problem:\n  - component: "Cilium" conflicts with Calico at platform/network/calico. Fix: choose one of Cilium and Calico.',
    ],
  ])('%s is an error naming both', (_, create, message) => {
    const platform = newPlatform();
    expect(() => create(platform)).toThrow(ConfigurationError);
    expect(() => create(newPlatform())).toThrow(message);
  });
});

describe('Calico schemas', () => {
  test.each([
    ['defaults on Flux', {}, {}],
    ['defaults on K3s', {}, { delivery: 'k3s' }],
    [
      'every option',
      {
        podCidr: '10.42.0.0/16',
        blockSize: 26,
        encapsulation: 'VXLAN',
        natOutgoing: false,
        bgp: false,
        mtu: 1450,
        dataplane: 'Nftables',
        nodeAddressDetection: { method: 'cidrs', cidrs: ['192.168.0.0/24'] },
        containerIpForwarding: true,
        apiServer: true,
        kubernetesServiceEndpoint: { host: 'api.example.com', port: 6443 },
        ipPools: {
          a: {
            cidr: '10.50.0.0/16',
            encapsulation: 'VXLANCrossSubnet',
            natOutgoing: false,
            blockSize: 28,
            nodeSelector: "rack == 'a'",
            disabled: true,
          },
        },
        felix: {
          workloadToHostAction: 'Return',
          ipv6: true,
          featureDetectOverride: { SNATFullyRandom: true },
          wireguard: true,
          prometheusMetrics: true,
          logSeverity: 'Debug',
        },
      },
      { kubernetesVersion: '1.33' },
    ],
  ] as const)('%s: every object validates against the upstream schemas', (_, props, platformProps) => {
    const registry = SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: '1.32.0' });
    const { all } = setup(props as CalicoProps, platformProps as PlatformProps);
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(all.flatMap((m) => registry.validate(m))).toEqual([]);
  });
});
