import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Platform, SynthSummary } from '../core/platform';
import { SchemaRegistry, validateFiles, ValidationIssue } from '../validate';
import { loadStacks } from './load-stacks';
import { table } from './table';

export interface SynthOptions {
  readonly app: string;
  readonly stacks: readonly string[];
  readonly out: string;
  /** Schemas directory; validation is skipped when absent. */
  readonly schemas?: string;
}

interface StackReport {
  readonly name: string;
  readonly platform: Platform;
  readonly summary: SynthSummary;
  /** Objects per chart that is not a tenant's, by chart name. */
  readonly layers: Record<string, number>;
  readonly tenantObjects: number;
  readonly issues?: readonly ValidationIssue[];
  readonly seconds: number;
  readonly nodeFiles: number;
}

/** Synthesizes stacks into `<out>/<stack>/`, validates them and prints a summary. Returns the exit code. */
export function synth(options: SynthOptions, log: (line: string) => void = console.log): number {
  const reports = loadStacks(options.app, options.stacks).map(([name, stack]): StackReport => {
    const started = process.hrtime.bigint();
    const outdir = path.join(options.out, name);
    fs.rmSync(outdir, { recursive: true, force: true });
    const platform = stack.build(new App({ outdir }));
    const summary = platform.synth();
    const extra = stack.writeFiles?.(platform, outdir, options.schemas);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const layers: Record<string, number> = {};
    let tenantObjects = 0;
    for (const chart of summary.charts) {
      if (chart.role === 'tenant') tenantObjects += chart.objects;
      else layers[chart.name] = (layers[chart.name] ?? 0) + chart.objects;
    }
    let issues: ValidationIssue[] | undefined;
    if (options.schemas) {
      const registry = SchemaRegistry.load(options.schemas, { kubernetesVersion: `${platform.kubernetesVersion}.0` });
      issues = [...validateFiles(outdir, registry).issues, ...(extra?.issues ?? [])];
    }
    return { name, platform, summary, layers, tenantObjects, seconds, issues, nodeFiles: extra?.files.length ?? 0 };
  });
  log(
    table(
      ['stack', 'delivery', 'k8s', 'objects', 'releases', 'tenants', 'secrets', 'schemas', 'seconds'],
      reports.map((r) => [
        r.name,
        r.platform.delivery,
        r.platform.kubernetesVersion,
        r.summary.objects,
        r.summary.releases,
        r.summary.tenants,
        r.summary.secrets,
        r.issues === undefined ? 'skipped' : r.issues.length === 0 ? 'valid' : `${r.issues.length} errors`,
        r.seconds.toFixed(2),
      ]),
    ),
  );
  for (const r of reports) {
    const layers = Object.entries(r.layers)
      .map(([layer, n]) => `${layer} ${n}`)
      .join(', ');
    log(
      `\n${r.name} → ${path.join(options.out, r.name)}/\n  layers: ${layers || 'none'}\n  tenants: ${r.summary.tenants} (${r.tenantObjects} objects)\n  node files: ${r.nodeFiles}`,
    );
    const secrets = r.platform.secrets.all();
    if (secrets.length > 0) {
      log(`  secrets to provide: ${secrets.map((s) => `${s.namespace}/${s.ref.name} (${s.ref.source})`).join(', ')}`);
    }
    for (const issue of (r.issues ?? []).slice(0, 50)) log(`  ✗ ${issue.object} ${issue.path}: ${issue.message}`);
  }
  if (!options.schemas) log('\nschemas: not validated (set KUBESTRATA_SCHEMAS or pass --schemas <dir>)');
  return reports.some((r) => (r.issues?.length ?? 0) > 0) ? 1 : 0;
}
