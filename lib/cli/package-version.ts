import * as fs from 'fs';
import * as path from 'path';

/** kubestrata's version, from the package.json above this file (lib/cli in the sources, build/lib/cli when built). */
export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'kubestrata' && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) throw new Error(`no kubestrata package.json above ${from}`);
  }
}
