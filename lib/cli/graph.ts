import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import type { Platform } from '../core/platform';
import { AppSelection, appSource } from './app-source';
import { GraphFormat, renderGraph } from './graph-formats';
import { loadModule } from './load-module';
import { exportsStacks, selectStacks } from './load-stacks';
import { platformGraph } from './platform-graph';

export interface GraphOptions extends AppSelection {
  readonly format: GraphFormat;
}

/** The diagram of each selected stack or each platform of the app, by name. */
export function stackGraphs(options: GraphOptions): Array<[string, string]> {
  return platformsOf(options).map(([name, platform]) => [name, renderGraph(platformGraph(name, platform), options.format)]);
}

/** The platforms of the app `appSource` picks, built in this process; what a cdk8s app writes is thrown away. */
function platformsOf(selection: AppSelection): Array<[string, Platform]> {
  const source = appSource(selection);
  if (source.kind === 'command') {
    throw new Error(
      `graph builds the platform in this process: cdk8s.yaml's app "${source.command}" must be [npx] ts-node <file> or node <file>, or pass --app <file>`,
    );
  }
  const stacks = source.kind === 'module' ? source.stacks : [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-graph-'));
  try {
    const loaded = loadModule(source.file, { outdir: scratch, typeCheck: source.typeCheck });
    if (exportsStacks(loaded.exports)) {
      return selectStacks(source.file, loaded.exports, stacks).map(([name, stack]) => [name, stack.build(new App({ outdir: scratch }))]);
    }
    if (stacks.length > 0) throw new Error(`${source.file} does not export "stacks" to select from; run it without --stack`);
    if (loaded.platforms.length === 0)
      throw new Error(`${source.file} created no Platform: a cdk8s app builds one, new Platform(app, 'platform')`);
    return loaded.platforms.map((platform) => [platform.node.id, platform]);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
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
