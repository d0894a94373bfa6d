#!/usr/bin/env node
import * as fs from 'fs';
import { Command, Option } from 'commander';
import { schemaSourcesFromEnv } from '../validate';
import { GRAPH_FORMATS } from './graph-formats';
import { withInstallHint } from './missing-package';
import { packageVersion } from './package-version';
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

const APP_RULES =
  '--app <file> (a cdk8s app, or a module that exports `stacks`; .ts through ts-node), else --stack <name> ' +
  "(kubestrata's reference stacks), else the app: of cdk8s.yaml here, run as cdk8s synth runs it";

program
  .command('synth')
  .description('synthesize the app, validate what it wrote against the upstream schemas and print a summary')
  .addHelpText(
    'after',
    `\nWhich app: ${APP_RULES}.\nWhere: a cdk8s app writes to <out>/, each stack of a \`stacks\` module to <out>/<stack>/.`,
  )
  .option('--app <file>', 'a cdk8s app or a module that exports `stacks` (.ts through ts-node)')
  .option('--stack <name...>', "reference stacks, or stacks of --app's module (default: all of --app's)")
  .option('--out <dir>', "output directory (default: cdk8s.yaml's output, else dist)")
  .option('--schemas <path...>', SCHEMAS_HELP)
  .action(async (opts) => {
    const { synth } = await import('./synth');
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
  .command('plan [dir]')
  .description('run a Pulumi program under mocks and print what `pulumi up` would create, in waves (machines, cluster, layers, tenants)')
  .addHelpText(
    'after',
    '\nWhich program: --stack <name> plans a kubestrata reference stack, else [dir] (default .) holds Pulumi.yaml (runtime nodejs).' +
      '\nConfig: --config <file>, else the only Pulumi.<stack>.yaml in [dir] (the example config for --stack); secrets are stand-ins.',
  )
  .option('--stack <name>', 'a kubestrata reference stack instead of [dir]')
  .addOption(
    new Option('--target <target>', "where the machines are, for --stack (default: the config's target)").choices(['metal', 'aws']),
  )
  .option('--config <file>', 'stack config file Pulumi.<stack>.yaml')
  .action(async (dir: string | undefined, opts) => {
    const { plan } = await import('./plan').catch((error: unknown) => {
      throw withInstallHint(error, ['@pulumi/pulumi', '@pulumi/kubernetes'], 'kubestrata plan');
    });
    process.exitCode = await plan({ dir, stack: opts.stack, target: opts.target, config: opts.config });
  });

program
  .command('graph')
  .description('draw the platform: layers, components with their releases, requires and release dependsOn edges, tenants')
  .addHelpText('after', `\nWhich app: ${APP_RULES}; a cdk8s.yaml app must be [npx] ts-node <file> or node <file>.`)
  .option('--app <file>', 'a cdk8s app or a module that exports `stacks` (.ts through ts-node)')
  .option('--stack <name...>', "reference stacks, or stacks of --app's module (default: all of --app's)")
  .addOption(new Option('--format <format>', 'diagram language').choices([...GRAPH_FORMATS]).default('mermaid'))
  .option('--update-readme <file>', 'rewrite the Mermaid blocks between <!-- graph:<stack> --> and <!-- /graph:<stack> --> in <file>')
  .action(async (opts) => {
    const { graph, updateReadmeGraphs } = await import('./graph');
    if (opts.updateReadme) {
      const { DEFAULT_APP } = await import('./load-stacks');
      fs.writeFileSync(opts.updateReadme, updateReadmeGraphs(fs.readFileSync(opts.updateReadme, 'utf8'), opts.app ?? DEFAULT_APP));
      return;
    }
    process.exitCode = graph({ app: opts.app, stacks: opts.stack, format: opts.format });
  });

program.parseAsync().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
