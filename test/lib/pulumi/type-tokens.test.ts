import * as fs from 'fs';
import * as path from 'path';
import * as tokens from '../../../lib/pulumi/type-tokens';

const ROOT = path.resolve(__dirname, '../../..');
const MODULES = { pulumi: 'lib/pulumi', provision: 'lib/pulumi/provision' } as const;

/** Each exported component class of a module's directory with the type token its constructor passes to Pulumi. */
function componentTokens(dir: string): [string, string][] {
  return fs
    .readdirSync(path.join(ROOT, dir))
    .filter((f) => f.endsWith('.ts'))
    .flatMap((file) => {
      const source = fs.readFileSync(path.join(ROOT, dir, file), 'utf8');
      return [...source.matchAll(/export class (\w+) extends pulumi\.ComponentResource[^]*?super\(('[^']+'|\w+),/g)].map(
        ([, name, token]): [string, string] => [
          name,
          token.startsWith("'") ? token.slice(1, -1) : ((tokens as Record<string, unknown>)[token] as string),
        ],
      );
    });
}

describe('Pulumi type tokens', () => {
  test.each(Object.entries(MODULES))('every component of kubestrata/%s (in %s) is kubestrata:<that module>:<its class>', (module, dir) => {
    const exported = require(path.join(ROOT, dir, 'index'));
    const components = componentTokens(dir);
    expect(components.length).toBeGreaterThan(1);
    for (const [name, token] of components) {
      expect(exported[name]).toBeDefined();
      expect(token).toBe(`kubestrata:${module}:${name}`);
    }
  });

  test('chart components are named by the chart role', () => {
    expect(Object.values(tokens.CHART_TYPES)).toEqual([
      'kubestrata:pulumi:LayerChart',
      'kubestrata:pulumi:TenantChart',
      'kubestrata:pulumi:Chart',
    ]);
  });
});
