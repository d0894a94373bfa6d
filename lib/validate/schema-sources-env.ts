import * as path from 'node:path';

/**
 * The schema sources named by the `KUBESTRATA_SCHEMAS` environment variable, separated like PATH (`:` on Linux and
 * macOS); none when it is unset or empty.
 */
export function schemaSourcesFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.KUBESTRATA_SCHEMAS ?? '')
    .split(path.delimiter)
    .map((source) => source.trim())
    .filter((source) => source !== '');
}
