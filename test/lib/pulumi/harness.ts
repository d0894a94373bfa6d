import type * as PulumiModule from '@pulumi/pulumi';
import type * as KubernetesModule from '@pulumi/kubernetes';
import type * as KubestrataModule from '../../../index';
import type * as BridgeModule from '../../../lib/pulumi';
import type * as PostgresModule from '../../../constructs/data/postgres';
import type * as Cdk8sModule from 'cdk8s';
import type * as ConstructsModule from 'constructs';

/** A fresh copy of every module, so that nothing kept in module state carries over between deployments. */
export interface Modules {
  readonly pulumi: typeof PulumiModule;
  readonly k8s: typeof KubernetesModule;
  readonly ks: typeof KubestrataModule;
  readonly bridge: typeof BridgeModule;
  readonly postgres: typeof PostgresModule;
  readonly cdk8s: typeof Cdk8sModule;
  readonly constructs: typeof ConstructsModule;
}

/** One registered resource as the engine saw it, with the options the program passed. */
export interface Registered {
  readonly name: string;
  readonly type: string;
  readonly custom: boolean;
  /** Inputs as sent to the engine: secret values are wrapped in `{ [SIG]: SECRET, value }`. */
  readonly inputs: any;
  readonly provider?: string;
  readonly parent?: string;
  readonly dependsOn: readonly string[];
  readonly customTimeouts?: PulumiModule.CustomTimeouts;
  readonly ignoreChanges?: readonly string[];
  readonly deleteBeforeReplace?: boolean;
}

export interface Deployed<T> {
  readonly deployment: T;
  /** Every resource by name, in registration order. */
  readonly resources: ReadonlyMap<string, Registered>;
}

export const SIG_KEY = '4dabf18193072939515e22adb298388d';
export const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

export function isSecretInput(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as any)[SIG_KEY] === SECRET_SIG;
}

export function freshModules(): Modules {
  jest.resetModules();
  return {
    pulumi: require('@pulumi/pulumi'),
    k8s: require('@pulumi/kubernetes'),
    ks: require('../../../index'),
    bridge: require('../../../lib/pulumi'),
    postgres: require('../../../constructs/data/postgres'),
    cdk8s: require('cdk8s'),
    constructs: require('constructs'),
  };
}

/**
 * Runs `create` against mocks and waits until every resource is registered. The options of each resource
 * (parent, dependsOn) are observed through a transformation that the created component passes to its children.
 */
export async function deployWithMocks<T extends PulumiModule.Resource>(
  mods: Modules,
  create: (opts: PulumiModule.ComponentResourceOptions) => T,
): Promise<Deployed<T>> {
  const engine = new Map<string, { type: string; custom: boolean; inputs: any; provider?: string }>();
  await mods.pulumi.runtime.setMocks({
    newResource: (args) => {
      if (engine.has(args.name)) throw new Error(`two resources are named ${args.name}`);
      engine.set(args.name, { type: args.type, custom: args.custom ?? true, inputs: args.inputs, provider: args.provider || undefined });
      return { id: `${args.name}_id`, state: args.inputs };
    },
    call: () => ({}),
  }, 'project', 'stack', false);

  const names = new Map<PulumiModule.Resource, string>();
  const options: { resource: PulumiModule.Resource; opts: PulumiModule.CustomResourceOptions; dependsOn: PulumiModule.Resource[] }[] = [];
  const capture: PulumiModule.ResourceTransformation = ({ resource, name, opts }) => {
    names.set(resource, name);
    const dependsOn = opts.dependsOn === undefined ? [] : ([] as unknown[]).concat(opts.dependsOn) as PulumiModule.Resource[];
    options.push({ resource, opts, dependsOn });
    return undefined;
  };
  const deployment = create({ transformations: [capture] });
  await Promise.all(options.map(({ resource }) => new Promise((resolve) => resource.urn.apply(resolve))));

  const resources = new Map<string, Registered>();
  for (const { resource, opts, dependsOn } of options) {
    const name = names.get(resource)!;
    const seen = engine.get(name);
    if (!seen) throw new Error(`${name} was never registered`);
    resources.set(name, {
      name,
      ...seen,
      parent: opts.parent ? names.get(opts.parent) : undefined,
      dependsOn: dependsOn.map((d) => names.get(d) ?? '(outside the deployment)'),
      customTimeouts: opts.customTimeouts,
      ignoreChanges: opts.ignoreChanges,
      deleteBeforeReplace: opts.deleteBeforeReplace,
    });
  }
  return { deployment, resources };
}

/** Names reachable from `name` through dependsOn, where depending on a component means depending on all its descendants. */
/** The registered resource named `name`; fails the test when there is none. */
export function registered(resources: ReadonlyMap<string, Registered>, name: string): Registered {
  const found = resources.get(name);
  if (!found) throw new Error(`no resource ${name}`);
  return found;
}

export function dependenciesOf(resources: ReadonlyMap<string, Registered>, name: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const r of resources.values()) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r.name]);
  const reached = new Set<string>();
  const visit = (next: string) => {
    if (reached.has(next)) return;
    reached.add(next);
    for (const dep of resources.get(next)?.dependsOn ?? []) visit(dep);
    for (const child of children.get(next) ?? []) visit(child);
  };
  for (const dep of resources.get(name)!.dependsOn) visit(dep);
  return reached;
}

/** Every string in `value` outside secret-wrapped subtrees. */
export function plainStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => plainStrings(v, out));
  else if (typeof value === 'object' && value !== null && !isSecretInput(value)) Object.values(value).forEach((v) => plainStrings(v, out));
  return out;
}
