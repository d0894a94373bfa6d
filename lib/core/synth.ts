import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Names } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkUniqueIdentities } from './object-identity';
import { ConstructIndex } from './topology';
import { stringifyManifests } from './yaml';

/** One rendered object with the objects it must follow. */
export interface SynthesizedObject {
  readonly apiObject: ApiObject;
  readonly manifest: any;
  /** The API objects this one depends on, in any chart. */
  readonly dependsOn: readonly ApiObject[];
}

export interface SynthesizedChart {
  readonly chart: Chart;
  /**
   * File name, without directory: the chart's DNS label as `cdk8s synth` names it, prefixed (when charts depend on
   * each other) with the chart's depth in the dependency graph, so that alphabetical order is a valid apply order
   * and adding or reordering independent charts renames no file.
   */
  readonly file: string;
  readonly objects: readonly SynthesizedObject[];
}

/**
 * Renders every chart of an app in one pass. It gives the same objects and order as `App.synth()`, whose per-chart
 * synthesis re-walks the whole app and grows quadratically with the number of charts (tenants). Two objects with one
 * identity (group, kind, namespace, name) are refused.
 */
export function synthesize(app: App): SynthesizedChart[] {
  const tree = new ConstructIndex(app);
  validate(tree.all);
  const nestedOrDependent = resolveDependencies(tree);
  tree.freezeDependencies();
  // `new DependencyGraph(app.node).topology()` and `new DependencyGraph(chart.node).topology()`, as cdk8s uses them.
  const charts = tree.topology(app).filter((c): c is Chart => c instanceof Chart);
  const depths = chartDepths(tree, charts);
  const result = charts.map((chart) => {
    const label = Names.toDnsLabel(chart);
    const file = (nestedOrDependent ? `${String(depths.get(chart)).padStart(4, '0')}-${label}` : label) + app.outputFileExtension;
    const objects = tree
      .topology(chart)
      .filter((c): c is ApiObject => c instanceof ApiObject && tree.chartOf(c) === chart)
      .map((apiObject) => ({
        apiObject,
        manifest: apiObject.toJson(),
        dependsOn: apiObject.node.dependencies.filter((d): d is ApiObject => d instanceof ApiObject),
      }));
    return { chart, file, objects };
  });
  checkUniqueIdentities(result.flatMap((c) => c.objects));
  return result;
}

/** The longest path of chart dependencies from each chart; `charts` lists every chart after those it depends on. */
function chartDepths(tree: ConstructIndex, charts: readonly Chart[]): Map<Chart, number> {
  const depths = new Map<Chart, number>();
  for (const chart of charts) {
    let depth = 0;
    for (const dependency of chart.node.dependencies) {
      const target = tree.chartOf(dependency);
      if (target !== chart) depth = Math.max(depth, (depths.get(target) ?? 0) + 1);
    }
    depths.set(chart, depth);
  }
  return depths;
}

/** Writes each chart to `<outdir>/<file>` in the YAML `cdk8s synth` writes. */
export function writeCharts(charts: readonly SynthesizedChart[], outdir: string): string[] {
  fs.mkdirSync(outdir, { recursive: true });
  return charts.map(({ file, objects }) => {
    const target = path.join(outdir, file);
    fs.writeFileSync(target, stringifyManifests(objects.map((o) => o.manifest)));
    return target;
  });
}

function validate(all: IConstruct[]): void {
  const errors = all.flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

/** Turns construct dependencies into chart and API object dependencies, as cdk8s does before synthesis. */
function resolveDependencies(tree: ConstructIndex): boolean {
  const all = tree.all;
  let chartsDepend = false;
  // The API objects under `c` in `c`'s own chart; depends only on `c`, since the tree does not change here.
  const ownObjects = new Map<IConstruct, IConstruct[]>();
  const objectsOf = (c: IConstruct) => {
    let found = ownObjects.get(c);
    if (!found) {
      const chart = tree.chartOf(c);
      found = tree.findAll(c).filter((x) => x instanceof ApiObject && tree.chartOf(x) === chart);
      ownObjects.set(c, found);
    }
    return found;
  };
  for (const parent of all.filter((c) => c instanceof Chart)) {
    for (const child of parent.node.children.filter((c) => c instanceof Chart)) {
      parent.node.addDependency(child);
      chartsDepend = true;
    }
  }
  const deps = all.flatMap((source) => source.node.dependencies.map((target) => ({ source, target })));
  for (const { source, target } of deps) {
    const sourceChart = tree.chartOf(source);
    const targetChart = tree.chartOf(target);
    if (sourceChart !== targetChart) {
      sourceChart.node.addDependency(targetChart);
      chartsDepend = true;
    }
  }
  for (const { source, target } of deps) {
    const targets = objectsOf(target);
    const sources = objectsOf(source);
    for (const t of targets) for (const s of sources) if (t !== s) s.node.addDependency(t);
  }
  return chartsDepend;
}
