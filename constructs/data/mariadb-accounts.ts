import { Problems } from '../../lib/core/errors';
import { checkDerivedName } from '../../lib/core/names';
import { SecretRef } from '../../lib/core/secrets';
import { MariaDbDatabase, MariaDbGrant, MariaDbPrivilege, MariaDbUser } from './mariadb-props';

export const MARIADB_PRIVILEGES: readonly MariaDbPrivilege[] = [
  'ALL PRIVILEGES',
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'CREATE',
  'DROP',
  'INDEX',
  'ALTER',
  'REFERENCES',
  'CREATE TEMPORARY TABLES',
  'LOCK TABLES',
  'EXECUTE',
  'CREATE VIEW',
  'SHOW VIEW',
  'CREATE ROUTINE',
  'ALTER ROUTINE',
  'EVENT',
  'TRIGGER',
  'DELETE HISTORY',
];

const USER_NAME = /^[a-z][a-z0-9_]{0,31}$/;
const DATABASE_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const TABLE_NAME = /^[A-Za-z0-9_$]{1,64}$/;
const CHARSET = /^[a-z0-9_]{1,64}$/;
/** Accounts of the server itself and of the operator (replication). */
const RESERVED_USERS = new Set(['root', 'mysql', 'repl', 'public']);
const RESERVED_DATABASES = new Set(['mysql', 'information_schema', 'performance_schema', 'sys']);

/** An account with its defaults applied. */
export interface MariaDbUserSettings {
  readonly password: SecretRef;
  readonly maxUserConnections: number;
}

/** A database with its defaults applied. */
export interface MariaDbDatabaseSettings {
  readonly admin: readonly string[];
  readonly readonly: readonly string[];
  readonly characterSet: string;
  readonly collate: string;
}

/** A `Grant` to render, named after what it grants. */
export interface MariaDbGrantObject {
  readonly name: string;
  readonly spec: Required<MariaDbGrant>;
}

/** The Kubernetes-name form of a SQL name. */
export const dnsName = (name: string) => name.replace(/_/g, '-');

export function resolveUsers(id: string, users: Readonly<Record<string, MariaDbUser | undefined>>): Record<string, MariaDbUserSettings> {
  return Object.fromEntries(
    Object.entries(users).map(([name, user]) => [
      name,
      {
        password: user?.password ?? SecretRef.generatedPassword(`${id}.${dnsName(name)}`, name),
        maxUserConnections: user?.maxUserConnections ?? 0,
      },
    ]),
  );
}

export function resolveDatabases(
  databases: Readonly<Record<string, MariaDbDatabase | undefined>>,
): Record<string, MariaDbDatabaseSettings> {
  return Object.fromEntries(
    Object.entries(databases).map(([name, db]) => [
      name,
      {
        admin: db?.roles?.admin ?? [],
        readonly: db?.roles?.readonly ?? [],
        characterSet: db?.characterSet ?? 'utf8mb4',
        collate: db?.collate ?? 'utf8mb4_unicode_ci',
      },
    ]),
  );
}

/** Role grants (admin: ALL PRIVILEGES with GRANT OPTION, readonly: SELECT) followed by the explicit grants. */
export function grantObjects(
  id: string,
  databases: Readonly<Record<string, MariaDbDatabaseSettings>>,
  grants: readonly MariaDbGrant[],
): MariaDbGrantObject[] {
  const list = (users: readonly string[]) => (Array.isArray(users) ? users : []);
  const roles = Object.entries(databases)
    .flatMap(([database, db]) => [
      ...list(db.admin).map((username) => ({
        role: 'admin',
        spec: { username, database, table: '*', privileges: ['ALL PRIVILEGES'] as MariaDbPrivilege[], grantOption: true },
      })),
      ...list(db.readonly).map((username) => ({
        role: 'readonly',
        spec: { username, database, table: '*', privileges: ['SELECT'] as MariaDbPrivilege[], grantOption: false },
      })),
    ])
    .map(({ role, spec }) => ({ name: `${id}.${dnsName(spec.database)}.${dnsName(spec.username)}.${role}`, spec }));
  const explicit = grants.map((g) => {
    const table = g.table ?? '*';
    return {
      name: `${id}.${dnsName(g.database ?? '')}.${table === '*' ? 'all' : dnsName(table.toLowerCase().replace(/\$/g, '-'))}.${dnsName(g.username ?? '')}`,
      spec: { username: g.username, database: g.database, table, privileges: g.privileges, grantOption: g.grantOption ?? false },
    };
  });
  return [...roles, ...explicit];
}

export function checkAccounts(
  problems: Problems,
  serviceName: string,
  users: Readonly<Record<string, MariaDbUserSettings>>,
  databases: Readonly<Record<string, MariaDbDatabaseSettings>>,
  grants: readonly MariaDbGrant[],
  objects: readonly MariaDbGrantObject[],
): void {
  for (const [name, user] of Object.entries(users)) {
    const ok = problems.check(
      USER_NAME.test(name),
      `users.${name}`,
      name,
      'must be a user name of at most 32 characters (lower-case letters, digits and "_", starting with a letter)',
    );
    if (ok)
      problems.check(
        !RESERVED_USERS.has(name),
        `users.${name}`,
        name,
        'is an account of the server or the operator',
        'choose another name',
      );
    if (ok) checkDerivedName(problems, `users.${name}`, name, 'User', `${serviceName}-user-${dnsName(name)}`);
    problems.check(
      Number.isInteger(user.maxUserConnections) && user.maxUserConnections >= 0,
      `users.${name}.maxUserConnections`,
      user.maxUserConnections,
      'must be a whole number ≥ 0 (0: no limit of its own)',
    );
  }
  const known = (property: string, username: unknown) =>
    problems.check(
      typeof username === 'string' && username in users,
      property,
      username,
      'is not one of the users of this MariaDB',
      `declare it in users (${
        Object.keys(users)
          .map((u) => JSON.stringify(u))
          .join(', ') || 'none yet'
      })`,
    );
  for (const [name, db] of Object.entries(databases)) {
    const ok = problems.check(
      DATABASE_NAME.test(name),
      `databases.${name}`,
      name,
      'must be a database name of at most 64 characters (lower-case letters, digits and "_", starting with a letter)',
    );
    if (ok)
      problems.check(!RESERVED_DATABASES.has(name), `databases.${name}`, name, 'is a system database of the server', 'choose another name');
    if (ok) checkDerivedName(problems, `databases.${name}`, name, 'Database', `${serviceName}-${dnsName(name)}`);
    problems.check(
      CHARSET.test(db.characterSet),
      `databases.${name}.characterSet`,
      db.characterSet,
      'must be a character set name like "utf8mb4"',
    );
    problems.check(CHARSET.test(db.collate), `databases.${name}.collate`, db.collate, 'must be a collation name like "utf8mb4_unicode_ci"');
    for (const role of ['admin', 'readonly'] as const) {
      const list: readonly unknown[] = Array.isArray(db[role]) ? db[role] : [];
      problems.check(Array.isArray(db[role]), `databases.${name}.roles.${role}`, db[role], 'must be a list of user names');
      for (const user of list) known(`databases.${name}.roles.${role}`, user);
    }
  }
  grants.forEach((grant, i) => {
    const at = `grants[${i}]`;
    known(`${at}.username`, grant.username);
    problems.check(
      typeof grant.database === 'string' && DATABASE_NAME.test(grant.database) && !RESERVED_DATABASES.has(grant.database),
      `${at}.database`,
      grant.database,
      'must name one database that is not a system database (grants on every database would give server-wide power)',
    );
    if (grant.table !== undefined)
      problems.check(
        grant.table === '*' || TABLE_NAME.test(grant.table),
        `${at}.table`,
        grant.table,
        'must be "*" or a table name (letters, digits, "_" and "$")',
      );
    const privileges: readonly unknown[] = Array.isArray(grant.privileges) ? grant.privileges : [];
    problems.check(
      privileges.length > 0 && new Set(privileges).size === privileges.length,
      `${at}.privileges`,
      grant.privileges,
      'must be a non-empty list without repeats',
    );
    for (const privilege of privileges) {
      problems.check(
        MARIADB_PRIVILEGES.includes(privilege as MariaDbPrivilege),
        `${at}.privileges`,
        privilege,
        `is not a database privilege (one of ${MARIADB_PRIVILEGES.map((p) => JSON.stringify(p)).join(', ')})`,
      );
    }
  });
  const seen = new Map<string, string>();
  for (const { name, spec } of objects) {
    const what = `${spec.username} on ${spec.database}.${spec.table}`;
    const other = seen.get(name);
    problems.check(
      other === undefined,
      'grants',
      what,
      `would be the Grant "${name}" that ${other} already is (names map "_" to "-")`,
      'grant each user one set of privileges per database and table',
    );
    seen.set(name, what);
  }
}
