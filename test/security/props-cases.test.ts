import {
  Calico,
  Cilium,
  ClickHouse,
  HttpCache,
  JuiceFs,
  K3sCluster,
  Kafka,
  KubeOvn,
  KubeVirt,
  MariaDb,
  MinioTenant,
  Platform,
  Postgres,
  SecretRef,
  SeaweedFs,
  TcpBalancer,
  Tenant,
} from 'kubestrata';
import { ReadinessGate } from '../../lib/pulumi';
import { AwsNetwork, BackupBucket } from '../../lib/pulumi/provision';
import { newPlatform, problemsOf } from '../helpers';

const untyped = (props: unknown) => props as any;
const volume = SecretRef.fromConfig('juicefs', ['name', 'metaurl', 'storage', 'bucket', 'access-key', 'secret-key']);
const minioCredentials = SecretRef.existing('minio-root', ['config.env']);

function inTenant(make: (tenant: Tenant) => unknown): string {
  return problemsOf(() => make(new Tenant(newPlatform(), 'acme'))).message;
}

function onPlatform(make: (platform: Platform) => unknown): string {
  return problemsOf(() => make(newPlatform())).message;
}

describe('booleans given as strings are refused, never read as true', () => {
  test('a managed service with external: "false"', () => {
    expect(inTenant((t) => new Postgres(t, 'db', untyped({ external: 'false' })))).toBe(
      '[platform/acme/db] 1 problem:\n  - external: "false" must be true or false. Fix: write it as false.',
    );
  });

  test('SeaweedFs s3.allowAnonymous: "false"', () => {
    expect(onPlatform((p) => new SeaweedFs(p, untyped({ s3: { allowAnonymous: 'false' } })))).toContain(
      '  - s3.allowAnonymous: "false" must be true or false. Fix: write it as false.',
    );
  });

  test('JuiceFs dashboard: "false"', () => {
    expect(onPlatform((p) => new JuiceFs(p, untyped({ volume, dashboard: 'false' })))).toContain(
      '  - dashboard: "false" must be true or false. Fix: write it as false.',
    );
  });

  test('Calico natOutgoing: "false"', () => {
    expect(onPlatform((p) => new Calico(p, untyped({ natOutgoing: 'false' })))).toBe(
      '[platform/network/calico] 1 problem:\n  - natOutgoing: "false" must be true or false. Fix: write it as false.',
    );
  });

  test('Calico pool natOutgoing: "false"', () => {
    expect(onPlatform((p) => new Calico(p, untyped({ ipPools: { main: { cidr: '10.42.0.0/16', natOutgoing: 'false' } } })))).toContain(
      '  - ipPools.main.natOutgoing: "false" must be true or false. Fix: write it as false.',
    );
  });

  test('MinioTenant requestAutoCert: 0', () => {
    expect(onPlatform((p) => new MinioTenant(p, 'objects', untyped({ credentials: minioCredentials, requestAutoCert: 0 })))).toContain(
      '  - requestAutoCert: 0 must be true or false.',
    );
  });
});

describe('a string where a list belongs is refused, never a TypeError', () => {
  test.each([
    ['Kafka topics', (t: Tenant) => new Kafka(t, 'events', untyped({ topics: 'orders' })), 'topics: "orders"'],
    ['MariaDB grants', (t: Tenant) => new MariaDb(t, 'shop', untyped({ grants: 'ALL' })), 'grants: "ALL"'],
    ['TcpBalancer endpoints', (t: Tenant) => new TcpBalancer(t, 'lb', untyped({ endpoints: '10.0.0.1' })), 'endpoints: "10.0.0.1"'],
    ['HttpCache endpoints', (t: Tenant) => new HttpCache(t, 'cache', untyped({ endpoints: 'origin:80' })), 'endpoints: "origin:80"'],
  ])('%s', (_, make, shown) => {
    expect(inTenant(make)).toContain(`  - ${shown} must be a list. Fix: write it as a list: [`);
  });

  test.each([
    ['Cilium devices', (p: Platform) => new Cilium(p, untyped({ devices: 'eth0' })), 'devices: "eth0"'],
    ['KubeOvn masterNodes', (p: Platform) => new KubeOvn(p, untyped({ masterNodes: '10.0.0.1' })), 'masterNodes: "10.0.0.1"'],
    [
      'MinioTenant users',
      (p: Platform) => new MinioTenant(p, 'objects', untyped({ credentials: minioCredentials, users: 'admin' })),
      'users: "admin"',
    ],
  ])('%s', (_, make, shown) => {
    expect(onPlatform(make)).toContain(`  - ${shown} must be a list. Fix: write it as a list: [`);
  });

  test('KubeVirt chart: null', () => {
    expect(onPlatform((p) => new KubeVirt(p, untyped({ chart: null })))).toBe(
      '[platform/virtualization/kubevirt] 1 problem:\n  - chart: null must be an object.',
    );
  });

  test('K3sCluster token given as a plain string', () => {
    expect(onPlatform((p) => new K3sCluster(p, 'c', untyped({ token: 'x' })))).toBe(
      '[platform/c] 1 problem:\n  - token: "x" must be a SecretRef.',
    );
  });
});

describe('absurd sizes are refused before anything allocates', () => {
  test.each([
    ['replicas', 1e9],
    ['shards', 1e9],
    ['replicas', 2 ** 53 + 1],
    ['shards', 2 ** 53 + 1],
  ])('ClickHouse %s: %d', (property, value) => {
    expect(inTenant((t) => new ClickHouse(t, 'c', { [property]: value }))).toBe(
      `[platform/acme/c] 1 problem:\n  - ${property}: ${value} must be at most 100.`,
    );
  });

  test.each([1e9, 2 ** 53 + 1])('HttpCache nginx.replicas: %d', (value) => {
    expect(inTenant((t) => new HttpCache(t, 'cache', { endpoints: ['origin:80'], nginx: { replicas: value } }))).toBe(
      `[platform/acme/cache] 1 problem:\n  - nginx.replicas: ${value} must be at most 100.`,
    );
  });
});

describe('every problem of the props at once, in plain words', () => {
  test('unknown properties, wrong kinds, missing fields and closed sets, with dotted paths', () => {
    const message = inTenant(
      (t) =>
        new Postgres(
          t,
          'db',
          untyped({
            replicaz: 3,
            storage: { size: 10 },
            users: { app: { inRoles: ['pg_monitor', 7] } },
            antiAffinity: 'sometimes',
            resources: { cpu: '1' },
          }),
        ),
    );
    expect(message).toMatch(/^\[platform\/acme\/db\] 5 problems:\n/);
    expect(message).toContain('  - replicaz: 3 is not a known property. Fix: use one of replicas, version,');
    expect(message).toContain('  - storage.size: 10 must be a string. Fix: write it as "10".');
    expect(message).toContain('  - users.app.inRoles[1]: 7 must be a string. Fix: write it as "7".');
    expect(message).toContain('  - antiAffinity: "sometimes" must be one of "preferred", "required".');
    expect(message).toContain('  - resources.memory: (not set) is required.');
  });

  test('props that are not an object', () => {
    expect(inTenant((t) => new Postgres(t, 'db', untyped('big')))).toBe(
      '[platform/acme/db] 1 problem:\n  - props: "big" must be an object.',
    );
  });

  test('a value that fits no alternative of a union names the alternatives', () => {
    expect(inTenant((t) => new Postgres(t, 'db', untyped({ pooler: 'yes' })))).toContain(
      '  - pooler: "yes" must be an object or true or false.',
    );
  });

  test('properties set to undefined count as absent, and class instances pass', () => {
    const platform = newPlatform();
    expect(() => new JuiceFs(platform, { volume, replicas: undefined, chart: undefined })).not.toThrow();
  });

  test('free-form maps take any key', () => {
    expect(
      () =>
        new Postgres(new Tenant(newPlatform(), 'acme'), 'db', {
          parameters: { shared_buffers: '256MB', 'pg_stat_statements.max': '1000' },
        }),
    ).not.toThrow();
  });

  test('Platform props are checked too', () => {
    expect(problemsOf(() => newPlatform(untyped({ delivery: 'helm' }))).message).toMatch(
      /^\[platform\] 1 problem:\n {2}- delivery: "helm" must be one of /,
    );
  });
});

describe('Pulumi components check their plain arguments before creating any resource', () => {
  test('AwsNetwork subnets given as a string', () => {
    expect(problemsOf(() => new AwsNetwork('net', untyped({ subnets: '10.0.0.0/20' }))).message).toBe(
      '[net] 1 problem:\n  - subnets: "10.0.0.0/20" must be a list. Fix: write it as a list: ["10.0.0.0/20"].',
    );
  });

  test('BackupBucket forceDestroy given as a string', () => {
    expect(
      problemsOf(() => new BackupBucket('backups', untyped({ bucketName: 'backups', region: 'eu-central-1', forceDestroy: 'false' })))
        .message,
    ).toBe('[backups] 1 problem:\n  - forceDestroy: "false" must be true or false. Fix: write it as false.');
  });

  test('ReadinessGate waits given as one wait', () => {
    expect(
      problemsOf(
        () => new ReadinessGate('gate', untyped({ name: 'gate', waits: { group: '', resource: 'pods', name: 'x', for: 'create' } })),
      ).message,
    ).toBe('[gate] 1 problem:\n  - waits: {"group":"","resource":"pods","name":"x","for":"create"} must be a list.');
  });
});

test('a value that neither JSON nor String can print is still reported', () => {
  expect(inTenant((t) => new Postgres(t, 'db', untyped({ parameters: { work_mem: { toString: false, big: 1n } } })))).toBe(
    '[platform/acme/db] 1 problem:\n  - parameters.work_mem: [object Object] must be a string.',
  );
});

test('an own property named __proto__ is an unknown property, not a prototype', () => {
  expect(onPlatform((p) => new KubeVirt(p, JSON.parse('{"__proto__": {"chart": 1}}')))).toMatch(
    /^\[platform\/virtualization\/kubevirt\] 1 problem:\n {2}- __proto__: \{"chart":1\} is not a known property\./,
  );
});

test('props that share or contain themselves are checked without looping', () => {
  const storage: any = { size: '1Gi', storageClass: undefined };
  const cyclic: any = { external: true };
  cyclic.self = cyclic;
  expect(() => new Postgres(new Tenant(newPlatform(), 'acme'), 'db', { storage, walStorage: storage })).not.toThrow();
  expect(inTenant((t) => new Postgres(t, 'db', cyclic))).toMatch(/- self: .* is not a known property\./);
});
