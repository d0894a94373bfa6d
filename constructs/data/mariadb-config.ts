import { Problems } from '../../lib/core/errors';
import { parseQuantity, Quantity } from '../../lib/core/quantity';

const MI = 2 ** 20;
const CONFIG_KEY = /^[a-z][a-z0-9_-]*$/;
/**
 * Options (in their `-` spelling, without prefixes) that kubestrata or the operator own, that would turn off
 * authentication, TLS or networking, or that let the server load code, run SQL as root, or read and write files
 * outside its data directory.
 */
const RESERVED = new Set([
  'port',
  'bind-address',
  'socket',
  'networking',
  'datadir',
  'basedir',
  'tmpdir',
  'user',
  'chroot',
  'server-id',
  'log-bin',
  'log-bin-index',
  'log-basename',
  'relay-log',
  'relay-log-index',
  'pid-file',
  'log-error',
  'general-log-file',
  'slow-query-log-file',
  'character-sets-dir',
  'lc-messages-dir',
  'innodb-data-home-dir',
  'innodb-log-group-home-dir',
  'innodb-undo-directory',
  'innodb-tmpdir',
  'aria-log-dir-path',
  'require-secure-transport',
  'grant-tables',
  'secure-auth',
  'plugin-load',
  'plugin-load-add',
  'plugin-dir',
  'plugin-maturity',
  'init-file',
  'init-connect',
  'init-slave',
  'init-rpl-role',
  'secure-file-priv',
  'secure-timestamp',
]);
const RESERVED_PREFIXES = ['ssl', 'tls', 'have-ssl', 'wsrep', 'gtid', 'rpl-semi-sync', 'read-only', 'super-read-only', 'debug'];
/** Options that are themselves prefixes of reserved ones; the server matches them exactly, not as abbreviations. */
const EXACT_OPTIONS = new Set(['general-log', 'slow-query-log']);
/** `--loose-` ignores unknown options; `--skip-`, `--disable-`, `--enable-` and `--maximum-` qualify the option after them. */
const QUALIFIER = /^(loose-)*(skip-|disable-|enable-|maximum-)?/;

/** The option a my.cnf key sets, as the server reads it: `-` for `_`, without `loose-`, `skip-`, `disable-`, `enable-`, `maximum-`. */
export function optionName(key: string): string {
  return key.replace(/_/g, '-').replace(QUALIFIER, '');
}

/**
 * Whether a key sets a reserved option, also through an abbreviation: the server accepts any unambiguous
 * prefix of an option name (`skip-grant` is `skip-grant-tables`).
 */
function isReservedOption(key: string): boolean {
  const option = optionName(key);
  if (RESERVED_PREFIXES.some((prefix) => option.startsWith(prefix))) return true;
  if (RESERVED.has(option)) return true;
  return !EXACT_OPTIONS.has(option) && [...RESERVED, ...RESERVED_PREFIXES].some((reserved) => reserved.startsWith(option));
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max);

/**
 * The `[mariadb]` group of my.cnf, sized from the server's memory limit and volume as Cozystack sizes it
 * (packages/apps/mariadb/templates/_tuning.tpl): half the memory for the buffer pool, rounded down to the 128 MiB
 * chunk that 10.6 allocates in, connections and key cache in proportion. `config` entries win.
 */
export function myCnf(memoryLimit: Quantity, volumeSize: Quantity, config: Readonly<Record<string, string | number>>): string {
  const memory = parseQuantity(memoryLimit) ?? 128 * MI;
  const volume = parseQuantity(volumeSize) ?? 10 * 2 ** 30;
  let pool = memory / 2;
  if (pool >= 128 * MI) pool = Math.floor(pool / (128 * MI)) * 128 * MI;
  pool = Math.max(pool, 8 * MI);
  const settings: Record<string, string | number> = {
    innodb_buffer_pool_size: `${Math.floor(pool / MI)}M`,
    innodb_log_file_size: `${Math.floor(clamp(Math.min(pool, volume / 20), 96 * MI, 4096 * MI) / MI)}M`,
    key_buffer_size: `${Math.floor(clamp(memory / 32, 8 * MI, 128 * MI) / MI)}M`,
    max_connections: clamp(Math.floor(memory / MI / 4), 151, 4096),
    ...config,
  };
  return ['[mariadb]', ...Object.entries(settings).map(([key, value]) => `${key}=${value}`), ''].join('\n');
}

export function checkConfig(problems: Problems, config: Readonly<Record<string, string | number>>): void {
  for (const [key, value] of Object.entries(config)) {
    const property = `config.${key}`;
    if (!problems.check(CONFIG_KEY.test(key), property, value, 'is not a my.cnf option name (lower-case letters, digits, "_" and "-")'))
      continue;
    if (
      !problems.check(
        !isReservedOption(key),
        property,
        value,
        `is managed by the operator, or turns off authentication, TLS or networking, loads code, runs SQL as root or reaches files outside the data directory (server option "${optionName(key)}")`,
        'remove it; TLS is requireTls, and the rest stays as the operator configures it',
      )
    )
      continue;
    const ok =
      (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.length > 0 && !/[\r\n[\]]/.test(value));
    problems.check(ok, property, value, 'must be a number or a non-empty single-line string');
  }
}
