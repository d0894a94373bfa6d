import { Resources } from '../../lib/core/resources';
import { SecretRef } from '../../lib/core/secrets';
import { versions } from '../../lib/versions';
import { ManagedServiceProps, ManagedServiceStorage } from './managed-service';

/** A MariaDB release line with a pinned image in `versions.mariadb`. */
export type MariaDbVersion = keyof typeof versions.mariadb.releases;
export const MARIADB_VERSIONS = Object.keys(versions.mariadb.releases) as MariaDbVersion[];

/** How the servers of a replicated MariaDB keep each other in sync. */
export type MariaDbReplication =
  /** One primary, asynchronous (semi-sync) replicas, automatic failover by the operator. */
  | 'async'
  /** Multi-primary Galera cluster; needs an odd number of servers. */
  | 'galera';

/** Object-level privileges a `Grant` may give on a database. */
export type MariaDbPrivilege =
  | 'ALL PRIVILEGES'
  | 'SELECT'
  | 'INSERT'
  | 'UPDATE'
  | 'DELETE'
  | 'CREATE'
  | 'DROP'
  | 'INDEX'
  | 'ALTER'
  | 'REFERENCES'
  | 'CREATE TEMPORARY TABLES'
  | 'LOCK TABLES'
  | 'EXECUTE'
  | 'CREATE VIEW'
  | 'SHOW VIEW'
  | 'CREATE ROUTINE'
  | 'ALTER ROUTINE'
  | 'EVENT'
  | 'TRIGGER'
  | 'DELETE HISTORY';

/** Compression of a logical backup. */
export type MariaDbBackupCompression = 'gzip' | 'bzip2' | 'none';

/** An account of the server. */
export interface MariaDbUser {
  /** Secret whose key `password` holds the password. @default - SecretRef.generatedPassword('<id>.<user>', '<user>'), created by the deployment layer */
  readonly password?: SecretRef;
  /** Simultaneous connections of the account; 0 for no limit of its own. @default 0 */
  readonly maxUserConnections?: number;
}

/** Who gets which role on a database. */
export interface MariaDbDatabaseRoles {
  /** Users given ALL PRIVILEGES (with GRANT OPTION) on the database. @default [] */
  readonly admin?: readonly string[];
  /** Users given SELECT on the database. @default [] */
  readonly readonly?: readonly string[];
}

/** A database of the server. */
export interface MariaDbDatabase {
  /** @default - no grants */
  readonly roles?: MariaDbDatabaseRoles;
  /** @default 'utf8mb4' */
  readonly characterSet?: string;
  /** @default 'utf8mb4_unicode_ci' */
  readonly collate?: string;
}

/** Privileges of one user on one database (or one table of it). */
export interface MariaDbGrant {
  readonly username: string;
  readonly privileges: readonly MariaDbPrivilege[];
  readonly database: string;
  /** @default '*' (every table) */
  readonly table?: string;
  /** @default false */
  readonly grantOption?: boolean;
}

/** Scheduled logical backups to an S3 bucket. */
export interface MariaDbBackup {
  readonly bucket: string;
  /** S3 endpoint without scheme, e.g. `s3.eu-west-1.amazonaws.com` or `minio.storage.svc:9000`. */
  readonly endpoint: string;
  /** Folder in the bucket. @default '<namespace>/<id>' */
  readonly prefix?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /**
   * Secret with the S3 access key pair.
   * @requiredBecause the backup Job reads the S3 access key pair from a Secret
   * @requiredFix pass SecretRef.fromConfig("<name>", ["ACCESS_KEY_ID", "ACCESS_SECRET_KEY"])
   */
  readonly credentials: SecretRef;
  /** @default 'ACCESS_KEY_ID' */
  readonly accessKeyIdKey?: string;
  /** @default 'ACCESS_SECRET_KEY' */
  readonly secretAccessKeyKey?: string;
  /** Talk to the endpoint over TLS; false for a plain-HTTP in-cluster endpoint. @default true */
  readonly tls?: boolean;
  /** Secret with the CA that signed the endpoint's certificate. @default - the system trust store */
  readonly endpointCa?: SecretRef;
  /** @default 'ca.crt' */
  readonly endpointCaKey?: string;
  /** Cron schedule (5 fields). @default '0 2 * * *' */
  readonly schedule?: string;
  /** How long backups are kept, as a duration like `720h`. @default '720h' */
  readonly retention?: string;
  /** @default 'gzip' */
  readonly compression?: MariaDbBackupCompression;
}

export interface MariaDbProps extends ManagedServiceProps<MariaDbVersion> {
  /** MariaDB servers; more than one turns on `replication`. @default 2 @maximum 100 */
  readonly replicas?: number;
  /** @default 'v11.8' */
  readonly version?: MariaDbVersion;
  /** Data volume of each server. @default { size: '10Gi' } */
  readonly storage?: ManagedServiceStorage;
  /** Limits of each server; the InnoDB buffer pool and connection limits are sized from the memory limit. @default 't1.nano' */
  readonly resources?: Resources;
  /** Replication of a replicated MariaDB (replicas > 1). @default 'async' */
  readonly replication?: MariaDbReplication;
  /** Secret whose key `password` is the root password. @default - SecretRef.generatedPassword('<id>-root', 'root') */
  readonly rootPassword?: SecretRef;
  /** Accounts by name. @default {} */
  readonly users?: Readonly<Record<string, MariaDbUser>>;
  /** Databases by name, with admin/readonly role shortcuts. @default {} */
  readonly databases?: Readonly<Record<string, MariaDbDatabase>>;
  /** Further grants. @default [] @maxItems 10000 */
  readonly grants?: readonly MariaDbGrant[];
  /** Scheduled backups to S3. @default - none */
  readonly backup?: MariaDbBackup;
  /** Refuse connections without TLS (the operator always serves TLS with its own CA). @default true */
  readonly requireTls?: boolean;
  /**
   * my.cnf settings of the `[mariadb]` group, over kubestrata's sizing, e.g. `{ max_allowed_packet: '64M' }`. Options are
   * read as the server reads them (`_` or `-`, `loose-`/`skip-`/`enable-`/`disable-` prefixes, abbreviations); those
   * that turn off authentication, TLS or networking, load plugins, run SQL at startup or move files are refused.
   * @default {}
   */
  readonly config?: Readonly<Record<string, string | number>>;
}
