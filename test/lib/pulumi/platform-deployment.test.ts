import { dependenciesOf, Deployed, freshModules, isSecretInput, Modules, plainStrings, Registered, registered } from './harness';
import { deployPlatform, manifestsOf, NAME, objectId, SECRET_VALUES, typeToken } from './fixture';
import type { PlatformDeployment } from '../../../lib/pulumi';
import type { Platform } from '../../../lib/core/platform';

const CNPG = `${NAME}/helm.toolkit.fluxcd.io/v2/HelmRelease/cnpg-system/cloudnative-pg`;
const BARMAN = `${NAME}/helm.toolkit.fluxcd.io/v2/HelmRelease/cnpg-system/barman-cloud-plugin`;
const FLUX = `${NAME}/flux`;
const CREATED_SECRETS = [
  'tenant-acme/orders-backup',
  'tenant-acme/orders.reporting',
  'tenant-globex/orders-backup',
  'tenant-globex/orders.reporting',
];

describe('PlatformDeployment (Flux)', () => {
  let mods: Modules;
  let deployed: Deployed<PlatformDeployment> & { platform: Platform };
  let manifests: any[];
  let resources: ReadonlyMap<string, Registered>;
  const get = (name: string) => registered(resources, name);

  beforeAll(async () => {
    mods = freshModules();
    deployed = await deployPlatform(mods);
    resources = deployed.resources;
    manifests = manifestsOf(deployed.platform);
  });

  test('one typed resource per synthesized object, plus the Flux install and the created Secrets, nothing else', () => {
    const expected: Record<string, string> = { [FLUX]: 'kubernetes:helm.sh/v3:Release' };
    for (const m of manifests) expected[`${NAME}/${objectId(m)}`] = typeToken(m);
    for (const s of CREATED_SECRETS) expected[`${NAME}/v1/Secret/${s}`] = 'kubernetes:core/v1:Secret';
    const kubernetes = [...resources.values()].filter((r) => r.type.startsWith('kubernetes:'));
    expect(Object.fromEntries(kubernetes.map((r) => [r.name, r.type]))).toEqual(expected);
    expect(kubernetes).toHaveLength(manifests.length + 1 + CREATED_SECRETS.length);
    expect(get(`${NAME}/v1/Namespace/tenant-acme`).type).toBe('kubernetes:core/v1:Namespace');
    expect(get(`${NAME}/networking.k8s.io/v1/NetworkPolicy/tenant-acme/default-deny`).type).toBe(
      'kubernetes:networking.k8s.io/v1:NetworkPolicy',
    );
    expect(get(`${NAME}/postgresql.cnpg.io/v1/Cluster/tenant-acme/orders`).inputs).toMatchObject({
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: 'orders', namespace: 'tenant-acme' },
      spec: { instances: 2 },
    });
    expect(deployed.deployment.resources.size).toBe(manifests.length + CREATED_SECRETS.length);
  });

  test('objects sit under a component per chart, which sits under the platform component', () => {
    const platform = get(NAME);
    expect(platform.type).toBe('kubestrata:pulumi:PlatformDeployment');
    const charts = [...resources.values()].filter((r) => /^kubestrata:pulumi:\w*Chart$/.test(r.type));
    expect(Object.fromEntries(charts.map((c) => [c.name, c.type]))).toEqual({
      [`${NAME}/platform/platform`]: 'kubestrata:pulumi:LayerChart',
      [`${NAME}/platform/data`]: 'kubestrata:pulumi:LayerChart',
      [`${NAME}/platform/acme`]: 'kubestrata:pulumi:TenantChart',
      [`${NAME}/platform/globex`]: 'kubestrata:pulumi:TenantChart',
    });
    for (const c of charts) expect(c.parent).toBe(NAME);
    expect(get(`${NAME}/postgresql.cnpg.io/v1/Cluster/tenant-globex/orders`).parent).toBe(`${NAME}/platform/globex`);
    expect(get(CNPG).parent).toBe(`${NAME}/platform/data`);
    expect(get(`${NAME}/v1/Secret/tenant-acme/orders-backup`).parent).toBe(`${NAME}/platform/acme`);
    expect(get(FLUX).parent).toBe(NAME);
  });

  test('every custom resource of a tenant waits for the HelmRelease of the operator that serves it', () => {
    const custom = manifests.filter((m) => /\.cnpg\.io\//.test(m.apiVersion));
    expect(new Set(custom.map((m) => m.kind))).toEqual(new Set(['Cluster', 'Pooler', 'ScheduledBackup', 'ObjectStore']));
    expect(custom).toHaveLength(8);
    for (const m of custom) expect(dependenciesOf(resources, `${NAME}/${objectId(m)}`)).toContain(CNPG);
    for (const m of custom.filter((c) => c.kind === 'ObjectStore'))
      expect(dependenciesOf(resources, `${NAME}/${objectId(m)}`)).toContain(BARMAN);
    expect(get(BARMAN).dependsOn).toContain(CNPG);
  });

  test('HelmReleases carry the readiness annotation in the resource only, with the release timeout per attempt', () => {
    for (const name of [CNPG, BARMAN, `${NAME}/helm.toolkit.fluxcd.io/v2/HelmRelease/cert-manager/cert-manager`]) {
      const release = get(name);
      expect(release.inputs.metadata.annotations).toEqual({ 'pulumi.com/waitFor': 'condition=Ready' });
      expect(release.customTimeouts).toEqual({ create: '2400s', update: '2400s' });
    }
    for (const m of manifests) expect(m.metadata.annotations?.['pulumi.com/waitFor']).toBeUndefined();
  });

  test('Flux objects wait for the Flux install; namespaced objects wait for their Namespace', () => {
    const flux = get(FLUX);
    const { chart } = mods.ks.versions.flux;
    expect(flux.inputs).toMatchObject({
      chart: chart.chart,
      version: chart.version,
      namespace: 'flux-system',
      createNamespace: true,
      repositoryOpts: { repo: chart.repository },
      values: { sourceController: { create: true }, helmController: { create: true }, kustomizeController: { create: false } },
    });
    const fluxObjects = manifests.filter((m) => m.apiVersion.includes('.toolkit.fluxcd.io/'));
    expect(fluxObjects.map((m) => m.kind).sort()).toEqual([
      'HelmRelease',
      'HelmRelease',
      'HelmRelease',
      'HelmRepository',
      'HelmRepository',
      'HelmRepository',
    ]);
    for (const m of fluxObjects) expect(get(`${NAME}/${objectId(m)}`).dependsOn).toContain(FLUX);
    for (const m of manifests.filter((x) => x.metadata.namespace)) {
      expect(get(`${NAME}/${objectId(m)}`).dependsOn).toContain(`${NAME}/v1/Namespace/${m.metadata.namespace}`);
    }
  });

  test('config Secrets get their values as secrets and never in plain text', () => {
    const backup = get(`${NAME}/v1/Secret/tenant-acme/orders-backup`);
    expect(backup.inputs.type).toBe('Opaque');
    expect(backup.inputs.metadata).toMatchObject({ name: 'orders-backup', namespace: 'tenant-acme' });
    expect(isSecretInput(backup.inputs.stringData)).toBe(true);
    expect(backup.inputs.stringData.value).toEqual(SECRET_VALUES['orders-backup']);
    expect(backup.ignoreChanges).toEqual([]);
    const values = Object.values(SECRET_VALUES['orders-backup']);
    const plain = [...resources.values()].flatMap((r) => plainStrings(r.inputs)).join('\n') + JSON.stringify(manifests);
    for (const value of values) expect(plain).not.toContain(value);
  });

  test('generated Secrets are random once, kept afterwards, and existing Secrets are left alone', () => {
    const reporting = get(`${NAME}/v1/Secret/tenant-acme/orders.reporting`);
    expect(reporting.inputs.type).toBe('kubernetes.io/basic-auth');
    expect(isSecretInput(reporting.inputs.stringData)).toBe(true);
    expect(reporting.inputs.stringData.value.username).toBe('reporting');
    expect(reporting.inputs.stringData.value.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(reporting.ignoreChanges).toEqual(['stringData', 'data']);
    const other = get(`${NAME}/v1/Secret/tenant-globex/orders.reporting`);
    expect(other.inputs.stringData.value.password).not.toBe(reporting.inputs.stringData.value.password);
    expect([...resources.keys()].filter((n) => n.includes('s3-ca'))).toEqual([]);
  });

  test('the objects of a Secret user wait for its Secrets, in their own namespace only', () => {
    for (const tenant of ['acme', 'globex']) {
      const other = tenant === 'acme' ? 'globex' : 'acme';
      for (const kind of ['Cluster/orders', 'ObjectStore/orders-backup', 'Pooler/orders-pooler-rw']) {
        const [k, n] = kind.split('/');
        const group = k === 'ObjectStore' ? 'barmancloud.cnpg.io' : 'postgresql.cnpg.io';
        const deps = get(`${NAME}/${group}/v1/${k}/tenant-${tenant}/${n}`).dependsOn;
        expect(deps).toEqual(
          expect.arrayContaining([
            `${NAME}/v1/Secret/tenant-${tenant}/orders-backup`,
            `${NAME}/v1/Secret/tenant-${tenant}/orders.reporting`,
          ]),
        );
        expect(deps.filter((d) => d.includes(`tenant-${other}`))).toEqual([]);
      }
      expect(get(`${NAME}/v1/Secret/tenant-${tenant}/orders-backup`).dependsOn).toEqual([`${NAME}/v1/Namespace/tenant-${tenant}`]);
    }
  });

  test('a second deployment from fresh modules registers the same names, options and inputs', async () => {
    const second = await deployPlatform(freshModules());
    const generated = (r: Registered) => r.name.endsWith('.reporting');
    const comparable = (all: ReadonlyMap<string, Registered>) =>
      [...all.values()]
        .map((r) => (generated(r) ? { ...r, inputs: { ...r.inputs, stringData: '(generated)' } } : r))
        .sort((a, b) => a.name.localeCompare(b.name));
    expect(comparable(second.resources)).toEqual(comparable(resources));
    const password = (all: ReadonlyMap<string, Registered>) =>
      all.get(`${NAME}/v1/Secret/tenant-acme/orders.reporting`)!.inputs.stringData.value.password;
    expect(password(second.resources)).not.toBe(password(resources));
  });

  test('every Kubernetes resource uses the provider passed in', async () => {
    const { resources: all } = await deployPlatform(freshModules(), { provider: true });
    const kubernetes = [...all.values()].filter((r) => r.type.startsWith('kubernetes:'));
    expect(kubernetes).toHaveLength(manifests.length + 1 + CREATED_SECRETS.length);
    for (const r of kubernetes) expect(r.provider).toBe('cluster');
  });
});
