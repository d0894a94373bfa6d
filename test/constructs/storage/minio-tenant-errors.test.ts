import { Tenant } from '../../../constructs/platform/tenant';
import { MinioOperator } from '../../../constructs/storage/minio-operator';
import { MinioTenant, MinioTenantProps } from '../../../constructs/storage/minio-tenant';
import { SecretRef } from '../../../lib/core/secrets';
import { newPlatform } from '../../helpers';
import { problemOf } from './storage-helpers';

const root = SecretRef.fromConfig('minio-root', ['config.env']);
const user = SecretRef.fromConfig('minio-user', ['CONSOLE_ACCESS_KEY', 'CONSOLE_SECRET_KEY']);

/** Each case: id, props, and the problem line it must produce: `<property>: <value> <rule>`. */
const CASES: ReadonlyArray<[string, string, Partial<MinioTenantProps>, string]> = [
  [
    'credentials missing',
    'minio',
    {},
    'credentials: (not set) is required: the operator reads the root user and password from the key "config.env" of a Secret. Fix: pass SecretRef.fromConfig("<name>", ["config.env"]) holding export MINIO_ROOT_USER="…" and export MINIO_ROOT_PASSWORD="…" lines.',
  ],
  [
    'credentials without config.env',
    'minio',
    { credentials: SecretRef.fromConfig('minio-root', ['MINIO_ROOT_USER', 'MINIO_ROOT_PASSWORD']) },
    'credentials.keys: ["MINIO_ROOT_USER","MINIO_ROOT_PASSWORD"] must include "config.env".',
  ],
  [
    'credentials not a SecretRef',
    'minio',
    { credentials: { name: 'minio-root' } as any },
    'credentials: {"name":"minio-root"} must be a SecretRef.',
  ],
  [
    'user Secret keys',
    'minio',
    { credentials: root, users: [SecretRef.fromConfig('app', ['accessKey', 'secretKey'])] },
    'users.0.keys: ["accessKey","secretKey"] must include "CONSOLE_ACCESS_KEY", "CONSOLE_SECRET_KEY".',
  ],
  [
    'user sharing the root Secret',
    'minio',
    {
      credentials: SecretRef.fromConfig('minio-root', ['config.env', 'CONSOLE_ACCESS_KEY', 'CONSOLE_SECRET_KEY']),
      users: [SecretRef.fromConfig('minio-root', ['config.env', 'CONSOLE_ACCESS_KEY', 'CONSOLE_SECRET_KEY'])],
    },
    'users.0: "minio-root" is the credentials Secret; a user needs its own Secret.',
  ],
  [
    'id not a label',
    'Objects',
    { credentials: root },
    'id: "Objects" must be a DNS-1123 label (lower-case letters, digits and \'-\', starting and ending with a letter or digit, at most 40 characters). Fix: use "objects".',
  ],
  [
    'namespace not a label',
    'minio',
    { credentials: root, namespace: 'Object_Store' },
    'namespace: "Object_Store" must be a DNS-1123 label',
  ],
  ['pool name', 'minio', { credentials: root, pools: { Pool0: {} } }, 'pools.Pool0: "Pool0" must be a DNS-1123 label'],
  [
    'StatefulSet name too long',
    'object-store-of-the-finance-department',
    { credentials: root, pools: { 'archive-pool-two': {} } },
    'pools.archive-pool-two: "archive-pool-two" makes the StatefulSet name "object-store-of-the-finance-department-archive-pool-two" longer than 52 characters. Fix: shorten the id or the pool name.',
  ],
  [
    'no servers',
    'minio',
    { credentials: root, pools: { 'pool-0': { servers: 0 } } },
    'pools.pool-0.servers: 0 must be a whole number ≥ 1.',
  ],
  [
    'too few volumes for erasure coding',
    'minio',
    { credentials: root, pools: { 'pool-0': { servers: 3, volumesPerServer: 1 } } },
    'pools.pool-0.volumesPerServer: 1 gives 3 servers only 3 volumes; erasure coding needs at least 4 in a pool of 2 or 3 servers. Fix: use volumesPerServer: 2.',
  ],
  [
    'volume size',
    'minio',
    { credentials: root, pools: { 'pool-0': { size: '10GB' } } },
    'pools.pool-0.size: "10GB" must be a positive Kubernetes quantity. Fix: write it like "10Gi".',
  ],
  [
    'storage class',
    'minio',
    { credentials: root, pools: { 'pool-0': { storageClass: 'Fast SSD' } } },
    'pools.pool-0.storageClass: "Fast SSD" must be a StorageClass name.',
  ],
  [
    'resources',
    'minio',
    { credentials: root, pools: { 'pool-0': { resources: 'huge' as any } } },
    'pools.pool-0.resources: "huge" must be one of "t1.nano"',
  ],
  ['no pools', 'minio', { credentials: root, pools: {} }, 'pools: {} must declare at least one pool.'],
  [
    'bucket name',
    'minio',
    { credentials: root, buckets: { Backups_2026: {} } },
    'buckets.Backups_2026: "Backups_2026" is not an S3 bucket name (3 to 63 lower-case letters, digits, "." and "-", starting and ending with a letter or digit, not an IP address).',
  ],
  [
    'bucket that looks like an address',
    'minio',
    { credentials: root, buckets: { '10.0.0.1': {} } },
    'buckets.10.0.0.1: "10.0.0.1" is not an S3 bucket name',
  ],
  [
    'bucket region',
    'minio',
    { credentials: root, buckets: { backups: { region: 'EU West' } } },
    'buckets.backups.region: "EU West" must be a region name like "us-east-1".',
  ],
  [
    'image without a pinned tag',
    'minio',
    { credentials: root, image: 'quay.io/minio/minio:latest' },
    'image: "quay.io/minio/minio:latest" must be an image reference with a pinned tag or digest (not "latest"). Fix: write it like "quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z".',
  ],
];

describe('MinioTenant errors', () => {
  test.each(CASES)('%s', (_name, id, props, line) => {
    const error = problemOf(() => new MinioTenant(newPlatform(), id, props as MinioTenantProps));
    expect(error.path).toBe(`platform/storage/${id}`);
    expect(error.message).toContain(`  - ${line}`);
  });

  test('namespace inside a Tenant', () => {
    const error = problemOf(() => new MinioTenant(new Tenant(newPlatform(), 'acme'), 'store', { credentials: root, namespace: 'store' }));
    expect(error.path).toBe('platform/acme/store');
    expect(error.problems).toEqual([
      {
        property: 'namespace',
        value: 'store',
        rule: 'cannot be set inside a Tenant: the MinIO lives in the tenant namespace "tenant-acme"',
        fix: 'remove namespace',
      },
    ]);
  });

  test('two MinIO tenants in one namespace name the first', () => {
    const platform = newPlatform();
    const acme = new Tenant(platform, 'acme');
    new MinioTenant(acme, 'store', { credentials: root });
    const error = problemOf(() => new MinioTenant(acme, 'archive', { credentials: root }));
    expect(error.message).toContain(
      '  - namespace: "tenant-acme" already has the MinioTenant platform/acme/store; the operator names the S3 Service of a namespace "minio". Fix: put each MinioTenant in its own namespace.',
    );
  });

  test("backup settings for an undeclared bucket and a user that is not the tenant's", () => {
    const minio = new MinioTenant(newPlatform(), 'minio', { credentials: root, buckets: { backups: {} }, users: [user] });
    const stranger = SecretRef.fromConfig('stranger', ['CONSOLE_ACCESS_KEY', 'CONSOLE_SECRET_KEY']);
    const error = problemOf(() => minio.postgresBackup({ bucket: 'archive', user: stranger }));
    expect(error.path).toBe('platform/storage/minio/postgresBackup');
    expect(error.message).toContain('  - bucket: "archive" is not a bucket of MinioTenant minio ("backups"). Fix: declare it in buckets.');
    expect(error.message).toContain(
      '  - user: "stranger" is not one of the users of MinioTenant minio ("minio-user"). Fix: add the SecretRef to users.',
    );
  });

  test('the URL of an undeclared bucket', () => {
    const minio = new MinioTenant(newPlatform(), 'minio', { credentials: root });
    expect(problemOf(() => minio.bucketUrl('olares')).message).toContain(
      '  - bucket: "olares" is not a bucket of MinioTenant minio (none). Fix: declare it in buckets.',
    );
  });

  test('operator replicas', () => {
    const error = problemOf(() => new MinioOperator(newPlatform(), { replicas: 0 }));
    expect(error.path).toBe('platform/storage/minio-operator');
    expect(error.message).toContain('  - replicas: 0 must be a whole number ≥ 1.');
  });
});

describe('MinioTenant images', () => {
  test.each([
    ['registry.local:5000/minio/minio:RELEASE.2025-04-22T22-12-26Z', true],
    [`quay.io/minio/minio@sha256:${'a'.repeat(64)}`, true],
    ['registry.local:5000/minio/minio', false],
    ['quay.io/minio/minio', false],
    ['minio/minio:latest', false],
  ])('%s pinned: %s', (image, pinned) => {
    const create = () => new MinioTenant(newPlatform(), 'minio', { credentials: root, image });
    if (pinned) expect(create().image).toBe(image);
    else expect(problemOf(create).problems.map((p) => p.property)).toEqual(['image']);
  });
});
