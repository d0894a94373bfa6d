import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Platform } from '../../../lib/core/platform';
import { SecretRef } from '../../../lib/core/secrets';
import { planDeployment } from '../../../lib/pulumi/plan';
import { planSecrets } from '../../../lib/pulumi/secrets';

function plan(platform: Platform) {
  const steps = planDeployment(platform, platform.render(), planSecrets(platform, { creds: { token: 't' } }), false);
  return { ids: steps.map((s) => s.id), after: Object.fromEntries(steps.map((s) => [s.id, [...new Set(s.after)]])) };
}

describe('deployment plan', () => {
  test('a custom resource follows the CRD and the Namespace the platform defines, wherever they are', () => {
    const platform = new Platform(new App({ outdir: '/nonexistent' }), 'platform');
    const apps = new Chart(platform, 'apps');
    new ApiObject(apps, 'widget', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' } });
    const system = new Chart(platform, 'system');
    new ApiObject(system, 'crd', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [] },
    });
    new ApiObject(system, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    const { ids, after } = plan(platform);
    expect(after['example.com/v1/Widget/shop/w']).toEqual([
      'v1/Namespace/shop',
      'apiextensions.k8s.io/v1/CustomResourceDefinition/widgets.example.com',
    ]);
    expect(ids.indexOf('example.com/v1/Widget/shop/w')).toBeGreaterThan(ids.indexOf('v1/Namespace/shop'));
    expect(ids.indexOf('example.com/v1/Widget/shop/w')).toBeGreaterThan(
      ids.indexOf('apiextensions.k8s.io/v1/CustomResourceDefinition/widgets.example.com'),
    );
  });

  test('the objects of a Secret user follow the Secret; the Secret follows its Namespace', () => {
    const platform = new Platform(new App({ outdir: '/nonexistent' }), 'platform');
    const chart = new Chart(platform, 'apps');
    const namespace = new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    const user = new Construct(chart, 'user');
    new ApiObject(user, 'deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'shop' },
    }).node.addDependency(namespace);
    new ApiObject(chart, 'other', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other', namespace: 'shop' } });
    platform.secrets.use('shop', SecretRef.fromConfig('creds', ['token']), user.node.path);
    const { ids, after } = plan(platform);
    expect(after['apps/v1/Deployment/shop/api']).toEqual(['v1/Namespace/shop', 'v1/Secret/shop/creds']);
    expect(after['v1/ConfigMap/shop/other']).toEqual(['v1/Namespace/shop']);
    expect(after['v1/Secret/shop/creds']).toEqual(['v1/Namespace/shop']);
    expect(ids.indexOf('apps/v1/Deployment/shop/api')).toBeGreaterThan(ids.indexOf('v1/Secret/shop/creds'));
  });

  test('two objects with one id are an error, found when the platform renders', () => {
    const platform = new Platform(new App({ outdir: '/nonexistent' }), 'platform');
    const chart = new Chart(platform, 'apps');
    new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same', namespace: 'shop' } });
    new ApiObject(new Chart(platform, 'more'), 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same', namespace: 'shop' } });
    expect(() => plan(platform)).toThrow('"ConfigMap shop/same" is also rendered by platform/apps/a');
  });
});
