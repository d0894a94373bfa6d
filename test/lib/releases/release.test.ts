import { Chart } from 'cdk8s';
import { parse } from 'yaml';
import { Platform } from '../../../lib/core/platform';
import { ChartComponent } from '../../../lib/releases/chart-component';
import { Release } from '../../../lib/releases/release';
import { CloudNativePg } from '../../../constructs/data/cloudnative-pg';
import { BarmanCloudPlugin } from '../../../constructs/data/barman-cloud-plugin';
import { find, manifests, newPlatform } from '../../helpers';

describe('release delivery', () => {
  test('Flux: a HelmRepository and a pinned HelmRelease with remediation in the release namespace', () => {
    const platform = newPlatform();
    new CloudNativePg(platform);
    const all = manifests(platform);
    expect(find(all, 'HelmRepository', 'cloudnative-pg')).toMatchObject({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      metadata: { namespace: 'cnpg-system' },
      spec: { url: 'https://cloudnative-pg.github.io/charts', interval: '1h' },
    });
    const release = find(all, 'HelmRelease', 'cloudnative-pg');
    expect(release.apiVersion).toBe('helm.toolkit.fluxcd.io/v2');
    expect(release.metadata.namespace).toBe('cnpg-system');
    expect(release.spec.chart.spec).toEqual({
      chart: 'cloudnative-pg',
      version: '0.27.1',
      interval: '1h',
      sourceRef: { kind: 'HelmRepository', name: 'cloudnative-pg', namespace: 'cnpg-system' },
    });
    expect(release.spec.install.remediation).toEqual({ retries: 3 });
    expect(release.spec.upgrade.remediation).toEqual({ retries: 3, remediateLastFailure: true, strategy: 'rollback' });
    expect(release.spec.values.image.tag).toBe('1.28.2');
    expect(release.spec.dependsOn).toBeUndefined();
  });

  test('Flux dependsOn is derived from requires', () => {
    const platform = newPlatform();
    platform.registry.require(new Chart(platform, 'app'), BarmanCloudPlugin);
    const plugin = find(manifests(platform), 'HelmRelease', 'barman-cloud-plugin');
    expect(plugin.spec.dependsOn).toEqual([
      { name: 'cloudnative-pg', namespace: 'cnpg-system' },
      { name: 'cert-manager', namespace: 'cert-manager' },
    ]);
  });

  test('OCI charts use an OCIRepository and chartRef', () => {
    const platform = newPlatform();
    new Release(platform.layer('platform'), 'r', {
      name: 'cert-manager',
      namespace: 'cert-manager',
      source: { repository: 'oci://quay.io/jetstack/charts', chart: 'cert-manager', version: 'v1.20.2' },
    });
    const all = manifests(platform);
    expect(find(all, 'OCIRepository').spec).toMatchObject({ url: 'oci://quay.io/jetstack/charts/cert-manager', ref: { tag: 'v1.20.2' } });
    expect(find(all, 'HelmRelease').spec.chartRef).toEqual({ kind: 'OCIRepository', name: 'cert-manager', namespace: 'cert-manager' });
  });

  test('K3s: a HelmChart in kube-system whose values are a YAML document', () => {
    const platform = newPlatform({ delivery: 'k3s' });
    new CloudNativePg(platform);
    const all = manifests(platform);
    expect(all.filter((m) => m.kind === 'HelmRelease' || m.kind === 'HelmRepository')).toEqual([]);
    const chart = find(all, 'HelmChart', 'cloudnative-pg');
    expect(chart).toMatchObject({
      apiVersion: 'helm.cattle.io/v1',
      metadata: { namespace: 'kube-system' },
      spec: { chart: 'cloudnative-pg', repo: 'https://cloudnative-pg.github.io/charts', version: '0.27.1', targetNamespace: 'cnpg-system' },
    });
    expect(parse(chart.spec.valuesContent).image.tag).toBe('1.28.2');
  });

  test('K3s readiness is the helm-controller install Job', () => {
    const platform = newPlatform({ delivery: 'k3s' });
    const operator = new CloudNativePg(platform);
    expect(operator.release.readiness).toMatchObject({ kind: 'job', jobName: 'helm-install-cloudnative-pg', jobNamespace: 'kube-system' });
  });

  test('bootstrap: false by default; a bootstrap HelmChart on K3s carries spec.bootstrap last; Flux objects are unchanged', () => {
    const source = { repository: 'https://charts.example.com', chart: 'cni', version: '1.0.0' };
    const render = (delivery: 'flux' | 'k3s', bootstrap?: boolean) => {
      const platform = newPlatform({ delivery });
      const release = new Release(platform.layer('network'), 'cni', { name: 'cni', namespace: 'cni', source, bootstrap });
      return { release, all: manifests(platform) };
    };
    expect(render('k3s').release.bootstrap).toBe(false);
    expect(find(render('k3s').all, 'HelmChart', 'cni').spec.bootstrap).toBeUndefined();
    const k3s = render('k3s', true);
    expect(k3s.release.bootstrap).toBe(true);
    const spec = find(k3s.all, 'HelmChart', 'cni').spec;
    expect(spec.bootstrap).toBe(true);
    expect(Object.keys(spec).at(-1)).toBe('bootstrap');
    const flux = render('flux', true);
    expect(flux.release.bootstrap).toBe(true);
    expect(flux.all).toEqual(render('flux').all);
  });

  test('ChartComponent options pass bootstrap on to the release', () => {
    class Cni extends ChartComponent {
      constructor(platform: Platform, bootstrap?: boolean) {
        const source = { repository: 'https://charts.example.com', chart: 'cni', version: '1.0.0' };
        super(platform, 'network', 'cni', { namespace: 'cni', releaseName: 'cni', source, version: '1.0.0', bootstrap });
      }
    }
    expect(new Cni(newPlatform({ delivery: 'k3s' }), true).release.bootstrap).toBe(true);
    expect(new Cni(newPlatform({ delivery: 'k3s' })).release.bootstrap).toBe(false);
  });

  test('bootstrap must be a boolean', () => {
    const platform = newPlatform();
    expect(
      () =>
        new Release(new Chart(platform, 'c'), 'bad', {
          name: 'cni',
          namespace: 'cni',
          bootstrap: 'yes' as unknown as boolean,
          source: { repository: 'https://charts.example.com', chart: 'cni', version: '1.0.0' },
        }),
    ).toThrow('[platform/c/bad] 1 problem:\n  - bootstrap: "yes" must be true or false.');
  });

  test('an unpinned or malformed release is rejected with every problem', () => {
    const platform = newPlatform();
    const chart = new Chart(platform, 'c');
    expect(
      () =>
        new Release(chart, 'bad', {
          name: 'Bad_Name',
          namespace: 'ns',
          source: { repository: 'http://example.com', chart: 'x', version: '^1.0' },
        }),
    ).toThrow(
      [
        '[platform/c/bad] 3 problems:',
        '  - name: "Bad_Name" must be a DNS-1123 label of at most 53 characters (Helm release names).',
        '  - source.repository: "http://example.com" must be an https:// or oci:// address.',
        '  - source.version: "^1.0" must be one exact chart version (no ranges, no "latest"). Fix: pin it in lib/versions.ts.',
      ].join('\n'),
    );
  });
});

describe('K3s values', () => {
  test('values that reuse one object are written out in full, without YAML aliases', () => {
    const platform = newPlatform({ delivery: 'k3s' });
    const shared = { runAsNonRoot: true };
    new Release(platform.layer('platform'), 'r', {
      name: 'x',
      namespace: 'x',
      source: { repository: 'https://charts.example.com', chart: 'x', version: '1.0.0' },
      values: { a: { securityContext: shared }, b: { securityContext: shared } },
    });
    const content = find(manifests(platform), 'HelmChart').spec.valuesContent;
    expect(content).not.toMatch(/[&*]a\d/);
    expect(parse(content)).toEqual({ a: { securityContext: shared }, b: { securityContext: shared } });
  });
});

describe('values added after construction', () => {
  const source = { repository: 'https://charts.example.com', chart: 'x', version: '1.0.0' };
  const deliveredValues = (delivery: 'flux' | 'k3s', add: (release: Release) => void) => {
    const platform = newPlatform({ delivery });
    const release = new Release(platform.layer('platform'), 'r', {
      name: 'x',
      namespace: 'x',
      source,
      values: { image: { repository: 'r', tag: '1' } },
    });
    add(release);
    const all = manifests(platform);
    return delivery === 'flux' ? find(all, 'HelmRelease').spec.values : parse(find(all, 'HelmChart').spec.valuesContent);
  };

  test.each(['flux', 'k3s'] as const)('%s delivery renders the values merged at synthesis', (delivery) => {
    const values = deliveredValues(delivery, (release) => {
      release.addValues({ image: { pullPolicy: 'Always' } });
      release.addValues({ image: { tag: '2' }, replicas: 2 });
    });
    expect(values).toEqual({ image: { repository: 'r', tag: '2', pullPolicy: 'Always' }, replicas: 2 });
  });

  test.each(['flux', 'k3s'] as const)('%s delivery: values added to a release without values appear', (delivery) => {
    const platform = newPlatform({ delivery });
    const release = new Release(platform.layer('platform'), 'r', { name: 'x', namespace: 'x', source });
    const before = manifests(platform);
    expect(delivery === 'flux' ? find(before, 'HelmRelease').spec.values : find(before, 'HelmChart').spec.valuesContent).toBeUndefined();
    release.addValues({ a: 1 });
    const all = manifests(platform);
    expect(delivery === 'flux' ? find(all, 'HelmRelease').spec.values : parse(find(all, 'HelmChart').spec.valuesContent)).toEqual({ a: 1 });
  });

  test('release.values is a copy: changing it changes nothing delivered', () => {
    const values = deliveredValues('flux', (release) => {
      (release.values.image as Record<string, unknown>).tag = 'changed';
    });
    expect(values).toEqual({ image: { repository: 'r', tag: '1' } });
  });

  test('a component override and values added later both reach the release', () => {
    const platform = newPlatform({ delivery: 'k3s' });
    const operator = new CloudNativePg(platform, { values: { image: { pullPolicy: 'Always' } } });
    operator.release.addValues({ config: { clusterWide: false } });
    const values = parse(find(manifests(platform), 'HelmChart', 'cloudnative-pg').spec.valuesContent);
    expect(values.image).toEqual({ repository: 'ghcr.io/cloudnative-pg/cloudnative-pg', tag: '1.28.2', pullPolicy: 'Always' });
    expect(values.config).toEqual({ clusterWide: false });
  });
});

test('addValues refuses anything but a map of values', () => {
  const platform = newPlatform();
  const source = { repository: 'https://charts.example.com', chart: 'x', version: '1.0.0' };
  const release = new Release(platform.layer('platform'), 'r', { name: 'x', namespace: 'x', source });
  for (const [given, shown] of [
    [null, 'null'],
    [['a'], '["a"]'],
    ['image', '"image"'],
  ] as const) {
    expect(() => release.addValues(given as never)).toThrow(
      `[platform/platform/r] 1 problem:\n  - values: ${shown} must be a map of chart values, e.g. { image: { pullPolicy: "Always" } }.`,
    );
  }
  expect(release.values).toEqual({});
});
