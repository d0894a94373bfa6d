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

const NAME = 'sql-amqp';
const SECRETS = { 'shop-s3': { ACCESS_KEY_ID: 'AKIA0MARIADB0TEST', ACCESS_SECRET_KEY: 's3-secret-kubestrata-77aa' } };

/** One tenant with a backed-up, monitored MariaDB and a RabbitMQ with users and vhosts. */
function build(mods: Modules, delivery: 'flux' | 'k3s'): Platform {
  const { ks, cdk8s } = mods;
  const platform = new ks.Platform(new cdk8s.App({ outdir: '/nonexistent' }), 'platform', { delivery });
  const tenant = new ks.Tenant(platform, 'acme');
  new ks.MariaDb(tenant, 'shop', {
    monitoring: true,
    users: { app: {} },
    databases: { shop: { roles: { admin: ['app'] } } },
    backup: {
      bucket: 'backups',
      endpoint: 's3.example.com',
      credentials: ks.SecretRef.fromConfig('shop-s3', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']),
    },
  });
  new ks.RabbitMq(tenant, 'events', { users: { app: {} }, vhosts: { orders: { roles: { admin: ['app'] } } }, monitoring: true });
  return platform;
}

async function deploy(delivery: 'flux' | 'k3s'): Promise<Deployed<PlatformDeployment> & { manifests: any[] }> {
  const mods = freshModules();
  const platform = build(mods, delivery);
  const deployed = await deployWithMocks(mods, (opts) => new mods.bridge.PlatformDeployment(NAME, { platform, secrets: SECRETS }, opts));
  return { ...deployed, manifests: platform.render().flatMap((c) => c.objects.map((o) => o.manifest)) };
}

const release = (name: string, namespace: string) =>
  `${NAME}/${objectId({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name, namespace } })}`;
const MARIADB_OPERATOR = release('mariadb-operator', 'mariadb-operator');
const MARIADB_CRDS = release('mariadb-operator-crds', 'mariadb-operator');
const RABBITMQ_OPERATOR = release('rabbitmq-operator', 'rabbitmq-operator');
const CERT_MANAGER = release('cert-manager', 'cert-manager');
const PROMETHEUS_CRDS = release('prometheus-operator-crds', 'monitoring');

describe('MariaDB and RabbitMQ under Pulumi (Flux)', () => {
  let deployed: Awaited<ReturnType<typeof deploy>>;
  let resources: ReadonlyMap<string, Registered>;
  const deps = (m: any) => [...dependenciesOf(resources, `${NAME}/${objectId(m)}`)];

  beforeAll(async () => {
    deployed = await deploy('flux');
    resources = deployed.resources;
  });

  test('every k8s.mariadb.com object waits for the operator release, which waits for the CRDs release', () => {
    const custom = deployed.manifests.filter((m) => m.apiVersion === 'k8s.mariadb.com/v1alpha1');
    expect(custom.map((m) => m.kind).sort()).toEqual(['Backup', 'Database', 'Grant', 'MariaDB', 'User']);
    for (const m of custom) expect(deps(m)).toEqual(expect.arrayContaining([MARIADB_OPERATOR, MARIADB_CRDS]));
    expect(resources.get(MARIADB_OPERATOR)!.dependsOn).toContain(MARIADB_CRDS);
    expect(deps(custom.find((m) => m.kind === 'MariaDB'))).toContain(PROMETHEUS_CRDS);
  });

  test('every rabbitmq.com object waits for the operator release, which waits for cert-manager', () => {
    const custom = deployed.manifests.filter((m) => m.apiVersion === 'rabbitmq.com/v1beta1');
    expect(custom.map((m) => m.kind).sort()).toEqual(['Permission', 'RabbitmqCluster', 'User', 'Vhost']);
    for (const m of custom) expect(deps(m)).toEqual(expect.arrayContaining([RABBITMQ_OPERATOR, CERT_MANAGER]));
    expect(resources.get(RABBITMQ_OPERATOR)!.dependsOn).toContain(CERT_MANAGER);
  });

  test('cert-manager objects (the operator CA, the server certificate) wait for cert-manager; the ServiceMonitor for its CRDs', () => {
    const certs = deployed.manifests.filter((m) => m.apiVersion === 'cert-manager.io/v1');
    expect(certs.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      'Certificate/events-tls',
      'Certificate/kubestrata-rabbitmq-ca',
      'Certificate/rabbitmq-ca-trust',
      'ClusterIssuer/kubestrata-rabbitmq-ca',
      'ClusterIssuer/kubestrata-rabbitmq-selfsigned',
    ]);
    for (const m of certs) expect(deps(m)).toContain(CERT_MANAGER);
    expect(deps(deployed.manifests.find((m) => m.kind === 'ServiceMonitor'))).toContain(PROMETHEUS_CRDS);
  });

  test('generated and config Secrets are created before the objects that use them, as secret outputs only', () => {
    const mariadb = `${NAME}/k8s.mariadb.com/v1alpha1/MariaDB/tenant-acme/shop`;
    for (const secret of ['shop-root', 'shop.app', 'shop-s3', 'events.app-credentials']) {
      const name = `${NAME}/v1/Secret/tenant-acme/${secret}`;
      expect(isSecretInput(resources.get(name)?.inputs.stringData)).toBe(true);
    }
    expect(dependenciesOf(resources, mariadb)).toContain(`${NAME}/v1/Secret/tenant-acme/shop-root`);
    expect(dependenciesOf(resources, `${NAME}/rabbitmq.com/v1beta1/User/tenant-acme/events.app`)).toContain(
      `${NAME}/v1/Secret/tenant-acme/events.app-credentials`,
    );
    const plain = [...resources.values()].flatMap((r) => plainStrings(r.inputs)).join('\n') + JSON.stringify(deployed.manifests);
    for (const value of Object.values(SECRETS['shop-s3'])) expect(plain).not.toContain(value);
  });
});

describe('MariaDB and RabbitMQ under Pulumi (K3s)', () => {
  test('the custom resources wait for the operators installed by the helm-controller', async () => {
    const { resources, manifests } = await deploy('k3s');
    const custom = manifests.filter((m) => ['k8s.mariadb.com/v1alpha1', 'rabbitmq.com/v1beta1'].includes(m.apiVersion));
    const chart = (name: string) => `${NAME}/helm.cattle.io/v1/HelmChart/kube-system/${name}`;
    for (const m of custom) {
      const operator = m.apiVersion.startsWith('k8s.mariadb.com') ? chart('mariadb-operator') : chart('rabbitmq-operator');
      expect(dependenciesOf(resources, `${NAME}/${objectId(m)}`)).toContain(operator);
    }
  });
});
