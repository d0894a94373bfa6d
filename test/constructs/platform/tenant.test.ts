import { Tenant } from '../../../constructs/platform/tenant';
import { ConfigurationError } from '../../../lib/core/errors';
import { find, manifests, newPlatform } from '../../helpers';

describe('Tenant', () => {
  test('a namespace with Pod Security labels', () => {
    const platform = newPlatform();
    new Tenant(platform, 'acme');
    const ns = find(manifests(platform), 'Namespace', 'tenant-acme');
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.labels).toMatchObject({
      'kubestrata.io/tenant': 'acme',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'app.kubernetes.io/managed-by': 'kubestrata',
    });
  });

  test('every other object is namespaced explicitly and ordered after the namespace', () => {
    const platform = newPlatform();
    const tenant = new Tenant(platform, 'acme', { quota: { cpu: '8' } });
    const chart = platform.render().find((c) => c.chart === tenant)!;
    expect(chart.objects[0].manifest.kind).toBe('Namespace');
    for (const object of chart.objects.slice(1)) {
      expect(object.manifest.metadata.namespace).toBe('tenant-acme');
      expect(object.dependsOn.map((d) => d.node.path)).toContain('platform/acme/namespace');
    }
  });

  test('quota: limits as given, requests scaled by the allocation ratio', () => {
    const platform = newPlatform({ allocationRatio: { cpu: 4 } });
    new Tenant(platform, 'acme', { quota: { cpu: '8', memory: '16Gi', storage: '200Gi', pods: 100, loadBalancers: 1 } });
    expect(find(manifests(platform), 'ResourceQuota').spec.hard).toEqual({
      'limits.cpu': '8',
      'requests.cpu': '2',
      'limits.memory': '16Gi',
      'requests.memory': '16Gi',
      'requests.storage': '200Gi',
      pods: '100',
      'services.loadbalancers': '1',
    });
  });

  test('no quota, no ResourceQuota; default container limits always', () => {
    const platform = newPlatform();
    new Tenant(platform, 'acme');
    const all = manifests(platform);
    expect(all.some((m) => m.kind === 'ResourceQuota')).toBe(false);
    expect(find(all, 'LimitRange').spec.limits[0]).toMatchObject({
      type: 'Container',
      default: { cpu: '250m' },
      defaultRequest: { cpu: '25m' },
    });
  });

  test('default-deny with explicit allows for the namespace, DNS and the ingress controller', () => {
    const platform = newPlatform({ ingressNamespace: 'ingress', monitoringNamespace: 'vm' });
    new Tenant(platform, 'acme');
    const policies = manifests(platform).filter((m) => m.kind === 'NetworkPolicy');
    expect(policies.map((p) => p.metadata.name)).toEqual([
      'default-deny',
      'allow-same-namespace',
      'allow-dns',
      'allow-from-ingress',
      'allow-to-apiserver',
      'allow-to-external',
    ]);
    expect(policies[0].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(policies[3].spec.podSelector).toEqual({ matchLabels: { 'kubestrata.io/ingress-backend': 'true' } });
    expect(policies[3].spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } },
    ]);
    expect(policies[4].spec.podSelector).toEqual({ matchLabels: { 'kubestrata.io/allow-to-apiserver': 'true' } });
  });

  test('admin and user roles bound to the tenant groups; users cannot read Secrets, admins cannot change quotas or policies', () => {
    const platform = newPlatform();
    new Tenant(platform, 'acme', { userGroup: 'devs' });
    const all = manifests(platform);
    const admin = find(all, 'Role', 'tenant-admin');
    const user = find(all, 'Role', 'tenant-user');
    expect(find(all, 'RoleBinding', 'tenant-admin').subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'tenant-acme-admins' },
    ]);
    expect(find(all, 'RoleBinding', 'tenant-user').subjects[0].name).toBe('devs');
    const writable = admin.rules.filter((r: any) => r.verbs.includes('update')).flatMap((r: any) => r.resources);
    expect(writable).not.toContain('resourcequotas');
    expect(writable).not.toContain('networkpolicies');
    expect(writable).not.toContain('roles');
    expect(writable).not.toContain('endpoints');
    expect(writable).not.toContain('*');
    expect(user.rules.flatMap((r: any) => r.resources)).not.toContain('secrets');
    expect(admin.rules.find((r: any) => r.apiGroups.includes('postgresql.cnpg.io')).verbs).toContain('create');
  });

  test('bad input is reported with every problem at once', () => {
    const platform = newPlatform();
    expect(() => new Tenant(platform, 'Acme Corp', { podSecurity: 'open' as any })).toThrow(
      '[platform/Acme Corp] 1 problem:\n  - podSecurity: "open" must be one of "privileged", "baseline", "restricted".',
    );
    expect(() => new Tenant(platform, 'Acme Corp', { quota: { cpu: 'many', pods: -1 } })).toThrow(
      [
        '[platform/Acme Corp] 3 problems:',
        '  - name: "Acme Corp" must be a DNS-1123 label (lower-case letters, digits and \'-\', starting and ending with a letter or digit, at most 56 characters). Fix: use "acme-corp".',
        '  - quota.cpu: "many" must be a positive Kubernetes quantity. Fix: write it like "8".',
        '  - quota.pods: -1 must be a whole number ≥ 0.',
      ].join('\n'),
    );
  });

  test('a tenant cannot take the name of a layer chart', () => {
    const platform = newPlatform();
    platform.layer('data');
    expect(() => new Tenant(platform, 'data')).toThrow(
      `[platform/data] 1 problem:\n  - name: "data" is the name of the platform's data layer chart. Fix: name the tenant e.g. "data-team".`,
    );
  });

  test('Tenant.of finds the tenant of a nested construct', () => {
    const platform = newPlatform();
    const tenant = new Tenant(platform, 'acme');
    expect(Tenant.of(tenant.namespaceObject)).toBe(tenant);
    expect(() => Tenant.of(platform)).toThrow(ConfigurationError);
    expect(() => Tenant.of(platform)).toThrow(
      '[platform] 1 problem:\n  - scope: "platform" is not inside a Tenant.' +
        " Fix: create it in a tenant, new Platform(tenant, 'platform'), where tenant = new Tenant(platform, 'name').",
    );
  });
});
