import { Problems } from '../../lib/core/errors';

/** A base64-encoded PEM certificate and its key, as Talos stores them. */
export interface TalosCertAndKey {
  readonly crt: string;
  readonly key: string;
}

/**
 * The Talos secrets bundle: the `secrets.yaml` that `talosctl gen secrets` writes, key for key. It is passed in
 * memory (from a Pulumi secret) and never written by kubestrata.
 */
export interface TalosSecretsBundle {
  readonly cluster: { readonly id: string; readonly secret: string };
  readonly secrets: {
    /** `<6 chars>.<16 chars>`. */
    readonly bootstraptoken: string;
    readonly secretboxencryptionsecret: string;
  };
  readonly trustdinfo: { readonly token: string };
  readonly certs: {
    readonly etcd: TalosCertAndKey;
    readonly k8s: TalosCertAndKey;
    readonly k8saggregator: TalosCertAndKey;
    readonly k8sserviceaccount: { readonly key: string };
    readonly os: TalosCertAndKey;
  };
}

const TOKEN = /^[a-z0-9]{6}\.[a-z0-9]{16}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Checks the shape of a bundle without echoing any secret value in the messages. */
export function checkTalosSecrets(problems: Problems, property: string, bundle: TalosSecretsBundle): boolean {
  const hidden = '(secret)';
  let ok = true;
  const check = (good: boolean, path: string, value: unknown, rule: string): boolean => {
    ok = problems.check(good, `${property}.${path}`, value, rule) && ok;
    return good;
  };
  const at = (path: string): unknown => path.split('.').reduce<any>((o, k) => (o === undefined || o === null ? undefined : o[k]), bundle);
  const present = (path: string) => {
    const value = at(path);
    return check(
      typeof value === 'string' && value.length > 0,
      path,
      value === undefined ? undefined : hidden,
      'is required (a string from talosctl gen secrets)',
    );
  };
  const base64 = (path: string) =>
    present(path) && check(BASE64.test(at(path) as string), path, hidden, 'must be base64, as talosctl gen secrets writes it');
  const token = (path: string) =>
    present(path) && check(TOKEN.test(at(path) as string), path, hidden, 'must be a token of the form "abcdef.0123456789abcdef"');
  present('cluster.id');
  present('cluster.secret');
  token('secrets.bootstraptoken');
  base64('secrets.secretboxencryptionsecret');
  token('trustdinfo.token');
  for (const ca of ['etcd', 'k8s', 'k8saggregator', 'os']) {
    base64(`certs.${ca}.crt`);
    base64(`certs.${ca}.key`);
  }
  base64('certs.k8sserviceaccount.key');
  return ok;
}
