import { dependenciesOf, Deployed, freshModules, Modules, Registered, registered } from './harness';
import { deployPlatform, manifestsOf, NAME, objectId } from './fixture';
import type { PlatformDeployment } from '../../../lib/pulumi';
import type { Platform } from '../../../lib/core/platform';

const RELEASES = ['cert-manager', 'cloudnative-pg', 'barman-cloud-plugin'];
const helmChart = (release: string) => `${NAME}/helm.cattle.io/v1/HelmChart/kube-system/${release}`;
const gate = (release: string) => `${NAME}/gate/helm.cattle.io/v1/HelmChart/kube-system/${release}`;

/** The checks of the restricted Pod Security Standard that a pod spec can fail. */
function expectRestricted(pod: any): void {
  expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  expect(pod.hostNetwork ?? false).toBe(false);
  expect(pod.hostPID ?? false).toBe(false);
  for (const volume of pod.volumes ?? []) expect(Object.keys(volume).sort()).toEqual(['emptyDir', 'name']);
  for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    });
    expect(c.securityContext.privileged ?? false).toBe(false);
    expect(c.securityContext.capabilities.add).toBeUndefined();
  }
}

describe('PlatformDeployment (K3s helm-controller)', () => {
  let mods: Modules;
  let deployed: Deployed<PlatformDeployment> & { platform: Platform };
  let resources: ReadonlyMap<string, Registered>;
  let manifests: any[];
  const get = (name: string) => registered(resources, name);

  beforeAll(async () => {
    mods = freshModules();
    deployed = await deployPlatform(mods, { delivery: 'k3s' });
    resources = deployed.resources;
    manifests = manifestsOf(deployed.platform);
  });

  test('one gate per HelmChart, and no Flux', () => {
    const kubernetes = [...resources.values()].filter((r) => r.type.startsWith('kubernetes:'));
    const gateParts = ['account', 'role/kube-system', 'role-binding/kube-system', 'job'];
    const expected = new Set([
      ...manifests.map((m) => `${NAME}/${objectId(m)}`),
      ...['acme', 'globex'].flatMap((t) => [
        `${NAME}/v1/Secret/tenant-${t}/orders-backup`,
        `${NAME}/v1/Secret/tenant-${t}/orders.reporting`,
      ]),
      ...RELEASES.flatMap((r) => gateParts.map((part) => `${gate(r)}/${part}`)),
    ]);
    expect(new Set(kubernetes.map((r) => r.name))).toEqual(expected);
    expect(kubernetes).toHaveLength(manifests.length + 4 + RELEASES.length * gateParts.length);
    expect(manifests.filter((m) => m.kind === 'HelmChart')).toHaveLength(RELEASES.length);
    expect(deployed.deployment.flux).toBeUndefined();
    expect(kubernetes.filter((r) => r.type.includes('fluxcd') || r.type.includes('helm.sh'))).toEqual([]);
    for (const r of RELEASES) {
      expect(get(gate(r))).toMatchObject({
        type: 'kubestrata:pulumi:ReadinessGate',
        dependsOn: [helmChart(r)],
        parent: `${NAME}/platform/${r === 'cert-manager' ? 'platform' : 'data'}`,
      });
      expect(get(helmChart(r)).inputs.metadata.annotations).toBeUndefined();
    }
  });

  test('the gate Job waits for the install Job to appear, then to complete, with read access to Jobs only', () => {
    const job = get(`${gate('cloudnative-pg')}/job`);
    expect(job.inputs.metadata).toMatchObject({ name: 'wait-cloudnative-pg', namespace: 'kube-system' });
    const pod = job.inputs.spec.template.spec;
    const image = `${mods.ks.versions.kubectl.image}:${mods.ks.versions.kubectl.tag}`;
    expect([...pod.initContainers, ...pod.containers].map((c: any) => [c.image, ...c.command, ...c.args])).toEqual([
      [image, 'kubectl', 'wait', '--for=create', '--timeout=10m', '--namespace', 'kube-system', 'jobs.batch/helm-install-cloudnative-pg'],
      [
        image,
        'kubectl',
        'wait',
        '--for=condition=complete',
        '--timeout=10m',
        '--namespace',
        'kube-system',
        'jobs.batch/helm-install-cloudnative-pg',
      ],
    ]);
    expect(pod).toMatchObject({ serviceAccountName: 'wait-cloudnative-pg', restartPolicy: 'Never' });
    expectRestricted(pod);
    expect(job.customTimeouts).toEqual({ create: '1500s', update: '1500s' });
    expect(job.deleteBeforeReplace).toBe(true);
    expect(job.dependsOn).toEqual([
      `${gate('cloudnative-pg')}/account`,
      `${gate('cloudnative-pg')}/role/kube-system`,
      `${gate('cloudnative-pg')}/role-binding/kube-system`,
    ]);
    expect(get(`${gate('cloudnative-pg')}/role/kube-system`).inputs.rules).toEqual([
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch'] },
    ]);
    expect(get(`${gate('cloudnative-pg')}/role-binding/kube-system`).inputs.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'wait-cloudnative-pg', namespace: 'kube-system' },
    ]);
  });

  test('everything downstream of a HelmChart waits for its gate Job', () => {
    const downstream = [...resources.values()].filter(
      (r) => r.dependsOn.some((d) => RELEASES.some((rel) => d === helmChart(rel))) && !r.type.startsWith('kubestrata:pulumi:ReadinessGate'),
    );
    expect(downstream.length).toBeGreaterThan(0);
    for (const r of downstream) {
      for (const rel of RELEASES.filter((x) => r.dependsOn.includes(helmChart(x)))) expect(r.dependsOn).toContain(gate(rel));
    }
    const custom = manifests.filter((m) => /\.cnpg\.io\//.test(m.apiVersion));
    expect(custom).toHaveLength(8);
    for (const m of custom) expect(dependenciesOf(resources, `${NAME}/${objectId(m)}`)).toContain(`${gate('cloudnative-pg')}/job`);
    for (const m of custom.filter((c) => c.kind === 'ObjectStore'))
      expect(dependenciesOf(resources, `${NAME}/${objectId(m)}`)).toContain(`${gate('barman-cloud-plugin')}/job`);
    expect(get(helmChart('barman-cloud-plugin')).dependsOn).toEqual(
      expect.arrayContaining([helmChart('cloudnative-pg'), gate('cloudnative-pg'), gate('cert-manager')]),
    );
  });

  test('a changed HelmChart gives its gate a new revision, so that the gate waits again', async () => {
    const { resources: changed } = await deployPlatform(freshModules(), {
      delivery: 'k3s',
      customize: (m, platform) => new m.ks.CloudNativePg(platform, { values: { monitoring: { podMonitorEnabled: true } } }),
    });
    const revision = (all: ReadonlyMap<string, Registered>, release: string) =>
      all.get(`${gate(release)}/job`)!.inputs.spec.template.metadata.annotations['kubestrata.io/revision'];
    expect(revision(resources, 'cloudnative-pg')).toMatch(/^[0-9a-f]{16}$/);
    expect(revision(changed, 'cloudnative-pg')).not.toBe(revision(resources, 'cloudnative-pg'));
    expect(revision(changed, 'cert-manager')).toBe(revision(resources, 'cert-manager'));
  });
});
