import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Platform, SynthSummary } from '../core/platform';
import { SchemaRegistry, validateFiles, ValidationIssue } from '../validate';
import { schemasUsed } from './schemas-used';
import { loadStacks } from './load-stacks';
import { table } from './table';

export interface SynthOptions {
  readonly app: string;
  readonly stacks: readonly string[];
  readonly out: string;
  /** Schema sources on top of the shipped bundle (directories or CRD files); a later one overrides an earlier one. */
  readonly schemas?: readonly string[];
}

interface StackReport {
  readonly name: string;
  readonly platform: Platform;
  readonly summary: SynthSummary;
  /** Objects per chart that is not a tenant's, by chart name. */
  readonly layers: Record<string, number>;
  readonly tenantObjects: number;
  readonly issues: readonly ValidationIssue[];
  /** Objects of kinds no upstream schema exists for. */
  readonly notValidated: readonly ValidationIssue[];
  readonly seconds: number;
  readonly nodeFiles: number;
}

/**
 * Synthesizes stacks into `<out>/<stack>/`, validates them against the shipped schemas and the given sources, and
 * prints a summary. Returns the exit code.
 */
export function synth(options: SynthOptions, log: (line: string) => void = console.log): number {
  let registry: SchemaRegistry | undefined;
  const reports = loadStacks(options.app, options.stacks).map(([name, stack]): StackReport => {
    const started = process.hrtime.bigint();
    const outdir = path.join(options.out, name);
    fs.rmSync(outdir, { recursive: true, force: true });
    const platform = stack.build(new App({ outdir }));
    const summary = platform.synth();
    registry = SchemaRegistry.shipped({ kubernetesVersion: `${platform.kubernetesVersion}.0`, extra: options.schemas });
    const extra = stack.writeFiles?.(platform, outdir, registry);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const layers: Record<string, number> = {};
    let tenantObjects = 0;
    for (const chart of summary.charts) {
      if (chart.role === 'tenant') tenantObjects += chart.objects;
      else layers[chart.name] = (layers[chart.name] ?? 0) + chart.objects;
    }
    const report = validateFiles(outdir, registry);
    const issues = [...report.issues, ...(extra?.issues ?? [])];
    const { notValidated } = report;
    return { name, platform, summary, layers, tenantObjects, seconds, issues, notValidated, nodeFiles: extra?.files.length ?? 0 };
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
        r.issues.length === 0 ? 'valid' : `${r.issues.length} errors`,
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
    if (r.notValidated.length > 0) log(`  not validated (no upstream schema): ${r.notValidated.map((n) => n.object).join(', ')}`);
    for (const issue of r.issues.slice(0, 50)) log(`  ✗ ${issue.object} ${issue.path}: ${issue.message}`);
  }
  if (registry)
    log(
      `\n${schemasUsed(
        registry,
        reports.flatMap((r) => r.issues),
      )}`,
    );
  return reports.some((r) => r.issues.length > 0) ? 1 : 0;
}
