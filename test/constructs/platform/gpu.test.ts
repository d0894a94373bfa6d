import { gpuResources } from '../../../constructs/platform/gpu-resources';
import { Hami } from '../../../constructs/platform/hami';
import { NvidiaDevicePlugin } from '../../../constructs/platform/nvidia-device-plugin';
import { Tenant } from '../../../constructs/platform/tenant';
import { ConfigurationError } from '../../../lib/core/errors';
import { Platform } from '../../../lib/core/platform';
import { SchemaRegistry } from '../../../lib/validate';
import { versions } from '../../../lib/versions';
import { find, manifests, newPlatform, SCHEMAS_DIR } from '../../helpers';

function messageOf(create: () => unknown): string {
  try {
    create();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigurationError');
}

describe('NvidiaDevicePlugin', () => {
  test('the pinned chart in a privileged namespace, on nodes labelled as having a GPU', () => {
    const platform = newPlatform();
    const plugin = new NvidiaDevicePlugin(platform);
    const all = manifests(platform);
    expect(find(all, 'Namespace', 'nvidia-device-plugin').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(find(all, 'HelmRepository', 'nvidia-device-plugin').spec.url).toBe('https://nvidia.github.io/k8s-device-plugin');
    const release = find(all, 'HelmRelease', 'nvidia-device-plugin');
    expect(release.spec.chart.spec).toMatchObject({ chart: 'nvidia-device-plugin', version: versions.nvidiaDevicePlugin.chart.version });
    expect(release.spec.values).toEqual({ nodeSelector: { 'nvidia.com/gpu.present': 'true' }, failOnInitError: true });
    expect(plugin.version).toBe('0.17.1');
  });

  test('a RuntimeClass and node selector of choice', () => {
    const platform = newPlatform({ delivery: 'k3s' });
    new NvidiaDevicePlugin(platform, { runtimeClassName: 'nvidia', nodeSelector: { 'gpu.bytetrade.io/cuda-supported': 'true' } });
    const chart = find(manifests(platform), 'HelmChart', 'nvidia-device-plugin');
    expect(chart.spec.valuesContent).toBe(
      'failOnInitError: true\nnodeSelector:\n  gpu.bytetrade.io/cuda-supported: "true"\nruntimeClassName: nvidia\n',
    );
  });
});

describe('Hami', () => {
  test('HAMi as Olares runs it: 30 slices per GPU, binpack nodes, spread GPUs, RuntimeClass nvidia', () => {
    const platform = newPlatform();
    const hami = new Hami(platform);
    const all = manifests(platform);
    expect(find(all, 'HelmRepository', 'hami').spec.url).toBe('https://project-hami.github.io/HAMi/');
    const release = find(all, 'HelmRelease', 'hami');
    expect(release.metadata.namespace).toBe('hami-system');
    expect(release.spec.chart.spec).toMatchObject({ chart: 'hami', version: '2.9.0' });
    expect(release.spec.values).toEqual({
      scheduler: {
        kubeScheduler: { image: { registry: 'registry.k8s.io', repository: 'kube-scheduler' } },
        defaultSchedulerPolicy: { nodeSchedulerPolicy: 'binpack', gpuSchedulerPolicy: 'spread' },
      },
      devicePlugin: {
        deviceSplitCount: 30,
        deviceMemoryScaling: 1,
        nvidiaNodeSelector: { gpu: 'on' },
        runtimeClassName: 'nvidia',
        createRuntimeClass: true,
        updateStrategy: { type: 'OnDelete' },
      },
    });
    expect(hami).toMatchObject({
      splitCount: 30,
      nodePolicy: 'binpack',
      gpuPolicy: 'spread',
      schedulerName: 'hami-scheduler',
      version: '2.9.0',
    });
  });

  test('settings of choice reach the chart values', () => {
    const platform = newPlatform();
    new Hami(platform, {
      splitCount: 10,
      memoryScaling: 1.5,
      nodePolicy: 'spread',
      gpuPolicy: 'binpack',
      nodeSelector: { 'nvidia.com/gpu.present': 'true' },
      runtimeClassName: 'nvidia-cdi',
      createRuntimeClass: false,
    });
    const { devicePlugin, scheduler } = find(manifests(platform), 'HelmRelease', 'hami').spec.values;
    expect(devicePlugin).toMatchObject({
      deviceSplitCount: 10,
      deviceMemoryScaling: 1.5,
      nvidiaNodeSelector: { 'nvidia.com/gpu.present': 'true' },
      runtimeClassName: 'nvidia-cdi',
      createRuntimeClass: false,
    });
    expect(scheduler.defaultSchedulerPolicy).toEqual({ nodeSchedulerPolicy: 'spread', gpuSchedulerPolicy: 'binpack' });
  });

  test("HAMi and NVIDIA's device plugin both advertise nvidia.com/gpu: choosing both is an error naming both, in either order", () => {
    const first = newPlatform();
    new NvidiaDevicePlugin(first);
    expect(messageOf(() => new Hami(first))).toBe(
      '[platform/platform/hami] 1 problem:\n  - component: "Hami" conflicts with NvidiaDevicePlugin at platform/platform/nvidia-device-plugin. Fix: choose one of Hami and NvidiaDevicePlugin.',
    );
    const second = newPlatform();
    new Hami(second);
    expect(messageOf(() => new NvidiaDevicePlugin(second))).toBe(
      '[platform/platform/nvidia-device-plugin] 1 problem:\n  - component: "NvidiaDevicePlugin" conflicts with Hami at platform/platform/hami. Fix: choose one of NvidiaDevicePlugin and Hami.',
    );
  });

  test('both charts validate against the schemas with every option set', () => {
    const registry = SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: '1.32.0' });
    for (const delivery of ['flux', 'k3s'] as const) {
      const a = newPlatform({ delivery });
      new Hami(a, {
        splitCount: 10,
        memoryScaling: 2,
        nodePolicy: 'spread',
        gpuPolicy: 'binpack',
        nodeSelector: { gpu: 'on' },
        runtimeClassName: 'nvidia',
        createRuntimeClass: false,
        values: { scheduler: { replicas: 1 } },
      });
      const b = newPlatform({ delivery });
      new NvidiaDevicePlugin(b, { runtimeClassName: 'nvidia', nodeSelector: { gpu: 'on' }, values: { gfd: { enabled: false } } });
      expect([...manifests(a), ...manifests(b)].flatMap((m) => registry.validate(m))).toEqual([]);
    }
  });
});

const CONSTRUCT_CASES: ReadonlyArray<[string, (p: Platform) => unknown, string, string]> = [
  [
    'plugin RuntimeClass',
    (p) => new NvidiaDevicePlugin(p, { runtimeClassName: 'NVIDIA' }),
    'platform/platform/nvidia-device-plugin',
    'runtimeClassName: "NVIDIA" must be a RuntimeClass name.',
  ],
  [
    'plugin node selector key',
    (p) => new NvidiaDevicePlugin(p, { nodeSelector: { 'has gpu': 'true' } }),
    'platform/platform/nvidia-device-plugin',
    'nodeSelector.has gpu: "has gpu" is not a label key (an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit).',
  ],
  [
    'plugin node selector value',
    (p) => new NvidiaDevicePlugin(p, { nodeSelector: { gpu: 'yes please' } }),
    'platform/platform/nvidia-device-plugin',
    'nodeSelector.gpu: "yes please" is not a label value (a string of at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit).',
  ],
  ['split count', (p) => new Hami(p, { splitCount: 0 }), 'platform/platform/hami', 'splitCount: 0 must be a whole number from 1 to 100.'],
  [
    'memory scaling',
    (p) => new Hami(p, { memoryScaling: 0 }),
    'platform/platform/hami',
    'memoryScaling: 0 must be a number above 0 and at most 10 (1 = no overcommit).',
  ],
  [
    'node policy',
    (p) => new Hami(p, { nodePolicy: 'pack' as any }),
    'platform/platform/hami',
    'nodePolicy: "pack" must be one of "binpack", "spread".',
  ],
  [
    'gpu policy',
    (p) => new Hami(p, { gpuPolicy: 'topology' as any }),
    'platform/platform/hami',
    'gpuPolicy: "topology" must be one of "binpack", "spread".',
  ],
  [
    'HAMi RuntimeClass',
    (p) => new Hami(p, { runtimeClassName: 'Nvidia Runtime' }),
    'platform/platform/hami',
    'runtimeClassName: "Nvidia Runtime" must be a RuntimeClass name.',
  ],
];

describe('GPU component errors', () => {
  test.each(CONSTRUCT_CASES)('%s', (_, create, path, line) => {
    expect(messageOf(() => create(newPlatform()))).toBe(`[${path}] 1 problem:\n  - ${line}`);
  });
});

describe('gpuResources', () => {
  function scope(component?: 'hami' | 'plugin'): Tenant {
    const platform = newPlatform();
    if (component === 'hami') new Hami(platform);
    if (component === 'plugin') new NvidiaDevicePlugin(platform);
    return new Tenant(platform, 'ai');
  }

  test("exclusive with NVIDIA's device plugin: whole GPUs only", () => {
    expect(gpuResources(scope('plugin'), { mode: 'exclusive', count: 2 })).toEqual({ limits: { 'nvidia.com/gpu': '2' } });
  });

  test('exclusive under HAMi claims all memory and compute of the card, which HAMi treats as exclusive', () => {
    expect(gpuResources(scope('hami'), { mode: 'exclusive' })).toEqual({
      limits: { 'nvidia.com/gpu': '1', 'nvidia.com/gpucores': '100', 'nvidia.com/gpumem-percentage': '100' },
    });
  });

  test('shared: a memory slice in MiB and a compute share', () => {
    expect(gpuResources(scope('hami'), { mode: 'shared', memory: '3Gi', cores: 30 })).toEqual({
      limits: { 'nvidia.com/gpu': '1', 'nvidia.com/gpumem': '3072', 'nvidia.com/gpucores': '30' },
    });
    expect(gpuResources(scope('hami'), { mode: 'shared', count: 2, memoryPercent: 25 })).toEqual({
      limits: { 'nvidia.com/gpu': '2', 'nvidia.com/gpumem-percentage': '25' },
    });
  });

  const CASES: ReadonlyArray<[string, 'hami' | 'plugin' | undefined, any, string]> = [
    ['count', 'hami', { mode: 'exclusive', count: 0 }, 'count: 0 must be a whole number of GPUs ≥ 1.'],
    [
      'a slice setting on whole GPUs',
      'hami',
      { mode: 'exclusive', cores: 50 },
      'cores: 50 only applies in shared mode: a whole GPU comes with all its memory and compute. Fix: remove cores or use mode: "shared".',
    ],
    [
      'exclusive without a device plugin',
      undefined,
      { mode: 'exclusive' },
      'mode: "exclusive" needs a GPU device plugin in the platform. Fix: create new NvidiaDevicePlugin(platform) or new Hami(platform) first.',
    ],
    ['unknown mode', 'hami', { mode: 'mig' }, 'mode: "mig" must be "exclusive" or "shared".'],
    [
      'shared without HAMi',
      'plugin',
      { mode: 'shared', memory: '4Gi' },
      'mode: "shared" needs HAMi, which enforces the memory and compute limits of a GPU slice. Fix: create new Hami(platform) first; NVIDIA\'s device plugin only hands out whole GPUs.',
    ],
    [
      'memory and percent',
      'hami',
      { mode: 'shared', memory: '4Gi', memoryPercent: 50 },
      'memory: "4Gi" cannot be combined with memoryPercent; HAMi takes one of them. Fix: remove memory or memoryPercent.',
    ],
    [
      'memory not whole MiB',
      'hami',
      { mode: 'shared', memory: '1.5Mi' },
      'memory: "1.5Mi" must be a memory quantity of whole MiB, at least 1Mi. Fix: write it like "4Gi" or "3000Mi".',
    ],
    ['memory percent', 'hami', { mode: 'shared', memoryPercent: 120 }, 'memoryPercent: 120 must be a whole percentage from 1 to 100.'],
    [
      'no memory',
      'hami',
      { mode: 'shared', cores: 50 },
      'memory: (not set) is required in shared mode: without it the slice may use the whole card\'s memory. Fix: give memory (e.g. "4Gi") or memoryPercent.',
    ],
    [
      'cores of a whole GPU',
      'hami',
      { mode: 'shared', memory: '4Gi', cores: 100 },
      'cores: 100 must be a whole percentage from 1 to 99 (100 claims the whole GPU). Fix: use mode: "exclusive" for a whole GPU.',
    ],
  ];

  test.each(CASES)('%s', (_, component, request, line) => {
    expect(messageOf(() => gpuResources(scope(component), request))).toBe(`[platform/ai/gpuResources] 1 problem:\n  - ${line}`);
  });

  // Each `@ts-expect-error` fails the type check if the compiler accepts the request below it.
  test('requests the run-time check refuses do not compile either', () => {
    const ai = scope('hami');
    // @ts-expect-error memory and memoryPercent together
    expect(messageOf(() => gpuResources(ai, { mode: 'shared', memory: '4Gi', memoryPercent: 50 }))).toContain(
      'cannot be combined with memoryPercent',
    );
    // @ts-expect-error a slice without memory
    expect(messageOf(() => gpuResources(ai, { mode: 'shared', cores: 50 }))).toContain('is required in shared mode');
    // @ts-expect-error whole GPUs take no memory
    expect(messageOf(() => gpuResources(ai, { mode: 'exclusive', memory: '4Gi' }))).toContain('memory: "4Gi" only applies in shared mode');
  });
});
