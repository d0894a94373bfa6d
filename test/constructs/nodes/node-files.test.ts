import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { K3sCluster } from '../../../constructs/nodes/k3s-cluster';
import { nodeClustersOf, nodeFiles, validateNodeConfigs, writeNodeFiles } from '../../../constructs/nodes/node-files';
import { SchemaRegistry, validateFiles } from '../../../lib/validate';
import { newPlatform, SCHEMAS_DIR } from '../../helpers';
import { cozyCluster, parseAll, talosIssues } from './fixtures';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-nodes-'));
}

function k3s() {
  const platform = newPlatform({ kubernetesVersion: '1.33', delivery: 'k3s' });
  const cluster = new K3sCluster(platform, 'home');
  cluster.addNode('s1', { role: 'server', address: '10.0.0.11' });
  cluster.addNode('a1', { role: 'agent', address: '10.0.0.21' });
  return { platform, cluster };
}

describe('writeNodeFiles', () => {
  test('writes one patch per Talos node, the schematic and a summary; every patch validates', () => {
    const { platform, cluster } = cozyCluster();
    const outdir = tmp();
    try {
      const written = writeNodeFiles(cluster, outdir).map((f) => path.relative(outdir, f));
      expect(written).toEqual([
        'nodes/cluster.yaml',
        'nodes/talos-schematic.yaml',
        'nodes/cp1/talos-patch.yaml',
        'nodes/cp2/talos-patch.yaml',
        'nodes/cp3/talos-patch.yaml',
        'nodes/w1/talos-patch.yaml',
      ]);
      for (const file of written.filter((f) => f.endsWith('talos-patch.yaml'))) {
        expect(talosIssues(parseAll(fs.readFileSync(path.join(outdir, file), 'utf8')))).toEqual([]);
      }
      const summary = YAML.parse(fs.readFileSync(path.join(outdir, 'nodes/cluster.yaml'), 'utf8'));
      expect(summary).toMatchObject({
        distribution: 'talos',
        endpoint: 'https://192.168.100.10:6443',
        bootstrapNode: 'cp1',
        schematicId: cluster.schematic.id,
        talosVersion: 'v1.13.9',
      });
      expect(fs.readFileSync(path.join(outdir, 'nodes/talos-schematic.yaml'), 'utf8')).toBe(cluster.schematic.schematicYaml);
      expect(nodeClustersOf(platform)).toEqual([cluster]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('writes the K3s files of every node in join order; the script is executable and nothing holds the token', () => {
    const { cluster } = k3s();
    const outdir = tmp();
    try {
      const written = writeNodeFiles(cluster, outdir).map((f) => path.relative(outdir, f));
      expect(written).toEqual([
        'nodes/cluster.yaml',
        'nodes/s1/config.yaml',
        'nodes/s1/registries.yaml',
        'nodes/s1/install.sh',
        'nodes/s1/user-data',
        'nodes/a1/config.yaml',
        'nodes/a1/registries.yaml',
        'nodes/a1/install.sh',
        'nodes/a1/user-data',
      ]);
      expect(fs.statSync(path.join(outdir, 'nodes/s1/install.sh')).mode & 0o777).toBe(0o755);
      expect(fs.statSync(path.join(outdir, 'nodes/s1/config.yaml')).mode & 0o777).toBe(0o644);
      expect(YAML.parse(fs.readFileSync(path.join(outdir, 'nodes/cluster.yaml'), 'utf8'))).toEqual({
        distribution: 'k3s',
        clusterName: 'home',
        k3sVersion: 'v1.33.3+k3s1',
        server: 'https://10.0.0.11:6443',
        token: { secret: 'k3s-token', key: 'token', source: 'config', file: '/etc/rancher/k3s/token' },
        nodes: [
          { name: 's1', hostname: 's1', role: 'server', address: '10.0.0.11' },
          { name: 'a1', hostname: 'a1', role: 'agent', address: '10.0.0.21' },
        ],
      });
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('replaces the node files of an earlier run', () => {
    const outdir = tmp();
    try {
      writeNodeFiles(cozyCluster().cluster, outdir);
      writeNodeFiles(k3s().cluster, outdir);
      expect(fs.existsSync(path.join(outdir, 'nodes/cp1'))).toBe(false);
      expect(fs.existsSync(path.join(outdir, 'nodes/s1/config.yaml'))).toBe(true);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('an invalid topology writes nothing', () => {
    const platform = newPlatform({ kubernetesVersion: '1.33', delivery: 'k3s' });
    const cluster = new K3sCluster(platform, 'home');
    cluster.addNode('a1', { role: 'agent', address: '10.0.0.21' });
    const outdir = tmp();
    try {
      expect(() => writeNodeFiles(cluster, outdir)).toThrow('has no node with role "server"');
      expect(fs.existsSync(path.join(outdir, 'nodes'))).toBe(false);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('manifest validation skips the node files beside the manifests', () => {
    const { cluster } = cozyCluster();
    const outdir = tmp();
    try {
      writeNodeFiles(cluster, outdir);
      fs.writeFileSync(
        path.join(outdir, 'network.k8s.yaml'),
        YAML.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }),
      );
      const report = validateFiles(outdir, SchemaRegistry.load(SCHEMAS_DIR, { kubernetesVersion: '1.33.0' }));
      expect(report.files.map((f) => path.relative(outdir, f))).toEqual(['network.k8s.yaml']);
      expect(report.issues).toEqual([]);
      expect(nodeFiles(cluster).every((f) => !f.content.includes('BEGIN'))).toBe(true);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('validateNodeConfigs checks every Talos patch against the schema and names the node', () => {
    const { cluster } = cozyCluster();
    expect(validateNodeConfigs(cluster, SCHEMAS_DIR)).toEqual([]);
    const patch = cluster.patch.bind(cluster);
    jest.spyOn(cluster, 'patch').mockImplementation((node) => [{ ...patch(node)[0], machine: { instal: {} } }]);
    expect(validateNodeConfigs(cluster, SCHEMAS_DIR)[0]).toEqual({
      object: 'cp1: Talos v1alpha1 machine config',
      path: '/machine',
      message: 'unknown field "instal"',
    });
    expect(validateNodeConfigs(k3s().cluster, SCHEMAS_DIR)).toEqual([]);
  });
});
