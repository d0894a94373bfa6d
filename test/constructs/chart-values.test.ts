import * as fs from 'fs';
import * as path from 'path';
import { BarmanCloudPlugin } from '../../constructs/data/barman-cloud-plugin';
import { ClickHouseOperator } from '../../constructs/data/clickhouse-operator';
import { CloudNativePg } from '../../constructs/data/cloudnative-pg';
import { MariaDbOperator } from '../../constructs/data/mariadb-operator';
import { MariaDbOperatorCrds } from '../../constructs/data/mariadb-operator-crds';
import { RabbitMqOperator } from '../../constructs/data/rabbitmq-operator';
import { RedisOperator } from '../../constructs/data/redis-operator';
import { Strimzi } from '../../constructs/data/strimzi';
import { Calico } from '../../constructs/network/calico';
import { Cilium } from '../../constructs/network/cilium';
import { KubeOvn } from '../../constructs/network/kube-ovn';
import { MetalLb } from '../../constructs/network/metal-lb';
import { CertManager } from '../../constructs/platform/cert-manager';
import { Hami } from '../../constructs/platform/hami';
import { NvidiaDevicePlugin } from '../../constructs/platform/nvidia-device-plugin';
import { PrometheusOperatorCrds } from '../../constructs/platform/prometheus-operator-crds';
import { JUICEFS_SECRET_KEYS, JuiceFs } from '../../constructs/storage/juicefs';
import { Linstor } from '../../constructs/storage/linstor';
import { MinioOperator } from '../../constructs/storage/minio-operator';
import { SeaweedFs } from '../../constructs/storage/seaweedfs';
import { Cdi } from '../../constructs/virtualization/cdi';
import { KubeVirt } from '../../constructs/virtualization/kubevirt';
import { SecretRef } from '../../lib/core/secrets';
import { Platform } from '../../lib/core/platform';
import { ChartComponent } from '../../lib/releases/chart-component';
import { versions } from '../../lib/versions';
import { find, manifests, newPlatform } from '../helpers';
import { CDI_CHART, KUBEVIRT_CHART } from './virtualization/fixtures';

type Values = Record<string, unknown>;

/**
 * How a partial override of one chart-backed component must end up in its release. `override` sets the chart's
 * image pull policy where kubestrata pins the image, else one key beside a kubestrata default; `expected` is what
 * the release values must contain: kubestrata's pinned keys next to the override.
 */
interface OverrideCase {
  readonly create: (platform: Platform, values: Values) => ChartComponent;
  readonly override: Values;
  readonly expected: Values;
}

const PULL = { pullPolicy: 'Always' };
const VOLUME = SecretRef.existing('juicefs-volume', JUICEFS_SECRET_KEYS);

const cases: Record<string, OverrideCase> = {
  // Components whose chart image kubestrata pins: repository and tag survive an image override.
  CloudNativePg: {
    create: (p, values) => new CloudNativePg(p, { values }),
    override: { image: PULL },
    expected: { image: { repository: versions.cloudnativePg.image, tag: versions.cloudnativePg.app, ...PULL } },
  },
  RedisOperator: {
    create: (p, values) => new RedisOperator(p, { values }),
    override: { image: PULL },
    expected: { image: { repository: versions.redisOperator.image, tag: `v${versions.redisOperator.app}`, ...PULL } },
  },
  ClickHouseOperator: {
    create: (p, values) => new ClickHouseOperator(p, { values }),
    override: { operator: { image: PULL } },
    expected: {
      operator: { image: { tag: versions.altinityClickhouseOperator.app, ...PULL }, containerSecurityContext: { runAsNonRoot: true } },
      metrics: { image: { tag: versions.altinityClickhouseOperator.app } },
    },
  },
  RabbitMqOperator: {
    create: (p, values) => new RabbitMqOperator(p, { values }),
    override: { clusterOperator: { image: PULL } },
    expected: {
      clusterOperator: {
        image: {
          registry: 'docker.io',
          repository: versions.rabbitmqOperator.clusterOperatorImage,
          tag: versions.rabbitmqOperator.app,
          ...PULL,
        },
      },
    },
  },
  Hami: {
    create: (p, values) => new Hami(p, { values }),
    override: { scheduler: { kubeScheduler: { image: PULL } } },
    expected: {
      scheduler: {
        kubeScheduler: { image: { registry: 'registry.k8s.io', repository: 'kube-scheduler', ...PULL } },
        defaultSchedulerPolicy: {},
      },
    },
  },
  // Components whose chart image kubestrata leaves to the chart: a kubestrata default survives a key set beside it.
  MariaDbOperator: {
    create: (p, values) => new MariaDbOperator(p, { values }),
    override: { image: PULL, webhook: { image: PULL } },
    expected: {
      image: PULL,
      crds: { enabled: false },
      webhook: { image: PULL, securityContext: { readOnlyRootFilesystem: true }, podSecurityContext: { runAsNonRoot: true } },
    },
  },
  Strimzi: {
    create: (p, values) => new Strimzi(p, { values }),
    override: { image: { tag: '0.45.1' }, resources: { limits: { memory: '1Gi' } } },
    expected: {
      image: { tag: '0.45.1' },
      resources: { limits: { memory: '1Gi', cpu: '1' }, requests: { memory: '512Mi', cpu: '200m' } },
      watchAnyNamespace: true,
    },
  },
  Calico: {
    create: (p, values) => new Calico(p, { values }),
    override: { tigeraOperator: { registry: 'registry.example.com' }, installation: { kubernetesProvider: '' } },
    expected: {
      tigeraOperator: { registry: 'registry.example.com' },
      installation: { enabled: false, kubernetesProvider: '' },
      manageCRDs: true,
    },
  },
  Cilium: {
    create: (p, values) => new Cilium(p, { values }),
    override: { image: PULL, operator: { image: PULL } },
    expected: { image: PULL, operator: { image: PULL, replicas: 1, rollOutPods: true }, ipam: { mode: 'kubernetes' } },
  },
  KubeOvn: {
    create: (p, values) => new KubeOvn(p, { cilium: false, values }),
    override: { image: PULL, networking: { ENABLE_SSL: true } },
    expected: { image: PULL, networking: { NET_STACK: 'ipv4', ENABLE_SSL: true } },
  },
  MetalLb: {
    create: (p, values) => new MetalLb(p, { addressPools: { default: { addresses: ['192.168.1.240-192.168.1.250'] } }, values }),
    override: { speaker: { image: PULL } },
    expected: { speaker: { image: PULL, frr: { enabled: false } }, frrk8s: { enabled: true }, crds: { enabled: true } },
  },
  NvidiaDevicePlugin: {
    create: (p, values) => new NvidiaDevicePlugin(p, { values }),
    override: { image: PULL, nodeSelector: { 'example.com/gpu-pool': 'a' } },
    expected: { image: PULL, nodeSelector: { 'nvidia.com/gpu.present': 'true', 'example.com/gpu-pool': 'a' }, failOnInitError: true },
  },
  CertManager: {
    create: (p, values) => new CertManager(p, { values }),
    override: { image: PULL, crds: { keep: false } },
    expected: { image: PULL, crds: { enabled: true, keep: false } },
  },
  BarmanCloudPlugin: {
    create: (p, values) => new BarmanCloudPlugin(p, { values }),
    override: { image: PULL, crds: { annotations: { 'example.com/owner': 'db' } } },
    expected: { image: PULL, crds: { create: true, annotations: { 'example.com/owner': 'db' } } },
  },
  Linstor: {
    create: (p, values) => new Linstor(p, { values }),
    override: { operator: { controllerManager: { image: PULL } } },
    expected: { operator: { controllerManager: { image: PULL } }, installCRDs: true },
  },
  JuiceFs: {
    create: (p, values) => new JuiceFs(p, { volume: VOLUME, values }),
    override: { image: PULL, controller: { terminationGracePeriodSeconds: 10 } },
    expected: {
      image: PULL,
      controller: { replicas: 2, terminationGracePeriodSeconds: 10 },
      dashboard: { enabled: false },
      storageClasses: [],
    },
  },
  MinioOperator: {
    create: (p, values) => new MinioOperator(p, { values }),
    override: { operator: { image: PULL } },
    expected: { operator: { image: PULL, replicaCount: 2 } },
  },
  SeaweedFs: {
    create: (p, values) => new SeaweedFs(p, { s3: { allowAnonymous: true }, values }),
    override: { global: { imagePullPolicy: 'Always' }, master: { resources: { requests: { cpu: '100m' } } } },
    expected: {
      global: { imagePullPolicy: 'Always', enableSecurity: true, extraEnvironmentVars: { WEED_CLUSTER_DEFAULT: 'sw' } },
      master: { resources: { requests: { cpu: '100m' } }, replicas: 3, defaultReplication: '001' },
    },
  },
};

/** Chart-backed components kubestrata sets no values for: the user's are delivered as given. */
const PASSED_THROUGH: Record<string, (platform: Platform, values: Values) => ChartComponent> = {
  PrometheusOperatorCrds: (p, values) => new PrometheusOperatorCrds(p, { values }),
  KubeVirt: (p, values) => new KubeVirt(p, { chart: KUBEVIRT_CHART, values }),
  Cdi: (p, values) => new Cdi(p, { chart: CDI_CHART, values }),
};

/** Chart-backed components that take no values from the user. */
const WITHOUT_VALUES: Record<string, (platform: Platform) => ChartComponent> = {
  MariaDbOperatorCrds: (p) => new MariaDbOperatorCrds(p),
};

/** Every `class X extends ChartComponent` under constructs/. */
function chartComponentClasses(): string[] {
  const root = path.resolve(__dirname, '../../constructs');
  const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  return files
    .flatMap((f) => [...fs.readFileSync(path.join(root, f), 'utf8').matchAll(/class (\w+) extends ChartComponent\b/g)].map((m) => m[1]))
    .sort();
}

test('every chart-backed component under constructs/ has a values case here', () => {
  expect([...Object.keys(cases), ...Object.keys(PASSED_THROUGH), ...Object.keys(WITHOUT_VALUES)].sort()).toEqual(chartComponentClasses());
});

describe.each(Object.entries(cases))('%s: a partial values override keeps kubestrata defaults', (_, { create, override, expected }) => {
  test('in the release values and the delivered HelmRelease', () => {
    const platform = newPlatform();
    const component = create(platform, override);
    expect(component.release.values).toMatchObject(expected);
    expect(component.release.values).toMatchObject(override);
    const helmRelease = find(manifests(platform), 'HelmRelease', component.release.releaseName);
    expect(helmRelease.spec.values).toEqual(component.release.values);
  });

  test('every default the override does not set is kept as it was', () => {
    const defaults = create(newPlatform(), {}).release.values;
    const merged = create(newPlatform(), override).release.values;
    const kept = leaves(defaults).filter(([at]) => !setsPath(override, at));
    expect(kept.length).toBeGreaterThan(0);
    for (const [at, value] of kept) expect(merged).toHaveProperty(at, value);
  });
});

test.each(Object.entries(PASSED_THROUGH))('%s delivers the values as given', (_, create) => {
  const platform = newPlatform();
  const values = { image: PULL, crds: { annotations: { 'example.com/owner': 'platform' } } };
  const component = create(platform, values);
  expect(component.release.values).toEqual(values);
  expect(find(manifests(platform), 'HelmRelease', component.release.releaseName).spec.values).toEqual(values);
});

test.each(Object.entries(WITHOUT_VALUES))('%s renders no values', (_, create) => {
  const platform = newPlatform();
  const component = create(platform);
  expect(component.release.values).toEqual({});
  expect(find(manifests(platform), 'HelmRelease', component.release.releaseName).spec.values).toBeUndefined();
});

/** Every non-map value of `values` with its key path. */
function leaves(values: unknown, at: string[] = []): [string[], unknown][] {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return [[at, values]];
  return Object.entries(values).flatMap(([key, value]) => leaves(value, [...at, key]));
}

/** Whether `override` sets the value at `at` or at a path above it. */
function setsPath(override: unknown, at: readonly string[]): boolean {
  if (typeof override !== 'object' || override === null || Array.isArray(override)) return true;
  const [key, ...rest] = at;
  return key !== undefined && key in override && setsPath((override as Values)[key], rest);
}
