/** A Secret clients read: its name and the keys it holds, never its values. */
export interface ConnectionSecret {
  readonly name: string;
  readonly keys: readonly string[];
}

/** Where application code reaches a data service, and which Secrets hold what it authenticates and verifies with. */
export interface ServiceConnection {
  /** In-cluster DNS name of the Service clients use first (the primary, the bootstrap): `<svc>.<ns>.svc.<clusterDomain>`. */
  readonly host: string;
  /** Further in-cluster DNS names by role (read-only replicas, pooler, sentinels). */
  readonly hosts: Readonly<Record<string, string>>;
  /** Client ports by name. */
  readonly ports: Readonly<Record<string, number>>;
  /** The credentials Secret of each user, by user name. */
  readonly credentials: Readonly<Record<string, ConnectionSecret>>;
  /** Secret and key of the CA certificate that verifies the server, when clients connect with TLS. */
  readonly tlsCa?: { readonly secretName: string; readonly key: string };
}
