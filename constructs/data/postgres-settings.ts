import { Resources } from '../../lib/core/resources';
import { ObjectStoreTarget } from './postgres-backup';
import { PostgresBackupCompression, PostgresPoolMode } from './postgres-props';

/** A volume with its defaults applied. */
export interface PostgresVolume {
  readonly size: string;
  readonly storageClass?: string;
}

/** The effective backup settings. */
export interface PostgresBackupSettings extends ObjectStoreTarget {
  /** The `ObjectStore` the plugin archives to. */
  readonly objectStoreName: string;
  /** The `ScheduledBackup`. */
  readonly scheduledBackupName: string;
  readonly schedule: string;
  readonly retention: string;
  readonly compression: PostgresBackupCompression;
}

/** The effective restore settings. */
export interface PostgresRestoreSettings extends ObjectStoreTarget {
  /** The `ObjectStore` that points at the archive being restored. */
  readonly objectStoreName: string;
  readonly serverName: string;
  readonly targetTime?: string;
}

/** The effective pooler settings. */
export interface PostgresPoolerSettings {
  /** The `Pooler`, which is also the name of its Service. */
  readonly name: string;
  readonly instances: number;
  readonly mode: PostgresPoolMode;
  readonly parameters: Readonly<Record<string, string>>;
  readonly resources: Resources;
}
