import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import type { SchemaRegistry } from './schema-registry';
import { FileValidationIssue, FilesValidationReport } from './types';

/** Directories of node configuration (Talos machine config, K3s config.yaml): not Kubernetes objects. */
const NODE_CONFIG_DIRECTORY = 'nodes';

/**
 * Validates every Kubernetes object in the given YAML files, or in the `*.yaml`/`*.yml` files below the given
 * directories (skipping directories named `nodes`). Files may hold several documents; empty documents are
 * skipped. YAML syntax errors are reported as issues of the document they occur in. Objects of kinds no upstream
 * schema exists for are listed apart, as not validated.
 */
export function validateFiles(paths: string | readonly string[], registry: SchemaRegistry): FilesValidationReport {
  const files = [...new Set((typeof paths === 'string' ? [paths] : paths).flatMap(manifestFiles))].sort();
  const issues: FileValidationIssue[] = [];
  const notValidated: FileValidationIssue[] = [];
  let objects = 0;
  for (const file of files) {
    const documents = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'));
    documents.forEach((document, index) => {
      if (document.errors.length > 0) {
        const message = document.errors.map((error) => error.message.split('\n')[0]).join('; ');
        issues.push({ file, object: `document ${index + 1}`, path: '/', message: `invalid YAML: ${message}` });
        return;
      }
      const value: unknown = document.toJS({ maxAliasCount: -1 });
      if (value === null || value === undefined) {
        return;
      }
      objects++;
      issues.push(...registry.validate(value).map((issue) => ({ file, ...issue })));
      notValidated.push(...registry.notValidated(value).map((note) => ({ file, ...note })));
    });
  }
  return { files, objects, issues, notValidated };
}

function manifestFiles(target: string): string[] {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (stat === undefined) {
    throw new Error(`${target} does not exist`);
  }
  if (!stat.isDirectory()) {
    return [target];
  }
  return fs.readdirSync(target, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) {
      return entry.name === NODE_CONFIG_DIRECTORY ? [] : manifestFiles(full);
    }
    return /\.ya?ml$/i.test(entry.name) ? [full] : [];
  });
}
