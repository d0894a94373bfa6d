import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SchemaRegistry, validateFiles } from '../../../lib/validate';

const SCHEMAS = process.env.KUBESTRATA_SCHEMAS ?? path.resolve(__dirname, '../../../../shared');

describe('validateFiles', () => {
  const registry = SchemaRegistry.load(SCHEMAS, { kubernetesVersion: '1.32.0' });
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-validate-'));
    const write = (file: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    write(
      'platform/tenant.yaml',
      [
        'apiVersion: v1',
        'kind: Namespace',
        'metadata:',
        '  name: tenant-acme',
        '---',
        '# an empty document',
        '---',
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: settings',
        '  namespace: tenant-acme',
        'data:',
        '  replicas: 3',
        '---',
        '',
      ].join('\n'),
    );
    write(
      'platform/data/orders.yml',
      [
        'apiVersion: postgresql.cnpg.io/v1',
        'kind: Cluster',
        'metadata:',
        '  name: orders',
        '  namespace: tenant-acme',
        'spec:',
        '  instances: 2',
        '  storage:',
        '    size: 10Gi',
        '',
      ].join('\n'),
    );
    write('platform/broken.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: broken\n');
    write('platform/nodes/worker-1.yaml', 'version: v1alpha1\nmachine:\n  type: worker\n');
    write('platform/README.md', '# not a manifest\n');
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('validates every object of every YAML file below a directory, skipping nodes/', () => {
    const report = validateFiles(dir, registry);
    expect(report.files).toEqual([
      path.join(dir, 'platform/broken.yaml'),
      path.join(dir, 'platform/data/orders.yml'),
      path.join(dir, 'platform/tenant.yaml'),
    ]);
    expect(report.objects).toBe(3);
    expect(report.issues).toEqual([
      {
        file: path.join(dir, 'platform/broken.yaml'),
        object: 'document 1',
        path: '/',
        message: expect.stringMatching(/^invalid YAML: /),
      },
      {
        file: path.join(dir, 'platform/tenant.yaml'),
        object: 'v1 ConfigMap tenant-acme/settings',
        path: '/data/replicas',
        message: 'must be string',
      },
    ]);
  });

  test('takes a list of files as well', () => {
    const report = validateFiles([path.join(dir, 'platform/data/orders.yml')], registry);
    expect(report).toEqual({ files: [path.join(dir, 'platform/data/orders.yml')], objects: 1, issues: [], notValidated: [] });
  });

  test('a path that does not exist is an error', () => {
    expect(() => validateFiles(path.join(dir, 'missing'), registry)).toThrow(/does not exist/);
  });
});
