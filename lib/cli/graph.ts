import { App } from 'cdk8s';
import { GraphFormat, renderGraph } from './graph-formats';
import { loadStacks } from './load-stacks';
import { platformGraph } from './platform-graph';

export interface GraphOptions {
  readonly app: string;
  /** Stacks to draw (default: all), one diagram each. */
  readonly stacks: readonly string[];
  readonly format: GraphFormat;
}

/** The diagram of each selected stack, by stack name. */
export function stackGraphs(options: GraphOptions): Array<[string, string]> {
  return loadStacks(options.app, options.stacks).map(([name, stack]) => [
    name,
    renderGraph(platformGraph(name, stack.build(new App())), options.format),
  ]);
}

/** Prints the diagram of each selected stack, a comment line naming the stack before each when there are several. */
export function graph(options: GraphOptions, log: (line: string) => void = console.log): number {
  const graphs = stackGraphs(options);
  const comment = options.format === 'dot' ? '//' : '%%';
  log(graphs.map(([name, text]) => (graphs.length > 1 ? `${comment} stack ${name}\n${text}` : text)).join('\n\n'));
  return 0;
}

/**
 * Replaces the Mermaid block between `<!-- graph:<stack> -->` and `<!-- /graph:<stack> -->` in `markdown` with the
 * stack's current diagram, for each stack that has such markers.
 */
export function updateReadmeGraphs(markdown: string, app: string): string {
  const marked = [...markdown.matchAll(/<!-- graph:([\w-]+) -->/g)].map((m) => m[1]);
  if (marked.length === 0) return markdown;
  let updated = markdown;
  for (const [name, text] of stackGraphs({ app, stacks: marked, format: 'mermaid' })) {
    const block = new RegExp(`(<!-- graph:${name} -->)[\\s\\S]*?(<!-- /graph:${name} -->)`);
    updated = updated.replace(block, (_all, open: string, close: string) => `${open}\n\n\`\`\`mermaid\n${text}\n\`\`\`\n\n${close}`);
  }
  return updated;
}
