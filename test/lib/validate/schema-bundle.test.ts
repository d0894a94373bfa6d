import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { Cilium } from '../../../constructs/network/cilium';
import { nodeClustersOf, validateNodeConfigs } from '../../../constructs/nodes/node-files';
import { SchemaRegistry, talosValidator } from '../../../lib/validate';
import { SHIPPED_BUNDLE_FILE } from '../../../lib/validate/schema-bundle';
import { buildSchemaBundle, NO_UPSTREAM_SCHEMA } from '../../../scripts/build-schema-bundle';
import { stacks } from '../../../stacks/main';
import { manifests, newPlatform, SCHEMAS_DIR } from '../../helpers';

const root = path.resolve(__dirname, '../../..');
const KUBECTL_CRDS = path.join(root, 'test/fixtures/schemas/metallb-crds-kubectl.yaml');

interface ObjectSet {
  readonly source: string;
  readonly kubernetesVersion: string;
  readonly objects: readonly any[];
}

/** Every object of the reference stacks, rendered in memory. */
function referenceStacks(): ObjectSet[] {
  return Object.entries(stacks).map(([name, stack]) => {
    const platform = stack.build(new App({ outdir: '/nonexistent' }));
    return { source: `stack ${name}`, kubernetesVersion: `${platform.kubernetesVersion}.0`, objects: manifests(platform) };
  });
}

/** Every object each example writes, synthesized as test/examples does it. */
function examples(): ObjectSet[] {
  const names = fs
    .readdirSync(path.join(root, 'examples'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  return names.map((example) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `kubestrata-bundle-${example}-`));
    try {
      process.env.CDK8S_OUTDIR = outdir;
      jest.isolateModules(() => require(path.join(root, 'examples', example, 'main')));
      const objects = fs
        .readdirSync(outdir)
        .filter((file) => file.endsWith('.yaml'))
        .flatMap((file) => YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf8')).map((d) => d.toJS()))
        .filter((object) => object !== null);
      return { source: `example ${example}`, kubernetesVersion: '1.32.0', objects };
    } finally {
      delete process.env.CDK8S_OUTDIR;
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
}

const sets = [...referenceStacks(), ...examples()];
const all = sets.flatMap((set) => set.objects.map((object) => ({ ...set, object })));

/** The first synthesized object of a kind, deep-copied so that a test may break it. */
function copyOf(kind: string): any {
  const found = all.find((entry) => entry.object.kind === kind);
  if (found === undefined) throw new Error(`no ${kind} in the reference stacks or examples`);
  return structuredClone(found.object);
}

/** Objects each schema source must reject: unknown fields, wrong types, missing required fields, unknown kinds. */
function brokenObjects(): any[] {
  const unknownField = copyOf('Deployment');
  unknownField.spec.template.spec.containers[0].bogus = true;
  const wrongType = copyOf('Deployment');
  wrongType.spec.replicas = 'two';
  const missingRequired = copyOf('Deployment');
  delete missingRequired.spec.selector;
  const cluster = copyOf('Cluster');
  cluster.spec.instances = '3';
  cluster.spec.storage.bogus = 1;
  const release = copyOf('HelmRelease');
  delete release.spec.interval;
  release.spec.chart.spec.chart = 42;
  const vm = copyOf('VirtualMachine');
  vm.spec.bogus = 1;
  vm.spec.runStrategy = 7;
  const dataVolume = copyOf('DataVolume');
  delete dataVolume.spec;
  const wrongScope = copyOf('Namespace');
  wrongScope.metadata.namespace = 'default';
  const unknownKind = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' } };
  const noUpstream = { apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', metadata: { name: 'pool' }, spec: { blocks: [] } };
  return [unknownField, wrongType, missingRequired, cluster, release, vm, dataVolume, wrongScope, unknownKind, noUpstream];
}

/** Tests that compare with the upstream folder skip (one printed line for all) when it is absent, except under CI. */
const hasUpstream = fs.existsSync(path.join(SCHEMAS_DIR, 'crds'));
if (!hasUpstream && !process.env.CI) {
  process.stderr.write(
    `skipped: comparing the shipped schemas with the upstream folder: ${SCHEMAS_DIR} is absent (set KUBESTRATA_SCHEMAS)\n`,
  );
}
function testWithUpstream(name: string, fn: () => void): void {
  if (hasUpstream) return test(name, fn);
  if (process.env.CI)
    return test(name, () => {
      throw new Error(`${SCHEMAS_DIR} does not exist: CI must compare the bundle with it`);
    });
  test.skip(name, fn);
}

describe('the shipped schema bundle', () => {
  const shipped = new Map<string, SchemaRegistry>();
  const bundle = (version: string): SchemaRegistry =>
    shipped.get(version) ?? shipped.set(version, SchemaRegistry.shipped({ kubernetesVersion: version })).get(version)!;

  testWithUpstream('gives the same verdict as the upstream folder on every reference and example object and on broken ones', () => {
    const upstream = new Map<string, SchemaRegistry>();
    const load = (version: string): SchemaRegistry =>
      upstream.get(version) ?? upstream.set(version, SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: version })).get(version)!;
    const cases = [...all, ...brokenObjects().map((object) => ({ source: 'broken', kubernetesVersion: '1.32.0', object }))];
    const verdicts = (registry: (version: string) => SchemaRegistry) =>
      cases.map(({ source, kubernetesVersion, object }) => ({
        source,
        issues: registry(kubernetesVersion).validate(object),
        notValidated: registry(kubernetesVersion).notValidated(object),
      }));
    const fromBundle = verdicts(bundle);
    expect(fromBundle).toEqual(verdicts(load));
    expect(cases.length).toBeGreaterThan(500);
    const broken = fromBundle.filter((verdict) => verdict.source === 'broken');
    expect(broken.slice(0, -1).map((verdict) => verdict.issues.length > 0)).toEqual(broken.slice(0, -1).map(() => true));
    expect(broken.at(-1)).toEqual({ source: 'broken', issues: [], notValidated: [expect.objectContaining({ path: '/' })] });
  });

  testWithUpstream('checks Talos node patches as the upstream folder does', () => {
    for (const stack of Object.values(stacks)) {
      for (const cluster of nodeClustersOf(stack.build(new App({ outdir: '/nonexistent' })))) {
        expect(validateNodeConfigs(cluster, bundle('1.32.0'))).toEqual(validateNodeConfigs(cluster, SCHEMAS_DIR));
      }
    }
    const broken = { version: 'v1alpha1', machine: { type: 'worker', bogus: 1, network: { hostname: 7 } } };
    const issues = talosValidator(bundle('1.32.0'), '1.13.9')(broken);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues).toEqual(talosValidator(SCHEMAS_DIR, '1.13.9')(broken));
  });

  testWithUpstream('holds what npm run schemas:bundle makes from the upstream folder, byte for byte', () => {
    // Uncompressed: another build of brotli may pack the same bytes differently.
    const fresh = zlib.brotliDecompressSync(buildSchemaBundle(SCHEMAS_DIR));
    if (!fresh.equals(zlib.brotliDecompressSync(fs.readFileSync(SHIPPED_BUNDLE_FILE)))) {
      throw new Error(`${SHIPPED_BUNDLE_FILE} differs from what ${SCHEMAS_DIR} gives: run npm run schemas:bundle and commit it`);
    }
  });

  test('has a schema for every kind the reference stacks and examples emit', () => {
    const declared = new Set(NO_UPSTREAM_SCHEMA.map((entry) => `${entry.group}/${entry.kind}`));
    const missing = all
      .filter(({ object }) => !declared.has(`${object.apiVersion.split('/').slice(0, -1).join('/')}/${object.kind}`))
      .filter(({ kubernetesVersion, object }) => bundle(kubernetesVersion).scopeOf(object.apiVersion, object.kind) === undefined)
      .map(({ object }) => `${object.apiVersion} ${object.kind}`);
    expect([...new Set(missing)]).toEqual([]);
    expect(new Set(all.map(({ object }) => object.kind)).size).toBeGreaterThan(50);
  });

  test('declares every kind Cilium serves at run time as one without an upstream schema', () => {
    const platform = newPlatform();
    const cilium = new Cilium(platform);
    const kinds = platform.readiness.runtimeKinds.filter((declaration) => declaration.provider === cilium).flatMap((d) => d.kinds);
    const declared = new Set(NO_UPSTREAM_SCHEMA.map((entry) => `${entry.group}/${entry.kind}`));
    expect(kinds.map((k) => k.kind)).toContain('CiliumLoadBalancerIPPool');
    expect(kinds.filter((k) => !declared.has(`${k.group}/${k.kind}`))).toEqual([]);
  });

  test('reports a kind without an upstream schema as not validated, with the reason; any other unknown kind is an error', () => {
    const registry = bundle('1.32.0');
    const pool = { apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', metadata: { name: 'public' }, spec: { blocks: [] } };
    expect(registry.validate(pool)).toEqual([]);
    expect(registry.notValidated(pool)).toEqual([
      {
        object: 'cilium.io/v2 CiliumLoadBalancerIPPool public',
        path: '/',
        message:
          'not validated: no upstream schema (cilium-operator registers the Cilium CRDs at run time; ' +
          'no CRD YAML of a Cilium 1.19 release is available upstream)',
      },
    ]);
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' } };
    expect(registry.validate(widget)).toEqual([
      { object: 'example.com/v1 Widget default/w', path: '/', message: 'no schema for example.com/v1 Widget' },
    ]);
    expect(registry.notValidated(widget)).toEqual([]);
  });

  test('a missing schema names what is missing and how to add it', () => {
    expect(() => talosValidator(bundle('1.32.0'), '1.12.0')).toThrow(
      'no Talos schema for version 1.12.0 in shipped bundle (available: 1.13.9); pass --schemas <dir> holding schemas/talos/1.12.0/config.schema.json',
    );
    expect(() => SchemaRegistry.shipped({ kubernetesVersion: '1.30.0' })).toThrow(
      'no Kubernetes schemas for version 1.30.0 in shipped bundle (available: 1.28.0, 1.32.0, 1.33.0); ' +
        'pass --schemas <dir> holding schemas/kubernetes/1.30.0/_definitions.json',
    );
    expect(() => SchemaRegistry.shipped({ extra: ['/nonexistent/cluster-crds.yaml'] })).toThrow(
      'schema source /nonexistent/cluster-crds.yaml does not exist: pass a directory laid out as crds/ and schemas/, ' +
        'a directory of CRD YAML, or a YAML/JSON file of CRDs (kubectl get crd -o yaml > cluster-crds.yaml)',
    );
  });
});

describe('schema sources on top of the bundle', () => {
  const pool = {
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPool',
    metadata: { name: 'public', namespace: 'metallb-system' },
    spec: { addresses: ['203.0.113.0/28'], autoAssign: true },
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-overlays-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  /** The kubectl export with IPAddressPool's spec.autoAssign declared a string instead of a boolean. */
  const stringAutoAssign = path.join(dir, 'string-auto-assign.yaml');
  const list = YAML.parse(fs.readFileSync(KUBECTL_CRDS, 'utf8'));
  list.items[0].spec.versions.find((v: any) => v.name === 'v1beta1').schema.openAPIV3Schema.properties.spec.properties.autoAssign.type =
    'string';
  fs.writeFileSync(stringAutoAssign, YAML.stringify(list));
  const mustBeString = [
    { object: 'metallb.io/v1beta1 IPAddressPool metallb-system/public', path: '/spec/autoAssign', message: 'must be string' },
  ];

  test('read the CRDs of `kubectl get crd -o yaml` output, a List with what the API server adds', () => {
    const fromExportAlone = SchemaRegistry.shipped({ extra: [KUBECTL_CRDS], versions: { metallb: 'none' } });
    expect(SchemaRegistry.shipped({ versions: { metallb: 'none' } }).scopeOf('metallb.io/v1beta1', 'IPAddressPool')).toBeUndefined();
    expect(fromExportAlone.scopeOf('metallb.io/v1beta1', 'IPAddressPool')).toBe('Namespaced');
    expect(fromExportAlone.validate(pool)).toEqual([]);
    expect(fromExportAlone.validate({ ...pool, spec: { ...pool.spec, bogus: 1 } })).toEqual([
      { object: 'metallb.io/v1beta1 IPAddressPool metallb-system/public', path: '/spec', message: 'unknown field "bogus"' },
    ]);
    const advertisement = {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'L2Advertisement',
      metadata: { name: 'l2', namespace: 'metallb-system' },
    };
    expect(fromExportAlone.validate({ ...advertisement, spec: { ipAddressPools: ['public'] } })).toEqual([]);
  });

  test('override the kinds an earlier source defines, a later source winning', () => {
    expect(SchemaRegistry.shipped().validate(pool)).toEqual([]);
    expect(SchemaRegistry.shipped({ extra: [stringAutoAssign] }).validate(pool)).toEqual(mustBeString);
    expect(SchemaRegistry.shipped({ extra: [stringAutoAssign, KUBECTL_CRDS] }).validate(pool)).toEqual([]);
    expect(SchemaRegistry.shipped({ extra: [KUBECTL_CRDS, stringAutoAssign] }).validate(pool)).toEqual(mustBeString);
    expect(SchemaRegistry.shipped({ extra: [KUBECTL_CRDS, stringAutoAssign] }).sources).toEqual([
      'shipped bundle',
      KUBECTL_CRDS,
      stringAutoAssign,
    ]);
  });

  test('may be a directory of CRD YAML or a directory laid out as crds/ and schemas/', () => {
    const crdDir = path.join(dir, 'cluster');
    fs.mkdirSync(crdDir);
    fs.copyFileSync(stringAutoAssign, path.join(crdDir, 'metallb.yaml'));
    expect(SchemaRegistry.shipped({ extra: [crdDir] }).validate(pool)).toEqual(mustBeString);
    const layout = path.join(dir, 'layout');
    fs.mkdirSync(path.join(layout, 'crds/metallb/0.16.1'), { recursive: true });
    fs.copyFileSync(stringAutoAssign, path.join(layout, 'crds/metallb/0.16.1/metallb.yaml'));
    expect(SchemaRegistry.shipped({ extra: [layout] }).validate(pool)).toEqual(mustBeString);
  });

  test('a kind without an upstream schema is validated once a source defines it', () => {
    const cilium = path.join(dir, 'cilium.yaml');
    const crd = YAML.parse(fs.readFileSync(KUBECTL_CRDS, 'utf8')).items[0];
    crd.spec.group = 'cilium.io';
    crd.spec.names = { kind: 'CiliumLoadBalancerIPPool', plural: 'ciliumloadbalancerippools', listKind: 'CiliumLoadBalancerIPPoolList' };
    crd.spec.scope = 'Cluster';
    crd.spec.versions = [
      {
        name: 'v2',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } },
      },
    ];
    fs.writeFileSync(cilium, YAML.stringify(crd));
    const pool = { apiVersion: 'cilium.io/v2', kind: 'CiliumLoadBalancerIPPool', metadata: { name: 'public' }, spec: { blocks: [] } };
    const registry = SchemaRegistry.shipped({ extra: [cilium] });
    expect(registry.notValidated(pool)).toEqual([]);
    expect(registry.validate(pool)).toEqual([
      { object: 'cilium.io/v2 CiliumLoadBalancerIPPool public', path: '/spec', message: 'unknown field "blocks"' },
    ]);
  });
});
