import { Tenant } from '../../constructs/platform/tenant';
import { CertManager } from '../../constructs/platform/cert-manager';
import { CloudNativePg } from '../../constructs/data/cloudnative-pg';
import { Cilium } from '../../constructs/network/cilium';
import { KubeOvn } from '../../constructs/network/kube-ovn';
import { MinioTenant } from '../../constructs/storage/minio-tenant';
import { claimSystemNamespace } from '../../lib/core/namespaces';
import { SecretRef } from '../../lib/core/secrets';
import { manifests, newPlatform, problemsOf } from '../helpers';

const namespaces = (all: any[]) => all.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name);

describe('system components stay out of tenant and reserved namespaces', () => {
  test("new CertManager(p, { namespace: 'kube-system' }) is refused instead of relabelling kube-system as restricted", () => {
    const platform = newPlatform();
    const error = problemsOf(() => new CertManager(platform, { namespace: 'kube-system' }));
    expect(error.message).toContain('[platform/platform/cert-manager] 1 problem');
    expect(error.message).toContain(
      'namespace: "kube-system" is a namespace Kubernetes reserves (default, kube-public, kube-node-lease, kube-system)',
    );
    expect(error.message).toContain('Fix: give the component a namespace of its own');
    expect(namespaces(manifests(platform))).not.toContain('kube-system');
  });

  test.each(['default', 'kube-public', 'kube-node-lease'])('%s is refused to every component, CNIs included', (namespace) => {
    expect(problemsOf(() => new CertManager(newPlatform(), { namespace })).message).toContain(
      `namespace: "${namespace}" is a namespace Kubernetes reserves`,
    );
    expect(problemsOf(() => new Cilium(newPlatform(), { namespace })).message).toContain(
      `namespace: "${namespace}" is a namespace Kubernetes reserves`,
    );
  });

  test("a component given namespace: 'tenant-shop' is refused, before or after the tenant exists", () => {
    const after = newPlatform();
    const shop = new Tenant(after, 'shop');
    expect(problemsOf(() => new CloudNativePg(after, { namespace: 'tenant-shop' })).message).toContain(
      `namespace: "tenant-shop" is the namespace of the tenant at ${shop.node.path}; platform components must not share a tenant's namespace`,
    );
    const before = newPlatform();
    expect(problemsOf(() => new CloudNativePg(before, { namespace: 'tenant-shop' })).message).toContain(
      'namespace: "tenant-shop" is a tenant namespace (every "tenant-*" namespace is)',
    );
    new Tenant(before, 'shop');
    expect(manifests(before).filter((m) => m.kind === 'Namespace' && m.metadata.name === 'tenant-shop')).toHaveLength(1);
  });

  test('a tenant whose namespace a system component already has is refused', () => {
    const platform = newPlatform();
    claimSystemNamespace(platform, 'tenant-shop', 'platform/data/legacy');
    expect(problemsOf(() => new Tenant(platform, 'shop')).message).toContain(
      'namespace: "tenant-shop" is already the namespace of the system component at platform/data/legacy',
    );
  });

  test('CNIs may install into kube-system, which they neither declare nor relabel', () => {
    const platform = newPlatform();
    new KubeOvn(platform, { namespace: 'kube-system' });
    new Cilium(platform, { namespace: 'kube-system' });
    const all = manifests(platform);
    expect(namespaces(all)).not.toContain('kube-system');
    expect(all.filter((m) => m.kind === 'HelmRelease').map((m) => m.metadata.namespace)).toEqual(['kube-system', 'kube-system']);
  });
});

describe('namespaces the platform admits into every tenant', () => {
  test("ingressNamespace: 'tenant-evil' is refused: every tenant would admit tenant-evil", () => {
    const error = problemsOf(() => newPlatform({ ingressNamespace: 'tenant-evil' }));
    expect(error.message).toContain('ingressNamespace: "tenant-evil" is a tenant namespace');
    expect(error.message).toContain('Fix: choose a namespace that does not start with "tenant-"');
  });

  test.each(['default', 'kube-system'])('monitoringNamespace %s is refused', (namespace) => {
    expect(problemsOf(() => newPlatform({ monitoringNamespace: namespace })).message).toContain(
      `monitoringNamespace: "${namespace}" is a namespace Kubernetes reserves`,
    );
  });

  test('ordinary namespaces are accepted', () => {
    expect(() => newPlatform({ ingressNamespace: 'ingress', monitoringNamespace: 'vm' })).not.toThrow();
  });
});

describe('a platform-wide MinioTenant', () => {
  const root = SecretRef.fromConfig('minio-root', ['config.env']);

  test.each([
    ['tenant-shop', 'is a tenant namespace'],
    ['kube-system', 'is a namespace Kubernetes reserves'],
  ])('refuses namespace %s instead of declaring it a system namespace', (namespace, rule) => {
    const platform = newPlatform();
    expect(problemsOf(() => new MinioTenant(platform, 'store', { credentials: root, namespace })).message).toContain(
      `namespace: "${namespace}" ${rule}`,
    );
    expect(namespaces(manifests(platform))).not.toContain(namespace);
  });

  test('a Chart that is not a Tenant is not taken for one (cdk8s makes `instanceof Tenant` true of every Chart)', () => {
    const platform = newPlatform();
    const store = new MinioTenant(platform.layer('data') as any, 'store', { credentials: root, namespace: 'object-store' });
    expect(store.namespace).toBe('object-store');
    expect(namespaces(manifests(platform))).toContain('object-store');
  });
});
