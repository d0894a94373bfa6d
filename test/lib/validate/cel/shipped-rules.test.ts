import { SchemaRegistry } from '../../../../lib/validate';
import { SCHEMAS_DIR } from '../../../helpers';

const registry = SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: '1.32.0' });

const metadata = { name: 'orders', namespace: 'tenant-acme' };

const helmRelease = {
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata,
  spec: { interval: '5m', chart: { spec: { chart: 'cloudnative-pg', sourceRef: { kind: 'HelmRepository', name: 'cnpg' } } } },
};

const cnpgCluster = {
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  metadata,
  spec: { instances: 3, storage: { size: '10Gi' } },
};

const cnpgDatabase = {
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Database',
  metadata,
  spec: { name: 'orders', owner: 'orders', cluster: { name: 'orders' } },
};

const etcdCluster = {
  apiVersion: 'etcd-operator.cozystack.io/v1alpha2',
  kind: 'EtcdCluster',
  metadata,
  spec: { replicas: 3, version: '3.6.11', storage: { medium: 'Memory', size: '1Gi' } },
};

const tenantControlPlane = {
  apiVersion: 'kamaji.clastix.io/v1alpha1',
  kind: 'TenantControlPlane',
  metadata,
  spec: {
    controlPlane: { service: { serviceType: 'LoadBalancer' } },
    kubernetes: { version: 'v1.32.0', kubelet: {} },
    networkProfile: { serviceCidr: '10.96.0.0/16', podCidr: '10.244.0.0/16', dnsServiceIPs: ['10.96.0.10'] },
  },
};

const objectStore = {
  apiVersion: 'barmancloud.cnpg.io/v1',
  kind: 'ObjectStore',
  metadata,
  spec: { configuration: { destinationPath: 's3://backups/orders', s3Credentials: { inheritFromIAMRole: true } } },
};

function withSpec<T extends { spec: object }>(object: T, spec: object): T {
  return { ...object, spec: { ...object.spec, ...spec } };
}

describe('CEL rules of the shipped CRDs', () => {
  test('the fixtures are valid as given: schema and rules hold', () => {
    for (const object of [helmRelease, cnpgCluster, cnpgDatabase, etcdCluster, tenantControlPlane, objectStore]) {
      expect(registry.validate(object)).toEqual([]);
    }
  });

  test('a HelmRelease with both chart and chartRef breaks Flux rule, reported at spec with its message', () => {
    const both = withSpec(helmRelease, { chartRef: { kind: 'OCIRepository', name: 'cnpg' } });
    expect(registry.validate(both)).toEqual([
      {
        object: 'helm.toolkit.fluxcd.io/v2 HelmRelease tenant-acme/orders',
        path: '/spec',
        message: 'either chart or chartRef must be set',
      },
    ]);
  });

  test('a CNPG Cluster with imageName and imageCatalogRef breaks its mutual exclusion', () => {
    const both = withSpec(cnpgCluster, {
      imageName: 'ghcr.io/cloudnative-pg/postgresql:17.5',
      imageCatalogRef: { apiGroup: 'postgresql.cnpg.io', kind: 'ImageCatalog', name: 'postgresql', major: 17 },
    });
    expect(registry.validate(both)).toEqual([
      {
        object: 'postgresql.cnpg.io/v1 Cluster tenant-acme/orders',
        path: '/spec',
        message: 'imageName and imageCatalogRef are mutually exclusive',
      },
    ]);
  });

  test('a quantity rule: an in-memory etcd needs a size above zero', () => {
    const issues = registry.validate(withSpec(etcdCluster, { storage: { medium: 'Memory', size: '0' } }));
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
      ['/spec', 'spec.storage.size must be > 0 when spec.storage.medium=Memory (the tmpfs sizeLimit cannot be zero).'],
    ]);
  });

  test('IP and CIDR rules: DNS service IPs inside the service CIDR, source ranges valid CIDRs', () => {
    const networkProfile = {
      ...tenantControlPlane.spec.networkProfile,
      dnsServiceIPs: ['10.97.0.10'],
      loadBalancerSourceRanges: ['10.0.0.0/8', '10.0.0.0/33'],
    };
    const issues = registry.validate(withSpec(tenantControlPlane, { networkProfile }));
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
      ['/spec/networkProfile', 'all DNS service IPs must be part of the Service CIDR'],
      ['/spec/networkProfile/loadBalancerSourceRanges', 'all LoadBalancer source range entries must be valid CIDR'],
    ]);
  });

  test('a rule with fieldPath and reason is reported at the field it names, as the API server words the reason', () => {
    const issues = registry.validate(withSpec(objectStore, { configuration: { ...objectStore.spec.configuration, serverName: 'orders' } }));
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
      ['/spec/configuration/serverName', "Forbidden: use the 'serverName' plugin parameter in the Cluster resource"],
    ]);
  });

  test('a rule under items applies to each item, reported at its index', () => {
    const servers = [
      { name: 'remote', fdw: 'postgres_fdw' },
      { name: 'other', fdw: '' },
    ];
    const issues = registry.validate(withSpec(cnpgDatabase, { servers }));
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([['/spec/servers/1/fdw', 'fdw is required']]);
  });

  test('rules are not evaluated where the schema already fails: only the schema issue is reported', () => {
    const issues = registry.validate(withSpec(helmRelease, { chartRef: { kind: 'OCIRepository', name: 'cnpg' }, interval: 5 }));
    expect(issues.map((issue) => issue.path)).toEqual(['/spec/interval']);
  });

  test('transition rules (immutable name and locale) are skipped on create and counted', () => {
    const counts = { ...registry.celRuleCounts };
    expect(registry.validate(withSpec(cnpgDatabase, { locale: 'en_US.UTF-8' }))).toEqual([]);
    expect(registry.celRuleCounts.transition - counts.transition).toBe(2);
    expect(registry.celRuleCounts.evaluated - counts.evaluated).toBe(6);
  });
});
