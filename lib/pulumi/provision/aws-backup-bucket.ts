import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { Problems } from '../../core/errors';
import { checkPropsAt } from '../../core/props-check';

export interface BackupBucketArgs {
  /** The bucket's globally unique name (3–63 lower-case letters, digits, dots and hyphens). */
  readonly bucketName: string;
  /** The bucket's region, e.g. `eu-central-1`; it makes the endpoint URL. */
  readonly region: string;
  /** Days a replaced or deleted backup object is kept before it is removed for good. @default 30 */
  readonly noncurrentDays?: number;
  /** Let `pulumi destroy` delete a bucket that still holds backups. @default false */
  readonly forceDestroy?: boolean;
  /** Names of the two keys in `credentials`, as the backup Secret of the data services expects them. @default { accessKeyId: 'ACCESS_KEY_ID', secretAccessKey: 'ACCESS_SECRET_KEY' } */
  readonly keyNames?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * An S3 bucket for backups: versioned, encrypted (SSE-S3), private (public access blocked, owner-enforced,
 * TLS-only policy), old versions and unfinished uploads expired; and an IAM user that may only list the bucket
 * and read, write and delete its objects. Its access key is `credentials`, a secret shaped like the values of a
 * config Secret, for `PlatformDeployment`'s `secrets`.
 */
export class BackupBucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  /** `s3://<bucket>`, the prefix of the data services' `destinationPath`. */
  readonly destination: string;
  /** The regional S3 endpoint. */
  readonly endpointUrl: string;
  /** The access key pair under `keyNames` (secret). */
  readonly credentials: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: BackupBucketArgs, opts: pulumi.ComponentResourceOptions = {}) {
    checkPropsAt(name, 'BackupBucketArgs', args);
    const noncurrentDays = args.noncurrentDays ?? 30;
    const keys = args.keyNames ?? { accessKeyId: 'ACCESS_KEY_ID', secretAccessKey: 'ACCESS_SECRET_KEY' };
    const problems = new Problems(name);
    problems.check(
      BUCKET.test(args.bucketName) && !args.bucketName.includes('..'),
      'bucketName',
      args.bucketName,
      'must be an S3 bucket name: 3–63 lower-case letters, digits, dots and hyphens',
    );
    problems.check(/^[a-z]{2}(-[a-z]+)+-\d$/.test(args.region), 'region', args.region, 'must be an AWS region such as "eu-central-1"');
    problems.check(
      Number.isInteger(noncurrentDays) && noncurrentDays >= 1,
      'noncurrentDays',
      noncurrentDays,
      'must be a whole number of days ≥ 1',
    );
    problems.throwIfAny();
    super('kubestrata:provision:BackupBucket', name, {}, opts);
    this.destination = `s3://${args.bucketName}`;
    this.endpointUrl = `https://s3.${args.region}.amazonaws.com`;
    const child = { parent: this };

    this.bucket = new aws.s3.Bucket(
      `${name}/bucket`,
      { bucket: args.bucketName, forceDestroy: args.forceDestroy ?? false, tags: { ...args.tags } },
      child,
    );
    const bucket = this.bucket.id;
    new aws.s3.BucketOwnershipControls(`${name}/ownership`, { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } }, child);
    const block = new aws.s3.BucketPublicAccessBlock(
      `${name}/public-access`,
      {
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      child,
    );
    const versioning = new aws.s3.BucketVersioning(`${name}/versioning`, { bucket, versioningConfiguration: { status: 'Enabled' } }, child);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}/encryption`,
      {
        bucket,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
      },
      child,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}/lifecycle`,
      {
        bucket,
        rules: [
          {
            id: 'expire-old-versions',
            status: 'Enabled',
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      { ...child, dependsOn: [versioning] },
    );
    new aws.s3.BucketPolicy(
      `${name}/tls-only`,
      {
        bucket,
        policy: this.bucket.arn.apply((arn) =>
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'DenyInsecureTransport',
                Effect: 'Deny',
                Principal: '*',
                Action: 's3:*',
                Resource: [arn, `${arn}/*`],
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
            ],
          }),
        ),
      },
      { ...child, dependsOn: [block] },
    );

    const user = new aws.iam.User(`${name}/writer`, { name: `${args.bucketName}-writer`.slice(0, 64), tags: { ...args.tags } }, child);
    new aws.iam.UserPolicy(
      `${name}/writer-policy`,
      {
        user: user.name,
        policy: this.bucket.arn.apply((arn) =>
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: arn },
              { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `${arn}/*` },
            ],
          }),
        ),
      },
      child,
    );
    const key = new aws.iam.AccessKey(`${name}/writer-key`, { user: user.name }, child);
    this.credentials = pulumi.secret(
      pulumi.all([key.id, key.secret]).apply(([id, secret]) => ({ [keys.accessKeyId]: id, [keys.secretAccessKey]: secret })),
    );
    this.registerOutputs({ bucket: this.bucket.id });
  }
}
