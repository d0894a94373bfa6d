import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { K3sCluster } from '../../constructs/nodes/k3s-cluster';
import { writeNodeFiles } from '../../constructs/nodes/node-files';
import { TalosCluster } from '../../constructs/nodes/talos-cluster';
import { TalosSchematic } from '../../constructs/nodes/talos-schematic';
import { newPlatform, problemsOf } from '../helpers';

const k3s = () => new K3sCluster(newPlatform({ kubernetesVersion: '1.33', delivery: 'k3s' }), 'home');

describe('node ids name folders: DNS labels only', () => {
  test.each(['..', '.', 'a..b', 'Node1', 'node_1', '-n'])('K3s addNode(%j) is refused', (id) => {
    const message = problemsOf(() => k3s().addNode(id, { role: 'server', address: '10.0.0.11', hostname: 'n1' })).message;
    expect(message).toContain(
      `[platform/home/${id}] 1 problem:\n  - id: ${JSON.stringify(id)} must be a DNS-1123 label: it names the node's folder of generated files and is its default hostname. Fix: use the hostname, e.g. "node-1".`,
    );
  });

  test('Talos addNode("..") is refused', () => {
    const cluster = new TalosCluster(newPlatform({ kubernetesVersion: '1.33' }), 'cozy', {
      network: { link: 'enp1s0', gateway: '192.168.100.1' },
    });
    expect(problemsOf(() => cluster.addNode('..', { role: 'controlplane', address: '192.168.100.11/24' })).message).toContain(
      'id: ".." must be a DNS-1123 label',
    );
  });

  test('writeNodeFiles writes nothing outside nodes/, whatever a node is called, and leaves the earlier files when it refuses', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubestrata-guards-'));
    fs.mkdirSync(path.join(outdir, 'nodes'));
    fs.writeFileSync(path.join(outdir, 'nodes', 'earlier.yaml'), 'kept');
    try {
      const cluster = k3s();
      const node = cluster.addNode('s1', { role: 'server', address: '10.0.0.11' });
      Object.defineProperty(node.node, 'id', { value: '..' });
      const message = problemsOf(() => writeNodeFiles(cluster, outdir)).message;
      expect(message).toContain(
        `[platform/home] 1 problem:\n  - nodes: ["../config.yaml","../registries.yaml","../install.sh","../user-data"] would be written outside ${path.join(outdir, 'nodes')}.`,
      );
      expect(fs.readdirSync(outdir)).toEqual(['nodes']);
      expect(fs.readdirSync(path.join(outdir, 'nodes'))).toEqual(['earlier.yaml']);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('TalosSchematic on its own', () => {
  test.each([
    ['a newline and a YAML key', 'quiet\n    meta:\n        - 0xa=evil'],
    ['a space', 'console=ttyS0 quiet'],
    ['a control character', 'quiet\u0000'],
    ['a YAML word', 'yes'],
  ])('a kernel argument with %s is refused before any YAML is built', (_, arg) => {
    const schematic = new TalosSchematic({ extraKernelArgs: [arg] });
    const message = problemsOf(() => schematic.schematicYaml).message;
    expect(message).toContain(
      `[TalosSchematic] 1 problem:\n  - schematic.extraKernelArgs: ${JSON.stringify(arg)} must be one kernel argument such as "intel_idle.max_cstate=0"`,
    );
    expect(() => schematic.id).toThrow(message);
    expect(() => schematic.installerImage('v1.13.9')).toThrow(message);
  });

  test('the YAML holds exactly the arguments and extensions given', () => {
    const schematic = new TalosSchematic({
      extensions: ['siderolabs/drbd'],
      extraKernelArgs: ['console=ttyS0,115200n8', 'net.ifnames=0', 'talos.dashboard.disabled=1', 'a@b'],
    });
    expect(YAML.parse(schematic.schematicYaml)).toEqual({
      customization: {
        extraKernelArgs: ['console=ttyS0,115200n8', 'net.ifnames=0', 'talos.dashboard.disabled=1', 'a@b'],
        systemExtensions: { officialExtensions: ['siderolabs/drbd'] },
      },
    });
  });

  test("a cluster with an invalid schematic reports it with the cluster's path", () => {
    const platform = newPlatform({ kubernetesVersion: '1.33' });
    const schematic = new TalosSchematic({ extraKernelArgs: ['a\nb'] });
    const message = problemsOf(
      () => new TalosCluster(platform, 'cozy', { network: { link: 'enp1s0', gateway: '192.168.100.1' }, schematic }),
    ).message;
    expect(message).toMatch(/^\[platform\/cozy\] \d+ problems:/);
    expect(message).toContain('\n  - schematic.extraKernelArgs: "a\\nb" must be one kernel argument');
  });
});
