import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findTool, requireTool } from '../../system-tools';

/**
 * Runs a daemon's own configuration check (`haproxy -c -f`, `nginx -t -c`) on generated text. Where the binary is
 * not installed the check is skipped with one printed line. `relocate` moves paths of the container into the scratch
 * directory.
 */
export function checkWith(
  binary: string,
  args: readonly string[],
  text: string,
  file: string,
  relocate?: (text: string, dir: string) => string,
): void {
  if (!requireTool(binary)) return;
  const found = findTool(binary)!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kubestrata-${binary}-`));
  try {
    const target = path.join(dir, file);
    fs.writeFileSync(target, relocate ? relocate(text, dir) : text);
    execFileSync(found, [...args, target], { stdio: 'pipe' });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`${binary} rejected ${file}:\n${err.stderr?.toString() ?? err.message}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
