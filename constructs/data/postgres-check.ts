import { Problems } from '../../lib/core/errors';
import { isDnsLabel, isDnsSubdomain } from '../../lib/core/names';
import { checkQuantity, parseQuantity } from '../../lib/core/quantity';
import { ResourceRequirements } from '../../lib/core/resources';
import { SecretRef } from '../../lib/core/secrets';
import { versions } from '../../lib/versions';
import { BACKUP_COMPRESSIONS, checkObjectStore } from './postgres-backup';
import { POSTGRES_VERSIONS, PostgresPoolMode, PostgresProps } from './postgres-props';
import {
  OPERATOR_SECRET_SUFFIXES, POOLER_PARAMETERS, RESERVED_DATABASES, isCronSchedule, isExtensionName,
  isForbiddenParameter, isIdentifier, isParameterName, isReservedRole, isRetention, isRfc3339, parsePostgresSize,
} from './postgres-rules';
import type { Postgres } from './postgres';

const POOL_MODES: readonly PostgresPoolMode[] = ['session', 'transaction'];
const IDENTIFIER_RULE = 'must be a PostgreSQL identifier (lower-case letters, digits and "_", starting with a letter or "_", at most 63 characters)';

/** Adds every problem of a Postgres's effective settings to `problems`. */
export function checkPostgres(problems: Problems, pg: Postgres, props: PostgresProps, resources: ResourceRequirements | undefined): void {
  checkCluster(problems, pg, props);
  checkParameters(problems, pg.parameters, resources);
  checkDatabases(problems, pg);
  checkUsers(problems, pg);
  checkBackup(problems, pg, props);
  checkPooler(problems, pg);
}

/** What the shared ManagedService checks (id, replicas, version, storage, resources, exposure, spreading) is not repeated here. */
function checkCluster(problems: Problems, pg: Postgres, props: PostgresProps): void {
  if (props.image !== undefined && POSTGRES_VERSIONS.includes(pg.version)) {
    const tag = imageTag(props.image);
    problems.check(tag !== undefined && tag !== 'latest' && new RegExp(`^${pg.version}([.-]|$)`).test(tag), 'image', props.image,
      `must be tagged with a PostgreSQL ${pg.version} version (the operator reads the version from the tag)`,
      `use e.g. "${versions.postgres.image}:${(versions.postgres.majors as Record<string, string>)[pg.version]}"`);
  }
  if (pg.walStorage) {
    checkQuantity(problems, 'walStorage.size', pg.walStorage.size, '10Gi');
    if (pg.walStorage.storageClass !== undefined) problems.check(isDnsSubdomain(pg.walStorage.storageClass), 'walStorage.storageClass', pg.walStorage.storageClass, 'must be a StorageClass name');
  }
}

/** The items of a list prop; anything else is a problem and yields no items. */
function list(problems: Problems, property: string, value: unknown): readonly unknown[] {
  return problems.check(Array.isArray(value), property, value, 'must be a list') ? value as unknown[] : [];
}

function imageTag(image: unknown): string | undefined {
  if (typeof image !== 'string') return undefined;
  const name = image.split('@')[0];
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
}

function checkParameters(problems: Problems, parameters: Readonly<Record<string, string>>, resources: ResourceRequirements | undefined): void {
  for (const [key, value] of Object.entries(parameters)) {
    const property = `parameters.${key}`;
    if (!isParameterName(key)) {
      problems.add(property, value, 'is not a postgresql.conf parameter name (lower-case letters, digits and "_", optionally "<extension>.<name>")');
      continue;
    }
    if (isForbiddenParameter(key)) {
      problems.add(property, value, 'is set by the operator, or loads code or runs commands, and cannot be changed', 'remove it; CloudNativePG manages it');
      continue;
    }
    if (!problems.check(typeof value === 'string', property, value, 'must be a string', `write it as ${JSON.stringify(String(value))}`)) continue;
    if (key === 'shared_buffers') checkSharedBuffers(problems, property, value, resources);
  }
}

function checkSharedBuffers(problems: Problems, property: string, value: string, resources: ResourceRequirements | undefined): void {
  const bytes = parsePostgresSize(value);
  if (!problems.check(bytes !== undefined, property, value, 'must be a PostgreSQL size (a number with kB, MB, GB or TB)', 'write it like "128MB"')) return;
  const request = resources && parseQuantity(resources.requests.memory);
  if (request !== undefined) {
    problems.check(bytes! <= request, property, value, `must not exceed the memory request of each instance (${resources!.requests.memory}); the operator rejects such a cluster`,
      'lower shared_buffers or give the instances more memory in resources');
  }
}

function checkDatabases(problems: Problems, pg: Postgres): void {
  problems.check(isIdentifier(pg.database) && !RESERVED_DATABASES.includes(pg.database), 'database', pg.database,
    `${IDENTIFIER_RULE} and not one of ${RESERVED_DATABASES.join(', ')}`);
  problems.check(isIdentifier(pg.owner) && !isReservedRole(pg.owner), 'owner', pg.owner, `${IDENTIFIER_RULE} and not a reserved role (postgres, streaming_replica, pg_*, cnpg_*)`);
  const roles = [pg.owner, ...Object.keys(pg.users)];
  for (const [name, db] of Object.entries(pg.databases)) {
    const property = `databases.${name}`;
    problems.check(isIdentifier(name) && !RESERVED_DATABASES.includes(name), property, name, `is not a valid database name: it ${IDENTIFIER_RULE} and is not one of ${RESERVED_DATABASES.join(', ')}`);
    problems.check(roles.includes(db.owner), `${property}.owner`, db.owner, `is not a role of this cluster (one of ${roles.map((r) => JSON.stringify(r)).join(', ')})`,
      `add it to users or use ${JSON.stringify(pg.owner)}`);
    for (const extension of list(problems, `${property}.extensions`, db.extensions)) {
      problems.check(isExtensionName(extension), `${property}.extensions`, extension, 'must be an extension name (lower-case letters, digits, "_" and "-")');
    }
    for (const schema of list(problems, `${property}.schemas`, db.schemas)) {
      problems.check(isIdentifier(schema) && !schema.startsWith('pg_'), `${property}.schemas`, schema, `${IDENTIFIER_RULE} and not start with "pg_"`);
    }
  }
}

function checkUsers(problems: Problems, pg: Postgres): void {
  for (const [name, user] of Object.entries(pg.users)) {
    const property = `users.${name}`;
    if (!problems.check(isIdentifier(name), property, name, `is not a valid role name: it ${IDENTIFIER_RULE}`)) continue;
    problems.check(!isReservedRole(name), property, name, 'is reserved by PostgreSQL or the operator (postgres, streaming_replica, pg_*, cnpg_*)', 'choose another name');
    if (user.superuser === true) {
      problems.check(pg.allowSuperuserRoles, `${property}.superuser`, true, 'makes a superuser role, which can bypass every permission and read the server files',
        'prefer inRoles such as "pg_read_all_data"; if a superuser is really needed, set allowSuperuserRoles: true');
    }
    if (user.connectionLimit !== undefined) {
      problems.check(Number.isInteger(user.connectionLimit) && user.connectionLimit >= -1, `${property}.connectionLimit`, user.connectionLimit, 'must be a whole number ≥ 0, or -1 for no limit');
    }
    for (const role of list(problems, `${property}.inRoles`, user.inRoles ?? [])) {
      problems.check(isIdentifier(role) && role !== name, `${property}.inRoles`, role, `${IDENTIFIER_RULE} and not the role itself`);
    }
    if (name === pg.owner) {
      problems.check(user.password === undefined, `${property}.password`, user.password?.name,
        `cannot be set: "${name}" is the bootstrap owner, whose password the operator keeps in the Secret "${pg.secretName}"`, 'remove password');
      continue;
    }
    const password = pg.passwordSecrets[name];
    if (user.password !== undefined) {
      if (SecretRef.prototype.check.call(password, problems, `${property}.password`, ['username', 'password'])) {
        const username = password.fixed.username;
        problems.check(username === undefined || username === name, `${property}.password`, username, `holds the username ${JSON.stringify(username)}; the operator requires the role name ${JSON.stringify(name)}`);
      }
    } else {
      const suffix = name.replace(/_/g, '-');
      problems.check(!OPERATOR_SECRET_SUFFIXES.includes(suffix), property, name, `would get the password Secret "${password.name}", a name the operator uses for its own Secret`,
        'choose another name or pass password: SecretRef.existing(…)');
    }
  }
}

function checkBackup(problems: Problems, pg: Postgres, props: PostgresProps): void {
  const { backup, restore } = pg;
  if (backup) {
    checkObjectStore(problems, 'backup', backup);
    problems.check(isCronSchedule(backup.schedule), 'backup.schedule', backup.schedule,
      'must be a six-field cron expression (seconds minutes hours day-of-month month day-of-week) or a descriptor such as "@daily"', 'write it like "0 0 2 * * *" (02:00 every day)');
    problems.check(isRetention(backup.retention), 'backup.retention', backup.retention, 'must be a whole number followed by d, w or m (days, weeks, months)', 'write it like "30d"');
    problems.check(BACKUP_COMPRESSIONS.includes(backup.compression), 'backup.compression', backup.compression, `must be one of ${BACKUP_COMPRESSIONS.map((c) => JSON.stringify(c)).join(', ')}`);
  }
  if (!restore) return;
  problems.check(props.initdb === undefined, 'initdb', props.initdb, 'cannot be combined with restore: a restored cluster keeps the initdb settings of its backup', 'remove initdb or restore');
  if (!problems.check(props.restore?.from !== undefined, 'restore.from', undefined, 'is required: the archive to restore from')) return;
  checkObjectStore(problems, 'restore.from', restore);
  problems.check(isDnsLabel(restore.serverName), 'restore.from.serverName', restore.serverName, 'must be the name of the cluster that wrote the archive (a DNS-1123 label)');
  if (restore.targetTime !== undefined) {
    problems.check(isRfc3339(restore.targetTime), 'restore.targetTime', restore.targetTime, 'must be an RFC 3339 timestamp with a time zone offset', 'write it like "2026-05-01T10:00:00Z"');
  }
  const samePath = (a: string, b: string) => typeof a === 'string' && typeof b === 'string' && a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
  if (backup && samePath(backup.destinationPath, restore.destinationPath) && backup.endpointUrl === restore.endpointUrl && restore.serverName === pg.clusterName) {
    problems.add('backup.destinationPath', backup.destinationPath,
      `is the archive being restored, and the new cluster would write to it under the same server name ${JSON.stringify(pg.clusterName)}`,
      'back up to another destinationPath, or give the new cluster another id');
  }
}

function checkPooler(problems: Problems, pg: Postgres): void {
  const pooler = pg.pooler;
  if (!pooler) return;
  problems.check(Number.isInteger(pooler.instances) && pooler.instances >= 1, 'pooler.instances', pooler.instances, 'must be a whole number ≥ 1');
  problems.check(POOL_MODES.includes(pooler.mode), 'pooler.mode', pooler.mode, `must be one of ${POOL_MODES.map((m) => JSON.stringify(m)).join(', ')}`);
  for (const [key, value] of Object.entries(pooler.parameters)) {
    problems.check(POOLER_PARAMETERS.includes(key), `pooler.parameters.${key}`, value, 'is not a PgBouncer setting the operator lets users set',
      `use one of ${POOLER_PARAMETERS.join(', ')}`);
    problems.check(typeof value === 'string', `pooler.parameters.${key}`, value, 'must be a string', `write it as ${JSON.stringify(String(value))}`);
  }
}
