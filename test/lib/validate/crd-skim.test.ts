import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { skimGroupsAndKinds } from '../../../lib/validate/crd-skim';

describe('skimGroupsAndKinds', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-skim-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const skim = (text: string): ReturnType<typeof skimGroupsAndKinds> => {
    const file = path.join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
    fs.writeFileSync(file, text);
    return skimGroupsAndKinds(file);
  };

  const crd = (group: string, kind: string, versionsFirst = false): string => {
    const versions = '  versions:\n    - name: v1\n      served: true\n      schema:\n        openAPIV3Schema:\n          type: object\n';
    const names = `  names:\n    plural: ${kind.toLowerCase()}s\n    kind: ${kind}\n  scope: Namespaced\n`;
    return `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${kind.toLowerCase()}s.${group}\nspec:\n  group: "${group}"\n${versionsFirst ? versions + names : names + versions}`;
  };

  test('reads group and kind, wherever spec.names sits', () => {
    expect(skim(crd('kubeovn.io', 'Subnet', true))).toEqual([{ group: 'kubeovn.io', kind: 'Subnet' }]);
    expect(skim(`# Source: chart/crds.yaml\n---\n${crd('example.com', 'Widget')}`)).toEqual([{ group: 'example.com', kind: 'Widget' }]);
  });

  test('reads every document of a multi-document file and skips empty ones', () => {
    expect(skim(`${crd('a.io', 'A')}---\n# nothing here\n---\n${crd('b.io', 'B')}`)).toEqual([
      { group: 'a.io', kind: 'A' },
      { group: 'b.io', kind: 'B' },
    ]);
  });

  test('leaves what it cannot read undefined, so the file is parsed instead', () => {
    expect(skim(JSON.stringify({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' }))).toEqual([{}]);
    expect(skim('apiVersion: v1\nkind: List\nitems: []\n')).toEqual([{}]);
  });
});
