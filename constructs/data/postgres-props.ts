import { ClusterEndpoint } from '../../lib/core/network-peers';
import { Quantity } from '../../lib/core/quantity';
import { Resources } from '../../lib/core/resources';
import { SecretRef } from '../../lib/core/secrets';
import { StorageClassInput } from '../../lib/core/storage-class';
import { versions } from '../../lib/versions';
import type { ManagedServiceProps } from './managed-service';

/** A PostgreSQL major version with a pinned CloudNativePG operand image in `versions.postgres`. */
export type PostgresVersion = keyof typeof versions.postgres.releases;
export const POSTGRES_VERSIONS = Object.keys(versions.postgres.releases) as PostgresVersion[];

/** How strictly instances are kept on different nodes. */
export type PostgresAntiAffinity =
  /** Spread when possible; instances still start on a single node. */
  | 'preferred'
  /** Never two instances on one node; instances stay Pending until enough nodes exist. */
  | 'required';

/** PgBouncer pool mode. */
export type PostgresPoolMode = 'session' | 'transaction';

/** Compression of WAL files and base backups (the values both barman-cloud commands accept). */
export type PostgresBackupCompression = 'gzip' | 'bzip2' | 'lz4' | 'snappy';

/** One persistent volume per instance. */
export interface PostgresStorage {
  /** Volume size. @default '10Gi' */
  readonly size?: Quantity;
  /**
   * StorageClass of the volume; a reference (`linstor.replicatedClass`) also orders the cluster after its provider.
   * @default - the platform's storageClass, else the cluster default
   */
  readonly storageClass?: StorageClassInput;
}

/** The custom settings of a freshly initialized cluster (`bootstrap.initdb`). */
export interface PostgresInitdb {
  /** Checksums on data pages, so that storage corruption is detected. @default true */
  readonly dataChecksums?: boolean;
  /** Character encoding of the databases. @default - UTF8 (the operator's default) */
  readonly encoding?: string;
  /** LC_COLLATE and LC_CTYPE of the databases. @default - C (the operator's default) */
  readonly locale?: string;
}

/** A database managed through a CloudNativePG `Database`. */
export interface PostgresDatabase {
  /** The role owning the database: the cluster `owner` or one of `users`. @default - the cluster `owner` */
  readonly owner?: string;
  /** Extensions created in the database; they must be available in the image and trusted, or listed in `unsafeExtensions`. @default [] */
  readonly extensions?: readonly string[];
  /** Schemas created in the database, owned by the database owner. @default [] */
  readonly schemas?: readonly string[];
}

/** A role managed by the operator (`spec.managed.roles`). */
export interface PostgresUser {
  /** Whether the role may log in. @default true */
  readonly login?: boolean;
  /** Superuser role; needs `allowSuperuserRoles`. @default false */
  readonly superuser?: boolean;
  /** May create databases. @default false */
  readonly createdb?: boolean;
  /** May open replication connections. @default false */
  readonly replication?: boolean;
  /**
   * Roles this role is a member of: other users of the cluster or predefined roles such as `pg_read_all_data`.
   * Never the operator's roles or the owner; superuser-equivalent ones need `allowSuperuserRoles`. @default []
   */
  readonly inRoles?: readonly string[];
  /** Concurrent connections allowed; -1 means unlimited. @default -1 */
  readonly connectionLimit?: number;
  /**
   * A basic-auth Secret (`username`, `password`) with the role's password.
   * @default - SecretRef.generatedPassword('<cluster>.<user>', user), created by the deployment layer
   */
  readonly password?: SecretRef;
}

/** An S3 location of a barman-cloud archive and the credentials to reach it. */
export interface PostgresObjectStore {
  /** Archive location, `s3://bucket/path`. */
  readonly destinationPath: string;
  /** S3 endpoint for S3-compatible stores (MinIO, SeaweedFS, Ceph). @default - AWS S3 */
  readonly endpointUrl?: string;
  /**
   * Secret with the access key pair.
   * @requiredBecause the Barman Cloud plugin reads the S3 access key pair from a Secret
   * @requiredFix pass SecretRef.fromConfig("<name>", ["ACCESS_KEY_ID", "ACCESS_SECRET_KEY"])
   */
  readonly credentials: SecretRef;
  /** Key of `credentials` holding the access key id. @default 'ACCESS_KEY_ID' */
  readonly accessKeyIdKey?: string;
  /** Key of `credentials` holding the secret access key. @default 'ACCESS_SECRET_KEY' */
  readonly secretAccessKeyKey?: string;
  /** Key of `credentials` holding the bucket region. @default - none (the endpoint's default region) */
  readonly regionKey?: string;
  /** Secret with the CA bundle of a privately signed endpoint. @default - the system trust store */
  readonly endpointCa?: SecretRef;
  /** Key of `endpointCa` holding the bundle. @default 'ca.crt' */
  readonly endpointCaKey?: string;
  /**
   * The pods behind `endpointUrl` when the store runs in the cluster (`MinioTenant.postgresBackup` sets it): the
   * instances may reach them on that port only, as `allow-to-external` never opens cluster addresses.
   * @default - the store is outside the cluster
   */
  readonly inCluster?: ClusterEndpoint;
}

/** Continuous WAL archiving and scheduled base backups through the Barman Cloud plugin. */
export interface PostgresBackup extends PostgresObjectStore {
  /** Six-field cron (seconds first) of the base backups. @default '0 0 2 * * *' */
  readonly schedule?: string;
  /** How long backups and WAL are kept: `<n>d`, `<n>w` or `<n>m`. @default '30d' */
  readonly retention?: string;
  /** @default 'gzip' */
  readonly compression?: PostgresBackupCompression;
}

/** The archive of the cluster being restored. */
export interface PostgresRestoreSource extends PostgresObjectStore {
  /** The name the archived cluster wrote under (its cluster name). */
  readonly serverName: string;
}

/** Bootstrap from a backup archive instead of initdb, optionally to a point in time. */
export interface PostgresRestore {
  /**
   * @requiredBecause the archive to restore from
   */
  readonly from: PostgresRestoreSource;
  /** RFC 3339 timestamp to recover to, e.g. `2026-05-01T10:00:00Z`. @default - the end of the archive */
  readonly targetTime?: string;
}

/** A PgBouncer deployment in front of the primary. */
export interface PostgresPooler {
  /** @default 2 @maximum 100 */
  readonly instances?: number;
  /** @default 'transaction' */
  readonly mode?: PostgresPoolMode;
  /** PgBouncer settings from the operator's allow-list. @default {} */
  readonly parameters?: Readonly<Record<string, string>>;
  /** @default 't1.nano' */
  readonly resources?: Resources;
}

export interface PostgresProps extends ManagedServiceProps<PostgresVersion> {
  /** Instances: one primary and `replicas - 1` streaming standbys. @default 2 @maximum 100 */
  readonly replicas?: number;
  /** PostgreSQL major version. @default '18' */
  readonly version?: PostgresVersion;
  /** Operand image; its tag must belong to `version`. @default - ghcr.io/cloudnative-pg/postgresql:<pinned minor> */
  readonly image?: string;
  /** Data volume of each instance. @default { size: '10Gi' } */
  readonly storage?: PostgresStorage;
  /** A separate WAL volume of each instance. @default - WAL on the data volume */
  readonly walStorage?: PostgresStorage;
  /** CPU and memory limits of each instance; requests follow the platform's allocation ratio. @default 't1.micro' */
  readonly resources?: Resources;
  /**
   * postgresql.conf settings, merged over the default; those the operator fixes, that load libraries or run commands,
   * and `search_path`/`lo_compat_privileges` (which would reach the operator's superuser sessions) are refused.
   * @default { max_connections: '100' }
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /** The application database created at bootstrap. @default 'app' */
  readonly database?: string;
  /** Owner of `database`; the operator writes its credentials to the Secret `<cluster>-app`. @default 'app' */
  readonly owner?: string;
  /** Custom initdb settings; not allowed with `restore`. @default { dataChecksums: true } */
  readonly initdb?: PostgresInitdb;
  /** More databases, by name. @default {} */
  readonly databases?: Readonly<Record<string, PostgresDatabase>>;
  /** Managed roles, by name. @default {} */
  readonly users?: Readonly<Record<string, PostgresUser>>;
  /**
   * Permits superuser power: `superuser: true` on users, membership in superuser roles and in
   * `pg_read_server_files`, `pg_write_server_files` and `pg_execute_server_program`, and `superuserAccess`.
   * @default false
   */
  readonly allowSuperuserRoles?: boolean;
  /**
   * Extensions beyond the trusted list that `databases.*.extensions` may name. The operator creates extensions as
   * the superuser, and these may run programs, read server files or open connections as the server (`plpython3u`,
   * `file_fdw`, `dblink`, `postgres_fdw`, …): list one only when the database's users are trusted like the platform.
   * @default [] - only PostgreSQL's trusted contrib modules, the trusted languages, pgvector, PostGIS and the statistics modules
   */
  readonly unsafeExtensions?: readonly string[];
  /** Lets the operator keep a `postgres` password in the Secret `<cluster>-superuser`; needs `allowSuperuserRoles`. @default false */
  readonly superuserAccess?: boolean;
  /** WAL archive and scheduled backups to S3. @default - no backups */
  readonly backup?: PostgresBackup;
  /** Bootstrap from a backup archive. @default - a new, empty cluster */
  readonly restore?: PostgresRestore;
  /** A PgBouncer pooler for the primary; `true` for the defaults. @default - no pooler */
  readonly pooler?: PostgresPooler | boolean;
  /** Exposes the primary through a LoadBalancer Service `<cluster>-external`. @default false */
  readonly external?: boolean;
  /** Client CIDRs allowed through the LoadBalancer. @default - any address */
  readonly externalSourceRanges?: readonly string[];
  /** @default 'preferred' */
  readonly antiAffinity?: PostgresAntiAffinity;
  /** A ServiceMonitor on the instances' metrics port (9187), after the prometheus-operator CRDs. @default false */
  readonly monitoring?: boolean;
}
