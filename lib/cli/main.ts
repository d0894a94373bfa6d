#!/usr/bin/env node
import * as fs from 'fs';
import { Command, Option } from 'commander';
import { schemaSourcesFromEnv } from '../validate';
import { GRAPH_FORMATS } from './graph-formats';
import { graph, updateReadmeGraphs } from './graph';
import { DEFAULT_APP } from './load-stacks';
import { packageVersion } from './package-version';
import { synth } from './synth';
import { validate } from './validate';

const SCHEMAS_HELP =
  'schemas on top of the shipped ones, a later one overriding an earlier one: directories laid out as crds/ and schemas/, ' +
  'directories of CRD YAML, or CRD files such as `kubectl get crd -o yaml` output (after those of $KUBESTRATA_SCHEMAS, a list like PATH)';

/** The sources of KUBESTRATA_SCHEMAS, then those given with --schemas, which override them. */
function schemaSources(given: readonly string[] | undefined): string[] {
  return [...schemaSourcesFromEnv(), ...(given ?? [])];
}

const program = new Command('kubestrata')
  .description('Synthesize and validate self-hosted Kubernetes platforms')
  .version(packageVersion(), '-V, --version', 'print the kubestrata version');

program
  .command('synth')
  .description('synthesize stacks to <out>/<stack>/, validate them against the upstream schemas and print a summary')
  .option('--app <module>', 'module that exports `stacks`', DEFAULT_APP)
  .addOption(new Option('--stack <name...>', 'stacks to synthesize').default([], 'all'))
  .option('--out <dir>', 'output directory', 'dist')
  .option('--schemas <path...>', SCHEMAS_HELP)
  .action((opts) => {
    process.exitCode = synth({ app: opts.app, stacks: opts.stack, out: opts.out, schemas: schemaSources(opts.schemas) });
  });

program
  .command('validate <dir>')
  .description('validate every Kubernetes object in the YAML files below <dir> strictly against upstream schemas')
  .option('--schemas <path...>', SCHEMAS_HELP)
  .addOption(new Option('--kubernetes-version <version>', 'Kubernetes API level').choices(['1.28.0', '1.32.0', '1.33.0']).default('1.32.0'))
  .action((dir, opts) => {
    process.exitCode = validate({ dir, schemas: schemaSources(opts.schemas), kubernetesVersion: opts.kubernetesVersion });
  });

program
  .command('plan')
  .description(
    'run a stack program under Pulumi mocks and print what `pulumi up` would create, in waves (machines, cluster, layers, tenants)',
  )
  .requiredOption('--stack <name>', 'reference stack: a folder of stacks/ with program.ts')
  .addOption(new Option('--target <target>', "where the machines are (default: the config's target)").choices(['metal', 'aws']))
  .option('--config <file>', 'stack config file (default: stacks/<name>/Pulumi.example.yaml)')
  .action(async (opts) => {
    const { plan } = await import('./plan');
    process.exitCode = await plan({ stack: opts.stack, target: opts.target, config: opts.config });
  });

program
  .command('graph')
  .description('draw the platform: layers, components with their releases, requires and release dependsOn edges, tenants')
  .option('--app <module>', 'module that exports `stacks`', DEFAULT_APP)
  .option('--stack <name...>', 'stacks to draw (default: all)')
  .addOption(new Option('--format <format>', 'diagram language').choices([...GRAPH_FORMATS]).default('mermaid'))
  .option('--update-readme <file>', 'rewrite the Mermaid blocks between <!-- graph:<stack> --> and <!-- /graph:<stack> --> in <file>')
  .action((opts) => {
    if (opts.updateReadme) {
      fs.writeFileSync(opts.updateReadme, updateReadmeGraphs(fs.readFileSync(opts.updateReadme, 'utf8'), opts.app));
      return;
    }
    process.exitCode = graph({ app: opts.app, stacks: opts.stack ?? [], format: opts.format });
  });

program.parseAsync().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
