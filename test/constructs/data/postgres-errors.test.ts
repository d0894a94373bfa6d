import { Construct } from 'constructs';
import { Postgres, PostgresProps } from '../../../constructs/data/postgres';
import { Tenant } from '../../../constructs/platform/tenant';
import { ConfigurationError } from '../../../lib/core/errors';
import { SecretRef } from '../../../lib/core/secrets';
import { newPlatform } from '../../helpers';

const s3 = SecretRef.fromConfig('s3-backup', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']);
const backup = { destinationPath: 's3://backups/orders', credentials: s3 };
const from = { destinationPath: 's3://backups/orders-old', credentials: s3, serverName: 'orders-old' };

function messageOf(create: (tenant: Tenant) => unknown): string {
  const tenant = new Tenant(newPlatform(), 'acme');
  try {
    create(tenant);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigurationError');
}

/** Each case: props, and the problem line it must produce: `<property>: <value> <rule>`. */
const CASES: ReadonlyArray<[string, PostgresProps, string]> = [
  ['replicas below one', { replicas: 0 }, 'replicas: 0 must be a whole number ≥ 1.'],
  ['unknown version', { version: '12' as any }, 'version: "12" must be one of "13", "14", "15", "16", "17", "18".'],
  [
    'image of another version',
    { image: 'ghcr.io/cloudnative-pg/postgresql:latest' },
    'image: "ghcr.io/cloudnative-pg/postgresql:latest" must be tagged with a PostgreSQL 18 version',
  ],
  [
    'storage size not a quantity',
    { storage: { size: '10GB' } },
    'storage.size: "10GB" must be a positive Kubernetes quantity. Fix: write it like "10Gi".',
  ],
  [
    'storage class not a name',
    { walStorage: { storageClass: 'Fast_SSD' } },
    'walStorage.storageClass: "Fast_SSD" must be a StorageClass name.',
  ],
  ['unknown resource preset', { resources: 'huge' as any }, 'resources: "huge" must be one of "t1.nano"'],
  [
    'a parameter the operator owns',
    { parameters: { archive_command: '/bin/sh -c "curl evil"' } },
    'parameters.archive_command: "/bin/sh -c \\"curl evil\\"" is set by the operator, or loads code or runs commands, and cannot be changed. Fix: remove it; CloudNativePG manages it.',
  ],
  [
    'a parameter that is not a name',
    { parameters: { 'Work-Mem': '4MB' } },
    'parameters.Work-Mem: "4MB" is not a postgresql.conf parameter name',
  ],
  [
    'a parameter that is not a string',
    { parameters: { max_connections: 200 as any } },
    'parameters.max_connections: 200 must be a string. Fix: write it as "200".',
  ],
  [
    'shared_buffers not a size',
    { parameters: { shared_buffers: '1GiB' } },
    'parameters.shared_buffers: "1GiB" must be a PostgreSQL size (a number with kB, MB, GB or TB). Fix: write it like "128MB".',
  ],
  [
    'shared_buffers above the memory request',
    { parameters: { shared_buffers: '512MB' } },
    'parameters.shared_buffers: "512MB" must not exceed the memory request of each instance (256Mi); the operator rejects such a cluster.',
  ],
  ['database not an identifier', { database: 'App' }, 'database: "App" must be a PostgreSQL identifier'],
  [
    'owner reserved',
    { owner: 'postgres' },
    'owner: "postgres" must be a PostgreSQL identifier (lower-case letters, digits and "_", starting with a letter or "_", at most 63 characters) and not a reserved role',
  ],
  ['reserved database name', { databases: { template1: {} } }, 'databases.template1: "template1" is not a valid database name'],
  [
    'database owner unknown',
    { databases: { sales: { owner: 'ghost' } } },
    'databases.sales.owner: "ghost" is not a role of this cluster (one of "app"). Fix: add it to users or use "app".',
  ],
  [
    'extension name',
    { databases: { sales: { extensions: ['Vector!'] } } },
    'databases.sales.extensions: "Vector!" must be an extension name',
  ],
  [
    'extensions not a list',
    { databases: { sales: { extensions: 'vector' as any } } },
    'databases.sales.extensions: "vector" must be a list.',
  ],
  [
    'schema reserved',
    { databases: { sales: { schemas: ['pg_internal'] } } },
    'databases.sales.schemas: "pg_internal" must be a PostgreSQL identifier',
  ],
  ['user not an identifier', { users: { Bob: {} } }, 'users.Bob: "Bob" is not a valid role name'],
  [
    'user reserved',
    { users: { streaming_replica: {} } },
    'users.streaming_replica: "streaming_replica" is reserved by PostgreSQL or the operator',
  ],
  [
    'superuser without opt-in',
    { users: { dba: { superuser: true } } },
    'users.dba.superuser: true makes a superuser role, which can bypass every permission and read the server files. Fix: prefer inRoles such as "pg_read_all_data"; if a superuser is really needed, set allowSuperuserRoles: true.',
  ],
  [
    'connection limit',
    { users: { web: { connectionLimit: -5 } } },
    'users.web.connectionLimit: -5 must be a whole number ≥ 0, or -1 for no limit.',
  ],
  ['member of itself', { users: { web: { inRoles: ['web'] } } }, 'users.web.inRoles: "web" must be a PostgreSQL identifier'],
  [
    'password for the bootstrap owner',
    { users: { app: { password: SecretRef.existing('app-password', ['username', 'password']) } } },
    'users.app.password: "app-password" cannot be set: "app" is the bootstrap owner, whose password the operator keeps in the Secret "orders-app". Fix: remove password.',
  ],
  [
    'password Secret without the keys',
    { users: { web: { password: SecretRef.existing('web-token', ['token']) } } },
    'users.web.password.keys: ["token"] must include "username", "password".',
  ],
  [
    'password Secret of another user',
    { users: { web: { password: SecretRef.generatedPassword('web-password', 'admin') } } },
    'users.web.password: "admin" holds the username "admin"; the operator requires the role name "web".',
  ],
  [
    'backup without credentials',
    { backup: { destinationPath: 's3://backups/orders' } as any },
    'backup.credentials: (not set) is required: the Barman Cloud plugin reads the S3 access key pair from a Secret. Fix: pass SecretRef.fromConfig("<name>", ["ACCESS_KEY_ID", "ACCESS_SECRET_KEY"]).',
  ],
  [
    'backup credentials not a SecretRef',
    { backup: { ...backup, credentials: { name: 's3' } as any } },
    'backup.credentials: {"name":"s3"} must be a SecretRef.',
  ],
  [
    'backup credentials without the keys',
    { backup: { ...backup, credentials: SecretRef.fromConfig('s3', ['KEY']) } },
    'backup.credentials.keys: ["KEY"] must include "ACCESS_KEY_ID", "ACCESS_SECRET_KEY".',
  ],
  [
    'backup key name',
    { backup: { ...backup, accessKeyIdKey: 'access key' } },
    'backup.accessKeyIdKey: "access key" must be a Secret key (letters, digits, "-", "_", ".").',
  ],
  [
    'backup CA without its key',
    { backup: { ...backup, endpointCa: SecretRef.existing('ca', ['tls.crt']) } },
    'backup.endpointCa.keys: ["tls.crt"] must include "ca.crt".',
  ],
  [
    'in-cluster store in no namespace',
    { backup: { ...backup, inCluster: { namespace: 'Minio', pods: { app: 'minio' }, port: 9000 } } },
    'backup.inCluster.namespace: "Minio" must be a namespace name.',
  ],
  [
    'in-cluster store without pod labels',
    { backup: { ...backup, inCluster: { namespace: 'minio', pods: {}, port: 9000 } } },
    'backup.inCluster.pods: {} must be the labels of the store\'s pods. Fix: write it like { "v1.min.io/tenant": "minio" }.',
  ],
  [
    'in-cluster store port out of range',
    { restore: { from: { ...from, inCluster: { namespace: 'minio', pods: { app: 'minio' }, port: 0 } } } },
    'restore.from.inCluster.port: 0 must be a TCP port (1-65535).',
  ],
  [
    'backup destination not S3',
    { backup: { ...backup, destinationPath: 'https://s3.example.com/backups' } },
    'backup.destinationPath: "https://s3.example.com/backups" must be an S3 location "s3://<bucket>/<path>" with a bucket name of 3 to 63 lower-case letters, digits, "." and "-". Fix: write it like "s3://backups/orders".',
  ],
  [
    'backup endpoint not a URL',
    { backup: { ...backup, endpointUrl: 'minio:9000' } },
    'backup.endpointUrl: "minio:9000" must be an http:// or https:// address.',
  ],
  [
    'five-field cron',
    { backup: { ...backup, schedule: '0 2 * * *' } },
    'backup.schedule: "0 2 * * *" must be a six-field cron expression (seconds minutes hours day-of-month month day-of-week) or a descriptor such as "@daily". Fix: write it like "0 0 2 * * *" (02:00 every day).',
  ],
  [
    'retention',
    { backup: { ...backup, retention: '30 days' } },
    'backup.retention: "30 days" must be a whole number followed by d, w or m (days, weeks, months). Fix: write it like "30d".',
  ],
  [
    'compression',
    { backup: { ...backup, compression: 'zstd' as any } },
    'backup.compression: "zstd" must be one of "gzip", "bzip2", "lz4", "snappy".',
  ],
  [
    'restore with initdb',
    { restore: { from }, initdb: { dataChecksums: false } },
    'initdb: {"dataChecksums":false} cannot be combined with restore: a restored cluster keeps the initdb settings of its backup. Fix: remove initdb or restore.',
  ],
  ['restore without a source', { restore: {} as any }, 'restore.from: (not set) is required: the archive to restore from.'],
  [
    'restore without credentials',
    { restore: { from: { ...from, credentials: undefined as any } } },
    'restore.from.credentials: (not set) is required',
  ],
  [
    'restore server name',
    { restore: { from: { ...from, serverName: 'Old_DB' } } },
    'restore.from.serverName: "Old_DB" must be the name of the cluster that wrote the archive (a DNS-1123 label).',
  ],
  [
    'restore target time',
    { restore: { from, targetTime: '2026-05-01 10:00' } },
    'restore.targetTime: "2026-05-01 10:00" must be an RFC 3339 timestamp with a time zone offset. Fix: write it like "2026-05-01T10:00:00Z".',
  ],
  [
    'backing up into the archive being restored',
    { restore: { from: { ...from, serverName: 'orders' } }, backup: { ...backup, destinationPath: 's3://backups/orders-old/' } },
    'backup.destinationPath: "s3://backups/orders-old/" is the archive being restored, and the new cluster would write to it under the same server name "orders". Fix: back up to another destinationPath, or give the new cluster another id.',
  ],
  ['pooler instances', { pooler: { instances: 0 } }, 'pooler.instances: 0 must be a whole number ≥ 1.'],
  ['pooler mode', { pooler: { mode: 'statement' as any } }, 'pooler.mode: "statement" must be one of "session", "transaction".'],
  [
    'pooler parameter not allowed',
    { pooler: { parameters: { listen_port: '6432' } } },
    'pooler.parameters.listen_port: "6432" is not a PgBouncer setting the operator lets users set. Fix: use one of application_name_add_host',
  ],
  [
    'pooler parameter not a string',
    { pooler: { parameters: { max_client_conn: 100 as any } } },
    'pooler.parameters.max_client_conn: 100 must be a string. Fix: write it as "100".',
  ],
  ['pooler resources', { pooler: { resources: 'big' as any } }, 'pooler.resources: "big" must be one of "t1.nano"'],
  ['anti-affinity', { antiAffinity: 'strict' as any }, 'antiAffinity: "strict" must be one of "preferred", "required".'],
  [
    'source ranges without external',
    { externalSourceRanges: ['10.0.0.0/8'] },
    'externalSourceRanges: ["10.0.0.0/8"] only applies to the LoadBalancer of external: true. Fix: set external: true or remove externalSourceRanges.',
  ],
  [
    'source range not a CIDR',
    { external: true, externalSourceRanges: ['10.0.0.0'] },
    'externalSourceRanges: "10.0.0.0" must be an IPv4 or IPv6 CIDR. Fix: write it like "203.0.113.0/24".',
  ],
];

describe('Postgres errors', () => {
  test.each(CASES)('%s', (_, props, line) => {
    const message = messageOf((tenant) => new Postgres(tenant, 'orders', props));
    expect(message).toMatch(/^\[platform\/acme\/orders\] \d+ problems?:\n/);
    expect(message).toContain(`\n  - ${line}`);
  });

  test('a cluster name that is not a DNS-1035 label of at most 50 characters', () => {
    const message = messageOf((tenant) => new Postgres(tenant, '1-Orders'));
    expect(message).toContain('[platform/acme/1-Orders] 1 problem:\n  - id: "1-Orders" must be a DNS-1035 label of at most 50 characters');
    expect(message).toContain('Fix: use "orders".');
    expect(messageOf((tenant) => new Postgres(tenant, 'o'.repeat(51)))).toContain(`id: "${'o'.repeat(51)}" must be a DNS-1035 label`);
  });

  test('two clusters of one name in one namespace', () => {
    const message = messageOf((tenant) => {
      new Postgres(tenant, 'orders');
      new Postgres(new Construct(tenant, 'team'), 'orders');
    });
    expect(message).toBe(
      '[platform/acme/team/orders] 1 problem:\n' +
        '  - id: "orders" is already the Cluster name of the Postgres at platform/acme/orders in namespace tenant-acme. Fix: give each Postgres of a tenant its own id.',
    );
  });

  test('every problem of a construct is reported at once, and nothing is added to the platform', () => {
    const platform = newPlatform();
    const tenant = new Tenant(platform, 'acme');
    expect(
      () =>
        new Postgres(tenant, 'orders', {
          replicas: 1.5,
          storage: { size: 'big' },
          backup: { ...backup, retention: '0d' },
          pooler: { instances: -1 },
        }),
    ).toThrow(
      [
        '[platform/acme/orders] 4 problems:',
        '  - replicas: 1.5 must be a whole number ≥ 1.',
        '  - storage.size: "big" must be a positive Kubernetes quantity. Fix: write it like "10Gi".',
        '  - backup.retention: "0d" must be a whole number followed by d, w or m (days, weeks, months). Fix: write it like "30d".',
        '  - pooler.instances: -1 must be a whole number ≥ 1.',
      ].join('\n'),
    );
    expect(platform.registry.all().map((c) => c.constructor.name)).toEqual(['TenantAdmission']);
    expect(platform.secrets.all()).toEqual([]);
  });

  test('null entries in maps are reported, never a TypeError', () => {
    const message = messageOf(
      (tenant) =>
        new Postgres(tenant, 'orders', { users: { web: null as any }, databases: { sales: { owner: 'nobody' }, other: null as any } }),
    );
    expect(message).toContain('  - databases.other: null must be an object.\n  - users.web: null must be an object.');
    expect(
      messageOf((tenant) => new Postgres(tenant, 'orders', { users: { web: {} }, databases: { sales: { owner: 'nobody' } } })),
    ).toContain('databases.sales.owner: "nobody" is not a role of this cluster (one of "app", "web")');
  });
});
