/** A POSIX shell word that stands for `value` exactly. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `set -eu`, a private temporary directory `$dir` removed on exit, then `body`. */
export function shellScript(body: readonly string[]): string {
  return ['set -eu', 'umask 077', 'dir=$(mktemp -d)', `trap 'rm -rf "$dir"' EXIT`, ...body, ''].join('\n');
}

/** Lines that run `command` every 10 seconds until it succeeds, for at most `$TIMEOUT` seconds. */
export function retryLines(what: string, command: string): string[] {
  return [
    'deadline=$(( $(date +%s) + TIMEOUT ))',
    `until ${command}; do`,
    '  if [ "$(date +%s)" -ge "$deadline" ]; then',
    `    echo "timed out after $TIMEOUT seconds: "${shellQuote(what)} >&2`,
    '    exit 1',
    '  fi',
    '  sleep 10',
    'done',
  ];
}

/** A line that writes `content` to `path` with `mode`, carried as base64 so that no content can break the script. */
export function writeFileLine(path: string, content: string, mode: string): string {
  const encoded = Buffer.from(content, 'utf8').toString('base64');
  return `printf '%s' '${encoded}' | base64 -d > ${shellQuote(path)} && chmod ${mode} ${shellQuote(path)}`;
}
