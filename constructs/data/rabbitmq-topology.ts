import { Problems } from '../../lib/core/errors';
import { SecretRef } from '../../lib/core/secrets';
import { RabbitMqQueueType, RabbitMqUser, RabbitMqUserTag, RabbitMqVhost } from './rabbitmq-props';

/**
 * Every tag is allowed, `administrator` too: the cluster belongs to one tenant, whose namespace already holds the
 * operator's `<id>-default-user` Secret, an administrator; no tag reaches beyond that cluster.
 */
export const RABBITMQ_USER_TAGS: readonly RabbitMqUserTag[] = ['management', 'policymaker', 'monitoring', 'administrator'];
export const RABBITMQ_QUEUE_TYPES: readonly RabbitMqQueueType[] = ['quorum', 'classic', 'stream'];

/** Ends with a letter or digit, as the object names it ends (`<id>-<vhost>-<user>`) must. */
const NAME = /^[a-z]([a-z0-9_-]{0,61}[a-z0-9])?$/;
/** The built-in user that RabbitMQ only lets in from localhost. */
const RESERVED_USERS = new Set(['guest']);
const ALL = '.*';
const NOTHING = '';

/** A user with its defaults applied. */
export interface RabbitMqUserSettings {
  readonly credentials: SecretRef;
  readonly tags: readonly RabbitMqUserTag[];
}

/** A vhost with its defaults applied. */
export interface RabbitMqVhostSettings {
  readonly admin: readonly string[];
  readonly readonly: readonly string[];
  readonly defaultQueueType: RabbitMqQueueType;
}

/** One `Permission`: a user's rights in a vhost. */
export interface RabbitMqPermission {
  readonly name: string;
  readonly vhost: string;
  readonly user: string;
  readonly permissions: { readonly configure: string; readonly write: string; readonly read: string };
}

/** The Kubernetes-name form of a user or vhost name. */
export const dnsName = (name: string) => name.replace(/_/g, '-');
const list = (value: unknown): string[] => (Array.isArray(value) ? value : []);

export function resolveUsers(id: string, users: Readonly<Record<string, RabbitMqUser | undefined>>): Record<string, RabbitMqUserSettings> {
  return Object.fromEntries(
    Object.entries(users).map(([name, user]) => [
      name,
      {
        credentials: user?.credentials ?? SecretRef.generatedPassword(`${id}.${dnsName(name)}-credentials`, name),
        tags: user?.tags ?? [],
      },
    ]),
  );
}

export function resolveVhosts(
  vhosts: Readonly<Record<string, RabbitMqVhost | undefined>>,
  replicated: boolean,
): Record<string, RabbitMqVhostSettings> {
  return Object.fromEntries(
    Object.entries(vhosts).map(([name, vhost]) => [
      name,
      {
        admin: vhost?.roles?.admin ?? [],
        readonly: vhost?.roles?.readonly ?? [],
        defaultQueueType: vhost?.defaultQueueType ?? (replicated ? 'quorum' : 'classic'),
      },
    ]),
  );
}

export function permissions(id: string, vhosts: Readonly<Record<string, RabbitMqVhostSettings>>): RabbitMqPermission[] {
  return Object.entries(vhosts)
    .flatMap(([vhost, v]) => [
      ...list(v.admin).map((user) => ({ vhost, user, permissions: { configure: ALL, write: ALL, read: ALL } })),
      ...list(v.readonly).map((user) => ({ vhost, user, permissions: { configure: NOTHING, write: NOTHING, read: ALL } })),
    ])
    .map((p) => ({ ...p, name: `${id}.${dnsName(p.vhost)}.${dnsName(p.user)}` }));
}

export function checkTopology(
  problems: Problems,
  users: Readonly<Record<string, RabbitMqUserSettings>>,
  vhosts: Readonly<Record<string, RabbitMqVhostSettings>>,
  given: Readonly<Record<string, RabbitMqUser | undefined>>,
): SecretRef[] {
  const p = problems;
  const secrets: SecretRef[] = [];
  const dns = new Map<string, string>();
  const unique = (kind: string, property: string, name: string) => {
    const other = dns.get(`${kind}:${dnsName(name)}`);
    p.check(
      other === undefined,
      property,
      name,
      `names the same objects as ${kind} "${other}" ("_" becomes "-" in object names)`,
      'rename one of them',
    );
    dns.set(`${kind}:${dnsName(name)}`, name);
  };
  for (const [name, user] of Object.entries(users)) {
    const property = `users.${name}`;
    if (
      p.check(
        NAME.test(name),
        property,
        name,
        'must be a user name of at most 63 characters (lower-case letters, digits, "_" and "-", starting with a letter and ending with a letter or digit)',
      )
    ) {
      p.check(!RESERVED_USERS.has(name), property, name, 'is the built-in user RabbitMQ admits from localhost only', 'choose another name');
      unique('user', property, name);
    }
    const tags: readonly unknown[] = list(user.tags);
    p.check(
      Array.isArray(user.tags) && new Set(tags).size === tags.length,
      `${property}.tags`,
      user.tags,
      'must be a list without repeats',
    );
    for (const tag of tags)
      p.check(
        RABBITMQ_USER_TAGS.includes(tag as RabbitMqUserTag),
        `${property}.tags`,
        tag,
        `must be one of ${RABBITMQ_USER_TAGS.map((t) => JSON.stringify(t)).join(', ')}`,
      );
    const ok =
      given[name]?.credentials === undefined ||
      SecretRef.prototype.check.call(user.credentials, p, `${property}.credentials`, ['username', 'password']);
    if (ok) secrets.push(user.credentials);
  }
  for (const [name, vhost] of Object.entries(vhosts)) {
    const property = `vhosts.${name}`;
    if (
      p.check(
        NAME.test(name),
        property,
        name,
        'must be a vhost name of at most 63 characters (lower-case letters, digits, "_" and "-", starting with a letter and ending with a letter or digit)',
      )
    )
      unique('vhost', property, name);
    p.check(
      RABBITMQ_QUEUE_TYPES.includes(vhost.defaultQueueType),
      `${property}.defaultQueueType`,
      vhost.defaultQueueType,
      `must be one of ${RABBITMQ_QUEUE_TYPES.map((t) => JSON.stringify(t)).join(', ')}`,
    );
    for (const role of ['admin', 'readonly'] as const) {
      p.check(Array.isArray(vhost[role]), `${property}.roles.${role}`, vhost[role], 'must be a list of user names');
      for (const user of list(vhost[role])) {
        p.check(
          user in users,
          `${property}.roles.${role}`,
          user,
          'is not one of the users of this RabbitMQ',
          `declare it in users (${
            Object.keys(users)
              .map((u) => JSON.stringify(u))
              .join(', ') || 'none yet'
          })`,
        );
      }
    }
    for (const user of list(vhost.admin).filter((u) => list(vhost.readonly).includes(u))) {
      p.add(
        `${property}.roles`,
        user,
        'is both admin and readonly; a user has one set of permissions per vhost',
        'keep it in one of the lists',
      );
    }
  }
  return secrets;
}
