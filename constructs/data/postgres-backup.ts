import { Problems } from '../../lib/core/errors';
import { isDnsLabel } from '../../lib/core/names';
import { ClusterEndpoint } from '../../lib/core/network-peers';
import { SecretRef } from '../../lib/core/secrets';
import { PostgresBackupCompression, PostgresObjectStore } from './postgres-props';
import { isHttpUrl, isS3Path } from './postgres-rules';

export const BACKUP_COMPRESSIONS: readonly PostgresBackupCompression[] = ['gzip', 'bzip2', 'lz4', 'snappy'];

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** An object store with its defaults applied. */
export interface ObjectStoreTarget {
  readonly destinationPath: string;
  readonly endpointUrl?: string;
  readonly credentials?: SecretRef;
  readonly accessKeyIdKey: string;
  readonly secretAccessKeyKey: string;
  readonly regionKey?: string;
  readonly endpointCa?: SecretRef;
  readonly endpointCaKey: string;
  readonly inCluster?: ClusterEndpoint;
}

export function resolveObjectStore(store: PostgresObjectStore): ObjectStoreTarget {
  return {
    destinationPath: store.destinationPath,
    endpointUrl: store.endpointUrl,
    credentials: store.credentials,
    accessKeyIdKey: store.accessKeyIdKey ?? 'ACCESS_KEY_ID',
    secretAccessKeyKey: store.secretAccessKeyKey ?? 'ACCESS_SECRET_KEY',
    regionKey: store.regionKey,
    endpointCa: store.endpointCa,
    endpointCaKey: store.endpointCaKey ?? 'ca.crt',
    inCluster: store.inCluster,
  };
}

export function checkObjectStore(problems: Problems, property: string, store: ObjectStoreTarget): void {
  problems.check(
    isS3Path(store.destinationPath),
    `${property}.destinationPath`,
    store.destinationPath,
    'must be an S3 location "s3://<bucket>/<path>" with a bucket name of 3 to 63 lower-case letters, digits, "." and "-"',
    'write it like "s3://backups/orders"',
  );
  if (store.endpointUrl !== undefined) {
    problems.check(
      isHttpUrl(store.endpointUrl),
      `${property}.endpointUrl`,
      store.endpointUrl,
      'must be an http:// or https:// address',
      'write it like "https://s3.example.com"',
    );
  }
  const keys = [store.accessKeyIdKey, store.secretAccessKeyKey, ...(store.regionKey === undefined ? [] : [store.regionKey])];
  for (const [name, key] of [
    ['accessKeyIdKey', store.accessKeyIdKey],
    ['secretAccessKeyKey', store.secretAccessKeyKey],
    ['regionKey', store.regionKey],
    ['endpointCaKey', store.endpointCaKey],
  ] as const) {
    if (key !== undefined)
      problems.check(
        typeof key === 'string' && SECRET_KEY.test(key),
        `${property}.${name}`,
        key,
        'must be a Secret key (letters, digits, "-", "_", ".")',
      );
  }
  if (store.credentials === undefined) {
    problems.add(
      `${property}.credentials`,
      undefined,
      'is required: the Barman Cloud plugin reads the S3 access key pair from a Secret',
      `pass SecretRef.fromConfig("<name>", ["${store.accessKeyIdKey}", "${store.secretAccessKeyKey}"])`,
    );
  } else {
    SecretRef.prototype.check.call(store.credentials, problems, `${property}.credentials`, keys);
  }
  if (store.endpointCa !== undefined)
    SecretRef.prototype.check.call(store.endpointCa, problems, `${property}.endpointCa`, [store.endpointCaKey]);
  if (store.inCluster !== undefined) {
    const { namespace, pods, port } = store.inCluster;
    problems.check(isDnsLabel(namespace), `${property}.inCluster.namespace`, namespace, 'must be a namespace name');
    problems.check(
      typeof pods === 'object' && pods !== null && Object.keys(pods).length > 0,
      `${property}.inCluster.pods`,
      pods,
      "must be the labels of the store's pods",
      'write it like { "v1.min.io/tenant": "minio" }',
    );
    problems.check(
      Number.isInteger(port) && port >= 1 && port <= 65535,
      `${property}.inCluster.port`,
      port,
      'must be a TCP port (1-65535)',
    );
  }
}

/** The Secrets an object store refers to. */
export function objectStoreSecrets(store: ObjectStoreTarget): SecretRef[] {
  return [store.credentials, store.endpointCa].filter((ref): ref is SecretRef => ref !== undefined);
}

/** `ObjectStore.spec.configuration` without the write settings. */
export function objectStoreConfiguration(store: ObjectStoreTarget): Record<string, unknown> {
  const credentials = store.credentials!;
  return {
    destinationPath: store.destinationPath,
    endpointURL: store.endpointUrl,
    endpointCA: store.endpointCa?.key(store.endpointCaKey),
    s3Credentials: {
      accessKeyId: credentials.key(store.accessKeyIdKey),
      secretAccessKey: credentials.key(store.secretAccessKeyKey),
      region: store.regionKey === undefined ? undefined : credentials.key(store.regionKey),
    },
  };
}
