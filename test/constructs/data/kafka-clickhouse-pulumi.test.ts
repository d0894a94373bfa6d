import type { Platform } from '../../../lib/core/platform';
import type { PlatformDeployment } from '../../../lib/pulumi';
import {
  dependenciesOf,
  Deployed,
  deployWithMocks,
  freshModules,
  isSecretInput,
  Modules,
  plainStrings,
  Registered,
} from '../../lib/pulumi/harness';
import { objectId } from '../../lib/pulumi/fixture';

const NAME = 'data';
const SECRETS = { 'etl-clickhouse': { password: 'ch-pw-kubestrata-7c1d' } };

/** One tenant with a Kafka and a ClickHouse using users, topics and monitoring. */
function build(mods: Modules, delivery: 'flux' | 'k3s'): Platform {
  const { ks, cdk8s } = mods;
  const platform = new ks.Platform(new cdk8s.App({ outdir: '/nonexistent' }), 'platform', { delivery });
  const tenant = new ks.Tenant(platform, 'acme');
  new ks.Kafka(tenant, 'events', {
    monitoring: true,
    topics: [{ name: 'orders', partitions: 3 }],
    users: { app: { acls: [{ resource: { type: 'topic', name: 'orders' }, operations: ['Read'] }] } },
  });
  new ks.ClickHouse(tenant, 'analytics', {
    monitoring: true,
    users: { app: {}, etl: { password: ks.SecretRef.fromConfig('etl-clickhouse', ['password']) } },
  });
  return platform;
}

async function deploy(delivery: 'flux' | 'k3s'): Promise<Deployed<PlatformDeployment> & { manifests: any[] }> {
  const mods = freshModules();
  const platform = build(mods, delivery);
  const deployed = await deployWithMocks(mods, (opts) => new mods.bridge.PlatformDeployment(NAME, { platform, secrets: SECRETS }, opts));
  return { ...deployed, manifests: platform.render().flatMap((c) => c.objects.map((o) => o.manifest)) };
}

const id = (m: any) => `${NAME}/${objectId(m)}`;
const release = (name: string, namespace: string) => `${NAME}/helm.toolkit.fluxcd.io/v2/HelmRelease/${namespace}/${name}`;
const STRIMZI = release('strimzi-kafka-operator', 'strimzi');
const CLICKHOUSE_OPERATOR = release('clickhouse-operator', 'clickhouse-operator');
const CRDS = release('prometheus-operator-crds', 'monitoring');

describe('Kafka and ClickHouse under Pulumi (Flux)', () => {
  let deployed: Awaited<ReturnType<typeof deploy>>;
  let resources: ReadonlyMap<string, Registered>;

  beforeAll(async () => {
    deployed = await deploy('flux');
    resources = deployed.resources;
  });

  test('every Strimzi custom resource waits for the Strimzi release', () => {
    const custom = deployed.manifests.filter((m) => m.apiVersion === 'kafka.strimzi.io/v1beta2');
    expect(custom.map((m) => m.kind).sort()).toEqual(['Kafka', 'KafkaNodePool', 'KafkaNodePool', 'KafkaTopic', 'KafkaUser']);
    for (const m of custom) expect(dependenciesOf(resources, id(m))).toContain(STRIMZI);
    expect(dependenciesOf(resources, id(custom[0]))).not.toContain(CLICKHOUSE_OPERATOR);
  });

  test('both ClickHouse custom resources wait for the operator release, which waits for its credentials', () => {
    const custom = deployed.manifests.filter((m) => /^clickhouse(-keeper)?\.altinity\.com\//.test(m.apiVersion));
    expect(custom.map((m) => m.kind).sort()).toEqual(['ClickHouseInstallation', 'ClickHouseKeeperInstallation']);
    for (const m of custom) expect(dependenciesOf(resources, id(m))).toContain(CLICKHOUSE_OPERATOR);
    const credentials = `${NAME}/v1/Secret/clickhouse-operator/clickhouse-operator-credentials`;
    expect(isSecretInput(resources.get(credentials)!.inputs.stringData)).toBe(true);
    expect(resources.get(credentials)!.inputs.stringData.value.username).toBe('clickhouse_operator');
    expect(dependenciesOf(resources, CLICKHOUSE_OPERATOR)).toContain(credentials);
  });

  test('the ClickHouse installation waits for its Keeper and for the user Secrets, which are secret outputs only', () => {
    const installation = id(deployed.manifests.find((m) => m.kind === 'ClickHouseInstallation'));
    const keeper = id(deployed.manifests.find((m) => m.kind === 'ClickHouseKeeperInstallation'));
    expect(dependenciesOf(resources, installation)).toContain(keeper);
    for (const secret of ['analytics.app', 'etl-clickhouse']) {
      const name = `${NAME}/v1/Secret/tenant-acme/${secret}`;
      expect(isSecretInput(resources.get(name)!.inputs.stringData)).toBe(true);
      expect(dependenciesOf(resources, installation)).toContain(name);
    }
    for (const r of resources.values()) expect(plainStrings(r.inputs).join('\n')).not.toContain('ch-pw-kubestrata');
  });

  test('the ServiceMonitors wait for the prometheus-operator CRDs', () => {
    const monitors = deployed.manifests.filter((m) => m.kind === 'ServiceMonitor');
    expect(monitors.map((m) => m.metadata.name).sort()).toEqual(['analytics', 'events']);
    for (const m of monitors) expect(dependenciesOf(resources, id(m))).toContain(CRDS);
  });
});

describe('Kafka and ClickHouse under Pulumi (K3s)', () => {
  test('the custom resources wait for the gates of the operators HelmCharts', async () => {
    const { resources, manifests } = await deploy('k3s');
    const gate = (name: string) => `${NAME}/gate/helm.cattle.io/v1/HelmChart/kube-system/${name}`;
    for (const m of manifests.filter((x) => x.apiVersion === 'kafka.strimzi.io/v1beta2'))
      expect(dependenciesOf(resources, id(m))).toContain(gate('strimzi-kafka-operator'));
    for (const m of manifests.filter((x) => /altinity\.com\//.test(x.apiVersion)))
      expect(dependenciesOf(resources, id(m))).toContain(gate('clickhouse-operator'));
  });
});
