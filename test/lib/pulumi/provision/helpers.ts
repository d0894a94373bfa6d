import * as path from 'path';
import type * as MockEngineModule from '../../../../lib/pulumi/mock-engine';
import type * as ProvisionModule from '../../../../lib/pulumi/provision';
import type * as PulumiModule from '@pulumi/pulumi';
import type { MockedResource } from '../../../../lib/pulumi/mock-engine';

const ROOT = path.resolve(__dirname, '../../../..');

/** Fresh copies of the modules a deployment uses, so that no Pulumi runtime state carries over between runs. */
export function fresh() {
  jest.resetModules();
  return {
    pulumi: require('@pulumi/pulumi') as typeof PulumiModule,
    mocks: require(`${ROOT}/lib/pulumi/mock-engine`) as typeof MockEngineModule,
    provision: require(`${ROOT}/lib/pulumi/provision`) as typeof ProvisionModule,
    require: (module: string) => require(`${ROOT}/${module}`),
  };
}

export function get(resources: ReadonlyMap<string, MockedResource>, name: string): MockedResource {
  const found = resources.get(name);
  if (!found) throw new Error(`no resource ${name}; there are ${[...resources.keys()].join(', ')}`);
  return found;
}

/** Names reachable from `name` through its dependencies, where a component stands for its descendants. */
export function reaches(resources: ReadonlyMap<string, MockedResource>, name: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const r of resources.values()) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r.name]);
  const seen = new Set<string>();
  const visit = (next: string) => {
    if (seen.has(next)) return;
    seen.add(next);
    for (const d of resources.get(next)?.dependsOn ?? []) visit(d);
    for (const c of children.get(next) ?? []) visit(c);
  };
  for (const d of get(resources, name).dependsOn) visit(d);
  for (let r = resources.get(name); r?.parent; r = resources.get(r.parent))
    for (const d of resources.get(r.parent)?.dependsOn ?? []) visit(d);
  return seen;
}

const SIG = '4dabf18193072939515e22adb298388d';

/** The value of an input, secret or not, and whether it was secret. */
export function unwrap(value: any): { secret: boolean; value: any } {
  if (value && typeof value === 'object' && SIG in value) return { secret: true, value: value.value };
  return { secret: false, value };
}

/** Every string in `value` outside secret-wrapped subtrees. */
export function plainStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => plainStrings(v, out));
  else if (typeof value === 'object' && value !== null && !(SIG in value)) Object.values(value).forEach((v) => plainStrings(v, out));
  return out;
}

export const STACKS = path.join(ROOT, 'stacks');
