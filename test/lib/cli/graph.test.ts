import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { Platform } from '../../../lib/core/platform';
import { graph, stackGraphs, updateReadmeGraphs } from '../../../lib/cli/graph';
import { dot, mermaid } from '../../../lib/cli/graph-formats';
import { DEFAULT_APP } from '../../../lib/cli/load-stacks';
import { platformGraph, PlatformGraph } from '../../../lib/cli/platform-graph';
import { Tenant } from '../../../constructs/platform/tenant';
import { MariaDb } from '../../../constructs/data/mariadb';
import { Postgres } from '../../../constructs/data/postgres';

const APP = path.join(__dirname, 'fixtures/small-stacks');

function shop(): PlatformGraph {
  const platform = new Platform(new App(), 'shop', { delivery: 'flux' });
  const acme = new Tenant(platform, 'acme');
  new Postgres(acme, 'orders');
  new Postgres(acme, 'billing');
  new MariaDb(acme, 'cms');
  new Tenant(platform, 'empty');
  return platformGraph('shop', platform);
}

/** Node ids a Mermaid flowchart declares (`id["label"]`) and the endpoints of its edges. */
function mermaidIds(text: string): { declared: Set<string>; used: string[] } {
  const declared = new Set([...text.matchAll(/^ {4}(\S+)\["/gm)].map((m) => m[1]));
  const used = [...text.matchAll(/^ {2}(\S+) (?:-->|-\.->\|dependsOn\|) (\S+)$/gm)].flatMap((m) => [m[1], m[2]]);
  return { declared, used };
}

describe('platformGraph', () => {
  const g = shop();

  test('places components in their layers with their releases, and collapses each tenant into one node with its services', () => {
    expect(g.layers.map((l) => l.name)).toEqual(['data', 'platform']);
    const data = g.layers[0].nodes;
    expect(data).toContainEqual({ id: 'n_shop_data_cloudnative_pg', lines: ['CloudNativePg', 'cloudnative-pg'] });
    expect(data).toContainEqual({ id: 'n_shop_data_mariadb_operator_crds', lines: ['MariaDbOperatorCrds', 'mariadb-operator-crds'] });
    expect(g.tenants).toEqual([
      { id: 'n_shop_acme', lines: ['tenant acme', '3 services: MariaDb, Postgres'] },
      { id: 'n_shop_empty', lines: ['tenant empty', '0 services'] },
    ]);
  });

  test('draws requires edges from tenants and components, and release dependsOn edges no requires edge implies', () => {
    expect(g.edges).toContainEqual({ from: 'n_shop_acme', to: 'n_shop_data_cloudnative_pg', kind: 'requires' });
    expect(g.edges).toContainEqual({ from: 'n_shop_acme', to: 'n_shop_data_mariadb_operator', kind: 'requires' });
    expect(g.edges).toContainEqual({ from: 'n_shop_data_mariadb_operator', to: 'n_shop_data_mariadb_operator_crds', kind: 'dependsOn' });
    const pairs = g.edges.map((e) => `${e.from} ${e.to}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect(g.edges.filter((e) => e.from === 'n_shop_empty').map((e) => e.to)).toEqual(['n_shop_platform_tenant_admission']);
  });

  test('is the same for the same platform', () => {
    expect(shop()).toEqual(g);
    expect(mermaid(shop())).toBe(mermaid(g));
  });
});

describe('formats', () => {
  test('Mermaid declares every node an edge uses inside a subgraph, with quoted labels and plain ids', () => {
    const text = mermaid(shop());
    expect(text.split('\n')[0]).toBe('flowchart LR');
    const { declared, used } = mermaidIds(text);
    expect(used.length).toBeGreaterThan(0);
    for (const id of used) expect(declared).toContain(id);
    for (const id of declared) expect(id).toMatch(/^\w+$/);
    expect(text.match(/^ {2}subgraph /gm)?.length).toBe(text.match(/^ {2}end$/gm)?.length);
  });

  test('DOT is one digraph whose clusters declare every node its edges use', () => {
    const text = dot(shop());
    const lines = text.split('\n');
    expect(lines[0]).toBe('digraph "shop" {');
    expect(lines[lines.length - 1]).toBe('}');
    expect(text.split('{').length).toBe(text.split('}').length);
    const declared = new Set([...text.matchAll(/^ {4}(\w+) \[label="/gm)].map((m) => m[1]));
    const used = [...text.matchAll(/^ {2}(\w+) -> (\w+)/gm)].flatMap((m) => [m[1], m[2]]);
    expect(used.length).toBeGreaterThan(0);
    for (const id of used) expect(declared).toContain(id);
    expect(text).toContain('[style=dashed, label="dependsOn"]');
  });

  test('escapes quotes in labels', () => {
    const g: PlatformGraph = {
      name: 'a"b',
      layers: [{ name: 'data', nodes: [{ id: 'n_x', lines: ['say "hi"', 'two'] }] }],
      tenants: [],
      edges: [],
    };
    expect(mermaid(g)).toContain('n_x["say #quot;hi#quot;<br/>two"]');
    expect(dot(g)).toContain('digraph "a\\"b" {');
    expect(dot(g)).toContain('n_x [label="say \\"hi\\"\\ntwo"];');
  });
});

describe('kubestrata graph', () => {
  test('prints the chosen format for one stack, and names each stack when it draws several', () => {
    const lines: string[] = [];
    expect(graph({ app: APP, stacks: ['small'], format: 'dot' }, (l) => lines.push(l))).toBe(0);
    expect(lines[0]).toMatch(/^digraph "small" \{\n/);
    lines.length = 0;
    graph({ app: APP, stacks: [], format: 'mermaid' }, (l) => lines.push(l));
    expect(lines[0]).toMatch(/^%% stack small\nflowchart LR\n[\s\S]*\n\n%% stack invalid\nflowchart LR$/);
  });

  test("draws the platforms of cdk8s.yaml's app, and asks for a command it can load", () => {
    const [[name, text]] = stackGraphs({ dir: path.join(__dirname, 'fixtures/cdk8s-app'), format: 'mermaid' });
    expect(name).toBe('shop');
    expect(text).toContain('n_shop_acme["tenant acme<br/>1 service: Postgres"]');
    expect(() => stackGraphs({ dir: path.join(__dirname, 'fixtures/cdk8s-command'), format: 'mermaid' })).toThrow(
      /^graph builds the platform in this process: cdk8s\.yaml's app "node -r .*" must be \[npx\] ts-node <file> or node <file>, or pass --app <file>$/,
    );
  });

  test('a module that builds no Platform is named', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-graph-'));
    const empty = path.join(dir, 'empty.js');
    fs.writeFileSync(empty, 'module.exports = {};\n');
    try {
      expect(() => stackGraphs({ app: empty, format: 'mermaid' })).toThrow(
        `${empty} created no Platform: a cdk8s app builds one, new Platform(app, 'platform')`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an unknown stack lists the known ones', () => {
    expect(() => stackGraphs({ app: APP, stacks: ['nosuch'], format: 'mermaid' })).toThrow(/unknown stack "nosuch"; .* has small, invalid/);
  });
});

describe('README diagrams', () => {
  test('are what kubestrata graph draws for the reference stacks (npm run readme-graphs refreshes them)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
    expect(readme).toContain('<!-- graph:hosting -->');
    expect(readme).toContain('<!-- graph:personal-cloud -->');
    expect(updateReadmeGraphs(readme, DEFAULT_APP)).toBe(readme);
  });

  test('replace only the block between the markers', () => {
    const text = 'before\n<!-- graph:small -->\nold\n<!-- /graph:small -->\nafter\n';
    expect(updateReadmeGraphs(text, APP)).toMatch(
      /^before\n<!-- graph:small -->\n\n```mermaid\nflowchart LR\n[\s\S]*\n```\n\n<!-- \/graph:small -->\nafter\n$/,
    );
  });
});
