import { deployWithMocks, freshModules, Modules } from './harness';

describe('ReadinessGate', () => {
  let mods: Modules;
  beforeAll(() => {
    mods = freshModules();
  });

  test('waits for a CRD registered at run time and an operator CR, with the access each needs', async () => {
    const { bridge } = mods;
    const { resources } = await deployWithMocks(
      mods,
      (opts) =>
        new bridge.ReadinessGate(
          'kubevirt',
          {
            name: 'wait-kubevirt',
            waits: [
              ...bridge.crdEstablished('kubevirts.kubevirt.io'),
              ...bridge.objectCondition(
                { group: 'kubevirt.io', resource: 'kubevirts', name: 'kubevirt', namespace: 'kubevirt' },
                'Available',
                '20m',
              ),
            ],
          },
          opts,
        ),
    );
    expect([...resources.keys()]).toEqual([
      'kubevirt',
      'kubevirt/account',
      'kubevirt/cluster-role',
      'kubevirt/cluster-role-binding',
      'kubevirt/role/kubevirt',
      'kubevirt/role-binding/kubevirt',
      'kubevirt/job',
    ]);
    expect(resources.get('kubevirt/cluster-role')!.inputs).toMatchObject({
      metadata: { name: 'kubestrata-gate:kube-system:wait-kubevirt' },
      rules: [{ apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch'] }],
    });
    expect(resources.get('kubevirt/role/kubevirt')!.inputs).toMatchObject({
      metadata: { name: 'wait-kubevirt', namespace: 'kubevirt' },
      rules: [{ apiGroups: ['kubevirt.io'], resources: ['kubevirts'], verbs: ['get', 'list', 'watch'] }],
    });
    const job = resources.get('kubevirt/job')!;
    const pod = job.inputs.spec.template.spec;
    expect([...pod.initContainers, ...pod.containers].map((c: any) => c.args.join(' '))).toEqual([
      'wait --for=create --timeout=10m customresourcedefinitions.apiextensions.k8s.io/kubevirts.kubevirt.io',
      'wait --for=condition=established --timeout=10m customresourcedefinitions.apiextensions.k8s.io/kubevirts.kubevirt.io',
      'wait --for=create --timeout=10m --namespace kubevirt kubevirts.kubevirt.io/kubevirt',
      'wait --for=condition=Available --timeout=20m --namespace kubevirt kubevirts.kubevirt.io/kubevirt',
    ]);
    expect(job.inputs.metadata).toMatchObject({ name: 'wait-kubevirt', namespace: 'kube-system' });
    expect(job.customTimeouts).toEqual({ create: `${(10 + 10 + 10 + 20) * 60 + 300}s`, update: `${(10 + 10 + 10 + 20) * 60 + 300}s` });
    expect(job.dependsOn).toHaveLength(5);
    expect(job.inputs.spec.template.metadata.annotations).toBeUndefined();
  });

  test('invalid names, empty waits and bad timeouts are reported together', () => {
    expect(
      () =>
        new mods.bridge.ReadinessGate('bad', {
          name: 'Wait_X',
          waits: [],
        }),
    ).toThrow(/^\[bad\] 2 problems:\n {2}- name: "Wait_X" must be a DNS-1123 label.*\n {2}- waits: \[\] must hold at least one wait\.$/);
    expect(
      () =>
        new mods.bridge.ReadinessGate('bad', {
          name: 'wait-x',
          waits: mods.bridge.jobCompletion('x', 'kube-system', 'ten minutes'),
        }),
    ).toThrow('waits[1].timeout: "ten minutes" must be a duration such as 10m or 1h30m.');
  });
});
