import * as fc from 'fast-check';
import {
  isCronSchedule,
  isForbiddenParameter,
  isIdentifier,
  isReservedRole,
  isRetention,
  isRfc3339,
  isS3Path,
  parsePostgresSize,
} from '../../../constructs/data/postgres-rules';

describe('Postgres rules', () => {
  test.each([
    '0 0 2 * * *',
    '*/30 * * * * *',
    '0 15 3 1,15 * ?',
    '0 0 0 * jan-mar mon-fri',
    '0 0 12 ? * SUN',
    '0 0 0-6/2 * * *',
    '@daily',
    '@hourly',
  ])('cron %s is accepted', (schedule) => {
    expect(isCronSchedule(schedule)).toBe(true);
  });

  test.each([
    '0 2 * * *',
    '0 0 2 * * * *',
    '60 0 2 * * *',
    '0 0 24 * * *',
    '0 0 0 0 * *',
    '0 0 0 * 13 *',
    '0 0 0 * * 7',
    '0 0 5-1 * * *',
    '*/0 * * * * *',
    '0 0 0 L * *',
    '@every 1h',
    '',
    'daily',
  ])('cron %s is rejected', (schedule) => {
    expect(isCronSchedule(schedule)).toBe(false);
  });

  test('any six in-range fields form an accepted schedule', () => {
    const field = (max: number, min = 0) =>
      fc.oneof(
        fc.constant('*'),
        fc.integer({ min, max }).map(String),
        fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
        fc.integer({ min: 1, max: 10 }).map((step) => `*/${step}`),
      );
    fc.assert(
      fc.property(fc.tuple(field(59), field(59), field(23), field(31, 1), field(12, 1), field(6)), (fields) =>
        isCronSchedule(fields.join(' ')),
      ),
    );
  });

  test('RFC 3339 timestamps need a date, a time and an offset', () => {
    expect(isRfc3339('2026-05-01T10:00:00Z')).toBe(true);
    expect(isRfc3339('2026-05-01T10:00:00.123+02:00')).toBe(true);
    expect(isRfc3339('2024-02-29T00:00:00Z')).toBe(true);
    for (const bad of [
      '2026-05-01',
      '2026-05-01T10:00:00',
      '2026-05-01 10:00',
      '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-05-01T24:00:00Z',
      '2026-05-01T10:00:00+25:00',
    ]) {
      expect(isRfc3339(bad)).toBe(false);
    }
  });

  test('PostgreSQL sizes are read as the operator reads them', () => {
    expect(parsePostgresSize('128MB')).toBe(128 * 2 ** 20);
    expect(parsePostgresSize('1 GB')).toBe(2 ** 30);
    expect(parsePostgresSize('512kB')).toBe(512 * 2 ** 10);
    expect(parsePostgresSize('256')).toBe(256 * 2 ** 20);
    expect(parsePostgresSize('1GiB')).toBeUndefined();
    expect(parsePostgresSize('1gb')).toBeUndefined();
  });

  test('parameters the operator owns or that run code', () => {
    for (const key of [
      'archive_command',
      'restore_command',
      'shared_preload_libraries',
      'listen_addresses',
      'port',
      'wal_level',
      'hot_standby',
      'ssl',
      'ssl_min_protocol_version',
      'log_destination',
      'session_preload_libraries',
      'cnpg.config_sha256',
    ]) {
      expect(isForbiddenParameter(key)).toBe(true);
    }
    for (const key of ['max_connections', 'shared_buffers', 'work_mem', 'pg_stat_statements.max', 'archive_timeout']) {
      expect(isForbiddenParameter(key)).toBe(false);
    }
  });

  test('identifiers, reserved roles, retention and S3 paths', () => {
    expect(['app', '_x', 'a'.repeat(63)].every(isIdentifier)).toBe(true);
    expect(['App', '1a', 'a-b', 'a'.repeat(64), ''].some(isIdentifier)).toBe(false);
    expect(['postgres', 'streaming_replica', 'pg_monitor', 'cnpg_pooler_pgbouncer'].every(isReservedRole)).toBe(true);
    expect(isReservedRole('app')).toBe(false);
    expect(['30d', '4w', '12m'].every(isRetention)).toBe(true);
    expect(['0d', '30', '30y', '30 d'].some(isRetention)).toBe(false);
    expect(isS3Path('s3://backups')).toBe(true);
    expect(isS3Path('s3://my.bucket-1/a/b')).toBe(true);
    expect(['s3://ab/x', 's3://Backups/x', 'gs://bucket/x'].some(isS3Path)).toBe(false);
  });
});
