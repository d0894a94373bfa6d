/**
 * `error` restated with the command that installs the package it did not find, when that package is one of `packages`
 * (optional peers of kubestrata); `error` itself otherwise.
 */
export function withInstallHint(error: unknown, packages: readonly string[], purpose: string): unknown {
  const missing = /^Cannot find module '([^']+)'/.exec((error as Error | undefined)?.message ?? '')?.[1];
  if (!missing || !packages.includes(missing)) return error;
  return new Error(
    `${purpose} needs ${packages.join(' and ')}, and ${missing} is not installed: npm install --save-dev ${packages.join(' ')}`,
  );
}
