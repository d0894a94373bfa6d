import type * as PulumiModule from '@pulumi/pulumi';
import type * as KubernetesModule from '@pulumi/kubernetes';
import type * as KubestrataModule from '../../../index';
import type * as BridgeModule from '../../../lib/pulumi';
import type * as MockEngineModule from '../../../lib/pulumi/mock-engine';
import type * as PostgresModule from '../../../constructs/data/postgres';
import type * as Cdk8sModule from 'cdk8s';
import type * as ConstructsModule from 'constructs';
import { isSecretValue } from '../../../lib/pulumi/mock-engine';

/** A fresh copy of every module, so that nothing kept in module state carries over between deployments. */
export interface Modules {
  readonly pulumi: typeof PulumiModule;
  readonly k8s: typeof KubernetesModule;
  readonly ks: typeof KubestrataModule;
  readonly bridge: typeof BridgeModule;
  readonly engine: typeof MockEngineModule;
  readonly postgres: typeof PostgresModule;
  readonly cdk8s: typeof Cdk8sModule;
  readonly constructs: typeof ConstructsModule;
}

/** One registered resource as the engine saw it, with the options the program passed. */
export interface Registered {
  readonly name: string;
  readonly type: string;
  readonly custom: boolean;
  /** Inputs as sent to the engine: secret values are wrapped as `isSecretInput` recognizes. */
  readonly inputs: any;
  readonly provider?: string;
  readonly parent?: string;
  readonly dependsOn: readonly string[];
  readonly customTimeouts?: PulumiModule.CustomTimeouts;
  readonly ignoreChanges: readonly string[];
  readonly deleteBeforeReplace?: boolean;
}

export interface Deployed<T> {
  readonly deployment: T;
  /** Every resource by name, in registration order. */
  readonly resources: ReadonlyMap<string, Registered>;
}

export const isSecretInput = isSecretValue;

export function freshModules(): Modules {
  jest.resetModules();
  return {
    pulumi: require('@pulumi/pulumi'),
    k8s: require('@pulumi/kubernetes'),
    ks: require('../../../index'),
    bridge: require('../../../lib/pulumi'),
    engine: require('../../../lib/pulumi/mock-engine'),
    postgres: require('../../../constructs/data/postgres'),
    cdk8s: require('cdk8s'),
    constructs: require('constructs'),
  };
}

/** Runs `create` against the mock engine of `kubestrata plan` and waits until every resource is registered. */
export async function deployWithMocks<T extends PulumiModule.Resource>(
  mods: Modules,
  create: (opts: PulumiModule.ComponentResourceOptions) => T,
): Promise<Deployed<T>> {
  const run = await mods.engine.runUnderMocks('project', 'stack', () => create({}));
  const resources = new Map<string, Registered>();
  for (const r of run.resources.values()) {
    resources.set(r.name, {
      name: r.name,
      type: r.type,
      custom: r.custom,
      inputs: r.inputs,
      provider: r.provider,
      parent: r.parent,
      dependsOn: r.declaredDependsOn,
      customTimeouts: r.customTimeouts,
      ignoreChanges: r.ignoreChanges,
      deleteBeforeReplace: r.deleteBeforeReplace,
    });
  }
  return { deployment: run.result, resources };
}

/** The registered resource named `name`; fails the test when there is none. */
export function registered(resources: ReadonlyMap<string, Registered>, name: string): Registered {
  const found = resources.get(name);
  if (!found) throw new Error(`no resource ${name}`);
  return found;
}

/** Names reachable from `name` through dependsOn, where depending on a component means depending on all its descendants. */
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
