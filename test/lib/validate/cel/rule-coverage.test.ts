import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { SchemaRegistry } from '../../../../lib/validate';
import { CelRuleNode, collectCelRules } from '../../../../lib/validate/cel/cel-rules';
import { manifests, SCHEMAS_DIR } from '../../../helpers';
import { stacks } from '../../../../stacks/main';

interface ShippedRule {
  /** `group/version/Kind` */
  readonly kind: string;
  readonly rule: string;
  readonly unsupported?: readonly string[];
  readonly transition: boolean;
}

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? yamlFiles(full) : /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

function rulesOf(node: CelRuleNode | undefined): CelRuleNode['rules'][number][] {
  if (node === undefined) return [];
  return [...node.rules, ...[...node.properties.values(), node.items, node.values].flatMap(rulesOf)];
}

/** Every rule of every served version of every CRD in the schema directory. */
const shipped: ShippedRule[] = yamlFiles(path.join(SCHEMAS_DIR, 'crds')).flatMap((file) =>
  YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((document) => document.toJS({ maxAliasCount: -1 }))
    .filter((crd) => crd?.kind === 'CustomResourceDefinition')
    .flatMap((crd) =>
      (crd.spec.versions ?? [])
        .filter((version: any) => version.served)
        .flatMap((version: any) =>
          rulesOf(collectCelRules(version.schema?.openAPIV3Schema)).map((rule): ShippedRule => ({
            kind: `${crd.spec.group}/${version.name}/${crd.spec.names.kind}`,
            rule: rule.rule,
            unsupported: 'unsupported' in rule.compiled ? rule.compiled.unsupported : undefined,
            transition: 'program' in rule.compiled && rule.compiled.readsOldSelf && !rule.optionalOldSelf,
          })),
        ),
    ),
);

/** The kinds with rules this validator cannot evaluate, by what it lacks. */
function unsupportedKinds(): Record<string, string[]> {
  const byReason: Record<string, string[]> = {};
  for (const { kind, unsupported } of shipped) {
    for (const reason of unsupported ?? []) byReason[reason] = [...new Set([...(byReason[reason] ?? []), kind])];
  }
  return byReason;
}

describe('the CEL rules of the shipped CRDs', () => {
  test('every rule compiles, or is listed as unsupported by the function it calls', () => {
    expect(shipped.length).toBeGreaterThan(1000);
    expect(shipped.filter((rule) => rule.transition).length).toBeGreaterThan(50);
    expect(unsupportedKinds()).toEqual({});
  });

  test.each(Object.keys(stacks))('the %s reference stack meets no unsupported rule and breaks none', (name) => {
    const registry = SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: '1.32.0' });
    const platform = stacks[name].build(new App({ outdir: '/nonexistent' }));
    const objects = manifests(platform);
    const unsupported = Object.values(unsupportedKinds()).flat();
    expect(objects.map((object) => `${object.apiVersion}/${object.kind}`).filter((kind) => unsupported.includes(kind))).toEqual([]);
    expect(objects.flatMap((object) => registry.validate(object))).toEqual([]);
    expect(registry.celRuleCounts).toMatchObject({ unsupported: 0 });
    expect(registry.celRuleCounts.evaluated).toBeGreaterThan(10);
  });
});
