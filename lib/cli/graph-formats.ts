import { GraphNode, PlatformGraph } from './platform-graph';

export type GraphFormat = 'mermaid' | 'dot';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['mermaid', 'dot'];

/** A Mermaid flowchart: layers and tenants as subgraphs, requires edges solid, release dependsOn edges dashed. */
export function mermaid(graph: PlatformGraph): string {
  const label = (lines: readonly string[]) => `"${lines.map((l) => l.replace(/"/g, '#quot;')).join('<br/>')}"`;
  const node = (n: GraphNode) => `    ${n.id}[${label(n.lines)}]`;
  const groups = [
    ...graph.layers.map((l) => ({ id: `layer_${l.name}`, name: l.name, nodes: l.nodes })),
    { id: 'tenants', name: 'tenants', nodes: graph.tenants },
  ];
  return [
    'flowchart LR',
    ...groups.filter((g) => g.nodes.length > 0).flatMap((g) => [`  subgraph ${g.id}[${label([g.name])}]`, ...g.nodes.map(node), '  end']),
    ...graph.edges.map((e) => (e.kind === 'requires' ? `  ${e.from} --> ${e.to}` : `  ${e.from} -.->|dependsOn| ${e.to}`)),
  ].join('\n');
}

/** A Graphviz digraph: layers and tenants as clusters, requires edges solid, release dependsOn edges dashed. */
export function dot(graph: PlatformGraph): string {
  const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const node = (n: GraphNode) => `    ${n.id} [label=${quote(n.lines.join('\n')).replace(/\n/g, '\\n')}];`;
  const groups = [...graph.layers, { name: 'tenants', nodes: graph.tenants }];
  return [
    `digraph ${quote(graph.name)} {`,
    '  rankdir=LR;',
    '  node [shape=box];',
    ...groups
      .filter((g) => g.nodes.length > 0)
      .flatMap((g) => [
        `  subgraph cluster_${g.name.replace(/[^A-Za-z0-9]/g, '_')} {`,
        `    label=${quote(g.name)};`,
        ...g.nodes.map(node),
        '  }',
      ]),
    ...graph.edges.map((e) => `  ${e.from} -> ${e.to}${e.kind === 'requires' ? '' : ' [style=dashed, label="dependsOn"]'};`),
    '}',
  ].join('\n');
}

export function renderGraph(graph: PlatformGraph, format: GraphFormat): string {
  return format === 'dot' ? dot(graph) : mermaid(graph);
}
