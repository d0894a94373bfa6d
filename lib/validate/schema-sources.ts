import * as fs from 'node:fs';
import * as path from 'node:path';
import { highestVersion } from './version-order';

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

/** The files a registry reads, found in a schema directory. */
export interface SchemaSourceFiles {
  /** The schema directory, resolved. */
  readonly dir: string;
  /** `<dir>/crds`: CustomResourceDefinitions, at any depth. */
  readonly crdsDir: string;
  /** `schemas/kubernetes/<version>/_definitions.json`, when there is one. */
  readonly kubernetes?: { readonly version: string; readonly file: string };
  /** `schemas/<source>/<version>/swagger.json` of KubeVirt, CDI, …, with the `$id` each gets in Ajv. */
  readonly openApi: ReadonlyArray<{ readonly id: string; readonly file: string }>;
}

/** Sources under `schemas/` that are not OpenAPI documents of Kubernetes kinds. */
const NON_KIND_SOURCES: ReadonlySet<string> = new Set(['kubernetes', 'talos']);

/**
 * Finds the schema files in a directory laid out as `crds/<component>/<version>/*.yaml`,
 * `schemas/kubernetes/<version>/_definitions.json` and `schemas/<source>/<version>/swagger.json`, choosing the
 * requested or highest version of each. Throws when the directory or a requested Kubernetes version is missing.
 */
export function findSchemaSources(dir: string, options: SchemaRegistryOptions = {}): SchemaSourceFiles {
  const root = path.resolve(dir);
  if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`schema directory ${root} does not exist`);
  }
  const versions = options.versions ?? {};
  const kubernetesDir = path.join(root, 'schemas', 'kubernetes');
  const available = versionsWith(kubernetesDir, '_definitions.json');
  if (options.kubernetesVersion !== undefined && !available.includes(options.kubernetesVersion)) {
    throw new Error(
      `no Kubernetes schemas for version ${options.kubernetesVersion} in ${kubernetesDir} ` +
        `(available: ${available.join(', ') || 'none'})`,
    );
  }
  const kubernetesVersion = options.kubernetesVersion ?? highestVersion(available);
  const openApi = subdirectories(path.join(root, 'schemas'))
    .filter((source) => !NON_KIND_SOURCES.has(source))
    .flatMap((source) => {
      const sourceDir = path.join(root, 'schemas', source);
      const withSwagger = versionsWith(sourceDir, 'swagger.json');
      const version = versions[source] ?? highestVersion(withSwagger);
      return version !== undefined && withSwagger.includes(version)
        ? [{ id: `${source}-${version}.json`, file: path.join(sourceDir, version, 'swagger.json') }]
        : [];
    });
  return {
    dir: root,
    crdsDir: path.join(root, 'crds'),
    kubernetes:
      kubernetesVersion === undefined
        ? undefined
        : { version: kubernetesVersion, file: path.join(kubernetesDir, kubernetesVersion, '_definitions.json') },
    openApi,
  };
}

/** The version subdirectories of a directory that hold the given file. */
function versionsWith(dir: string, file: string): string[] {
  return subdirectories(dir).filter((version) => fs.existsSync(path.join(dir, version, file)));
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
