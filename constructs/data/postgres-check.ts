import { Problems } from '../../lib/core/errors';
import { checkDerivedName, isDnsLabel, isDnsSubdomain } from '../../lib/core/names';
import { checkQuantity, parseQuantity } from '../../lib/core/quantity';
import { ResourceRequirements } from '../../lib/core/resources';
import { SecretRef } from '../../lib/core/secrets';
import { versions } from '../../lib/versions';
import { BACKUP_COMPRESSIONS, checkObjectStore } from './postgres-backup';
import { POSTGRES_VERSIONS, PostgresPoolMode, PostgresProps } from './postgres-props';
import {
  GRANTABLE_PREDEFINED_ROLES,
  OPERATOR_ROLES,
  POOLER_PARAMETERS,
  RESERVED_DATABASES,
  SAFE_EXTENSIONS,
  SUPERUSER_EQUIVALENT_ROLES,
  isCronSchedule,
  isExtensionName,
  isForbiddenParameter,
  isIdentifier,
  isParameterName,
  isReservedRole,
  isRetention,
  isRfc3339,
  parsePostgresSize,
  weakensPermissions,
} from './postgres-rules';
import type { Postgres } from './postgres';

const POOL_MODES: readonly PostgresPoolMode[] = ['session', 'transaction'];
const IDENTIFIER_RULE =
  'must be a PostgreSQL identifier (lower-case letters, digits and "_", starting with a letter or "_", at most 63 characters)';

/** Adds every problem of a Postgres's effective settings to `problems`. */
export function checkPostgres(problems: Problems, pg: Postgres, props: PostgresProps, resources: ResourceRequirements | undefined): void {
  checkCluster(problems, pg, props);
  checkParameters(problems, pg.parameters, resources);
  checkDatabases(problems, pg, props);
  checkUsers(problems, pg);
  checkBackup(problems, pg, props);
  checkPooler(problems, pg);
}

/** What the shared ManagedService checks (id, replicas, version, storage, resources, exposure, spreading) is not repeated here. */
function checkCluster(problems: Problems, pg: Postgres, props: PostgresProps): void {
  if (pg.superuserAccess === true) {
    problems.check(
      pg.allowSuperuserRoles,
      'superuserAccess',
      true,
      `puts the password of the "postgres" superuser in the Secret "${pg.clusterName}-superuser", which gives whoever reads it every permission and the server files`,
      'leave superuserAccess off; if superuser access is really needed, set allowSuperuserRoles: true as well',
    );
  }
  if (props.image !== undefined && POSTGRES_VERSIONS.includes(pg.version)) {
    const tag = imageTag(props.image);
    problems.check(
      tag !== undefined && tag !== 'latest' && new RegExp(`^${pg.version}([.-]|$)`).test(tag),
      'image',
      props.image,
      `must be tagged with a PostgreSQL ${pg.version} version (the operator reads the version from the tag)`,
      `use e.g. "${versions.postgres.image}:${(versions.postgres.releases as Record<string, string>)[pg.version]}"`,
    );
  }
  if (pg.walStorage) {
    checkQuantity(problems, 'walStorage.size', pg.walStorage.size, '10Gi');
    if (pg.walStorage.storageClass !== undefined)
      problems.check(
        isDnsSubdomain(pg.walStorage.storageClass),
        'walStorage.storageClass',
        pg.walStorage.storageClass,
        'must be a StorageClass name',
      );
  }
}

/** The items of a list prop; anything else is a problem and yields no items. */
function list(problems: Problems, property: string, value: unknown): readonly unknown[] {
  return problems.check(Array.isArray(value), property, value, 'must be a list') ? (value as unknown[]) : [];
}

function imageTag(image: unknown): string | undefined {
  if (typeof image !== 'string') return undefined;
  const name = image.split('@')[0];
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
}

function checkParameters(
  problems: Problems,
  parameters: Readonly<Record<string, string>>,
  resources: ResourceRequirements | undefined,
): void {
  for (const [key, value] of Object.entries(parameters)) {
    const property = `parameters.${key}`;
    if (!isParameterName(key)) {
      problems.add(
        property,
        value,
        'is not a postgresql.conf parameter name (lower-case letters, digits and "_", optionally "<extension>.<name>")',
      );
      continue;
    }
    if (isForbiddenParameter(key)) {
      problems.add(
        property,
        value,
        'is set by the operator, or loads code or runs commands, and cannot be changed',
        'remove it; CloudNativePG manages it',
      );
      continue;
    }
    if (weakensPermissions(key)) {
      problems.add(
        property,
        value,
        "would apply to every session, the operator's superuser sessions included, and weaken their permission checks or let a schema owner shadow built-in functions",
        'set it per role or per database with ALTER ROLE … SET or ALTER DATABASE … SET',
      );
      continue;
    }
    if (!problems.check(typeof value === 'string', property, value, 'must be a string', `write it as ${JSON.stringify(String(value))}`))
      continue;
    if (key === 'shared_buffers') checkSharedBuffers(problems, property, value, resources);
  }
}

function checkSharedBuffers(problems: Problems, property: string, value: string, resources: ResourceRequirements | undefined): void {
  const bytes = parsePostgresSize(value);
  if (
    !problems.check(
      bytes !== undefined,
      property,
      value,
      'must be a PostgreSQL size (a number with kB, MB, GB or TB)',
      'write it like "128MB"',
    )
  )
    return;
  const request = resources && parseQuantity(resources.requests.memory);
  if (request !== undefined) {
    problems.check(
      bytes! <= request,
      property,
      value,
      `must not exceed the memory request of each instance (${resources!.requests.memory}); the operator rejects such a cluster`,
      'lower shared_buffers or give the instances more memory in resources',
    );
  }
}

function checkDatabases(problems: Problems, pg: Postgres, props: PostgresProps): void {
  const unsafeExtensions = list(problems, 'unsafeExtensions', props.unsafeExtensions ?? []);
  for (const extension of unsafeExtensions) {
    problems.check(
      isExtensionName(extension),
      'unsafeExtensions',
      extension,
      'must be an extension name (lower-case letters, digits, "_" and "-")',
    );
  }
  problems.check(
    isIdentifier(pg.database) && !RESERVED_DATABASES.includes(pg.database),
    'database',
    pg.database,
    `${IDENTIFIER_RULE} and not one of ${RESERVED_DATABASES.join(', ')}`,
  );
  problems.check(
    isIdentifier(pg.owner) && !isReservedRole(pg.owner),
    'owner',
    pg.owner,
    `${IDENTIFIER_RULE} and not a reserved role (postgres, streaming_replica, pg_*, cnpg_*)`,
  );
  const roles = [pg.owner, ...Object.keys(pg.users)];
  for (const [name, db] of Object.entries(pg.databases)) {
    const property = `databases.${name}`;
    problems.check(
      isIdentifier(name) && !RESERVED_DATABASES.includes(name),
      property,
      name,
      `is not a valid database name: it ${IDENTIFIER_RULE} and is not one of ${RESERVED_DATABASES.join(', ')}`,
    );
    problems.check(
      roles.includes(db.owner),
      `${property}.owner`,
      db.owner,
      `is not a role of this cluster (one of ${roles.map((r) => JSON.stringify(r)).join(', ')})`,
      `add it to users or use ${JSON.stringify(pg.owner)}`,
    );
    if (isIdentifier(name)) checkDerivedName(problems, property, name, 'Database', `${pg.clusterName}-${name.replace(/_/g, '-')}`);
    for (const extension of list(problems, `${property}.extensions`, db.extensions)) {
      if (
        !problems.check(
          isExtensionName(extension),
          `${property}.extensions`,
          extension,
          'must be an extension name (lower-case letters, digits, "_" and "-")',
        )
      )
        continue;
      problems.check(
        SAFE_EXTENSIONS.includes(extension as string) || unsafeExtensions.includes(extension),
        `${property}.extensions`,
        extension,
        'is not a trusted extension: the operator creates it as the superuser, and it may run programs, read server files or open connections as the server',
        `use a trusted extension (${SAFE_EXTENSIONS.join(', ')}); if this one is really needed, list it in unsafeExtensions`,
      );
    }
    for (const schema of list(problems, `${property}.schemas`, db.schemas)) {
      problems.check(
        isIdentifier(schema) && !schema.startsWith('pg_'),
        `${property}.schemas`,
        schema,
        `${IDENTIFIER_RULE} and not start with "pg_"`,
      );
    }
  }
}

function checkUsers(problems: Problems, pg: Postgres): void {
  for (const [name, user] of Object.entries(pg.users)) {
    const property = `users.${name}`;
    if (!problems.check(isIdentifier(name), property, name, `is not a valid role name: it ${IDENTIFIER_RULE}`)) continue;
    problems.check(
      !isReservedRole(name),
      property,
      name,
      'is reserved by PostgreSQL or the operator (postgres, streaming_replica, pg_*, cnpg_*)',
      'choose another name',
    );
    if (user.superuser === true) {
      problems.check(
        pg.allowSuperuserRoles,
        `${property}.superuser`,
        true,
        'makes a superuser role, which can bypass every permission and read the server files',
        'prefer inRoles such as "pg_read_all_data"; if a superuser is really needed, set allowSuperuserRoles: true',
      );
    }
    if (user.connectionLimit !== undefined) {
      problems.check(
        Number.isInteger(user.connectionLimit) && user.connectionLimit >= -1,
        `${property}.connectionLimit`,
        user.connectionLimit,
        'must be a whole number ≥ 0, or -1 for no limit',
      );
    }
    for (const role of list(problems, `${property}.inRoles`, user.inRoles ?? [])) {
      if (problems.check(isIdentifier(role) && role !== name, `${property}.inRoles`, role, `${IDENTIFIER_RULE} and not the role itself`)) {
        checkMembership(problems, pg, `${property}.inRoles`, role as string);
      }
    }
    if (name === pg.owner) {
      problems.check(
        user.password === undefined,
        `${property}.password`,
        user.password?.name,
        `cannot be set: "${name}" is the bootstrap owner, whose password the operator keeps in the Secret "${pg.secretName}"`,
        'remove password',
      );
      continue;
    }
    const password = pg.passwordSecrets[name];
    if (user.password !== undefined) {
      if (SecretRef.prototype.check.call(password, problems, `${property}.password`, ['username', 'password'])) {
        const username = password.fixed.username;
        problems.check(
          username === undefined || username === name,
          `${property}.password`,
          username,
          `holds the username ${JSON.stringify(username)}; the operator requires the role name ${JSON.stringify(name)}`,
        );
      }
    } else {
      checkDerivedName(problems, property, name, 'password Secret', password.name);
    }
  }
}

/** Membership passes a role's privileges on, and `SET ROLE` takes on a superuser role's power: both are checked like `superuser`. */
function checkMembership(problems: Problems, pg: Postgres, property: string, role: string): void {
  const optIn = 'if it is really needed, set allowSuperuserRoles: true';
  if (OPERATOR_ROLES.includes(role)) {
    problems.add(
      property,
      role,
      "is a role of the operator (the superuser, the replication user or the pooler's authentication user); its members get its power over the whole cluster",
      'grant privileges on the database objects instead',
    );
  } else if (role === pg.owner) {
    problems.add(
      property,
      role,
      `is the bootstrap owner, whose credentials the operator keeps in the Secret "${pg.secretName}"; its members act as the owner of every object it owns`,
      'grant the privileges the role needs on the database objects instead',
    );
  } else if (SUPERUSER_EQUIVALENT_ROLES.includes(role)) {
    problems.check(
      pg.allowSuperuserRoles,
      property,
      role,
      'reads or writes server files or runs programs on the server as the operating-system user, which PostgreSQL documents as a way to superuser-level access',
      optIn,
    );
  } else if (role in pg.users) {
    problems.check(
      pg.users[role].superuser !== true || pg.allowSuperuserRoles,
      property,
      role,
      'is a superuser role; its members become superusers with SET ROLE',
      optIn,
    );
  } else if (role in GRANTABLE_PREDEFINED_ROLES) {
    const since = GRANTABLE_PREDEFINED_ROLES[role];
    problems.check(
      Number(pg.version) >= since,
      property,
      role,
      `is a predefined role only since PostgreSQL ${since}; version ${pg.version} does not have it`,
      `use version "${since}" or later`,
    );
  } else {
    problems.add(
      property,
      role,
      `is neither a user of this cluster nor a predefined role members may join (${Object.keys(GRANTABLE_PREDEFINED_ROLES).join(', ')})`,
      'declare the role in users, or use one of those predefined roles',
    );
  }
}

function checkBackup(problems: Problems, pg: Postgres, props: PostgresProps): void {
  const { backup, restore } = pg;
  if (backup) {
    checkObjectStore(problems, 'backup', backup);
    problems.check(
      isCronSchedule(backup.schedule),
      'backup.schedule',
      backup.schedule,
      'must be a six-field cron expression (seconds minutes hours day-of-month month day-of-week) or a descriptor such as "@daily"',
      'write it like "0 0 2 * * *" (02:00 every day)',
    );
    problems.check(
      isRetention(backup.retention),
      'backup.retention',
      backup.retention,
      'must be a whole number followed by d, w or m (days, weeks, months)',
      'write it like "30d"',
    );
    problems.check(
      BACKUP_COMPRESSIONS.includes(backup.compression),
      'backup.compression',
      backup.compression,
      `must be one of ${BACKUP_COMPRESSIONS.map((c) => JSON.stringify(c)).join(', ')}`,
    );
  }
  if (!restore) return;
  problems.check(
    props.initdb === undefined,
    'initdb',
    props.initdb,
    'cannot be combined with restore: a restored cluster keeps the initdb settings of its backup',
    'remove initdb or restore',
  );
  if (!problems.check(props.restore?.from !== undefined, 'restore.from', undefined, 'is required: the archive to restore from')) return;
  checkObjectStore(problems, 'restore.from', restore);
  problems.check(
    isDnsLabel(restore.serverName),
    'restore.from.serverName',
    restore.serverName,
    'must be the name of the cluster that wrote the archive (a DNS-1123 label)',
  );
  if (restore.targetTime !== undefined) {
    problems.check(
      isRfc3339(restore.targetTime),
      'restore.targetTime',
      restore.targetTime,
      'must be an RFC 3339 timestamp with a time zone offset',
      'write it like "2026-05-01T10:00:00Z"',
    );
  }
  const samePath = (a: string, b: string) =>
    typeof a === 'string' && typeof b === 'string' && a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
  if (
    backup &&
    samePath(backup.destinationPath, restore.destinationPath) &&
    backup.endpointUrl === restore.endpointUrl &&
    restore.serverName === pg.clusterName
  ) {
    problems.add(
      'backup.destinationPath',
      backup.destinationPath,
      `is the archive being restored, and the new cluster would write to it under the same server name ${JSON.stringify(pg.clusterName)}`,
      'back up to another destinationPath, or give the new cluster another id',
    );
  }
}

function checkPooler(problems: Problems, pg: Postgres): void {
  const pooler = pg.pooler;
  if (!pooler) return;
  problems.check(
    Number.isInteger(pooler.instances) && pooler.instances >= 1,
    'pooler.instances',
    pooler.instances,
    'must be a whole number ≥ 1',
  );
  problems.check(
    POOL_MODES.includes(pooler.mode),
    'pooler.mode',
    pooler.mode,
    `must be one of ${POOL_MODES.map((m) => JSON.stringify(m)).join(', ')}`,
  );
  for (const [key, value] of Object.entries(pooler.parameters)) {
    problems.check(
      POOLER_PARAMETERS.includes(key),
      `pooler.parameters.${key}`,
      value,
      'is not a PgBouncer setting the operator lets users set',
      `use one of ${POOLER_PARAMETERS.join(', ')}`,
    );
    problems.check(
      typeof value === 'string',
      `pooler.parameters.${key}`,
      value,
      'must be a string',
      `write it as ${JSON.stringify(String(value))}`,
    );
  }
}
