import { Problems } from '../../lib/core/errors';
import { parseQuantity, Quantity } from '../../lib/core/quantity';

const MI = 2 ** 20;
const CONFIG_KEY = /^[a-z][a-z0-9_-]*$/;
/** Settings the operator owns, or that would break replication, TLS, the data directory or the probes. */
const RESERVED = new Set([
  'port', 'bind-address', 'bind_address', 'socket', 'datadir', 'skip-networking', 'skip_networking', 'server-id', 'server_id',
  'log-bin', 'log_bin', 'log-basename', 'log_basename', 'require-secure-transport', 'require_secure_transport',
  'plugin-load-add', 'plugin_load_add', 'plugin-dir', 'plugin_dir', 'init-file', 'init_file', 'secure-file-priv', 'secure_file_priv',
]);
const RESERVED_PREFIXES = ['ssl', 'tls', 'wsrep', 'gtid', 'rpl_semi_sync', 'rpl-semi-sync', 'read_only', 'read-only', 'super_read_only'];

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
    if (!problems.check(CONFIG_KEY.test(key), property, value, 'is not a my.cnf option name (lower-case letters, digits, "_" and "-")')) continue;
    const reserved = RESERVED.has(key) || RESERVED_PREFIXES.some((prefix) => key.startsWith(prefix));
    if (!problems.check(!reserved, property, value, 'is managed by the operator or would break replication, TLS or the data directory', 'remove it')) continue;
    const ok = (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.length > 0 && !/[\r\n[\]]/.test(value));
    problems.check(ok, property, value, 'must be a number or a non-empty single-line string');
  }
}
