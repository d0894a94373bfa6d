/** The schema directory named by the `KUBESTRATA_SCHEMAS` environment variable, or undefined when it is unset. */
export function schemasDirFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env.KUBESTRATA_SCHEMAS;
  return dir === undefined || dir.trim() === '' ? undefined : dir;
}
