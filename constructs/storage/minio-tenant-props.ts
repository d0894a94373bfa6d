import { Quantity } from '../../lib/core/quantity';
import { Resources } from '../../lib/core/resources';
import { SecretRef } from '../../lib/core/secrets';
import { StorageClassInput } from '../../lib/core/storage-class';

/** One pool of MinIO servers; `servers` and `volumesPerServer` cannot change once created. */
export interface MinioPool {
  /** MinIO server pods. @default - 1 with K3s delivery (one machine), else 4 @maximum 1000 */
  readonly servers?: number;
  /** Volumes each server writes to; erasure coding spreads objects over all volumes of the pool. @default - 4 with K3s delivery, else 1 @maximum 256 */
  readonly volumesPerServer?: number;
  /** Size of each volume. @default '10Gi' */
  readonly size?: Quantity;
  /** StorageClass of the volumes; a reference also orders the tenant after its provider. @default - the platform's storageClass, else the cluster default */
  readonly storageClass?: StorageClassInput;
  /** CPU and memory of each server; requests follow the platform's allocation ratio. @default 's1.small' */
  readonly resources?: Resources;
}

/** A bucket the operator creates when the tenant starts. */
export interface MinioBucket {
  /** Object locking (WORM retention); it can only be chosen when the bucket is created. @default false */
  readonly objectLock?: boolean;
  /** @default - the server's region */
  readonly region?: string;
}

export interface MinioTenantProps {
  /**
   * The root credentials: a Secret with the key `config.env` holding
   * `export MINIO_ROOT_USER="…"` and `export MINIO_ROOT_PASSWORD="…"` lines, as the operator reads it.
   * @requiredBecause the operator reads the root user and password from the key "config.env" of a Secret
   * @requiredFix pass SecretRef.fromConfig("<name>", ["config.env"]) holding export MINIO_ROOT_USER="…" and export MINIO_ROOT_PASSWORD="…" lines
   */
  readonly credentials: SecretRef;
  /** Namespace of a MinIO created on the Platform; inside a Tenant it is the tenant's namespace. @default - the construct id */
  readonly namespace?: string;
  /** Pools by name. @default { 'pool-0': {} } */
  readonly pools?: Readonly<Record<string, MinioPool>>;
  /** Serve TLS with a certificate the operator requests from the cluster's CA. @default true */
  readonly requestAutoCert?: boolean;
  /** Buckets by name. @default {} */
  readonly buckets?: Readonly<Record<string, MinioBucket>>;
  /** Users the operator creates, one Secret each with the keys `CONSOLE_ACCESS_KEY` and `CONSOLE_SECRET_KEY`. @default [] @maxItems 1000 */
  readonly users?: readonly SecretRef[];
  /** MinIO server image. @default - the image the operator release pins */
  readonly image?: string;
}
