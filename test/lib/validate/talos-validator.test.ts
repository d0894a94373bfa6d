import * as path from 'node:path';
import { talosValidator } from '../../../lib/validate';

const SCHEMAS = process.env.KUBESTRATA_SCHEMAS ?? path.resolve(__dirname, '../../../../shared');

const machineConfig = {
  version: 'v1alpha1',
  debug: false,
  machine: {
    type: 'controlplane',
    token: 'abcdef.0123456789abcdef',
    ca: { crt: 'LS0tLS1CRUdJTi...', key: 'LS0tLS1CRUdJTi...' },
    certSANs: ['10.0.0.10'],
    kubelet: { image: 'ghcr.io/siderolabs/kubelet:v1.33.3', extraArgs: { 'rotate-server-certificates': 'true' } },
    install: { disk: '/dev/sda', image: 'ghcr.io/siderolabs/installer:v1.13.9', wipe: false },
    sysctls: { 'net.core.somaxconn': '65535' },
  },
  cluster: {
    id: 'cluster-id',
    secret: 'cluster-secret',
    clusterName: 'cozy',
    controlPlane: { endpoint: 'https://10.0.0.10:6443' },
    network: { dnsDomain: 'cozy.local', podSubnets: ['10.244.0.0/16'], serviceSubnets: ['10.96.0.0/16'], cni: { name: 'none' } },
    token: 'abcdef.0123456789abcdef',
    ca: { crt: 'LS0tLS1CRUdJTi...', key: 'LS0tLS1CRUdJTi...' },
    proxy: { disabled: true },
    allowSchedulingOnControlPlanes: true,
  },
};

const hostnameConfig = { apiVersion: 'v1alpha1', kind: 'HostnameConfig', hostname: 'node-1' };

describe('talosValidator', () => {
  const validate = talosValidator(SCHEMAS, '1.13.9');

  test('a minimal v1alpha1 machine config is valid', () => {
    expect(validate(machineConfig)).toEqual([]);
  });

  test('a multi-document config kind is validated against its own definition', () => {
    expect(validate(hostnameConfig)).toEqual([]);
    expect(validate({ ...hostnameConfig, auto: 'sometimes' })).toEqual([
      {
        object: 'Talos v1alpha1 HostnameConfig',
        path: '/auto',
        message: 'must be one of "stable", "off" (got "sometimes")',
      },
    ]);
  });

  test('an unknown field is rejected', () => {
    const withTypo = { ...machineConfig, machine: { ...machineConfig.machine, instal: { disk: '/dev/sda' } } };
    expect(validate(withTypo)).toEqual([{ object: 'Talos v1alpha1 machine config', path: '/machine', message: 'unknown field "instal"' }]);
  });

  test('wrong types are reported, with oneOf alternatives collapsed into one message', () => {
    const wrong = {
      ...machineConfig,
      machine: { ...machineConfig.machine, type: 'master', kubelet: { extraArgs: { v: 2 } } },
    };
    expect(validate(wrong)).toEqual([
      {
        object: 'Talos v1alpha1 machine config',
        path: '/machine/type',
        message: 'must be one of "controlplane", "worker" (got "master")',
      },
      { object: 'Talos v1alpha1 machine config', path: '/machine/kubelet/extraArgs/v', message: 'must be string or array' },
    ]);
  });

  test('a document kind the schema does not know is reported', () => {
    expect(validate({ apiVersion: 'v1alpha1', kind: 'NoSuchConfig' })).toEqual([
      { object: 'Talos v1alpha1 NoSuchConfig', path: '/', message: 'no Talos schema for Talos v1alpha1 NoSuchConfig' },
    ]);
  });

  test('each Talos version has its own schema; unknown versions are an error', () => {
    expect(talosValidator(SCHEMAS, '1.13.9')).toBe(validate);
    expect(() => talosValidator(SCHEMAS, '0.1.0')).toThrow(/no Talos schema for version 0\.1\.0/);
  });
});

describe('talosValidator for Talos 1.14, where most v1alpha1 fields moved into their own documents', () => {
  const validate = talosValidator(SCHEMAS, '1.14.0-rc.1');
  const object = 'Talos v1alpha1 machine config';

  test('a 1.13-style machine config is rejected field by field', () => {
    expect(validate(machineConfig).filter((issue) => issue.path === '/machine')).toEqual([
      { object, path: '/machine', message: 'unknown field "kubelet"' },
      { object, path: '/machine', message: 'unknown field "install"' },
      { object, path: '/machine', message: 'unknown field "sysctls"' },
    ]);
  });

  test('a minimal machine config and the documents that replace its fields are valid', () => {
    const minimal = {
      version: 'v1alpha1',
      machine: { type: 'worker', token: machineConfig.machine.token, ca: { crt: 'LS0tLS1CRUdJTi...' } },
      cluster: { token: machineConfig.cluster.token },
    };
    expect(validate(minimal)).toEqual([]);
    expect(validate({ apiVersion: 'v1alpha1', kind: 'KubeletConfig', image: 'ghcr.io/siderolabs/kubelet:v1.34.1' })).toEqual([]);
    expect(validate({ apiVersion: 'v1alpha1', kind: 'KubeClusterConfig', clusterName: 'cozy' })).toEqual([
      { object: 'Talos v1alpha1 KubeClusterConfig', path: '/', message: 'missing required field "endpoint"' },
    ]);
  });
});
