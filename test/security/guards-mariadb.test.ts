import { MariaDb, MariaDbProps } from '../../constructs/data/mariadb';
import { Tenant } from '../../constructs/platform/tenant';
import { find, manifests, newPlatform, problemsOf } from '../helpers';

function mariadb(props: MariaDbProps) {
  const platform = newPlatform();
  new MariaDb(new Tenant(platform, 'acme'), 'shop', props);
  return manifests(platform);
}

const messageOf = (props: MariaDbProps) => problemsOf(() => mariadb(props)).message;
const RULE =
  'is managed by the operator, or turns off authentication, TLS or networking, loads code, runs SQL as root or reaches files outside the data directory';

describe('MariaDB: server options read as the server reads them', () => {
  test.each([
    ['skip-grant-tables', 'grant-tables'],
    ['skip_grant_tables', 'grant-tables'],
    ['loose-skip-grant-tables', 'grant-tables'],
    ['disable-grant-tables', 'grant-tables'],
    ['grant_tables', 'grant-tables'],
    ['skip-grant', 'grant'],
    ['skip-networking', 'networking'],
    ['require_secure_transport', 'require-secure-transport'],
    ['skip-ssl', 'ssl'],
    ['ssl', 'ssl'],
    ['loose-ssl-cert', 'ssl-cert'],
    ['secure_file_priv', 'secure-file-priv'],
    ['plugin_load', 'plugin-load'],
    ['loose_plugin_load_add', 'plugin-load-add'],
    ['plugin-dir', 'plugin-dir'],
    ['init_file', 'init-file'],
    ['init-connect', 'init-connect'],
    ['skip-secure-auth', 'secure-auth'],
    ['general_log_file', 'general-log-file'],
    ['bind_address', 'bind-address'],
  ])('%s is refused', (key, option) => {
    const message = messageOf({ config: { [key]: '1' } });
    expect(message).toContain('[platform/acme/shop]');
    expect(message).toContain(`config.${key}: "1" ${RULE} (server option "${option}"). Fix: remove it`);
  });

  test('tuning options pass, including ones that are prefixes of reserved ones', () => {
    const config = {
      max_connections: 500,
      general_log: 'ON',
      slow_query_log: 'ON',
      local_infile: 'OFF',
      'skip-name-resolve': 'ON',
      log_bin_trust_function_creators: 'ON',
    };
    const cnf = find(mariadb({ config }), 'MariaDB', 'shop').spec.myCnf;
    for (const key of Object.keys(config)) expect(cnf).toContain(`${key}=`);
  });

  test('grants stay on one database: no server-wide privileges, no system databases', () => {
    const users = { app: {} };
    expect(messageOf({ users, grants: [{ username: 'app', database: 'mysql', privileges: ['SELECT'] }] })).toContain(
      'grants[0].database: "mysql" must name one database that is not a system database',
    );
    expect(messageOf({ users, grants: [{ username: 'app', database: 'shop', privileges: ['SUPER' as any, 'FILE' as any] }] })).toContain(
      'grants[0].privileges[0]: "SUPER" must be one of "ALL PRIVILEGES", "SELECT"',
    );
    expect(messageOf({ users, grants: [{ username: 'app', database: '*', privileges: ['ALL PRIVILEGES'], grantOption: true }] })).toContain(
      'grants[0].database: "*" must name one database that is not a system database (grants on every database would give server-wide power)',
    );
  });
});

describe('MariaDB: names that make valid object names', () => {
  test('a user ending in "_" would name the User "shop-user-app-"', () => {
    expect(messageOf({ users: { app_: {} } })).toContain(
      'users.app_: "app_" would name the User "shop-user-app-", which is not a DNS-1123 subdomain',
    );
  });

  test('a database ending in "_" would name the Database "shop-orders-"', () => {
    expect(messageOf({ databases: { orders_: {} } })).toContain(
      'databases.orders_: "orders_" would name the Database "shop-orders-", which is not a DNS-1123 subdomain',
    );
  });
});
