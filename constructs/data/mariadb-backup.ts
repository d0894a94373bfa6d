import { Problems } from '../../lib/core/errors';
import { SecretRef } from '../../lib/core/secrets';
import { MariaDbBackup, MariaDbBackupCompression } from './mariadb-props';

export const MARIADB_BACKUP_COMPRESSIONS: readonly MariaDbBackupCompression[] = ['gzip', 'bzip2', 'none'];

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ENDPOINT = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?$/;
const PREFIX = /^[A-Za-z0-9!_.*'()\-/]+$/;
const REGION = /^[a-z0-9-]{1,64}$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const DURATION = /^(\d+(h|m|s))+$/;
const CRON_FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$|^[A-Za-z]{3}(-[A-Za-z]{3})?$/;
const CRON_MACRO = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/;

/** Backup settings with their defaults applied. */
export type MariaDbBackupSettings = Required<Omit<MariaDbBackup, 'endpointCa'>> & Pick<MariaDbBackup, 'endpointCa'>;

export function resolveBackup(backup: MariaDbBackup, defaultPrefix: string): MariaDbBackupSettings {
  return {
    ...backup,
    prefix: backup.prefix ?? defaultPrefix,
    region: backup.region ?? 'us-east-1',
    accessKeyIdKey: backup.accessKeyIdKey ?? 'ACCESS_KEY_ID',
    secretAccessKeyKey: backup.secretAccessKeyKey ?? 'ACCESS_SECRET_KEY',
    tls: backup.tls ?? true,
    endpointCaKey: backup.endpointCaKey ?? 'ca.crt',
    schedule: backup.schedule ?? '0 2 * * *',
    retention: backup.retention ?? '720h',
    compression: backup.compression ?? 'gzip',
  };
}

export function isCron(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const fields = value.trim().split(/\s+/);
  return (fields.length === 1 && CRON_MACRO.test(fields[0])) || (fields.length === 5 && fields.every((f) => CRON_FIELD.test(f)));
}

/** Checks the settings; returns the Secrets they refer to when those are valid. */
export function checkBackup(problems: Problems, backup: MariaDbBackupSettings): SecretRef[] {
  const p = problems;
  p.check(
    typeof backup.bucket === 'string' && BUCKET.test(backup.bucket),
    'backup.bucket',
    backup.bucket,
    'must be a bucket name of 3 to 63 lower-case letters, digits, "." and "-"',
  );
  p.check(
    typeof backup.endpoint === 'string' && ENDPOINT.test(backup.endpoint),
    'backup.endpoint',
    backup.endpoint,
    'must be a host name with an optional port and no scheme',
    'write it like "s3.eu-west-1.amazonaws.com" or "minio.storage.svc:9000"',
  );
  p.check(
    typeof backup.prefix === 'string' && PREFIX.test(backup.prefix) && !backup.prefix.startsWith('/'),
    'backup.prefix',
    backup.prefix,
    'must be a folder path in the bucket, without a leading "/"',
  );
  p.check(
    typeof backup.region === 'string' && REGION.test(backup.region),
    'backup.region',
    backup.region,
    'must be a region name like "us-east-1"',
  );
  p.check(typeof backup.tls === 'boolean', 'backup.tls', backup.tls, 'must be true or false');
  p.check(
    isCron(backup.schedule),
    'backup.schedule',
    backup.schedule,
    'must be a cron schedule of 5 fields (minute hour day month weekday)',
    'write it like "0 2 * * *"',
  );
  p.check(
    typeof backup.retention === 'string' && DURATION.test(backup.retention),
    'backup.retention',
    backup.retention,
    'must be a duration of hours, minutes and seconds',
    'write it like "720h" (30 days)',
  );
  p.check(
    MARIADB_BACKUP_COMPRESSIONS.includes(backup.compression),
    'backup.compression',
    backup.compression,
    `must be one of ${MARIADB_BACKUP_COMPRESSIONS.map((c) => JSON.stringify(c)).join(', ')}`,
  );
  for (const key of ['accessKeyIdKey', 'secretAccessKeyKey', 'endpointCaKey'] as const) {
    p.check(
      typeof backup[key] === 'string' && SECRET_KEY.test(backup[key]),
      `backup.${key}`,
      backup[key],
      'must be a Secret key (letters, digits, "-", "_", ".")',
    );
  }
  const refs: SecretRef[] = [];
  if (backup.credentials === undefined) {
    p.add(
      'backup.credentials',
      undefined,
      'is required: the backup Job reads the S3 access key pair from a Secret',
      `pass SecretRef.fromConfig("<name>", ["${backup.accessKeyIdKey}", "${backup.secretAccessKeyKey}"])`,
    );
  } else if (
    SecretRef.prototype.check.call(backup.credentials, p, 'backup.credentials', [backup.accessKeyIdKey, backup.secretAccessKeyKey])
  ) {
    refs.push(backup.credentials);
  }
  if (backup.endpointCa !== undefined) {
    p.check(
      backup.tls === true,
      'backup.endpointCa',
      backup.endpointCa.name,
      'only applies with backup.tls: true',
      'remove endpointCa or set tls: true',
    );
    if (SecretRef.prototype.check.call(backup.endpointCa, p, 'backup.endpointCa', [backup.endpointCaKey])) refs.push(backup.endpointCa);
  }
  return refs;
}

/** `Backup.spec.storage.s3`. */
export function s3Storage(backup: MariaDbBackupSettings): Record<string, unknown> {
  return {
    bucket: backup.bucket,
    endpoint: backup.endpoint,
    prefix: backup.prefix,
    region: backup.region,
    accessKeyIdSecretKeyRef: backup.credentials.key(backup.accessKeyIdKey),
    secretAccessKeySecretKeyRef: backup.credentials.key(backup.secretAccessKeyKey),
    tls: { enabled: backup.tls, caSecretKeyRef: backup.endpointCa?.key(backup.endpointCaKey) },
  };
}
