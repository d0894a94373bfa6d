import { App, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { stringifyManifest, stringifyManifests } from '../../../lib/core/yaml';
import { stacks } from '../../../stacks/main';

const cdk8s = (doc: unknown) => Yaml.stringify(doc);

describe('manifest serialization', () => {
  test('every object of the reference stacks serializes exactly as cdk8s does', () => {
    const docs = Object.values(stacks).flatMap((s) =>
      s
        .build(new App())
        .render()
        .flatMap((c) => c.objects.map((o) => o.manifest)),
    );
    expect(docs.length).toBeGreaterThan(50);
    for (const doc of docs) expect(stringifyManifest(doc)).toBe(cdk8s(doc));
    expect(stringifyManifests(docs)).toBe(Yaml.stringify(...docs));
  });

  test('scalars that YAML 1.1 would read as something else are quoted as cdk8s quotes them', () => {
    const doc = {
      y: 'n',
      labels: { 'kubestrata.io/system': 'true', version: '1.28', mode: '0755', on: 'off' },
      cron: '0 0 3 * * *',
      url: 'https://s3.example.net:9000/x',
      empty: '',
      star: '*',
      colon: 'a: b',
      hash: 'a #b',
      list: [[], {}, [['x']], [{ a: 1, b: [true, null, 1.5, -2] }]],
      multi: 'line one\nline two\n',
    };
    expect(stringifyManifest(doc)).toBe(cdk8s(doc));
  });

  test('any JSON document serializes exactly as cdk8s does', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('y', 'n', 'on', 'true', '1', 'a.b/c', 'app.kubernetes.io/name'));
    const scalar = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom('yes', 'No', '~', '0x1F', '1:20', '2001-12-14', '.inf', '-', '---', '...', ' x', 'x ', '10Gi', '500m'),
    );
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, scalar, tie('array'), tie('object')),
      array: fc.array(tie('value'), { maxLength: 4 }),
      object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    })).object;
    fc.assert(
      fc.property(json, (doc) => stringifyManifest(doc) === cdk8s(doc)),
      { numRuns: 5000 },
    );
  });
});
