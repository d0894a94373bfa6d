import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { NOT_REFERENCES, TENANT_KIND_AUDIT } from '../../constructs/platform/tenant-admission-audit';
import { Tenant } from '../../constructs/platform/tenant';
import { TENANT_API_EXCLUDED, TENANT_API_GROUPS, TENANT_API_RESOURCES } from '../../constructs/platform/tenant-api-groups';
import { CDI_RUNTIME_KINDS, KUBEVIRT_RUNTIME_KINDS } from '../../constructs/virtualization/runtime-kinds';
import { scopeOfWellKnownKind } from '../../lib/core/cluster-scoped-kinds';
import { find, manifests, newPlatform, SCHEMAS_DIR } from '../helpers';

interface KindSchema {
  group: string;
  kind: string;
  plural: string;
  scope: string;
  schema: any;
  definitions?: Record<string, any>;
}

/** The CRDs of the tenant API groups under crds/: group, kind, plural, scope and the served schema. */
function crdKinds(): KindSchema[] {
  const crds = path.join(SCHEMAS_DIR, 'crds');
  const files = fs
    .readdirSync(crds)
    .flatMap((component) =>
      fs
        .readdirSync(path.join(crds, component))
        .flatMap((version) => fs.readdirSync(path.join(crds, component, version)).map((file) => path.join(crds, component, version, file))),
    );
  return files
    .filter((file) => TENANT_API_GROUPS.some((group) => path.basename(file).endsWith(`.${group}.yaml`)))
    .flatMap((file) => YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS({ maxAliasCount: -1 })))
    .filter((crd) => crd?.kind === 'CustomResourceDefinition' && (TENANT_API_GROUPS as readonly string[]).includes(crd.spec.group))
    .map((crd) => ({
      group: crd.spec.group,
      kind: crd.spec.names.kind,
      plural: crd.spec.names.plural,
      scope: crd.spec.scope,
      schema: crd.spec.versions.find((v: any) => v.storage).schema.openAPIV3Schema,
    }));
}

function swagger(source: string): any {
  const dir = path.join(SCHEMAS_DIR, 'schemas', source);
  return JSON.parse(fs.readFileSync(path.join(dir, fs.readdirSync(dir).sort().pop()!, 'swagger.json'), 'utf8'));
}

const crds = crdKinds();
const kubevirt = swagger('kubevirt');
const cdi = swagger('cdi');
const kubernetes = JSON.parse(fs.readFileSync(path.join(SCHEMAS_DIR, 'schemas/kubernetes/1.32.0/_definitions.json'), 'utf8')).definitions;

/** What the upstream files say a tenant could write per group: every namespaced kind, less TENANT_API_EXCLUDED. */
function upstreamResources(): Record<string, string[]> {
  const runtime = [...KUBEVIRT_RUNTIME_KINDS, ...CDI_RUNTIME_KINDS]
    .filter((k) => scopeOfWellKnownKind(k.group, k.kind) === 'Namespaced')
    .map((k) => ({ group: k.group, plural: k.plural }));
  const namespaced = [...crds.filter((k) => k.scope === 'Namespaced'), ...runtime];
  const subresources = Object.keys(kubevirt.paths).flatMap((p) => {
    const match = /^\/apis\/subresources\.kubevirt\.io\/v1\/namespaces\/\{namespace[^}]*\}\/([^/{]+)\/\{name[^}]*\}\/([^/]+)/.exec(p);
    return match ? [{ group: 'subresources.kubevirt.io', plural: `${match[1]}/${match[2]}` }] : [];
  });
  const result: Record<string, string[]> = {};
  for (const { group, plural } of [...namespaced, ...subresources]) {
    if (!(TENANT_API_GROUPS as readonly string[]).includes(group) || `${plural}.${group}` in TENANT_API_EXCLUDED) continue;
    result[group] = [...new Set([...(result[group] ?? []), plural])].sort();
  }
  return result;
}

/** The schema node at a dotted path (`[]` = list items), resolving `$ref`s of OpenAPI definitions. */
function schemaAt(schema: any, definitions: Record<string, any>, fieldPath: string): any {
  const resolve = (node: any): any => (node?.$ref ? resolve(definitions[node.$ref.split('/').pop()]) : node);
  return fieldPath.split('.').reduce((node, segment) => {
    const list = segment.endsWith('[]');
    const property = resolve(resolve(node)?.properties?.[list ? segment.slice(0, -2) : segment]);
    return list ? resolve(property?.items) : property;
  }, schema);
}

function schemaOf(group: string, kind: string): { schema: any; definitions: Record<string, any> } {
  const crd = crds.find((k) => k.group === group && k.kind === kind);
  if (crd) return { schema: crd.schema, definitions: {} };
  for (const definitions of [kubernetes, kubevirt.definitions, cdi.definitions]) {
    const name = Object.keys(definitions).find((d) =>
      (definitions[d]['x-kubernetes-group-version-kind'] ?? []).some(
        (gvk: any) => gvk.group === group && gvk.kind === kind && !gvk.version.includes('alpha'),
      ),
    );
    if (name) return { schema: definitions[name], definitions };
  }
  const openApi = group.endsWith('kubevirt.io') ? (group === 'cdi.kubevirt.io' ? cdi : kubevirt).definitions : {};
  const name = Object.keys(openApi).find((d) => d.split('.').pop() === kind && d.startsWith('v1'));
  if (name) return { schema: openApi[name], definitions: openApi };
  throw new Error(`no schema for ${group} ${kind}`);
}

/** Paths of the properties below `spec` named like a reference to a namespace or a Multus network. */
function namespaceLikePaths(schema: any, definitions: Record<string, any>): string[] {
  const found = new Set<string>();
  const walk = (node: any, at: string, seen: readonly string[]): void => {
    if (node?.$ref) {
      const name = node.$ref.split('/').pop();
      if (!seen.includes(name)) walk(definitions[name], at, [...seen, name]);
      return;
    }
    for (const [key, child] of Object.entries<any>(node?.properties ?? {})) {
      const next = at ? `${at}.${key}` : key;
      if (/namespace/i.test(key) || key === 'networkName') found.add(next);
      if (!(key in NOT_REFERENCES)) walk(child, next, seen);
    }
    if (node?.items) walk(node.items, `${at}[]`, seen);
  };
  walk(schemaAt(schema, definitions, 'spec'), 'spec', []);
  return [...found];
}

describe('what a tenant admin may write', () => {
  const platform = newPlatform();
  new Tenant(platform, 'acme');
  const all = manifests(platform);
  const admin = find(all, 'Role', 'tenant-admin');
  const user = find(all, 'Role', 'tenant-user');
  const writable = (group: string) =>
    admin.rules.filter((r: any) => r.apiGroups.includes(group) && r.verbs.includes('create')).flatMap((r: any) => r.resources);

  test('the resources of every operator group are its namespaced kinds in the upstream files, less the excluded ones', () => {
    expect(Object.fromEntries(Object.entries(TENANT_API_RESOURCES).map(([g, r]) => [g, [...r].sort()]))).toEqual(upstreamResources());
  });

  test('every exclusion names a namespaced resource of a tenant group', () => {
    const namespaced = new Set([...crds.filter((k) => k.scope === 'Namespaced').map((k) => `${k.plural}.${k.group}`)]);
    expect(Object.keys(TENANT_API_EXCLUDED).filter((r) => !namespaced.has(r))).toEqual([]);
  });

  test('the Roles name resources, never "*"; the operator-wide kinds are not among them', () => {
    for (const rule of [...admin.rules, ...user.rules]) {
      expect(rule.resources).not.toContain('*');
      expect(rule.apiGroups).not.toContain('*');
    }
    expect(writable('kubevirt.io')).toContain('virtualmachines');
    expect(writable('kubevirt.io')).not.toContain('kubevirts');
    expect(writable('cdi.kubevirt.io')).toContain('datavolumes');
    expect(writable('cdi.kubevirt.io')).not.toEqual(expect.arrayContaining(['cdis']));
    expect(writable('cdi.kubevirt.io')).not.toContain('cdiconfigs');
    expect(writable('clickhouse.altinity.com')).toEqual(['clickhouseinstallations']);
    expect(writable('postgresql.cnpg.io')).not.toContain('failoverquorums');
  });

  test('Endpoints are readable, not writable, for the tenant admin', () => {
    expect(writable('')).not.toContain('endpoints');
    expect(admin.rules.filter((r: any) => r.resources.includes('endpoints'))).toEqual([
      { apiGroups: [''], resources: ['endpoints'], verbs: ['get', 'list', 'watch'] },
    ]);
    expect(writable('discovery.k8s.io')).toEqual([]);
  });

  test('the audit table lists exactly the kinds the tenant admin can write, and Endpoints and EndpointSlices', () => {
    const objects = admin.rules
      .filter((r: any) => r.verbs.includes('create') && !r.apiGroups.includes('subresources.kubevirt.io'))
      .flatMap((r: any) => r.resources.filter((res: string) => !res.includes('/')).map((res: string) => `${r.apiGroups[0]}/${res}`));
    const audited = TENANT_KIND_AUDIT.map((k) => `${k.group}/${k.resource}`);
    expect(new Set(audited).size).toBe(audited.length);
    expect(audited.sort()).toEqual([...objects, '/endpoints', 'discovery.k8s.io/endpointslices'].sort());
  });

  const operatorKinds = TENANT_KIND_AUDIT.filter((k) => (TENANT_API_GROUPS as readonly string[]).includes(k.group));
  /** CDI's populator sources: its OpenAPI document lacks them; their `spec.source` is a local object reference or a URL. */
  const withoutSchema = ['VolumeCloneSource', 'VolumeImportSource', 'VolumeUploadSource'];

  test("every operator kind has an upstream schema but CDI's populator sources", () => {
    expect(
      operatorKinds
        .filter((k) => {
          try {
            schemaOf(k.group, k.kind);
            return false;
          } catch {
            return true;
          }
        })
        .map((k) => k.kind),
    ).toEqual(withoutSchema);
  });

  test.each(operatorKinds.filter((k) => !withoutSchema.includes(k.kind)).map((k) => [k.group, k.kind, k] as const))(
    'every namespace-like property of %s %s is audited or known not to be a reference',
    (group, kind, audited) => {
      const { schema, definitions } = schemaOf(group, kind);
      const unaudited = namespaceLikePaths(schema, definitions).filter(
        (p) => !audited.fields.some((f) => f.path === p) && !(p.split('.').pop()!.replace('[]', '') in NOT_REFERENCES),
      );
      expect(unaudited).toEqual([]);
    },
  );

  test.each(
    TENANT_KIND_AUDIT.flatMap((k) => k.fields.filter((f) => f.path !== '').map((f) => [k.group || 'core', k.kind, f.path] as const)),
  )('%s %s has the audited field %s in its upstream schema', (group, kind, fieldPath) => {
    const { schema, definitions } = schemaOf(group === 'core' ? '' : group, kind);
    expect(schemaAt(schema, definitions, fieldPath)).toBeDefined();
  });
});
