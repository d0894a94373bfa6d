// Checks the import rules of .dependency-cruiser.cjs on a source tree (the repository, or the tree given as the first
// argument) and prints each offending import. Runs dependency-cruiser through its API: its command line refuses
// Node 20, which kubestrata supports.
import { createRequire } from 'module';
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { cruise } from 'dependency-cruiser';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['index.ts', 'lib', 'constructs', 'stacks', 'examples'];

const base = path.resolve(process.argv[2] ?? ROOT);
const { forbidden, options } = createRequire(import.meta.url)(path.join(ROOT, '.dependency-cruiser.cjs'));

process.chdir(base);
const result = await cruise(
  SOURCES.filter((source) => fs.existsSync(source)),
  {
    ...options,
    baseDir: base,
    validate: true,
    ruleSet: { forbidden, options },
    outputType: 'err',
  },
);
process.stdout.write(result.output);
process.exitCode = result.exitCode === 0 ? 0 : 1;
