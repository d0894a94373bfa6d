import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { gvkKey, isJsonObject } from '../core/gvk';
import type { CrdSource, CrdVersion } from './crd-catalog';
import type { SchemaDocument, SchemaLayer, SchemaRegistryOptions } from './schema-sources';
import { GroupVersionKind, JsonObject, ResourceScope } from './types';

/** The bundle in the package, built by `npm run schemas:bundle` (scripts/build-schema-bundle.ts); `npm run build` copies it. */
export const SHIPPED_BUNDLE_FILE = path.join(__dirname, 'bundle', 'schemas.json.br');

const FORMAT = 1;

/** A kind kubestrata emits whose schema no upstream source publishes, with the reason. */
export interface NoUpstreamSchema {
  readonly group: string;
  readonly kind: string;
  readonly reason: string;
}

/** What a bundle was built from: the upstream folder's version of each component. */
export interface BundleSource {
  /** CRD component → version directory, e.g. `cloudnative-pg: 1.28.2`. */
  readonly crds: Readonly<Record<string, string>>;
  readonly kubernetes: readonly string[];
  /** OpenAPI source (kubevirt, cdi) → versions. */
  readonly openApi: Readonly<Record<string, readonly string[]>>;
  readonly talos: readonly string[];
}

/** One served CRD version; `file` is relative to the upstream folder (`crds/<component>/<version>/<file>`). */
export interface BundledCrd extends GroupVersionKind {
  readonly scope: ResourceScope;
  readonly file: string;
  readonly schema: JsonObject;
}

/** Everything a bundle holds, as the build script assembles it (sorted, schemas already pruned). */
export interface SchemaBundleContents {
  readonly source: BundleSource;
  readonly noUpstreamSchema: readonly NoUpstreamSchema[];
  readonly crds: readonly BundledCrd[];
  readonly kubernetes: ReadonlyArray<{ readonly version: string; readonly document: JsonObject }>;
  readonly openApi: ReadonlyArray<{ readonly source: string; readonly version: string; readonly document: JsonObject }>;
  readonly talos: ReadonlyArray<{ readonly version: string; readonly document: JsonObject }>;
}

/** Byte offset and length of one JSON text in the data that follows the index. */
type Span = readonly [number, number];

interface BundleIndex {
  readonly format: number;
  readonly source: BundleSource;
  readonly noUpstreamSchema: readonly NoUpstreamSchema[];
  readonly crds: ReadonlyArray<Omit<BundledCrd, 'schema'> & { readonly schema: Span }>;
  readonly kubernetes: ReadonlyArray<{ readonly version: string; readonly document: Span }>;
  readonly openApi: ReadonlyArray<{ readonly source: string; readonly version: string; readonly document: Span }>;
  readonly talos: ReadonlyArray<{ readonly version: string; readonly document: Span }>;
}

/**
 * Encodes a bundle: one line of JSON index, then every schema as its own JSON text (so each is parsed only when
 * first used), brotli-compressed. The same contents always give the same bytes.
 */
export function encodeSchemaBundle(contents: SchemaBundleContents): Buffer {
  const texts: Buffer[] = [];
  let offset = 0;
  const span = (value: JsonObject): Span => {
    const text = Buffer.from(JSON.stringify(value), 'utf8');
    texts.push(text);
    offset += text.length;
    return [offset - text.length, text.length];
  };
  const index: BundleIndex = {
    format: FORMAT,
    source: contents.source,
    noUpstreamSchema: contents.noUpstreamSchema,
    crds: contents.crds.map(({ schema, ...crd }) => ({ ...crd, schema: span(schema) })),
    kubernetes: contents.kubernetes.map(({ version, document }) => ({ version, document: span(document) })),
    openApi: contents.openApi.map(({ source, version, document }) => ({ source, version, document: span(document) })),
    talos: contents.talos.map(({ version, document }) => ({ version, document: span(document) })),
  };
  const raw = Buffer.concat([Buffer.from(`${JSON.stringify(index)}\n`, 'utf8'), ...texts]);
  return zlib.brotliCompressSync(raw, {
    params: {
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
      [zlib.constants.BROTLI_PARAM_LGWIN]: zlib.constants.BROTLI_MAX_WINDOW_BITS,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
}

let shipped: SchemaBundle | undefined;

/** A decoded schema bundle: the index is read at once, each schema is parsed the first time it is asked for. */
export class SchemaBundle {
  /** The bundle in the package, decompressed once per process. */
  static shipped(): SchemaBundle {
    if (shipped === undefined) {
      if (!fs.existsSync(SHIPPED_BUNDLE_FILE)) {
        throw new Error(`the schema bundle ${SHIPPED_BUNDLE_FILE} is missing: run npm run build (npm run schemas:bundle makes it)`);
      }
      shipped = SchemaBundle.decode(fs.readFileSync(SHIPPED_BUNDLE_FILE), SHIPPED_BUNDLE_FILE);
    }
    return shipped;
  }

  static decode(compressed: Buffer, file: string): SchemaBundle {
    const raw = zlib.brotliDecompressSync(compressed);
    const newline = raw.indexOf('\n');
    const index = JSON.parse(raw.toString('utf8', 0, newline)) as BundleIndex;
    if (index.format !== FORMAT) {
      throw new Error(`${file}: schema bundle format ${index.format}, expected ${FORMAT}: run npm run schemas:bundle`);
    }
    return new SchemaBundle(file, index, raw.subarray(newline + 1));
  }

  private readonly parsed = new Map<number, JsonObject>();

  private constructor(
    readonly file: string,
    private readonly index: BundleIndex,
    private readonly data: Buffer,
  ) {}

  /** What the bundle was built from. */
  get source(): BundleSource {
    return this.index.source;
  }

  /** The reason the bundle gives for having no schema of a kind, if it declares one. */
  noUpstreamSchema(group: string, kind: string): string | undefined {
    return this.index.noUpstreamSchema.find((entry) => entry.group === group && entry.kind === kind)?.reason;
  }

  /** The bundle as a schema layer; `options.versions` leaves out components bundled at another version. */
  layer(options: SchemaRegistryOptions = {}): SchemaLayer {
    const pinned = options.versions ?? {};
    const kept = (component: string, version: string): boolean => (pinned[component] ?? version) === version;
    const crds = new Map<string, CrdVersion>();
    for (const { schema, ...crd } of this.index.crds) {
      const [, component = '', componentVersion = ''] = crd.file.split('/');
      if (kept(component, componentVersion)) {
        const parse = (): JsonObject => this.parse(schema);
        crds.set(gvkKey(crd), {
          ...crd,
          file: `${this.file}:${crd.file}`,
          get schema() {
            return parse();
          },
        });
      }
    }
    const document = (key: string, span: Span, version: string): SchemaDocument => ({
      version,
      key: `${this.file}:${key}`,
      load: () => this.parse(span),
    });
    return {
      name: 'shipped bundle',
      crds: { find: (gvk) => crds.get(gvkKey(gvk)) } satisfies CrdSource,
      kubernetes: this.index.kubernetes.map((k) => document(`kubernetes/${k.version}`, k.document, k.version)),
      openApi: this.index.openApi
        .filter((o) => kept(o.source, o.version))
        .map((o) => ({ ...document(`${o.source}/${o.version}`, o.document, o.version), source: o.source })),
      talos: this.index.talos.map((t) => document(`talos/${t.version}`, t.document, t.version)),
    };
  }

  private parse([offset, length]: Span): JsonObject {
    let value = this.parsed.get(offset);
    if (value === undefined) {
      const parsed: unknown = JSON.parse(this.data.toString('utf8', offset, offset + length));
      value = isJsonObject(parsed) ? parsed : {};
      this.parsed.set(offset, value);
    }
    return value;
  }
}
