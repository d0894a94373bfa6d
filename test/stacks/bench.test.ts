import { App } from 'cdk8s';
import { SchemaRegistry } from '../../lib/validate';
import { benchPlatform } from '../../stacks/bench';
import { manifests, SCHEMAS_DIR } from '../helpers';

describe('bench platform', () => {
  test('by default each tenant runs a Postgres', () => {
    const all = manifests(benchPlatform(new App({ outdir: '/nonexistent' }), 2));
    expect(all.filter((m) => m.kind === 'Cluster')).toHaveLength(2);
    expect(all.filter((m) => m.kind === 'Kafka' || m.kind === 'RedisFailover')).toEqual([]);
  });

  test('with services each tenant runs Postgres, Kafka and Redis, valid against the upstream schemas', () => {
    const all = manifests(benchPlatform(new App({ outdir: '/nonexistent' }), 2, true));
    for (const kind of ['Cluster', 'Kafka', 'RedisFailover']) {
      expect(all.filter((m) => m.kind === kind).map((m) => m.metadata.namespace)).toEqual(['tenant-t0', 'tenant-t1']);
    }
    const registry = SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: '1.32.0' });
    expect(all.flatMap((m) => registry.validate(m))).toEqual([]);
  });
});
