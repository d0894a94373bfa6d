import { describeCelRuleCounts, SchemaRegistry, validateFiles } from '../validate';
import { table } from './table';

export interface ValidateOptions {
  readonly dir: string;
  readonly schemas: string;
  readonly kubernetesVersion: string;
}

/** Validates every manifest below a directory strictly; prints issues per object. Returns the exit code. */
export function validate(options: ValidateOptions, log: (line: string) => void = console.log): number {
  const registry = SchemaRegistry.load(options.schemas, { kubernetesVersion: options.kubernetesVersion });
  const report = validateFiles(options.dir, registry);
  for (const issue of report.issues) log(`${issue.file}: ${issue.object} ${issue.path}: ${issue.message}`);
  log(table(['files', 'objects', 'errors'], [[report.files.length, report.objects, report.issues.length]]));
  log(describeCelRuleCounts(registry.celRuleCounts));
  return report.issues.length === 0 && report.objects > 0 ? 0 : 1;
}
