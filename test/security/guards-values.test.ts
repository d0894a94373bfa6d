import { K3sCluster } from '../../constructs/nodes/k3s-cluster';
import { isSelfSetNodeLabel } from '../../constructs/nodes/node-labels';
import { TalosCluster } from '../../constructs/nodes/talos-cluster';
import { KubeOvn } from '../../constructs/network/kube-ovn';
import { NvidiaDevicePlugin } from '../../constructs/platform/nvidia-device-plugin';
import { Linstor } from '../../constructs/storage/linstor';
import { Problems } from '../../lib/core/errors';
import { isLabelKey } from '../../lib/core/names';
import { checkQuantity, isQuantity, parseQuantity } from '../../lib/core/quantity';
import { SecretRef } from '../../lib/core/secrets';
import { newPlatform, problemsOf } from '../helpers';

describe("quantities follow apimachinery's grammar and fit in int64", () => {
  test.each([
    ['1', 1],
    ['+1', 1],
    ['1.', 1],
    ['.5', 0.5],
    ['500m', 0.5],
    ['10Gi', 10 * 2 ** 30],
    ['1E', 1e18],
    ['1Ei', 2 ** 60],
    ['7Ei', 7 * 2 ** 60],
    ['2e3', 2000],
    ['2E-3', 0.002],
    ['100n', 1e-7],
    ['3u', 3e-6],
    ['0', 0],
  ])('%s is %d', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 12);
  });

  test.each([
    '',
    'x',
    '1K',
    '1KiB',
    '10GB',
    '1e',
    '1e1.5',
    '1.5.5',
    ' 1',
    '1 ',
    'Infinity',
    'NaN',
    '0x10',
    '1e400',
    '8Ei',
    '1e19',
    '-1e19',
  ])('%j is refused', (text) => {
    expect(isQuantity(text)).toBe(false);
    expect(parseQuantity(text)).toBeUndefined();
  });

  test('a quantity beyond int64 gets its own message; a non-string is no quantity', () => {
    const problems = new Problems('platform/acme');
    checkQuantity(problems, 'storage.size', '1e400', '10Gi');
    checkQuantity(problems, 'storage.size', 10, '10Gi');
    expect(problemsOf(() => problems.throwIfAny()).message).toBe(
      '[platform/acme] 2 problems:\n' +
        '  - storage.size: "1e400" is larger than any quantity Kubernetes can hold (2^63 base units). Fix: write it like "10Gi".\n' +
        '  - storage.size: 10 must be a positive Kubernetes quantity. Fix: write it like "10Gi".',
    );
  });
});

describe('SecretRef keys and names as the API server accepts them', () => {
  const check = (ref: SecretRef, required: string[] = []) => {
    const problems = new Problems('platform/acme/db');
    ref.check(problems, 'password', required);
    return problemsOf(() => problems.throwIfAny()).message;
  };

  test.each(['../x', '', 'a b', '.', '..', 'x/y', 'k'.repeat(254)])('key %j is refused', (key) => {
    expect(check(SecretRef.existing('db-password', [key]))).toContain(
      `password.keys: ${JSON.stringify([key])} are not Secret data keys (letters, digits, "-", "_" and ".", not "." or "..", at most 253 characters). Fix: name each key like "password" or "tls.crt".`,
    );
  });

  test.each(['DB', 'db_password', '-db', 'db.', ''])('name %j is refused', (name) => {
    expect(check(SecretRef.existing(name, ['password']))).toContain(`password.name: ${JSON.stringify(name)} must be a DNS-1123 subdomain`);
  });

  test('valid keys and names pass', () => {
    const problems = new Problems('platform/acme/db');
    expect(
      SecretRef.existing('db.password-1', ['password', 'tls.crt', '.hidden', 'ACCESS_KEY_ID']).check(problems, 'password', ['password']),
    ).toBe(true);
    expect(problems.empty).toBe(true);
  });
});

describe('labels a node sets on itself', () => {
  test.each([
    ['node-role.kubernetes.io/worker', false],
    ['node-restriction.kubernetes.io/trusted', false],
    ['kubernetes.io/role', false],
    ['example.k8s.io/x', false],
    ['k8s.io/x', false],
    ['kubernetes.io/hostname', true],
    ['kubernetes.io/arch', true],
    ['topology.kubernetes.io/zone', true],
    ['node.kubernetes.io/instance-type', true],
    ['node.kubernetes.io/exclude-from-external-load-balancers', true],
    ['gpu.node.kubernetes.io/model', true],
    ['kubelet.kubernetes.io/x', true],
    ['failure-domain.beta.kubernetes.io/zone', true],
    ['example.com/role', true],
    ['gpu', true],
    ['kubernetes.io.example.com/x', true],
  ])('%s: %s', (key, allowed) => {
    expect(isSelfSetNodeLabel(key)).toBe(allowed);
  });

  const rule = 'is a kubernetes.io/k8s.io label a node may not set on itself (the kubelet refuses it;';

  test('a K3s node with node-role.kubernetes.io/worker is refused at addNode', () => {
    const cluster = new K3sCluster(newPlatform({ kubernetesVersion: '1.33', delivery: 'k3s' }), 'home');
    const message = problemsOf(() =>
      cluster.addNode('a1', { role: 'agent', address: '10.0.0.21', labels: { 'node-role.kubernetes.io/worker': '' } }),
    ).message;
    expect(message).toContain(
      `[platform/home/a1] 1 problem:\n  - labels.node-role.kubernetes.io/worker: "node-role.kubernetes.io/worker" ${rule}`,
    );
    expect(message).toContain(
      'Fix: use a label of your own domain, e.g. "example.com/role", or set node-role.kubernetes.io/* with kubectl label after the node joined.',
    );
  });

  test('a Talos node with node-role.kubernetes.io/worker is refused the same way', () => {
    const cluster = new TalosCluster(newPlatform({ kubernetesVersion: '1.33' }), 'cozy', {
      network: { link: 'enp1s0', gateway: '192.168.100.1' },
    });
    const message = problemsOf(() =>
      cluster.addNode('w1', { role: 'worker', address: '192.168.100.21/24', labels: { 'node-role.kubernetes.io/worker': '' } }),
    ).message;
    expect(message).toContain(`labels.node-role.kubernetes.io/worker: "node-role.kubernetes.io/worker" ${rule}`);
  });

  test('labels must be a map', () => {
    const cluster = new K3sCluster(newPlatform({ kubernetesVersion: '1.33', delivery: 'k3s' }), 'home');
    expect(problemsOf(() => cluster.addNode('a1', { role: 'agent', address: '10.0.0.21', labels: 'gpu=on' as any })).message).toContain(
      'labels: "gpu=on" must be a map of names to values.',
    );
  });
});

describe('one label-key rule', () => {
  test.each([
    ['gpu', true],
    ['example.com/gpu', true],
    ['a/b', true],
    ['-gpu', false],
    ['has gpu', false],
    ['Example.com/gpu', false],
    [`${'a'.repeat(254)}/x`, false],
    [`x/${'a'.repeat(64)}`, false],
    ['example.com/', false],
    ['/gpu', false],
  ])('%s: %s', (key, ok) => {
    expect(isLabelKey(key)).toBe(ok);
  });

  test.each(['kube-ovn/role=master=yes', 'Example.com/role=master', 'role=has space'])(
    'the Kube-OVN database node label %j is refused',
    (label) => {
      expect(problemsOf(() => new KubeOvn(newPlatform(), { masterNodesLabel: label as string })).message).toContain(
        `masterNodesLabel: ${JSON.stringify(label)} must be a node label "key" or "key=value".`,
      );
    },
  );

  test('node selectors of the GPU plugin and of LINSTOR give the same message', () => {
    const rule =
      'is not a label key (an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit).';
    expect(problemsOf(() => new NvidiaDevicePlugin(newPlatform(), { nodeSelector: { 'Example.com/gpu': 'true' } })).message).toContain(
      `nodeSelector.Example.com/gpu: "Example.com/gpu" ${rule}`,
    );
    expect(problemsOf(() => new Linstor(newPlatform(), { nodeSelector: { 'Example.com/disk': 'true' } })).message).toContain(
      `nodeSelector.Example.com/disk: "Example.com/disk" ${rule}`,
    );
  });
});
