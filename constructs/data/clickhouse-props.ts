import { Quantity } from '../../lib/core/quantity';
import { Resources } from '../../lib/core/resources';
import { SecretRef } from '../../lib/core/secrets';
import { versions } from '../../lib/versions';
import { ManagedServiceProps, ManagedServiceStorage } from './managed-service';

/** A ClickHouse major.minor line with pinned server and Keeper images (`versions.clickhouse.releases`). */
export type ClickHouseVersion = keyof typeof versions.clickhouse.releases;
export const CLICKHOUSE_VERSIONS = Object.keys(versions.clickhouse.releases) as ClickHouseVersion[];

/** An SQL user declared in the server configuration. */
export interface ClickHouseUserProps {
  /** Only reads (the `readonly` profile). @default false */
  readonly readonly?: boolean;
  /** Secret whose key `password` holds the password. @default - SecretRef.generatedPassword('<id>.<user>', user), created by the deployment layer */
  readonly password?: SecretRef;
  /**
   * Client networks the user may connect from.
   * @default - the private address ranges (pods and Services of the cluster); with external: true also the externalSourceRanges, or any address
   */
  readonly networks?: readonly string[];
}

/** The ClickHouse Keeper ensemble that coordinates replication. */
export interface ClickHouseKeeperProps {
  /** Keeper servers, an odd number. @default 3 @maximum 100 */
  readonly replicas?: number;
  /** Volume of each Keeper server. @default { size: '1Gi' } */
  readonly storage?: ManagedServiceStorage;
  /** @default 't1.micro' */
  readonly resources?: Resources;
}

export interface ClickHouseProps extends ManagedServiceProps<ClickHouseVersion> {
  /** Replicas of each shard. @default 2 @maximum 100 */
  readonly replicas?: number;
  /** @default 1 @maximum 100 */
  readonly shards?: number;
  /** Server and Keeper images. @default 'v25.8' */
  readonly version?: ClickHouseVersion;
  /** Data volume of each server. @default { size: '10Gi' } */
  readonly storage?: ManagedServiceStorage;
  /** Limits of each server. @default 't1.small' */
  readonly resources?: Resources;
  /** Size of the separate server-log volume of each server (same StorageClass as the data). @default '2Gi' */
  readonly logStorageSize?: Quantity;
  /** Days query_log and query_thread_log are kept. @default 15 */
  readonly logTtlDays?: number;
  /** Users by name. @default {} */
  readonly users?: Readonly<Record<string, ClickHouseUserProps>>;
  /** @default { replicas: 3, storage: { size: '1Gi' }, resources: 't1.micro' } */
  readonly keeper?: ClickHouseKeeperProps;
  /**
   * TLS for clients: HTTPS on 8443 and the secure native protocol on 9440, with a server certificate from a
   * cert-manager CA of this service (Secrets `<id>-ca`, `<id>-tls`; installs cert-manager). The plain ports stay
   * open inside the cluster; with `external: true` the LoadBalancer offers only the TLS ports.
   * `false` opts out: no certificates, and the LoadBalancer offers the plain ports.
   * @default true
   */
  readonly tls?: boolean;
}
