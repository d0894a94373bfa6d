// Copies the schema bundle next to the compiled validator (tsc copies only what it compiles).
import * as fs from 'node:fs';

fs.cpSync('lib/validate/bundle', 'build/lib/validate/bundle', { recursive: true });
