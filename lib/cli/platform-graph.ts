import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Component } from '../core/component';
import { LAYERS, Platform } from '../core/platform';
import { Release } from '../releases/release';

/** A box of the picture: a component, a tenant, or a release that belongs to neither. */
export interface GraphNode {
  /** Unique within the graph; only letters, digits and `_`. */
  readonly id: string;
  /** The first line names it, the next ones say what it holds. */
  readonly lines: readonly string[];
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** `requires`: a component or tenant service needs a component. `dependsOn`: a release waits for another one, where no requires edge says so. */
  readonly kind: 'requires' | 'dependsOn';
}

/** Layers, components, tenants and the edges between them, every list in a stable order. */
export interface PlatformGraph {
  readonly name: string;
  readonly layers: ReadonlyArray<{ readonly name: string; readonly nodes: readonly GraphNode[] }>;
  /** One node per tenant, its services collapsed into a count. */
  readonly tenants: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** Reads the picture of `platform` from its construct tree, its component registry and its releases. */
export function platformGraph(name: string, platform: Platform): PlatformGraph {
  const all = platform.node.findAll();
  const releases = all.filter((c): c is Release => c instanceof Release);
  const tenantCharts = all.filter((c): c is Chart => c instanceof Chart && Platform.chartRole(c) === 'tenant');
  const requirers = new Set(all.filter((c) => platform.registry.requirementsOf(c).length > 0));
  const drawn = (c: IConstruct) => drawnIn(c, requirers);
  const releasesOf = (node: IConstruct) =>
    releases
      .filter((r) => r !== node && drawn(r) === node)
      .map((r) => r.releaseName)
      .sort();
  const loose = new Map<string, GraphNode[]>();
  for (const c of new Set([...releases, ...requirers].map(drawn).filter((d) => !ownerOf(d)))) {
    const lines = c instanceof Release ? [c.releaseName] : [`${c.constructor.name} ${c.node.id}`, ...releasesOf(c)];
    const layer = chartOf(c)?.node.id ?? 'platform';
    loose.set(layer, [...(loose.get(layer) ?? []), { id: nodeId(c), lines }]);
  }
  const ownerId = (c: IConstruct): string => nodeId(drawn(c));

  const components = platform.registry.all();
  const charts = [...LAYERS, ...[...loose.keys()].filter((k) => !(LAYERS as readonly string[]).includes(k)).sort()];
  const layers = charts
    .map((layer) => ({
      name: layer,
      nodes: sortById([
        ...components
          .filter((c) => chartOf(c)?.node.id === layer)
          .map((c) => ({ id: nodeId(c), lines: [c.constructor.name, ...releasesOf(c)] })),
        ...(loose.get(layer) ?? []),
      ]),
    }))
    .filter((l) => l.nodes.length > 0);

  const tenants = sortById(
    tenantCharts.map((t) => {
      const services = t.node.children.filter((c) => !(c instanceof ApiObject)).map((c) => c.constructor.name);
      const count = `${services.length} service${services.length === 1 ? '' : 's'}`;
      return {
        id: nodeId(t),
        lines: [`tenant ${t.node.id}`, services.length ? `${count}: ${[...new Set(services)].sort().join(', ')}` : count],
      };
    }),
  );

  const requires = all.flatMap((from) => platform.registry.requirementsOf(from).map((to) => key(ownerId(from), ownerId(to))));
  const dependsOn = releases.flatMap((r) => r.dependsOn.map((d) => key(ownerId(r), ownerId(d))));
  const requiresKeys = new Set(requires);
  const edges = [
    ...[...new Set(requires)].map((k) => edge(k, 'requires')),
    ...[...new Set(dependsOn)].filter((k) => !requiresKeys.has(k)).map((k) => edge(k, 'dependsOn')),
  ].filter((e) => e.from !== e.to);
  edges.sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to) || compare(a.kind, b.kind));
  return { name, layers, tenants, edges };
}

/** The component or tenant a construct belongs to. */
function ownerOf(c: IConstruct): IConstruct | undefined {
  for (let s: IConstruct | undefined = c; s; s = s.node.scope) {
    if (s instanceof Component) return s;
    if (s instanceof Chart && Platform.chartRole(s) === 'tenant') return s;
  }
  return undefined;
}

function chartOf(c: IConstruct): Chart | undefined {
  for (let s: IConstruct | undefined = c; s; s = s.node.scope) if (s instanceof Chart) return s;
  return undefined;
}

/** The node a construct is drawn in: its component or tenant, else the nearest construct that requires a component, else itself. */
function drawnIn(c: IConstruct, requirers: ReadonlySet<IConstruct>): IConstruct {
  const owner = ownerOf(c);
  if (owner) return owner;
  for (let s: IConstruct | undefined = c; s; s = s.node.scope) if (requirers.has(s)) return s;
  return c;
}

function nodeId(c: IConstruct): string {
  return `n_${c.node.path.replace(/[^A-Za-z0-9]/g, '_')}`;
}

function key(from: string, to: string): string {
  return `${from} ${to}`;
}

function edge(k: string, kind: GraphEdge['kind']): GraphEdge {
  const [from, to] = k.split(' ');
  return { from, to, kind };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortById<T extends GraphNode>(nodes: T[]): T[] {
  return nodes.sort((a, b) => compare(a.id, b.id));
}
