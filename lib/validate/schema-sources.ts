import * as fs from 'node:fs';
import * as path from 'node:path';
import { isJsonObject } from '../core/gvk';
import { CrdCatalog, CrdSource } from './crd-catalog';
import { JsonObject } from './types';

export interface SchemaRegistryOptions {
  /**
   * The Kubernetes API level to validate built-in kinds against: a directory name under
   * `schemas/kubernetes/`, e.g. `1.32.0`.
   * @default the highest version available
   */
  readonly kubernetesVersion?: string;
  /**
   * Version directory to use per component, for `crds/<component>/<version>/` and
   * `schemas/<source>/<version>/swagger.json` (e.g. `{ kubevirt: '1.8.4' }`).
   * @default the highest version of each
   */
  readonly versions?: Readonly<Record<string, string>>;
}

/** One JSON document of a schema source, read when first needed. */
export interface SchemaDocument {
  readonly version: string;
  /** Unique across sources for the same content: the file, or the document's place in the bundle. */
  readonly key: string;
  load(): JsonObject;
}

/**
 * The schemas one source provides: the shipped bundle, a directory laid out as `crds/<component>/<version>/*.yaml`,
 * `schemas/kubernetes/<version>/_definitions.json`, `schemas/<source>/<version>/swagger.json` and
 * `schemas/talos/<version>/config.schema.json`, a directory of CRD YAML, or one file of CRDs.
 */
export interface SchemaLayer {
  /** `shipped bundle` or the path the schemas were read from. */
  readonly name: string;
  readonly crds: CrdSource;
  /** `_definitions.json` of each Kubernetes version. */
  readonly kubernetes: readonly SchemaDocument[];
  /** Swagger documents of KubeVirt, CDI, … by source name. */
  readonly openApi: ReadonlyArray<SchemaDocument & { readonly source: string }>;
  /** Talos machine-config JSON Schemas. */
  readonly talos: readonly SchemaDocument[];
}

/** Sources under `schemas/` that are not OpenAPI documents of Kubernetes kinds. */
const NON_KIND_SOURCES: ReadonlySet<string> = new Set(['kubernetes', 'talos']);

/** A directory in the `crds/` + `schemas/` layout. Throws when it does not exist. */
export function schemaDirectoryLayer(dir: string, options: SchemaRegistryOptions = {}): SchemaLayer {
  const root = path.resolve(dir);
  if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`schema directory ${root} does not exist`);
  }
  const schemas = path.join(root, 'schemas');
  return {
    name: root,
    crds: scannedOnFirstUse(path.join(root, 'crds'), options.versions),
    kubernetes: documentsIn(path.join(schemas, 'kubernetes'), '_definitions.json'),
    openApi: subdirectories(schemas)
      .filter((source) => !NON_KIND_SOURCES.has(source))
      .flatMap((source) => documentsIn(path.join(schemas, source), 'swagger.json').map((document) => ({ ...document, source }))),
    talos: documentsIn(path.join(schemas, 'talos'), 'config.schema.json'),
  };
}

/**
 * A schema source given by a user: a directory in the `crds/` + `schemas/` layout, a directory of CRD YAML files, or
 * one YAML or JSON file of CRDs (several documents, or a `v1 List` as `kubectl get crd -o yaml` prints it).
 */
export function schemaSourceLayer(source: string, options: SchemaRegistryOptions = {}): SchemaLayer {
  const resolved = path.resolve(source);
  const stat = fs.statSync(resolved, { throwIfNoEntry: false });
  if (stat === undefined) {
    throw new Error(
      `schema source ${resolved} does not exist: pass a directory laid out as crds/ and schemas/, a directory of CRD YAML, ` +
        'or a YAML/JSON file of CRDs (kubectl get crd -o yaml > cluster-crds.yaml)',
    );
  }
  if (stat.isDirectory() && ['crds', 'schemas'].some((sub) => fs.existsSync(path.join(resolved, sub)))) {
    return schemaDirectoryLayer(resolved, options);
  }
  return { name: resolved, crds: scannedOnFirstUse(resolved), kubernetes: [], openApi: [], talos: [] };
}

/** The CRDs of a directory or file, listed when a kind is first looked up. */
function scannedOnFirstUse(crds: string, pinnedVersions?: Readonly<Record<string, string>>): CrdSource {
  let catalog: CrdCatalog | undefined;
  return { find: (gvk) => (catalog ??= CrdCatalog.scan(crds, pinnedVersions)).find(gvk) };
}

/** `<dir>/<version>/<file>` for every version subdirectory that holds the file. */
function documentsIn(dir: string, file: string): SchemaDocument[] {
  return subdirectories(dir)
    .filter((version) => fs.existsSync(path.join(dir, version, file)))
    .map((version) => {
      const key = path.join(dir, version, file);
      return { version, key, load: () => readJson(key) };
    });
}

function subdirectories(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
    .map((entry) => entry.name)
    .sort();
}

function readJson(file: string): JsonObject {
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!isJsonObject(parsed)) {
    throw new Error(`${file}: expected a JSON object`);
  }
  return parsed;
}
