import { Resources } from '../../lib/core/resources';
import { SecretRef } from '../../lib/core/secrets';
import { versions } from '../../lib/versions';
import { ManagedServiceProps, ManagedServiceStorage } from './managed-service';

/** A RabbitMQ release line with a pinned management image in `versions.rabbitmq`. */
export type RabbitMqVersion = keyof typeof versions.rabbitmq.releases;
export const RABBITMQ_VERSIONS = Object.keys(versions.rabbitmq.releases) as RabbitMqVersion[];

/** What a user may do in the management UI and HTTP API. */
export type RabbitMqUserTag = 'management' | 'policymaker' | 'monitoring' | 'administrator';

/** The queue type a vhost gives queues declared without one. */
export type RabbitMqQueueType = 'quorum' | 'classic' | 'stream';

/** An AMQP user. */
export interface RabbitMqUser {
  /** Secret with the keys `username` and `password` the user is created with. @default - SecretRef.generatedPassword('<id>.<user>-credentials', '<user>') */
  readonly credentials?: SecretRef;
  /** Management tags. @default [] (messaging only) */
  readonly tags?: readonly RabbitMqUserTag[];
}

/** Who gets which role on a vhost. */
export interface RabbitMqVhostRoles {
  /** Users allowed to configure, write and read everything in the vhost. @default [] */
  readonly admin?: readonly string[];
  /** Users allowed to read (consume) only. @default [] */
  readonly readonly?: readonly string[];
}

/** A virtual host. */
export interface RabbitMqVhost {
  /** @default - no permissions */
  readonly roles?: RabbitMqVhostRoles;
  /** @default 'quorum' with more than one replica, else 'classic' */
  readonly defaultQueueType?: RabbitMqQueueType;
}

/** A cert-manager issuer of the server certificate. */
export interface RabbitMqIssuer {
  readonly name: string;
  /** @default 'Issuer' */
  readonly kind?: 'Issuer' | 'ClusterIssuer';
}

/** TLS listeners (AMQPS 5671, management HTTPS 15671) with a certificate from cert-manager. */
export interface RabbitMqTls {
  /**
   * Issuer of the server certificate. The messaging-topology-operator must trust its CA (it uses HTTPS once TLS is on).
   * @default - the ClusterIssuer of `RabbitMqOperator`, whose CA the topology operator trusts
   */
  readonly issuer?: RabbitMqIssuer;
  /** Extra DNS names of the certificate, e.g. the external host name. @default [] */
  readonly dnsNames?: readonly string[];
}

export interface RabbitMqProps extends ManagedServiceProps<RabbitMqVersion> {
  /** RabbitMQ nodes. @default 3 @maximum 100 */
  readonly replicas?: number;
  /** @default 'v4.2' */
  readonly version?: RabbitMqVersion;
  /** Data volume of each node. @default { size: '10Gi' } */
  readonly storage?: ManagedServiceStorage;
  /** Limits of each node. @default 't1.small' */
  readonly resources?: Resources;
  /** Users by name. @default {} */
  readonly users?: Readonly<Record<string, RabbitMqUser>>;
  /** Virtual hosts by name, with admin/readonly permissions. @default {} */
  readonly vhosts?: Readonly<Record<string, RabbitMqVhost>>;
  /** TLS listeners beside the plain ones; the LoadBalancer of `external` admits the TLS ports only. false turns TLS off. @default true */
  readonly tls?: boolean | RabbitMqTls;
}
