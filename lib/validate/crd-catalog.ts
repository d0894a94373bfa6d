import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { gvkKey, isJsonObject } from '../core/gvk';
import { GroupVersionKind, JsonObject, ResourceScope } from './types';
import { skimGroupsAndKinds } from './crd-skim';
import { compareVersions } from './version-order';

/** One served version of a CustomResourceDefinition. */
export interface CrdVersion extends GroupVersionKind {
  readonly scope: ResourceScope;
  /** The version's `schema.openAPIV3Schema` as written in the CRD. */
  readonly schema: JsonObject;
  /** The file the CRD was read from. */
  readonly file: string;
}

interface CrdFile {
  readonly file: string;
  /** `crds/<component>/<version>/…`: the component and its version directory, when the file sits there. */
  readonly component?: string;
  readonly componentVersion?: string;
  /** spec.group and spec.names.kind of each document, read cheaply from the text; undefined where unreadable. */
  readonly kinds: ReadonlyArray<{ readonly group?: string; readonly kind?: string }>;
}

/** Finds the served CRD version of a kind. */
export interface CrdSource {
  find(gvk: GroupVersionKind): CrdVersion | undefined;
}

/**
 * The CustomResourceDefinitions under a `crds/` directory (or in one file), found by group/version/kind. Files are
 * only listed and skimmed on creation (spec.group and spec.names.kind are read from the text); a file is parsed in
 * full the first time a kind it may define is looked up.
 */
export class CrdCatalog implements CrdSource {
  static scan(crdsDir: string, pinnedVersions: Readonly<Record<string, string>> = {}): CrdCatalog {
    const isFile = fs.statSync(crdsDir, { throwIfNoEntry: false })?.isFile() ?? false;
    const files = (isFile ? [crdsDir] : listYamlFiles(crdsDir))
      .map((file) => ({ file, ...componentOf(crdsDir, file) }))
      .filter((entry) => {
        const pinned = entry.component === undefined ? undefined : pinnedVersions[entry.component];
        return pinned === undefined || pinned === entry.componentVersion;
      })
      .map((entry): CrdFile => ({ ...entry, kinds: skimGroupsAndKinds(entry.file) }));
    return new CrdCatalog(files);
  }

  private readonly parsedFiles = new Set<string>();
  private readonly versions = new Map<string, Array<CrdVersion & { readonly precedence: string }>>();

  private constructor(private readonly files: readonly CrdFile[]) {}

  /** The served CRD version for a kind; when several files define it, the one from the highest component version. */
  find(gvk: GroupVersionKind): CrdVersion | undefined {
    for (const candidate of this.files) {
      const mayDefine = candidate.kinds.some(
        ({ group, kind }) => (group === undefined || group === gvk.group) && (kind === undefined || kind === gvk.kind),
      );
      if (mayDefine && !this.parsedFiles.has(candidate.file)) {
        this.parse(candidate);
      }
    }
    const found = this.versions.get(gvkKey(gvk)) ?? [];
    return [...found].sort((a, b) => compareVersions(a.precedence, b.precedence)).pop();
  }

  /** Every served CRD version, as find returns it for its kind, ordered by group, kind and version. */
  all(): CrdVersion[] {
    this.files.filter((file) => !this.parsedFiles.has(file.file)).forEach((file) => this.parse(file));
    return [...this.versions.values()]
      .map(([first]) => this.find(first!)!)
      .sort((a, b) => byCodePoint(a.group, b.group) || byCodePoint(a.kind, b.kind) || compareVersions(a.version, b.version));
  }

  private parse(entry: CrdFile): void {
    this.parsedFiles.add(entry.file);
    for (const crd of readCrds(entry.file)) {
      for (const version of servedVersions(crd, entry.file)) {
        const key = gvkKey(version);
        const list = this.versions.get(key) ?? [];
        list.push({ ...version, precedence: entry.componentVersion ?? '' });
        this.versions.set(key, list);
      }
    }
  }
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function listYamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() || (entry.isSymbolicLink() && fs.statSync(full, { throwIfNoEntry: false })?.isDirectory())) {
      files.push(...listYamlFiles(full));
    } else if (/\.ya?ml$/i.test(entry.name)) {
      files.push(full);
    }
  }
  return files;
}

function componentOf(crdsDir: string, file: string): { component?: string; componentVersion?: string } {
  const parts = path.relative(crdsDir, file).split(path.sep);
  return parts.length === 3 ? { component: parts[0], componentVersion: parts[1] } : {};
}

function readCrds(file: string): JsonObject[] {
  const crds: JsonObject[] = [];
  for (const document of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    if (document.errors.length > 0) {
      throw new Error(`${file}: invalid YAML: ${document.errors[0]?.message.split('\n')[0]}`);
    }
    const value: unknown = document.toJS({ maxAliasCount: -1 });
    const items = isJsonObject(value) && value.kind === 'List' && Array.isArray(value.items) ? value.items : [value];
    for (const item of items) {
      if (isJsonObject(item) && item.kind === 'CustomResourceDefinition' && item.apiVersion === 'apiextensions.k8s.io/v1') {
        crds.push(item);
      }
    }
  }
  return crds;
}

function servedVersions(crd: JsonObject, file: string): CrdVersion[] {
  const spec = isJsonObject(crd.spec) ? crd.spec : {};
  const names = isJsonObject(spec.names) ? spec.names : {};
  const { group } = spec;
  const { kind } = names;
  if (typeof group !== 'string' || typeof kind !== 'string' || !Array.isArray(spec.versions)) {
    return [];
  }
  const scope: ResourceScope = spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced';
  return spec.versions.filter(isJsonObject).flatMap((version): CrdVersion[] => {
    if (version.served !== true || typeof version.name !== 'string') {
      return [];
    }
    const declared = isJsonObject(version.schema) ? version.schema.openAPIV3Schema : undefined;
    // A version without a schema keeps whatever it is given.
    const schema = isJsonObject(declared) ? declared : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    return [{ group, version: version.name, kind, scope, schema, file }];
  });
}
