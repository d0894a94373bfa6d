import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

/**
 * Runs a cdk8s app command as `cdk8s synth` does: through the shell in `dir`, with `CDK8S_OUTDIR` naming the output
 * directory, which it empties first.
 */
export function runAppCommand(command: string, dir: string, outdir: string): void {
  fs.rmSync(path.resolve(dir, outdir), { recursive: true, force: true });
  const run = spawnSync(command, { cwd: dir, shell: true, stdio: 'inherit', env: { ...process.env, CDK8S_OUTDIR: outdir } });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`app command "${command}" in ${dir} exited with ${run.status ?? run.signal}`);
  if (!fs.existsSync(path.resolve(dir, outdir))) {
    throw new Error(`app command "${command}" wrote nothing to ${outdir}: the app must call app.synth() with the App's default outdir`);
  }
}

/** Objects and releases (Flux HelmRelease, K3s HelmChart) in the YAML files below `dir`. */
export function countManifests(dir: string): { readonly objects: number; readonly releases: number } {
  let objects = 0;
  let releases = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.ya?ml$/.test(entry.name)) continue;
    for (const document of YAML.parseAllDocuments(fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8'))) {
      const value = document.toJS() as { kind?: unknown } | null;
      if (value === null || typeof value !== 'object') continue;
      objects++;
      if (value.kind === 'HelmRelease' || value.kind === 'HelmChart') releases++;
    }
  }
  return { objects, releases };
}
