import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import type { StackConfig } from '../pulumi/provision/stack-config';
import { MockedResource, runUnderMocks } from '../pulumi/mock-engine';
import { CHART_TYPES, PLATFORM_DEPLOYMENT_TYPE } from '../pulumi/type-tokens';
import { DEFAULT_APP, loadStacks } from './load-stacks';
import { withInstallHint } from './missing-package';

/** The stages of a deployment, in the order `pulumi up` reaches them. */
export const WAVES = ['machines', 'cluster', 'layers', 'tenants'] as const;
export type Wave = (typeof WAVES)[number];

/** A stack program as `stacks/<name>/program.ts` exports it. */
export interface StackProgram {
  readonly namespace: string;
  readonly program: (config: StackConfig) => Record<string, unknown>;
}

export interface PlanOptions {
  /** A kubestrata reference stack; planned instead of `dir`. */
  readonly stack?: string;
  /** A Pulumi project directory (Pulumi.yaml). @default '.' */
  readonly dir?: string;
  /** Overrides the config's `target` of a reference stack. @default - the config file's */
  readonly target?: string;
  /** A stack config file. @default the only Pulumi.<stack>.yaml of the project; a reference stack's Pulumi.example.yaml */
  readonly config?: string;
}

export interface PlannedResource extends MockedResource {
  readonly wave: Wave;
  /** The chart (layer or tenant) an object belongs to. */
  readonly chart?: string;
}

export interface Plan {
  /** The reference stack's name, or `<project>/<stack>` of a Pulumi project. */
  readonly stack: string;
  /** Where the machines are, for a reference stack. */
  readonly target?: string;
  readonly resources: readonly PlannedResource[];
  /** Dependencies that point to a later wave: `pulumi up` would still order them, but the stages would interleave. */
  readonly backwards: ReadonlyArray<{ readonly from: string; readonly to: string }>;
}

/** The package root: the sources' root, or the installed package's (build/lib/cli → ../../..). */
const PACKAGE_ROOT = path.resolve(__dirname, __filename.endsWith('.ts') ? '../..' : '../../..');
/** Where the reference stacks' programs are: stacks/ in the sources, build/stacks/ in the package. */
const PROGRAMS_DIR = path.resolve(__dirname, '../../stacks');

/** The reference stacks: the folders of stacks/ with a program. */
export function referenceStacks(): string[] {
  return fs
    .readdirSync(PROGRAMS_DIR, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && ['program.ts', 'program.js'].some((f) => fs.existsSync(path.join(PROGRAMS_DIR, entry.name, f))),
    )
    .map((entry) => entry.name)
    .sort();
}

/** Runs a reference stack's program, or the Pulumi program of `options.dir`, under mocks and sorts what it would create into waves. */
export async function planStack(options: PlanOptions): Promise<Plan> {
  if (options.stack === undefined) {
    const { planProject } = await import('./plan-project');
    const { name, resources } = await planProject(options.dir ?? '.', options.config);
    return { stack: name, ...sortIntoWaves(resources) };
  }
  const known = referenceStacks();
  if (!known.includes(options.stack)) throw new Error(`unknown stack "${options.stack}"; the reference stacks are ${known.join(', ')}`);
  const { fileStackConfig } = await import('../pulumi/provision/stack-config');
  const programDir = path.join(PROGRAMS_DIR, options.stack);
  const configFile = options.config ?? path.join(PACKAGE_ROOT, 'stacks', options.stack, 'Pulumi.example.yaml');
  if (!fs.existsSync(configFile)) throw new Error(`no stack config ${configFile}; pass --config Pulumi.<stack>.yaml`);
  const module = requireProgram(path.join(programDir, 'program'), options.stack);
  if (typeof module.program !== 'function' || typeof module.namespace !== 'string') {
    throw new Error(`${programDir}/program does not export "program" and "namespace"`);
  }
  const overrides = options.target === undefined ? {} : { target: options.target };
  const config = fileStackConfig(configFile, module.namespace, overrides);
  const run = await runUnderMocks(module.namespace, config.stack, () => module.program!(config));
  const target = config.get<string>('target') ?? 'metal';
  return { stack: options.stack, target, ...sortIntoWaves(run.resources) };
}

/** A reference stack's program; the Pulumi packages it provisions with are optional peers of kubestrata. */
function requireProgram(file: string, stack: string): Partial<StackProgram> {
  try {
    return require(file) as Partial<StackProgram>;
  } catch (error) {
    throw withInstallHint(error, ['@pulumi/aws', '@pulumi/command'], `the ${stack} stack, which provisions its machines,`);
  }
}

/** Each resource's wave: objects by the chart component above them, the rest by what they are. */
export function sortIntoWaves(resources: ReadonlyMap<string, MockedResource>): Pick<Plan, 'resources' | 'backwards'> {
  const waveOf = new Map<string, { wave: Wave; chart?: string }>();
  const classify = (r: MockedResource): { wave: Wave; chart?: string } => {
    const known = waveOf.get(r.name);
    if (known) return known;
    let found: { wave: Wave; chart?: string };
    const parent = r.parent ? resources.get(r.parent) : undefined;
    if (r.type === CHART_TYPES.tenant) found = { wave: 'tenants', chart: r.name };
    else if (r.type === CHART_TYPES.layer || r.type === CHART_TYPES.other) found = { wave: 'layers', chart: r.name };
    else if (r.type === PLATFORM_DEPLOYMENT_TYPE) found = { wave: 'layers' };
    else if (r.type.startsWith('pulumi:providers:kubernetes') || /\/(bootstrap|kubeconfig)$/.test(r.name)) found = { wave: 'cluster' };
    else if (parent) found = classify(parent);
    else found = { wave: 'machines' };
    waveOf.set(r.name, found);
    return found;
  };
  const planned = [...resources.values()].map((r) => ({ ...r, ...classify(r) }));
  const byName = new Map(planned.map((p) => [p.name, p]));
  const backwards = planned.flatMap((p) =>
    p.dependsOn
      .filter((d) => byName.has(d) && WAVES.indexOf(byName.get(d)!.wave) > WAVES.indexOf(p.wave))
      .map((d) => ({ from: p.name, to: d })),
  );
  return { resources: planned, backwards };
}

/** The plan as text: each wave with its resources, objects summed up per chart. */
export function formatPlan(plan: Plan): string {
  const custom = plan.resources.filter((r) => r.custom);
  const lines = [
    `plan: stack ${plan.stack}${plan.target ? `, target ${plan.target}` : ''}: ${custom.length} resources, in ${WAVES.length} waves (run under mocks: nothing was created)`,
  ];
  WAVES.forEach((wave, i) => {
    const members = custom.filter((r) => r.wave === wave);
    lines.push('', `${i + 1}. ${wave} (${members.length})`);
    if (wave === 'layers' || wave === 'tenants') {
      const charts = new Map<string, PlannedResource[]>();
      for (const r of members) charts.set(r.chart ?? '(platform)', [...(charts.get(r.chart ?? '(platform)') ?? []), r]);
      for (const [chart, list] of charts) {
        const kinds = new Map<string, number>();
        for (const r of list) kinds.set(kindOf(r), (kinds.get(kindOf(r)) ?? 0) + 1);
        lines.push(`   ${chart.split('/').pop()}: ${list.length} — ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
      }
      return;
    }
    for (const r of members) {
      const after = r.dependsOn.filter((d) => custom.some((c) => c.name === d));
      lines.push(`   + ${r.name}  (${r.type})${after.length ? `  after ${after.join(', ')}` : ''}`);
    }
  });
  if (plan.backwards.length) {
    lines.push('', 'out of wave order:', ...plan.backwards.map((b) => `   ${b.from} waits for ${b.to}, a later wave`));
  }
  return lines.join('\n');
}

function kindOf(r: MockedResource): string {
  if (typeof r.inputs?.kind === 'string') return r.inputs.kind;
  return r.type.split(':').pop() ?? r.type;
}

/** `kubestrata plan`: prints the plan; exit code 1 when a dependency runs against the waves. */
export async function plan(options: PlanOptions, log: (line: string) => void = console.log): Promise<number> {
  const result = await planStack(options);
  log(formatPlan(result));
  const missing = options.stack === undefined ? [] : chartsLeftOut(result);
  if (missing.length > 0) {
    log(
      `\nnot in this plan: ${missing.join(', ')}, which \`kubestrata synth --stack ${result.stack}\` renders; this stack config leaves them out`,
    );
  }
  return result.backwards.length === 0 ? 0 : 1;
}

/** Charts that `kubestrata synth` renders for the stack of the same name and the plan does not deploy. */
export function chartsLeftOut(plan: Plan, app: string = DEFAULT_APP): string[] {
  const stack = loadStacks(app).find(([name]) => name === plan.stack);
  if (!stack) return [];
  const synthesized = new App();
  stack[1].build(synthesized);
  const planned = new Set(plan.resources.flatMap((r) => (r.chart ? [r.chart.split('/').pop()] : [])));
  return synthesized.charts.map((chart) => chart.node.id).filter((id) => !planned.has(id));
}
