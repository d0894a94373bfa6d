/** One Talos machine-config document: the v1alpha1 config (no `kind`) or a `kind`ed document. */
export type TalosDocument = Record<string, unknown>;

/** The strategic-merge directive that removes a key from the config being patched. */
export const TALOS_PATCH_DELETE = Object.freeze({ $patch: 'delete' });

function isDelete(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as any).$patch === 'delete';
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The patch as its fields will be read: merge directives removed, as the schema knows nothing of them. */
export function withoutPatchDirectives<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutPatchDirectives) as T;
  if (!isMap(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (!isDelete(item)) out[key] = withoutPatchDirectives(item);
  return out as T;
}

/** The identity Talos merges documents by: the kind (none for v1alpha1) and the name. */
function identity(doc: TalosDocument): string {
  return `${String(doc.kind ?? 'v1alpha1')}/${String(doc.name ?? '')}`;
}

/**
 * Applies patch documents to a complete config: maps merge key by key, `$patch: delete` removes a key, lists
 * and scalars from the patch replace the base. Documents of a new kind or name are appended.
 */
export function mergeTalosDocuments(base: readonly TalosDocument[], patch: readonly TalosDocument[]): TalosDocument[] {
  const out = base.map((doc) => mergeValue(undefined, doc) as TalosDocument);
  for (const doc of patch) {
    const index = out.findIndex((d) => identity(d) === identity(doc));
    if (index >= 0) out[index] = mergeValue(out[index], doc) as TalosDocument;
    else out.push(withoutPatchDirectives(doc));
  }
  return out;
}

function mergeValue(base: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return Array.isArray(patch) ? withoutPatchDirectives(patch) : patch;
  const out: Record<string, unknown> = isMap(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (isDelete(value)) delete out[key];
    else out[key] = mergeValue(out[key], value);
  }
  return out;
}
