import { Postgres, PostgresProps } from '../../constructs/data/postgres';
import { Tenant } from '../../constructs/platform/tenant';
import { SecretRef } from '../../lib/core/secrets';
import { find, manifests, newPlatform, problemsOf } from '../helpers';

function postgres(props: PostgresProps) {
  const platform = newPlatform();
  new Postgres(new Tenant(platform, 'acme'), 'svc', props);
  return manifests(platform);
}

const messageOf = (props: PostgresProps) => problemsOf(() => postgres(props)).message;

describe('Postgres: no way around allowSuperuserRoles', () => {
  test.each([
    ['the superuser', 'postgres', 'is a role of the operator'],
    ['the replication user', 'streaming_replica', 'is a role of the operator'],
    ['the pooler user', 'cnpg_pooler_pgbouncer', 'is a role of the operator'],
    ['the bootstrap owner', 'app', 'is the bootstrap owner, whose credentials the operator keeps in the Secret "svc-app"'],
    [
      'running programs',
      'pg_execute_server_program',
      'reads or writes server files or runs programs on the server as the operating-system user',
    ],
    ['reading files', 'pg_read_server_files', 'reads or writes server files'],
    ['writing files', 'pg_write_server_files', 'reads or writes server files'],
    ['outbound subscriptions', 'pg_create_subscription', 'is neither a user of this cluster nor a predefined role members may join'],
    ['an unknown role', 'auditors', 'is neither a user of this cluster nor a predefined role members may join'],
  ])('membership in %s is refused', (_, role, rule) => {
    const message = messageOf({ users: { web: { inRoles: [role] } } });
    expect(message).toContain('[platform/acme/svc]');
    expect(message).toContain(`users.web.inRoles: ${JSON.stringify(role)} ${rule}`);
    expect(message).toContain('Fix: ');
  });

  test.each(['postgres', 'pg_execute_server_program'])('the owner "app" joining %s is refused like superuser: true', (role) => {
    expect(messageOf({ users: { app: { superuser: true } } })).toContain('users.app.superuser: true makes a superuser role');
    expect(messageOf({ users: { app: { inRoles: [role] } } })).toContain(
      `[platform/acme/svc] 1 problem:\n  - users.app.inRoles: ${JSON.stringify(role)} `,
    );
  });

  test('membership in a superuser user is superuser power: refused without the opt-in, allowed with it', () => {
    expect(messageOf({ users: { dba: { superuser: true }, web: { inRoles: ['dba'] } } })).toContain(
      'users.web.inRoles: "dba" is a superuser role; its members become superusers with SET ROLE. Fix: if it is really needed, set allowSuperuserRoles: true.',
    );
    const all = postgres({
      allowSuperuserRoles: true,
      users: { dba: { superuser: true }, web: { inRoles: ['dba', 'pg_read_server_files'] } },
    });
    const roles = find(all, 'Cluster').spec.managed.roles;
    expect(roles.find((r: any) => r.name === 'web').inRoles).toEqual(['dba', 'pg_read_server_files']);
  });

  test('the operator roles stay refused even with the opt-in', () => {
    expect(messageOf({ allowSuperuserRoles: true, users: { web: { inRoles: ['postgres'] } } })).toContain(
      'users.web.inRoles: "postgres" is a role of the operator',
    );
  });

  test('predefined roles members may join, other users, and the version a role appeared in', () => {
    const all = postgres({ users: { reader: {}, web: { inRoles: ['reader', 'pg_read_all_data', 'pg_signal_backend', 'pg_maintain'] } } });
    expect(find(all, 'Cluster').spec.managed.roles.find((r: any) => r.name === 'web').inRoles).toEqual([
      'reader',
      'pg_read_all_data',
      'pg_signal_backend',
      'pg_maintain',
    ]);
    expect(messageOf({ version: '16', users: { web: { inRoles: ['pg_maintain'] } } })).toContain(
      'users.web.inRoles: "pg_maintain" is a predefined role only since PostgreSQL 17; version 16 does not have it. Fix: use version "17" or later.',
    );
  });

  test('superuserAccess puts the superuser password in the tenant and needs the opt-in', () => {
    expect(messageOf({ superuserAccess: true })).toContain(
      'superuserAccess: true puts the password of the "postgres" superuser in the Secret "svc-superuser", which gives whoever reads it every permission and the server files. Fix: leave superuserAccess off',
    );
    expect(find(postgres({ superuserAccess: true, allowSuperuserRoles: true }), 'Cluster').spec.enableSuperuserAccess).toBe(true);
  });
});

describe('Postgres: extensions the operator creates as the superuser', () => {
  test.each(['adminpack', 'plpython3u', 'plperlu', 'file_fdw', 'dblink', 'postgres_fdw', 'pg_cron'])(
    '%s needs unsafeExtensions',
    (extension) => {
      const message = messageOf({ databases: { shop: { extensions: [extension] } } });
      expect(message).toContain(
        `databases.shop.extensions: ${JSON.stringify(extension)} is not a trusted extension: the operator creates it as the superuser`,
      );
      expect(message).toContain('list it in unsafeExtensions');
    },
  );

  test('trusted extensions need nothing; unsafeExtensions admits the ones it lists and nothing else', () => {
    const database = (all: any[], name: string) => find(all, 'Database', name).spec.extensions.map((e: any) => e.name);
    expect(database(postgres({ databases: { shop: { extensions: ['pgcrypto', 'uuid-ossp', 'vector', 'pg_trgm'] } } }), 'svc-shop')).toEqual(
      ['pgcrypto', 'uuid-ossp', 'vector', 'pg_trgm'],
    );
    expect(
      database(postgres({ unsafeExtensions: ['postgres_fdw'], databases: { shop: { extensions: ['postgres_fdw'] } } }), 'svc-shop'),
    ).toEqual(['postgres_fdw']);
    expect(messageOf({ unsafeExtensions: ['postgres_fdw'], databases: { shop: { extensions: ['dblink'] } } })).toContain(
      'databases.shop.extensions: "dblink" is not a trusted extension',
    );
    expect(messageOf({ unsafeExtensions: ['Bad Name'] })).toContain('unsafeExtensions: "Bad Name" must be an extension name');
  });

  test('parameters that load libraries or run commands stay refused', () => {
    for (const key of [
      'shared_preload_libraries',
      'session_preload_libraries',
      'local_preload_libraries',
      'archive_command',
      'ssl_ciphers',
      'dynamic_library_path',
    ]) {
      expect(messageOf({ parameters: { [key]: 'x' } })).toContain(
        `parameters.${key}: "x" is set by the operator, or loads code or runs commands`,
      );
    }
  });
});

describe('Postgres: names that make valid object names', () => {
  test('a database ending in "_" would name the Database "svc-app-"', () => {
    expect(messageOf({ databases: { app_: {} } })).toContain(
      'databases.app_: "app_" would name the Database "svc-app-", which is not a DNS-1123 subdomain',
    );
  });

  test('a user ending in "_" would name its password Secret "svc.web-"; a given password avoids it', () => {
    expect(messageOf({ users: { web_: {} } })).toContain(
      'users.web_: "web_" would name the password Secret "svc.web-", which is not a DNS-1123 subdomain',
    );
    const password = SecretRef.existing('web-password', ['username', 'password']);
    expect(find(postgres({ users: { web_: { password } } }), 'Cluster').spec.managed.roles[0].passwordSecret).toEqual({
      name: 'web-password',
    });
  });
});

describe("Postgres: settings that reach the operator's superuser sessions", () => {
  test.each(['search_path', 'lo_compat_privileges'])('%s is refused in parameters', (key) => {
    expect(messageOf({ parameters: { [key]: 'public, pg_catalog' } })).toContain(
      `parameters.${key}: "public, pg_catalog" would apply to every session, the operator's superuser sessions included, and weaken their permission checks or let a schema owner shadow built-in functions. Fix: set it per role or per database with ALTER ROLE … SET or ALTER DATABASE … SET.`,
    );
  });
});
