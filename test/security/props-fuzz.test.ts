import fc from 'fast-check';
import { Construct } from 'constructs';
import {
  BarmanCloudPlugin,
  Calico,
  Cdi,
  CertManager,
  Cilium,
  ClickHouse,
  ClickHouseOperator,
  CloudNativePg,
  ConfigurationError,
  CoreDns,
  HttpCache,
  Hami,
  JuiceFs,
  K3sCluster,
  Kafka,
  KubeOvn,
  KubeOvnSubnet,
  KubeOvnVpc,
  KubeVirt,
  Kvrocks,
  Linstor,
  MariaDb,
  MariaDbOperator,
  MariaDbOperatorCrds,
  MetalLb,
  MinioOperator,
  MinioTenant,
  Nats,
  NvidiaDevicePlugin,
  Platform,
  Postgres,
  PrometheusOperatorCrds,
  RabbitMq,
  RabbitMqOperator,
  Redis,
  RedisOperator,
  Release,
  SeaweedFs,
  Strimzi,
  TalosCluster,
  TalosSchematic,
  TcpBalancer,
  Tenant,
  VirtualMachine,
  VmDisk,
  VmImage,
} from 'kubestrata';
import { PROPS_TYPES, propsSchema } from '../../lib/core/props-check';
import { SchemaRegistry } from '../../lib/validate';
import { manifests, newPlatform, SCHEMAS_DIR } from '../helpers';
import { arbitraryOf } from './props-arbitrary';

/** Builds a construct from props on a fresh platform and returns the platform; throws what the construct throws. */
type Build = (props: any) => Platform;

const component =
  (type: new (platform: Platform, props: any) => unknown): Build =>
  (props) => {
    const platform = newPlatform();
    new type(platform, props);
    return platform;
  };
const inTenant =
  (type: new (scope: Construct, id: string, props: any) => unknown): Build =>
  (props) => {
    const platform = newPlatform();
    new type(new Tenant(platform, 'acme'), 'x', props);
    return platform;
  };
const onPlatform =
  (type: new (platform: Platform, id: string, props: any) => unknown): Build =>
  (props) => {
    const platform = newPlatform();
    new type(platform, 'x', props);
    return platform;
  };

/** Every public construct whose constructor takes props, by the props type it checks. */
const CONSTRUCTS: Record<string, Build> = {
  BarmanCloudPluginProps: component(BarmanCloudPlugin),
  CalicoProps: component(Calico),
  CdiProps: component(Cdi),
  CertManagerProps: component(CertManager),
  CiliumProps: component(Cilium),
  ClickHouseOperatorProps: component(ClickHouseOperator),
  CloudNativePgProps: component(CloudNativePg),
  CoreDnsProps: component(CoreDns),
  HamiProps: component(Hami),
  JuiceFsProps: component(JuiceFs),
  KubeOvnProps: component(KubeOvn),
  KubeVirtProps: component(KubeVirt),
  LinstorProps: component(Linstor),
  MariaDbOperatorCrdsProps: component(MariaDbOperatorCrds),
  MariaDbOperatorProps: component(MariaDbOperator),
  MetalLbProps: component(MetalLb),
  MinioOperatorProps: component(MinioOperator),
  NvidiaDevicePluginProps: component(NvidiaDevicePlugin),
  PrometheusOperatorCrdsProps: component(PrometheusOperatorCrds),
  RabbitMqOperatorProps: component(RabbitMqOperator),
  RedisOperatorProps: component(RedisOperator),
  SeaweedFsProps: component(SeaweedFs),
  StrimziProps: component(Strimzi),
  ClickHouseProps: inTenant(ClickHouse),
  HttpCacheProps: inTenant(HttpCache),
  KafkaProps: inTenant(Kafka),
  KubeOvnSubnetProps: inTenant(KubeOvnSubnet),
  KubeOvnVpcProps: inTenant(KubeOvnVpc),
  KvrocksProps: inTenant(Kvrocks),
  MariaDbProps: inTenant(MariaDb),
  NatsProps: inTenant(Nats),
  PostgresProps: inTenant(Postgres),
  RabbitMqProps: inTenant(RabbitMq),
  RedisProps: inTenant(Redis),
  TcpBalancerProps: inTenant(TcpBalancer),
  VirtualMachineProps: inTenant(VirtualMachine),
  VmDiskProps: inTenant(VmDisk),
  VmImageProps: inTenant(VmImage),
  MinioTenantProps: onPlatform(MinioTenant),
  ReleaseProps: (props) => {
    const platform = newPlatform();
    new Release(platform.layer('platform'), 'x', props);
    return platform;
  },
  TenantProps: (props) => {
    const platform = newPlatform();
    new Tenant(platform, 'acme', props);
    return platform;
  },
  PlatformProps: (props) => newPlatform(props),
  K3sClusterProps: (props) => {
    const platform = newPlatform();
    const cluster = new K3sCluster(platform, 'x', props);
    const node = cluster.addNode('n1', { role: 'server', address: '10.0.0.11' });
    cluster.check();
    cluster.configYaml(node);
    return platform;
  },
  K3sNodeProps: (props) => {
    const platform = newPlatform();
    const cluster = new K3sCluster(platform, 'x');
    cluster.configYaml(cluster.addNode('n1', props));
    return platform;
  },
  TalosClusterProps: (props) => {
    const platform = newPlatform();
    const cluster = new TalosCluster(platform, 'x', props);
    const node = cluster.addNode('cp1', { role: 'controlplane', address: '192.168.100.11/24' });
    cluster.check();
    cluster.patchYaml(node);
    return platform;
  },
  TalosNodeProps: (props) => {
    const platform = newPlatform();
    const cluster = new TalosCluster(platform, 'x', { network: { link: 'eth0', gateway: '192.168.100.1' } });
    cluster.patchYaml(cluster.addNode('n1', props));
    return platform;
  },
  TalosSchematicProps: (props) => {
    void new TalosSchematic(props).schematicYaml;
    return newPlatform();
  },
};

/** Props types that only appear inside other props; their constructs above cover them. */
const NESTED = [
  'ClickHouseKeeperProps',
  'ClickHouseUserProps',
  'K3sKubeletProps',
  'KafkaControllerProps',
  'KafkaTopicProps',
  'KafkaUserProps',
  'TalosKubeletProps',
  'TalosNetworkProps',
  'TalosOidcProps',
  // Pulumi components: they need the Pulumi runtime; props-cases tests that they check their arguments first.
  'AwsNetworkArgs',
  'BackupBucketArgs',
  'ReadinessGateArgs',
];

/**
 * Objects as JavaScript callers build them: any values, not only JSON ones. Objects without a prototype are left out:
 * cdk8s cannot serialize them in free-form values (ApiObject.toJson reads their constructor).
 */
const NON_JSON = fc.object({
  maxDepth: 2,
  withBoxedValues: true,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: false,
});
const RUNS = Number(process.env.PROPS_FUZZ_RUNS ?? 50);
let registry: SchemaRegistry | undefined;

/** A ConfigurationError naming properties, or manifests that pass strict schema validation: nothing else. */
function outcome(build: Build, props: unknown): void {
  let rendered: any[];
  try {
    rendered = manifests(build(props));
  } catch (e) {
    if (!(e instanceof ConfigurationError)) throw e;
    expect(e.problems.length).toBeGreaterThan(0);
    for (const problem of e.problems) expect(problem.property.length).toBeGreaterThan(0);
    return;
  }
  registry ??= SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: '1.32.0' });
  const problems = rendered.flatMap((m) => registry!.validate(m));
  if (problems.length) throw new Error(`accepted props render invalid objects: ${JSON.stringify(problems.slice(0, 3))}`);
}

test('the table covers every props type of the public API', () => {
  expect(PROPS_TYPES.filter((t) => !(t in CONSTRUCTS) && !NESTED.includes(t))).toEqual([]);
});

describe.each(Object.keys(CONSTRUCTS))('%s', (type) => {
  const build = CONSTRUCTS[type];
  const { definitions } = propsSchema(type);

  test('arbitrary JSON: a ConfigurationError or valid output', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 3 }), NON_JSON), (props) => outcome(build, props)),
      { numRuns: RUNS },
    );
  });

  test('props of the right types: a ConfigurationError or valid output', () => {
    const arbitrary = arbitraryOf({ $ref: `#/definitions/${type}` }, definitions as any)!;
    fc.assert(
      fc.property(arbitrary, (props) => outcome(build, props)),
      { numRuns: RUNS * 2 },
    );
  });
});
