import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SchemaRegistry } from '../../../lib/validate';

const SCHEMAS = process.env.KUBESTRATA_SCHEMAS ?? path.resolve(__dirname, '../../../../shared');

/** A CRD as `kubectl get crd -o yaml` prints it, with the given spec.versions[0] schema. */
function crd(kind: string, scope: 'Namespaced' | 'Cluster', schema: object, version = 'v1'): object {
  const plural = `${kind.toLowerCase()}s`;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.example.com` },
    spec: {
      group: 'example.com',
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      scope,
      versions: [{ name: version, served: true, storage: true, schema: { openAPIV3Schema: schema } }],
    },
  };
}

const widgetSchema = (replicasType: string): object => ({
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      properties: {
        replicas: { type: replicasType },
        owner: { type: 'string', nullable: true },
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          'x-kubernetes-preserve-unknown-fields': true,
        },
      },
    },
  },
});

/** Writes a schema directory the way a user would export it from a cluster; the Kubernetes schemas are linked. */
function schemaDir(withKubernetes: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-schemas-'));
  const json = (value: object): string => JSON.stringify(value);
  fs.mkdirSync(path.join(dir, 'crds/widgets/1.0.0'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'crds/widgets/2.0.0'), { recursive: true });
  // Several CRDs in one file, under a name that says nothing about them.
  fs.writeFileSync(
    path.join(dir, 'crds/widgets/1.0.0/all.yaml'),
    `${json(crd('Widget', 'Namespaced', widgetSchema('integer')))}\n---\n${json(crd('Gadget', 'Cluster', { type: 'object' }))}\n`,
  );
  fs.writeFileSync(path.join(dir, 'crds/widgets/2.0.0/widgets.yaml'), json(crd('Widget', 'Namespaced', widgetSchema('string'))));
  // A flat `kind: List` export outside any component/version directory.
  fs.writeFileSync(
    path.join(dir, 'crds/exported.yaml'),
    json({ apiVersion: 'v1', kind: 'List', items: [crd('Sprocket', 'Namespaced', { type: 'object' }, 'v2')] }),
  );
  if (withKubernetes) {
    fs.mkdirSync(path.join(dir, 'schemas'));
    fs.symlinkSync(path.join(SCHEMAS, 'schemas/kubernetes'), path.join(dir, 'schemas/kubernetes'));
  }
  return dir;
}

describe('a schema directory of CRDs exported from a cluster', () => {
  const dirs: string[] = [];
  const load = (withKubernetes: boolean, versions?: Record<string, string>): SchemaRegistry => {
    const dir = schemaDir(withKubernetes);
    dirs.push(dir);
    return SchemaRegistry.load(dir, { versions });
  };
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  const widget = {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'default' },
    spec: { replicas: 2, owner: null, template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} } },
  };

  test('the highest component version wins unless a version is pinned', () => {
    const issue = { object: 'example.com/v1 Widget default/w', path: '/spec/replicas', message: 'must be string' };
    expect(load(true).validate(widget)).toEqual([issue]);
    expect(load(true, { widgets: '1.0.0' }).validate(widget)).toEqual([]);
  });

  test('CRDs are found in multi-document files and List exports, with their scope', () => {
    const registry = load(true, { widgets: '1.0.0' });
    expect(registry.scopeOf('example.com/v1', 'Gadget')).toBe('Cluster');
    expect(registry.scopeOf('example.com/v2', 'Sprocket')).toBe('Namespaced');
    expect(registry.validate({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' } })).toEqual([]);
  });

  test('an embedded resource needs apiVersion and kind, and its metadata is ObjectMeta', () => {
    const registry = load(true, { widgets: '1.0.0' });
    const broken = { ...widget, spec: { template: { kind: 'Pod', metadata: { name: 'p', bogus: 1 } } } };
    expect(registry.validate(broken)).toEqual([
      { object: 'example.com/v1 Widget default/w', path: '/spec/template', message: 'missing required field "apiVersion"' },
      { object: 'example.com/v1 Widget default/w', path: '/spec/template/metadata', message: 'unknown field "bogus"' },
    ]);
  });

  test('without Kubernetes schemas, built-in kinds have no schema and CRD metadata is not checked field by field', () => {
    const registry = load(false, { widgets: '1.0.0' });
    expect(registry.kubernetesVersion).toBeUndefined();
    expect(registry.validate({ ...widget, metadata: { ...widget.metadata, bogus: 1 } })).toEqual([]);
    expect(registry.validate({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } })).toEqual([
      { object: 'v1 Namespace n', path: '/', message: 'no schema for v1 Namespace' },
    ]);
  });
});
