import { Tenant, TenantProps } from '../../constructs/platform/tenant';
import { find, manifests, newPlatform, problemsOf } from '../helpers';

function tenant(props: TenantProps) {
  const platform = newPlatform();
  new Tenant(platform, 'acme', props);
  return manifests(platform);
}

const messageOf = (props: TenantProps) => problemsOf(() => tenant(props)).message;
const subjects = (all: any[], binding: string) => find(all, 'RoleBinding', binding).subjects.map((s: any) => s.name);

describe("Tenant groups: only the tenant's own people", () => {
  test.each([
    ['adminGroup', 'system:authenticated'],
    ['adminGroup', 'system:serviceaccounts'],
    ['userGroup', 'system:unauthenticated'],
    ['userGroup', 'System:Masters'],
  ])('%s %s is refused', (property, group) => {
    const message = messageOf({ [property]: group });
    expect(message).toContain('[platform/acme]');
    expect(message).toContain(
      `${property}: ${JSON.stringify(group)} is a Kubernetes system group, which holds users or service accounts outside this tenant; binding it would give them the tenant's role. Fix: use a group of the tenant's own people`,
    );
  });

  test.each([
    ['adminGroup', ''],
    ['adminGroup', 'acme admins'],
    ['userGroup', 'acme\nusers'],
    ['adminGroup', '*'],
  ])('%s %j is not a group name', (property, group) => {
    expect(messageOf({ [property]: group } as TenantProps)).toContain(
      `${property}: ${JSON.stringify(group)} must be a group name (letters, digits and - _ . @ : / = +, starting with a letter or digit, at most 253 characters). Fix: use e.g. "tenant-acme-`,
    );
  });

  test('a group that is not a string is a type error', () => {
    expect(messageOf({ userGroup: 42 } as any)).toContain('userGroup: 42 must be a string. Fix: write it as "42".');
  });

  test('identity-provider groups pass and are bound', () => {
    const all = tenant({ adminGroup: 'oidc:acme-admins@example.com', userGroup: 'acme/developers' });
    expect(subjects(all, 'tenant-admin')).toEqual(['oidc:acme-admins@example.com']);
    expect(subjects(all, 'tenant-user')).toEqual(['acme/developers']);
  });
});

describe('Tenant quota: a quota or an error, never a quota without limits', () => {
  test.each([
    ['a string', 'x'],
    ['a list', ['8']],
    ['a number', 8],
  ])('a quota that is %s is refused', (_, quota) => {
    expect(messageOf({ quota } as any)).toContain(`quota: ${JSON.stringify(quota)} must be an object.`);
  });

  test.each([
    ['cpu', '1e400', 'is larger than any quantity Kubernetes can hold (2^63 base units)'],
    ['cpu', 10, 'must be a string. Fix: write it as "10"'],
    ['memory', '1e19', 'is larger than any quantity Kubernetes can hold (2^63 base units)'],
    ['memory', '16K', 'must be a positive Kubernetes quantity'],
    ['storage', 'Infinity', 'must be a positive Kubernetes quantity'],
  ])('quota.%s %j is refused', (key, value, rule) => {
    expect(messageOf({ quota: { [key]: value } } as any)).toContain(`quota.${key}: ${JSON.stringify(value)} ${rule}`);
  });

  test('unknown quota entries and counts that are not whole numbers are refused', () => {
    expect(messageOf({ quota: { CPU: '8' } as any })).toContain(
      'quota.CPU: "8" is not a known property. Fix: use one of cpu, memory, storage, pods, loadBalancers, persistentVolumeClaims.',
    );
    expect(messageOf({ quota: { pods: '10' as any } })).toContain('quota.pods: "10" must be a number. Fix: write it as 10.');
    expect(messageOf({ quota: { pods: 1.5 } })).toMatch(/quota\.pods: 1\.5 must be (a whole number|an integer)/);
  });

  test('a large but valid quota keeps finite requests', () => {
    const hard = find(tenant({ quota: { cpu: '1e6', memory: '1Ei' } }), 'ResourceQuota', 'tenant-quota').spec.hard;
    expect(hard['limits.cpu']).toBe('1e6');
    expect(hard['requests.cpu']).toMatch(/^\d+m?$/);
    expect(hard['requests.memory']).toMatch(/^\d+(Ki|Mi|Gi|Ti|Pi|Ei)?$/);
  });
});
