import { Construct } from 'constructs';
import { Postgres } from '../../../constructs/data/postgres';
import { Redis } from '../../../constructs/data/redis';
import { PrometheusOperatorCrds } from '../../../constructs/platform/prometheus-operator-crds';
import { Tenant } from '../../../constructs/platform/tenant';
import { SchemaRegistry } from '../../../lib/validate';
import { find, manifests, newPlatform, problemsOf, SCHEMAS_DIR } from '../../helpers';

describe('Postgres on the shared ManagedService base', () => {
  test('monitoring: a metrics Service on the instances only and a ServiceMonitor after the CRDs', () => {
    const platform = newPlatform();
    const pg = new Postgres(new Tenant(platform, 'acme'), 'orders', { monitoring: true });
    const all = manifests(platform);
    expect(all.flatMap((m) => SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: '1.32.0' }).validate(m))).toEqual([]);
    expect(find(all, 'Service', 'orders-metrics').spec).toEqual({
      selector: { 'cnpg.io/cluster': 'orders', 'cnpg.io/podRole': 'instance' },
      ports: [{ name: 'metrics', port: 9187, targetPort: 9187, protocol: 'TCP' }],
    });
    expect(find(all, 'ServiceMonitor', 'orders').spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'postgres',
      'app.kubernetes.io/instance': 'orders',
      'app.kubernetes.io/component': 'metrics',
    });
    expect(platform.registry.requirementsOf(pg)).toContain(platform.registry.find(PrometheusOperatorCrds));
  });

  test('no metrics objects by default', () => {
    const platform = newPlatform();
    const pg = new Postgres(new Tenant(platform, 'acme'), 'orders');
    expect(pg.monitoring).toBe(false);
    expect(manifests(platform).filter((m) => m.kind === 'ServiceMonitor' || m.metadata.name === 'orders-metrics')).toEqual([]);
  });

  test('a Postgres and another managed service of a tenant cannot share an id', () => {
    const platform = newPlatform();
    const tenant = new Tenant(platform, 'acme');
    new Postgres(tenant, 'orders');
    const error = problemsOf(() => new Redis(new Construct(tenant, 'cache'), 'orders'));
    expect(error.message).toContain(
      'id: "orders" is already the Cluster name of the Postgres at platform/acme/orders in namespace tenant-acme. Fix: give each managed service of a tenant its own id.',
    );
  });
});
