/**
 * Builds the schema bundle the package ships (lib/validate/bundle/schemas.json.br) from an upstream schema folder
 * laid out as `crds/<component>/<version>/*.yaml` and `schemas/{kubernetes,kubevirt,cdi,talos}/<version>/`:
 *
 *   npm run schemas:bundle [-- <upstream folder>]     (default ../shared)
 *
 * It keeps every served version of every CRD (a few hundred kB compressed, and it covers the custom resources users
 * write for the operators kubestrata installs, not only the kinds it emits), the Kubernetes definitions of every
 * version in the folder, the KubeVirt and CDI OpenAPI documents, and the Talos schemas of the Talos versions
 * kubestrata pins. Documentation is dropped (`description`); every validation keyword and `x-kubernetes-*`
 * extension stays. The same folder always gives the same bytes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isJsonObject } from '../lib/core/gvk';
import { CrdCatalog } from '../lib/validate/crd-catalog';
import {
  BundleSource,
  encodeSchemaBundle,
  NoUpstreamSchema,
  SHIPPED_BUNDLE_FILE,
  SchemaBundleContents,
} from '../lib/validate/schema-bundle';
import { SchemaDocument, schemaDirectoryLayer } from '../lib/validate/schema-sources';
import { JsonObject } from '../lib/validate/types';
import { highestVersion } from '../lib/validate/version-order';
import { versions } from '../lib/versions';

const CILIUM_RUNTIME_CRDS =
  'cilium-operator registers the Cilium CRDs at run time; no CRD YAML of a Cilium 1.19 release is available upstream';

/**
 * Kinds kubestrata emits, or users write beside what it emits, whose schema no upstream source publishes. Objects of
 * these kinds are reported as not validated, with the reason, instead of as errors.
 */
export const NO_UPSTREAM_SCHEMA: readonly NoUpstreamSchema[] = [
  { group: 'cilium.io', kind: 'CiliumClusterwideNetworkPolicy', reason: CILIUM_RUNTIME_CRDS },
  { group: 'cilium.io', kind: 'CiliumL2AnnouncementPolicy', reason: CILIUM_RUNTIME_CRDS },
  { group: 'cilium.io', kind: 'CiliumLoadBalancerIPPool', reason: CILIUM_RUNTIME_CRDS },
  { group: 'cilium.io', kind: 'CiliumNetworkPolicy', reason: CILIUM_RUNTIME_CRDS },
];

/** The Talos versions whose machine-config schema ships: the one kubestrata pins. */
export const BUNDLED_TALOS_VERSIONS: readonly string[] = [versions.talos.version.replace(/^v/, '')];

/** Keywords that only document a schema. */
const DOCUMENTATION = new Set(['description', 'markdownDescription', 'x-intellij-html-description']);
/** Keywords whose value is a schema, a list of schemas, or a map from names to schemas. */
const SCHEMA_KEYWORDS = new Set([
  'items',
  'additionalItems',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'allOf',
  'anyOf',
  'oneOf',
  'prefixItems',
]);
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas']);

/** A schema without its documentation keywords; field names (the keys of `properties`, …) and values are kept as they are. */
export function withoutDocumentation(schema: unknown): unknown {
  if (Array.isArray(schema)) {
    return schema.map(withoutDocumentation);
  }
  if (!isJsonObject(schema)) {
    return schema;
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DOCUMENTATION.has(key)) {
      continue;
    }
    if (SCHEMA_MAP_KEYWORDS.has(key) && isJsonObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, withoutDocumentation(child)]));
    } else {
      out[key] = SCHEMA_KEYWORDS.has(key) ? withoutDocumentation(value) : value;
    }
  }
  return out;
}

/** The bundle of an upstream schema folder, encoded. */
export function buildSchemaBundle(upstream: string): Buffer {
  return encodeSchemaBundle(schemaBundleContents(upstream));
}

export function schemaBundleContents(upstream: string): SchemaBundleContents {
  const root = path.resolve(upstream);
  const crdsDir = path.join(root, 'crds');
  const components = Object.fromEntries(
    subdirectories(crdsDir).flatMap((component) => {
      const version = highestVersion(subdirectories(path.join(crdsDir, component)));
      return version === undefined ? [] : [[component, version]];
    }),
  );
  const layer = schemaDirectoryLayer(root);
  const talos = BUNDLED_TALOS_VERSIONS.map((version) => {
    const document = layer.talos.find((t) => t.version === version);
    if (document === undefined) {
      throw new Error(`${root} has no schemas/talos/${version}/config.schema.json, the Talos version kubestrata pins`);
    }
    return { version, document: pruned(document) };
  });
  const source: BundleSource = {
    crds: components,
    kubernetes: layer.kubernetes.map((k) => k.version),
    openApi: Object.fromEntries(
      [...new Set(layer.openApi.map((o) => o.source))].map((name) => [
        name,
        layer.openApi.filter((o) => o.source === name).map((o) => o.version),
      ]),
    ),
    talos: BUNDLED_TALOS_VERSIONS,
  };
  return {
    source,
    noUpstreamSchema: NO_UPSTREAM_SCHEMA,
    crds: CrdCatalog.scan(crdsDir, components)
      .all()
      .map((crd) => ({
        group: crd.group,
        version: crd.version,
        kind: crd.kind,
        scope: crd.scope,
        file: path.relative(root, crd.file).split(path.sep).join('/'),
        schema: withoutDocumentation(crd.schema) as JsonObject,
      })),
    kubernetes: layer.kubernetes.map((k) => ({ version: k.version, document: pruned(k) })),
    openApi: layer.openApi.map((o) => ({ source: o.source, version: o.version, document: prunedSwagger(o.load()) })),
    talos,
  };
}

function pruned(document: SchemaDocument): JsonObject {
  return withoutDocumentation(document.load()) as JsonObject;
}

/** A swagger document's definitions, and of its paths only what names each kind: the body a POST takes. */
function prunedSwagger(document: JsonObject): JsonObject {
  const paths: JsonObject = {};
  for (const [apiPath, operations] of Object.entries(isJsonObject(document.paths) ? document.paths : {})) {
    const post = isJsonObject(operations) ? operations.post : undefined;
    const parameters = isJsonObject(post) && Array.isArray(post.parameters) ? post.parameters : [];
    const body = parameters.find((p): p is JsonObject => isJsonObject(p) && p.in === 'body' && isJsonObject(p.schema));
    if (body !== undefined) {
      paths[apiPath] = { post: { parameters: [{ in: 'body', schema: body.schema }] } };
    }
  }
  return { ...(withoutDocumentation({ definitions: document.definitions }) as JsonObject), paths };
}

function subdirectories(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

if (require.main === module) {
  const upstream = process.argv[2] ?? path.resolve(__dirname, '../../shared');
  const started = Date.now();
  const bundle = buildSchemaBundle(upstream);
  fs.mkdirSync(path.dirname(SHIPPED_BUNDLE_FILE), { recursive: true });
  fs.writeFileSync(SHIPPED_BUNDLE_FILE, bundle);
  console.log(
    `${SHIPPED_BUNDLE_FILE}: ${bundle.length} bytes from ${path.resolve(upstream)} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
