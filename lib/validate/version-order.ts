/**
 * Orders version directory names such as `1.28.0`, `1.32.0`, `0.45.1-rc1`, `26.3.6-edge`:
 * numeric parts compare as numbers, and a release sorts after its pre-releases.
 */
export function compareVersions(a: string, b: string): number {
  const [aCore, ...aPre] = a.replace(/^v/, '').split('-');
  const [bCore, ...bPre] = b.replace(/^v/, '').split('-');
  const byCore = compareDotted(aCore ?? '', bCore ?? '');
  if (byCore !== 0) {
    return byCore;
  }
  if (aPre.length === 0 || bPre.length === 0) {
    return bPre.length - aPre.length;
  }
  return compareDotted(aPre.join('-'), bPre.join('-'));
}

function compareDotted(a: string, b: string): number {
  const aParts = a.split(/[.\-+]/);
  const bParts = b.split(/[.\-+]/);
  for (let i = 0; i < Math.max(aParts.length, bParts.length); i++) {
    const x = aParts[i] ?? '';
    const y = bParts[i] ?? '';
    const byNumber = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : 0;
    const order = byNumber !== 0 ? byNumber : x.localeCompare(y);
    if (order !== 0) {
      return order;
    }
  }
  return 0;
}

/** The highest of the given versions, or undefined for none. */
export function highestVersion(versions: readonly string[]): string | undefined {
  return [...versions].sort(compareVersions).pop();
}
