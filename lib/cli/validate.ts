import { describeCelRuleCounts, SchemaRegistry, validateFiles } from '../validate';
import { schemasUsed } from './schemas-used';
import { table } from './table';

export interface ValidateOptions {
  readonly dir: string;
  /** Schema sources on top of the shipped bundle (directories or CRD files); a later one overrides an earlier one. */
  readonly schemas?: readonly string[];
  readonly kubernetesVersion: string;
}

/**
 * Validates every manifest below a directory strictly against the shipped schemas and the given sources; prints
 * issues per object, the objects of kinds no upstream schema exists for, and the schemas used. Returns the exit code.
 */
export function validate(options: ValidateOptions, log: (line: string) => void = console.log): number {
  const registry = SchemaRegistry.shipped({ kubernetesVersion: options.kubernetesVersion, extra: options.schemas });
  const report = validateFiles(options.dir, registry);
  for (const issue of report.issues) log(`${issue.file}: ${issue.object} ${issue.path}: ${issue.message}`);
  for (const note of report.notValidated) log(`${note.file}: ${note.object}: ${note.message}`);
  log(
    table(
      ['files', 'objects', 'errors', 'not validated'],
      [[report.files.length, report.objects, report.issues.length, report.notValidated.length]],
    ),
  );
  log(schemasUsed(registry, report.issues));
  log(describeCelRuleCounts(registry.celRuleCounts));
  return report.issues.length === 0 && report.objects > 0 ? 0 : 1;
}
