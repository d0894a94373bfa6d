import { Problems } from './errors';
import { isDnsSubdomain } from './names';

/** Where the values of a referenced Secret come from when kubestrata deploys it. */
export type SecretSource =
  /** Pulumi creates it from the secret config `kubestrata:secrets.<name>.<key>`. */
  | 'config'
  /** Pulumi creates it once with a random `password` and keeps it; other keys are fixed values. */
  | 'generated'
  /** Someone else creates it (External Secrets, Sealed Secrets, kubectl); kubestrata only refers to it. */
  | 'existing';

/** A key of a referenced Secret, as Kubernetes selects it. */
export interface SecretKeySelector {
  readonly name: string;
  readonly key: string;
}

/**
 * A reference to a Kubernetes Secret. Constructs take references, never values: the values stay in
 * Pulumi's encrypted config or in a secret store, and never appear in synthesized manifests.
 */
export class SecretRef {
  /** A Secret whose values Pulumi reads from secret config (`pulumi config set --secret --path kubestrata:secrets.<name>.<key>`). */
  static fromConfig(name: string, keys: readonly string[]): SecretRef {
    return new SecretRef(name, keys, 'config');
  }

  /** A Secret that already exists in the namespace where it is used. */
  static existing(name: string, keys: readonly string[]): SecretRef {
    return new SecretRef(name, keys, 'existing');
  }

  /** A basic-auth Secret for `username` whose password Pulumi generates once. */
  static generatedPassword(name: string, username: string): SecretRef {
    return new SecretRef(name, ['username', 'password'], 'generated', 'kubernetes.io/basic-auth', { username });
  }

  private constructor(
    readonly name: string,
    readonly keys: readonly string[],
    readonly source: SecretSource,
    readonly type: string = 'Opaque',
    /** Non-secret values stored beside the generated ones (a username). */
    readonly fixed: Readonly<Record<string, string>> = {},
  ) {}

  /** Selects one key; the key must be one the reference declares. */
  key(key: string): SecretKeySelector {
    if (!this.keys.includes(key)) {
      new Problems(`secret/${this.name}`)
        .add('key', key, `is not one of the keys declared for Secret "${this.name}" (${this.keys.join(', ')})`)
        .throwIfAny();
    }
    return { name: this.name, key };
  }

  /** Checks the reference when a construct takes it: a valid name, valid keys and the keys the construct needs. */
  check(problems: Problems, property: string, requiredKeys: readonly string[]): boolean {
    if (!(this instanceof SecretRef)) {
      problems.add(property, this, 'must be a SecretRef', 'use SecretRef.fromConfig(name, keys) or SecretRef.existing(name, keys)');
      return false;
    }
    const nameOk = problems.check(
      isDnsSubdomain(this.name),
      `${property}.name`,
      this.name,
      "must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters)",
    );
    if (!problems.check(Array.isArray(this.keys), `${property}.keys`, this.keys, 'must be a list of keys')) return false;
    const invalid = this.keys.filter((k) => !isSecretKey(k));
    const keysValid = problems.check(
      invalid.length === 0,
      `${property}.keys`,
      invalid,
      'are not Secret data keys (letters, digits, "-", "_" and ".", not "." or "..", at most 253 characters)',
      'name each key like "password" or "tls.crt"',
    );
    const missing = requiredKeys.filter((k) => !this.keys.includes(k));
    const keysOk = problems.check(
      missing.length === 0,
      `${property}.keys`,
      this.keys,
      `must include ${missing.map((k) => JSON.stringify(k)).join(', ')}`,
    );
    return nameOk && keysValid && keysOk;
  }
}

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** A key of a Secret's `data`, as the API server accepts it (and as it is safe as a file name where the Secret is mounted). */
export function isSecretKey(key: unknown): key is string {
  return typeof key === 'string' && key.length <= 253 && SECRET_KEY.test(key) && key !== '.' && key !== '..';
}

/** A Secret reference used in one namespace. */
export interface SecretUse {
  readonly namespace: string;
  readonly ref: SecretRef;
  /** Construct paths that use it. */
  readonly users: string[];
}

/** Every Secret the platform's manifests refer to, so that the deployment layer can create them. */
export class SecretCatalog {
  private readonly uses = new Map<string, SecretUse>();

  use(namespace: string, ref: SecretRef, user: string): void {
    const id = `${namespace}/${ref.name}`;
    const existing = this.uses.get(id);
    if (!existing) {
      this.uses.set(id, { namespace, ref, users: [user] });
      return;
    }
    if (existing.ref !== ref && (existing.ref.source === 'generated' || ref.source === 'generated')) {
      new Problems(user)
        .add(
          'secret',
          id,
          `is also the generated Secret of ${existing.users.join(', ')}; one Secret cannot hold two generated passwords`,
          'give one of the services or users another name, or pass one SecretRef to both',
        )
        .throwIfAny();
    }
    if (existing.ref.source !== ref.source || existing.ref.keys.join() !== ref.keys.join()) {
      new Problems(user)
        .add(
          'secret',
          ref.name,
          `is declared differently by ${existing.users.join(', ')} (source ${existing.ref.source}, keys ${existing.ref.keys.join(', ')})`,
          'declare one SecretRef and pass the same object to both',
        )
        .throwIfAny();
    }
    existing.users.push(user);
  }

  all(): SecretUse[] {
    return [...this.uses.values()].sort((a, b) => `${a.namespace}/${a.ref.name}`.localeCompare(`${b.namespace}/${b.ref.name}`));
  }
}
