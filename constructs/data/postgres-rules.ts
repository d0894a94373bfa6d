const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const EXTENSION = /^[a-z_][a-z0-9_-]{0,62}$/;
const PARAMETER_NAME = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

/** An unquoted PostgreSQL identifier (role, database, schema). */
export function isIdentifier(value: unknown): value is string {
  return typeof value === 'string' && IDENTIFIER.test(value);
}

export function isExtensionName(value: unknown): value is string {
  return typeof value === 'string' && EXTENSION.test(value);
}

export function isParameterName(value: string): boolean {
  return PARAMETER_NAME.test(value);
}

/** Roles PostgreSQL or the operator reserve for themselves. */
export function isReservedRole(name: string): boolean {
  return name === 'postgres' || name === 'streaming_replica' || name.startsWith('pg_') || name.startsWith('cnpg_');
}

/**
 * Roles whose members can act as the operating-system user of the server (PostgreSQL docs, "Predefined Roles": the
 * server-file and server-program roles "could be used to gain superuser-level access"), so they need the same
 * opt-in as `superuser: true`.
 */
export const SUPERUSER_EQUIVALENT_ROLES: readonly string[] = ['pg_execute_server_program', 'pg_read_server_files', 'pg_write_server_files'];

/** Roles the operator owns: the superuser, the replication user and the pooler's authentication user. */
export const OPERATOR_ROLES: readonly string[] = ['postgres', 'streaming_replica', 'cnpg_pooler_pgbouncer'];

/**
 * Predefined roles a managed role may join, with the first major version that has each. `pg_signal_backend` stays
 * allowed: PostgreSQL never lets it signal a superuser's session, so it cannot stop anything beyond this cluster's
 * own connections. `pg_create_subscription` is left out: it lets a role make the server connect to any address.
 */
export const GRANTABLE_PREDEFINED_ROLES: Readonly<Record<string, number>> = {
  pg_read_all_data: 14,
  pg_write_all_data: 14,
  pg_monitor: 10,
  pg_read_all_settings: 10,
  pg_read_all_stats: 10,
  pg_stat_scan_tables: 10,
  pg_signal_backend: 9,
  pg_checkpoint: 15,
  pg_use_reserved_connections: 16,
  pg_maintain: 17,
};

/**
 * Extensions created without an opt-in: PostgreSQL's trusted contrib modules (`trusted = true` in their control
 * files, which a database owner may create without a superuser), the trusted procedural languages, and widely
 * deployed extensions that give no file, program or network access (pgvector, PostGIS, the statistics and
 * inspection modules whose functions stay superuser-only). Everything else runs code, reads files or opens
 * connections as the server: `adminpack`, `file_fdw`, `dblink`, `postgres_fdw`, the untrusted languages
 * (`plpython3u`, `plperlu`, `pltclu`) and unknown extensions need `unsafeExtensions`.
 */
export const SAFE_EXTENSIONS: readonly string[] = [
  'btree_gin',
  'btree_gist',
  'citext',
  'cube',
  'dict_int',
  'earthdistance',
  'fuzzystrmatch',
  'hstore',
  'hstore_plperl',
  'intarray',
  'isn',
  'jsonb_plperl',
  'lo',
  'ltree',
  'pg_trgm',
  'pgcrypto',
  'seg',
  'tablefunc',
  'tcn',
  'tsm_system_rows',
  'tsm_system_time',
  'unaccent',
  'uuid-ossp',
  'plpgsql',
  'plperl',
  'pltcl',
  'vector',
  'postgis',
  'postgis_raster',
  'postgis_topology',
  'amcheck',
  'pageinspect',
  'pg_buffercache',
  'pg_freespacemap',
  'pg_stat_statements',
  'pg_visibility',
  'pgrowlocks',
  'pgstattuple',
];

export const RESERVED_DATABASES: readonly string[] = ['postgres', 'template0', 'template1'];

/**
 * postgresql.conf keys the operator fixes or blocks (CloudNativePG `FixedConfigurationParameters`), and keys
 * that load code or run commands.
 */
const FORBIDDEN_PARAMETERS = new Set([
  'allow_alter_system',
  'allow_system_table_mods',
  'archive_cleanup_command',
  'archive_command',
  'archive_library',
  'archive_mode',
  'bonjour',
  'bonjour_name',
  'cluster_name',
  'config_file',
  'data_directory',
  'data_sync_retry',
  'dynamic_library_path',
  'event_source',
  'extension_control_path',
  'external_pid_file',
  'full_page_writes',
  'hba_file',
  'hot_standby',
  'ident_file',
  'jit_provider',
  'listen_addresses',
  'local_preload_libraries',
  'log_destination',
  'log_directory',
  'log_file_mode',
  'log_filename',
  'log_rotation_age',
  'log_rotation_size',
  'log_truncate_on_rotation',
  'logging_collector',
  'port',
  'primary_conninfo',
  'primary_slot_name',
  'promote_trigger_file',
  'recovery_end_command',
  'recovery_min_apply_delay',
  'recovery_target',
  'recovery_target_action',
  'recovery_target_inclusive',
  'recovery_target_lsn',
  'recovery_target_name',
  'recovery_target_time',
  'recovery_target_timeline',
  'recovery_target_xid',
  'restart_after_crash',
  'restore_command',
  'session_preload_libraries',
  'shared_preload_libraries',
  'stats_temp_directory',
  'synchronized_standby_slots',
  'synchronous_standby_names',
  'syslog_facility',
  'syslog_ident',
  'syslog_sequence_numbers',
  'syslog_split_messages',
  'temp_tablespaces',
  'unix_socket_directories',
  'unix_socket_group',
  'unix_socket_permissions',
  'wal_level',
  'wal_log_hints',
]);

/**
 * Settings that would weaken the server's own checks for every session, including the operator's superuser
 * sessions: a `search_path` that puts a schema before `pg_catalog` lets its owner shadow built-in functions
 * and operators the superuser calls; `lo_compat_privileges` turns off the permission checks of large objects.
 */
const PERMISSION_PARAMETERS = new Set(['search_path', 'lo_compat_privileges']);

export function weakensPermissions(name: string): boolean {
  return PERMISSION_PARAMETERS.has(name);
}

export function isForbiddenParameter(name: string): boolean {
  return FORBIDDEN_PARAMETERS.has(name) || name.startsWith('ssl') || name.startsWith('cnpg.') || name.startsWith('pg_failover_slots.');
}

/** PgBouncer settings CloudNativePG lets users set (its `AllowedPgbouncerGenericConfigurationParameters`). */
export const POOLER_PARAMETERS: readonly string[] = [
  'application_name_add_host',
  'autodb_idle_timeout',
  'client_idle_timeout',
  'client_login_timeout',
  'default_pool_size',
  'disable_pqexec',
  'idle_transaction_timeout',
  'ignore_startup_parameters',
  'log_connections',
  'log_disconnections',
  'log_pooler_errors',
  'log_stats',
  'max_client_conn',
  'max_db_connections',
  'max_user_connections',
  'min_pool_size',
  'query_timeout',
  'query_wait_timeout',
  'reserve_pool_size',
  'reserve_pool_timeout',
  'server_check_delay',
  'server_check_query',
  'server_connect_timeout',
  'server_fast_close',
  'server_idle_timeout',
  'server_lifetime',
  'server_login_retry',
  'server_reset_query',
  'server_reset_query_always',
  'server_round_robin',
  'stats_period',
  'tcp_keepalive',
  'tcp_keepcnt',
  'tcp_keepidle',
  'tcp_keepintvl',
  'tcp_user_timeout',
  'verbose',
];

const PG_UNITS: Record<string, number> = { '': 2 ** 20, kB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30, TB: 2 ** 40 };

/** Bytes of a PostgreSQL memory setting; a bare number is megabytes, as the operator reads it. */
export function parsePostgresSize(value: string): number | undefined {
  const match = /^(\d+)\s*(kB|MB|GB|TB)?$/.exec(value);
  return match ? Number(match[1]) * PG_UNITS[match[2] ?? ''] : undefined;
}

const RETENTION = /^[1-9][0-9]*[dwm]$/;

export function isRetention(value: unknown): value is string {
  return typeof value === 'string' && RETENTION.test(value);
}

const CRON_DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface CronField {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly question?: boolean;
}

const CRON_FIELDS: readonly CronField[] = [
  { min: 0, max: 59 },
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31, question: true },
  { min: 1, max: 12, names: MONTHS },
  { min: 0, max: 6, names: WEEKDAYS, question: true },
];

/** A schedule the operator's cron parser accepts with six fields (seconds first), or a descriptor such as `@daily`. */
export function isCronSchedule(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (CRON_DESCRIPTORS.includes(value.trim())) return true;
  const fields = value.trim().split(/\s+/);
  return fields.length === CRON_FIELDS.length && fields.every((f, i) => isCronField(f, CRON_FIELDS[i]));
}

function isCronField(text: string, field: CronField): boolean {
  return text.split(',').every((item) => {
    const [range, step, ...rest] = item.split('/');
    if (rest.length > 0 || (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1))) return false;
    if (range === '*' || (field.question && range === '?')) return true;
    const bounds = range.split('-').map((b) => cronValue(b, field));
    if (bounds.length > 2 || bounds.some((b) => b === undefined)) return false;
    return bounds.length === 1 || bounds[0]! <= bounds[1]!;
  });
}

function cronValue(text: string, field: CronField): number | undefined {
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  const value = named >= 0 ? named + field.min : /^\d+$/.test(text) ? Number(text) : undefined;
  return value !== undefined && value >= field.min && value <= field.max ? value : undefined;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/** An RFC 3339 date-time with an explicit offset. */
export function isRfc3339(value: unknown): value is string {
  const match = typeof value === 'string' ? RFC3339.exec(value) : null;
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offsetOk = match[9] === undefined || (Number(match[10]) <= 23 && Number(match[11]) <= 59);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && offsetOk;
}

const S3_PATH = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/\S*)?$/;

export function isS3Path(value: unknown): value is string {
  return typeof value === 'string' && S3_PATH.test(value);
}

export function isHttpUrl(value: unknown): value is string {
  return typeof value === 'string' && /^https?:\/\/[^\s/]+(\/\S*)?$/.test(value);
}
