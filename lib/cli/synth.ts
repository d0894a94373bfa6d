import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import type { Platform, SynthSummary } from '../core/platform';
import { SchemaRegistry, validateFiles, ValidationIssue } from '../validate';
import { countManifests, runAppCommand } from './app-command';
import { schemasUsed } from './schemas-used';
import { AppSelection, appSource } from './app-source';
import { loadModule } from './load-module';
import { exportsStacks, selectStacks } from './load-stacks';
import { StackDefinition } from './stack';
import { table } from './table';

export interface SynthOptions extends AppSelection {
  /** Output directory. @default cdk8s.yaml's `output`, else `dist` */
  readonly out?: string;
  /** Schema sources on top of the shipped bundle (directories or CRD files); a later one overrides an earlier one. */
  readonly schemas?: readonly string[];
}

/** One synthesized platform: what the table shows; '-' where a command that is not loaded here leaves it unknown. */
interface Report {
  readonly name: string;
  readonly outdir: string;
  readonly delivery: string;
  readonly kubernetesVersion: string;
  readonly objects: number;
  readonly releases: number;
  readonly tenants: number | '-';
  readonly secrets: number | '-';
  /** Objects per chart that is not a tenant's, by chart name, and the tenants' objects. */
  readonly layers?: { readonly byChart: Record<string, number>; readonly tenantObjects: number };
  readonly secretsToProvide: readonly string[];
  readonly seconds: number;
  readonly nodeFiles?: number;
  readonly issues: readonly ValidationIssue[];
  /** Objects of kinds no upstream schema exists for. */
  readonly notValidated: readonly ValidationIssue[];
}

/**
 * Synthesizes the app `appSource` picks, validates what it wrote and prints a summary. Returns the exit code. Reference
 * stacks and modules that export `stacks` go to `<out>/<stack>/`; a cdk8s app writes to `<out>/` as `cdk8s synth` does.
 */
export function synth(options: SynthOptions, log: (line: string) => void = console.log): number {
  const source = appSource(options);
  const dir = path.resolve(options.dir ?? '.');
  let reports: Report[];
  if (source.kind === 'command') {
    const out = options.out ?? source.output ?? 'dist';
    const started = process.hrtime.bigint();
    runAppCommand(source.command, dir, out);
    const outdir = path.resolve(dir, out);
    const counted = countManifests(outdir);
    const seconds = secondsSince(started);
    const report = { name: 'app', outdir, delivery: '-', kubernetesVersion: '-', ...counted, tenants: '-', secrets: '-' } as const;
    reports = [{ ...report, secretsToProvide: [], seconds, ...validated(outdir, '1.32', options.schemas) }];
  } else {
    const out = path.resolve(dir, options.out ?? (source.kind === 'cdk8s' ? source.output : undefined) ?? 'dist');
    const stacks = source.kind === 'module' ? source.stacks : [];
    const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-synth-'));
    try {
      const started = process.hrtime.bigint();
      const loaded = loadModule(source.file, { outdir: staging, typeCheck: source.typeCheck });
      if (exportsStacks(loaded.exports)) {
        reports = selectStacks(source.file, loaded.exports, stacks).map(([name, stack]) => synthStack(name, stack, out, options.schemas));
      } else if (stacks.length > 0) {
        throw new Error(`${source.file} does not export "stacks" to select from; run it without --stack`);
      } else {
        reports = appReports(source.file, loaded.platforms, staging, out, secondsSince(started), options.schemas);
      }
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }
  print(reports, log);
  const issues = reports.flatMap((r) => r.issues);
  log(`\n${schemasUsed(schemasFor('1.32', options.schemas), issues)}`);
  return issues.length > 0 ? 1 : 0;
}

function synthStack(name: string, stack: StackDefinition, out: string, schemas: readonly string[] | undefined): Report {
  const started = process.hrtime.bigint();
  const outdir = path.join(out, name);
  fs.rmSync(outdir, { recursive: true, force: true });
  const platform = stack.build(new App({ outdir }));
  const summary = platform.synth();
  const registry = schemasFor(platform.kubernetesVersion, schemas);
  const extra = stack.writeFiles?.(platform, outdir, registry);
  const seconds = secondsSince(started);
  const { issues, notValidated } = validateFiles(outdir, registry);
  return {
    ...platformReport(name, platform, summary, outdir, seconds),
    nodeFiles: extra?.files.length ?? 0,
    issues: [...issues, ...(extra?.issues ?? [])],
    notValidated,
  };
}

/** The platforms a cdk8s app created, with the files its `app.synth()` wrote to `staging` moved to `out`. */
function appReports(
  file: string,
  platforms: readonly Platform[],
  staging: string,
  out: string,
  seconds: number,
  schemas?: readonly string[],
): Report[] {
  if (platforms.length === 0) {
    throw new Error(`${file} created no Platform: a cdk8s app builds one, new Platform(app, 'platform'), and calls app.synth()`);
  }
  fs.rmSync(out, { recursive: true, force: true });
  fs.cpSync(staging, out, { recursive: true });
  return platforms.map((platform) => {
    const written = path.resolve(platform.app.outdir);
    const outdir = written === staging ? out : written;
    if (!fs.existsSync(outdir) || fs.readdirSync(outdir).length === 0) {
      throw new Error(
        `${file} built platform ${platform.node.id} and wrote nothing to ${outdir}: call app.synth() at the end of the app, ` +
          'outside `if (require.main === module)`, which is false when kubestrata loads the app',
      );
    }
    const report = platformReport(platform.node.id, platform, platform.summary(), outdir, seconds);
    return { ...report, ...validated(outdir, platform.kubernetesVersion, schemas) };
  });
}

function platformReport(
  name: string,
  platform: Platform,
  summary: SynthSummary,
  outdir: string,
  seconds: number,
): Omit<Report, 'issues' | 'notValidated'> {
  const byChart: Record<string, number> = {};
  let tenantObjects = 0;
  for (const chart of summary.charts) {
    if (chart.role === 'tenant') tenantObjects += chart.objects;
    else byChart[chart.name] = (byChart[chart.name] ?? 0) + chart.objects;
  }
  return {
    name,
    outdir,
    delivery: platform.delivery,
    kubernetesVersion: platform.kubernetesVersion,
    objects: summary.objects,
    releases: summary.releases,
    tenants: summary.tenants,
    secrets: summary.secrets,
    layers: { byChart, tenantObjects },
    secretsToProvide: platform.secrets.all().map((s) => `${s.namespace}/${s.ref.name} (${s.ref.source})`),
    seconds,
  };
}

/** The shipped schemas at a Kubernetes minor version (`1.32`), with the given sources on top. */
function schemasFor(kubernetesVersion: string, schemas: readonly string[] | undefined): SchemaRegistry {
  return SchemaRegistry.shipped({ kubernetesVersion: `${kubernetesVersion}.0`, extra: schemas });
}

/** The problems the schemas find in the manifests below `outdir`, and the objects no upstream schema exists for. */
function validated(
  outdir: string,
  kubernetesVersion: string,
  schemas: readonly string[] | undefined,
): Pick<Report, 'issues' | 'notValidated'> {
  const { issues, notValidated } = validateFiles(outdir, schemasFor(kubernetesVersion, schemas));
  return { issues, notValidated };
}

function print(reports: readonly Report[], log: (line: string) => void): void {
  log(
    table(
      ['stack', 'delivery', 'k8s', 'objects', 'releases', 'tenants', 'secrets', 'schemas', 'seconds'],
      reports.map((r) => [
        r.name,
        r.delivery,
        r.kubernetesVersion,
        r.objects,
        r.releases,
        r.tenants,
        r.secrets,
        r.issues.length === 0 ? 'valid' : `${r.issues.length} errors`,
        r.seconds.toFixed(2),
      ]),
    ),
  );
  for (const r of reports) {
    const lines = [`\n${r.name} → ${path.relative('.', r.outdir) || '.'}/`];
    if (r.layers) {
      const layers = Object.entries(r.layers.byChart).map(([layer, n]) => `${layer} ${n}`);
      lines.push(`  layers: ${layers.join(', ') || 'none'}`, `  tenants: ${r.tenants} (${r.layers.tenantObjects} objects)`);
    }
    if (r.nodeFiles !== undefined) lines.push(`  node files: ${r.nodeFiles}`);
    log(lines.join('\n'));
    if (r.secretsToProvide.length > 0) log(`  secrets to provide: ${r.secretsToProvide.join(', ')}`);
    if (r.notValidated.length > 0) log(`  not validated (no upstream schema): ${r.notValidated.map((n) => n.object).join(', ')}`);
    for (const issue of r.issues.slice(0, 50)) log(`  ✗ ${issue.object} ${issue.path}: ${issue.message}`);
  }
}

function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}
