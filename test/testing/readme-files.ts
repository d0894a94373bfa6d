import * as fs from 'fs';
import * as path from 'path';

export const README = path.resolve(__dirname, '../../README.md');

/** The README's code blocks that follow a `<!-- file: <name> -->` line, by name: the files its examples consist of. */
export function readmeFiles(readme = fs.readFileSync(README, 'utf8')): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [, name, content] of readme.matchAll(/^<!-- file: (\S+) -->\n\n```\w*\n([\s\S]*?)^```$/gm)) files[name] = content;
  return files;
}

/** The first TypeScript block of the README's "Use it from your own repository" section: the example a new user runs first. */
export function readmeUsageExample(readme = fs.readFileSync(README, 'utf8')): string {
  const section = readme.slice(readme.indexOf('## Use it from your own repository'));
  const block = /^```ts\n([\s\S]*?)^```$/m.exec(section);
  if (!block) throw new Error('README: no ```ts block under "Use it from your own repository"');
  return block[1];
}
