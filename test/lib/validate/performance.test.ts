import * as path from 'node:path';
import { SchemaRegistry } from '../../../lib/validate';

const SCHEMAS = process.env.KUBESTRATA_SCHEMAS ?? path.resolve(__dirname, '../../../../shared');

/** Ten kinds from every schema source, each object distinct so nothing can be cached per object. */
function objectOf(kindIndex: number, n: number): object {
  const metadata = { name: `obj-${n}`, namespace: 'tenant-acme', labels: { n: String(n) } };
  switch (kindIndex) {
    case 0:
      return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { key: `value-${n}` } };
    case 1:
      return { apiVersion: 'v1', kind: 'Service', metadata, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } };
    case 2:
      return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata,
        spec: {
          replicas: n % 5,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } } }] },
          },
        },
      };
    case 3:
      return {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata,
        spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
      };
    case 4:
      return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}` } };
    case 5:
      return { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata, spec: { instances: 1 + (n % 3), storage: { size: '1Gi' } } };
    case 6:
      return {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata,
        spec: { interval: '5m', chart: { spec: { chart: 'x', sourceRef: { kind: 'HelmRepository', name: 'r' } } }, values: { n } },
      };
    case 7:
      return { apiVersion: 'helm.cattle.io/v1', kind: 'HelmChart', metadata, spec: { chart: 'x', set: { n } } };
    case 8:
      return {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata,
        spec: { runStrategy: 'Halted', template: { spec: { domain: { devices: {}, memory: { guest: '1Gi' } } } } },
      };
    default:
      return {
        apiVersion: 'cdi.kubevirt.io/v1beta1',
        kind: 'DataVolume',
        metadata,
        spec: { source: { blank: {} }, storage: { resources: { requests: { storage: `${1 + (n % 9)}Gi` } } } },
      };
  }
}

test('validating 10,000 objects of 10 kinds takes well under 2 s once each kind is compiled', () => {
  const registry = SchemaRegistry.load(SCHEMAS, { kubernetesVersion: '1.32.0' });
  const objects = Array.from({ length: 10_000 }, (_, n) => objectOf(n % 10, n));
  for (let kind = 0; kind < 10; kind++) {
    expect(registry.validate(objectOf(kind, 10_000 + kind))).toEqual([]);
  }
  const started = process.hrtime.bigint();
  const issues = objects.flatMap((object) => registry.validate(object));
  const milliseconds = Number(process.hrtime.bigint() - started) / 1e6;
  expect(issues).toEqual([]);
  expect(milliseconds).toBeLessThan(2000);
});
