import { ApiObject } from 'cdk8s';
import { Problems } from '../../lib/core/errors';
import { isDnsSubdomain } from '../../lib/core/names';
import { externalPeers, namespacePeer } from '../../lib/core/network-peers';
import { Platform } from '../../lib/core/platform';
import { SecretRef } from '../../lib/core/secrets';
import { Tenant } from '../platform/tenant';
import { Cdi } from './cdi';

/** Keys CDI reads from the Secret of an http or registry source. */
export const CDI_CREDENTIAL_KEYS = ['accessKeyId', 'secretKey'] as const;

/** An image file (qcow2, raw, iso; optionally gz or xz) downloaded over HTTP. */
export interface VmHttpSource {
  /** `https://…` address of the image. */
  readonly url: string;
  /** Basic-auth credentials: a Secret with `accessKeyId` (user) and `secretKey` (password). @default - none */
  readonly credentials?: SecretRef;
  /** ConfigMap in the tenant holding the CA bundle (`ca.pem`) that signs the server. @default - the system CAs */
  readonly certConfigMap?: string;
  /** Opt-out of TLS: allow an `http://` URL, whose content anyone on the path may change. @default false */
  readonly allowPlainHttp?: boolean;
}

/** How CDI pulls a container disk image. */
export type VmRegistryPullMethod =
  /** An importer pod pulls and converts the image (works with any registry credentials). */
  | 'pod'
  /** The node's container runtime pulls it (uses the node's registry mirrors and cache). */
  | 'node';

/** A container disk image (`quay.io/containerdisks/ubuntu:24.04`) from an OCI registry. */
export interface VmRegistrySource {
  /** `docker://<registry>/<image>:<tag>` or `…@sha256:<digest>`. */
  readonly url: string;
  /** @default 'pod' (CDI's default) */
  readonly pullMethod?: VmRegistryPullMethod;
  /** Registry credentials: a Secret with `accessKeyId` (user) and `secretKey` (token). Only with pullMethod 'pod'. @default - anonymous */
  readonly credentials?: SecretRef;
}

/** The resolved import source of a disk or image. */
export type ImportSource =
  { readonly http: VmHttpSource } | { readonly registry: Required<Pick<VmRegistrySource, 'url' | 'pullMethod'>> & VmRegistrySource };

const HTTP_URL = /^(https?):\/\/[^\s/?#]+[^\s]*$/;
const REGISTRY_URL = /^docker:\/\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d+)?\/[^\s:@]+(:[\w][\w.-]{0,127}|@sha256:[0-9a-f]{64})$/;
const PULL_METHODS: readonly VmRegistryPullMethod[] = ['pod', 'node'];

export function checkHttpSource(problems: Problems, property: string, source: VmHttpSource): void {
  const scheme = typeof source.url === 'string' ? HTTP_URL.exec(source.url)?.[1] : undefined;
  if (!problems.check(scheme !== undefined, `${property}.url`, source.url, 'must be an https:// URL of an image file')) return;
  if (scheme === 'http') {
    problems.check(
      source.allowPlainHttp === true,
      `${property}.url`,
      source.url,
      'is plain http: anyone on the path can replace the image',
      `use https://, or set ${property}.allowPlainHttp: true`,
    );
  }
  if (source.credentials !== undefined)
    SecretRef.prototype.check.call(source.credentials, problems, `${property}.credentials`, CDI_CREDENTIAL_KEYS);
  if (source.certConfigMap !== undefined)
    problems.check(isDnsSubdomain(source.certConfigMap), `${property}.certConfigMap`, source.certConfigMap, 'must be a ConfigMap name');
}

export function checkRegistrySource(problems: Problems, property: string, source: VmRegistrySource): void {
  problems.check(
    typeof source.url === 'string' && REGISTRY_URL.test(source.url),
    `${property}.url`,
    source.url,
    'must be docker://<registry>/<image> with a tag or a sha256 digest (never "latest")',
    'write it like "docker://quay.io/containerdisks/ubuntu:24.04"',
  );
  if (typeof source.url === 'string' && /:latest$/.test(source.url))
    problems.add(
      `${property}.url`,
      source.url,
      'uses the "latest" tag, so the disk would change with every import',
      'pin a version tag or a digest',
    );
  const pullMethod = source.pullMethod ?? 'pod';
  problems.check(PULL_METHODS.includes(pullMethod), `${property}.pullMethod`, pullMethod, `must be one of ${PULL_METHODS.join(', ')}`);
  if (source.credentials !== undefined) {
    SecretRef.prototype.check.call(source.credentials, problems, `${property}.credentials`, CDI_CREDENTIAL_KEYS);
    problems.check(
      pullMethod === 'pod',
      `${property}.credentials`,
      source.credentials.name,
      'only apply with pullMethod "pod"; with "node" the container runtime uses the node\'s credentials',
      'set pullMethod: "pod"',
    );
  }
}

/** The CDI `source` of an import. */
export function cdiSource(source: ImportSource): Record<string, unknown> {
  if ('http' in source) {
    const { url, credentials, certConfigMap } = source.http;
    return { http: { url, secretRef: credentials?.name, certConfigMap } };
  }
  const { url, pullMethod, credentials } = source.registry;
  return { registry: { url, pullMethod, secretRef: credentials?.name } };
}

export function importSecrets(source: ImportSource | undefined): SecretRef[] {
  if (!source) return [];
  const credentials = 'http' in source ? source.http.credentials : source.registry.credentials;
  return credentials ? [credentials] : [];
}

const importerPolicies = new WeakMap<Tenant, ApiObject>();

/**
 * Lets CDI's importer pods of a tenant reach image servers outside the cluster; the tenant's default-deny policy
 * blocks them otherwise. One policy per tenant, created by the first disk or image that imports.
 */
export function allowImporterEgress(tenant: Tenant): ApiObject {
  let policy = importerPolicies.get(tenant);
  if (!policy) {
    policy = tenant.namespaced('cdi-importer-egress', 'networking.k8s.io/v1', 'NetworkPolicy', 'allow-cdi-importer-egress', {
      spec: {
        podSelector: { matchLabels: { 'cdi.kubevirt.io': 'importer' } },
        policyTypes: ['Egress'],
        egress: [{ to: externalPeers(tenant) }],
      },
    });
    importerPolicies.set(tenant, policy);
    const cdi = Platform.of(tenant).registry.find(Cdi);
    // CDI's controller reads an import's progress from the importer pod's metrics endpoint (pod IP, port 8443).
    if (cdi) {
      tenant.namespaced('cdi-importer-progress', 'networking.k8s.io/v1', 'NetworkPolicy', 'allow-cdi-importer-progress', {
        spec: {
          podSelector: { matchLabels: { 'cdi.kubevirt.io': 'importer' } },
          policyTypes: ['Ingress'],
          ingress: [{ from: [namespacePeer(cdi.namespace)], ports: [{ protocol: 'TCP', port: 8443 }] }],
        },
      });
    }
  }
  return policy;
}
