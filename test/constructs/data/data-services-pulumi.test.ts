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
const SECRETS = {
  'tenant-acme.events-auth': {
    'values.yaml': 'config:\n  merge:\n    accounts:\n      A:\n        users: [{ user: app, password: nats-pw-kubestrata-1f2e }]\n',
  },
};

/** One tenant with Redis, Kvrocks and NATS, monitored, with TLS where it applies. */
function build(mods: Modules, delivery: 'flux' | 'k3s'): Platform {
  const { ks, cdk8s } = mods;
  const platform = new ks.Platform(new cdk8s.App({ outdir: '/nonexistent' }), 'platform', { delivery });
  const tenant = new ks.Tenant(platform, 'acme');
  new ks.Redis(tenant, 'cache', { monitoring: true, external: true });
  new ks.Kvrocks(tenant, 'kv', { replicas: 2, monitoring: true });
  new ks.Nats(tenant, 'events', {
    tls: true,
    monitoring: true,
    authValues: ks.SecretRef.fromConfig('tenant-acme.events-auth', ['values.yaml']),
  });
  return platform;
}

async function deploy(delivery: 'flux' | 'k3s'): Promise<Deployed<PlatformDeployment> & { manifests: any[] }> {
  const mods = freshModules();
  const platform = build(mods, delivery);
  const deployed = await deployWithMocks(mods, (opts) => new mods.bridge.PlatformDeployment(NAME, { platform, secrets: SECRETS }, opts));
  return { ...deployed, manifests: platform.render().flatMap((c) => c.objects.map((o) => o.manifest)) };
}

const id = (apiVersion: string, kind: string, name: string, namespace?: string) =>
  `${NAME}/${objectId({ apiVersion, kind, metadata: { name, namespace } })}`;
const release = (name: string, namespace: string) => id('helm.toolkit.fluxcd.io/v2', 'HelmRelease', name, namespace);
const REDIS_OPERATOR = release('redis-operator', 'redis-operator');
const CRDS = release('prometheus-operator-crds', 'monitoring');
const CERT_MANAGER = release('cert-manager', 'cert-manager');
const NAMESPACE = id('v1', 'Namespace', 'tenant-acme');

describe('data services under Pulumi (Flux)', () => {
  let deployed: Awaited<ReturnType<typeof deploy>>;
  let resources: ReadonlyMap<string, Registered>;

  beforeAll(async () => {
    deployed = await deploy('flux');
    resources = deployed.resources;
  });

  test('the RedisFailover waits for the redis-operator release', () => {
    expect(dependenciesOf(resources, id('databases.spotahome.com/v1', 'RedisFailover', 'cache', 'tenant-acme'))).toContain(REDIS_OPERATOR);
  });

  test('every ServiceMonitor waits for the prometheus-operator CRDs', () => {
    const monitors = deployed.manifests.filter((m) => m.kind === 'ServiceMonitor');
    expect(monitors.map((m) => m.metadata.name).sort()).toEqual(['cache', 'kv']);
    for (const m of monitors) expect(dependenciesOf(resources, `${NAME}/${objectId(m)}`)).toContain(CRDS);
  });

  test('the NATS release waits for its Namespace, the CRDs of its PodMonitor and cert-manager', () => {
    const nats = release('events', 'tenant-acme');
    const deps = dependenciesOf(resources, nats);
    for (const dep of [NAMESPACE, CRDS, CERT_MANAGER]) expect(deps).toContain(dep);
    expect(resources.get(nats)!.inputs.metadata.annotations).toEqual({ 'pulumi.com/waitFor': 'condition=Ready' });
    for (const kind of ['Issuer', 'Certificate']) {
      for (const m of deployed.manifests.filter((x) => x.kind === kind))
        expect(dependenciesOf(resources, `${NAME}/${objectId(m)}`)).toContain(CERT_MANAGER);
    }
  });

  test('Secrets are created before their users, as secret outputs only', () => {
    const users: Record<string, string> = {
      'tenant-acme/cache-auth': id('databases.spotahome.com/v1', 'RedisFailover', 'cache', 'tenant-acme'),
      'tenant-acme/kv-auth': id('apps/v1', 'StatefulSet', 'kv', 'tenant-acme'),
      'tenant-acme/tenant-acme.events-auth': release('events', 'tenant-acme'),
    };
    for (const [secret, user] of Object.entries(users)) {
      const name = `${NAME}/v1/Secret/${secret}`;
      expect(isSecretInput(resources.get(name)?.inputs.stringData)).toBe(true);
      expect(dependenciesOf(resources, user)).toContain(name);
    }
    for (const r of resources.values()) expect(plainStrings(r.inputs).join('\n')).not.toContain('nats-pw-kubestrata');
  });
});

describe('data services under Pulumi (K3s)', () => {
  test('the NATS HelmChart waits for its values Secret in kube-system and the CRDs gate', async () => {
    const { resources } = await deploy('k3s');
    const chart = id('helm.cattle.io/v1', 'HelmChart', 'tenant-acme.events', 'kube-system');
    const deps = dependenciesOf(resources, chart);
    expect(deps).toContain(`${NAME}/v1/Secret/kube-system/tenant-acme.events-auth`);
    expect(deps).toContain(`${NAME}/gate/helm.cattle.io/v1/HelmChart/kube-system/prometheus-operator-crds`);
    expect(dependenciesOf(resources, id('databases.spotahome.com/v1', 'RedisFailover', 'cache', 'tenant-acme'))).toContain(
      `${NAME}/gate/helm.cattle.io/v1/HelmChart/kube-system/redis-operator`,
    );
  });
});
