import { TalosSchematic } from '../../../constructs/nodes/talos-schematic';
import { Problems } from '../../../lib/core/errors';

describe('TalosSchematic', () => {
  // Expected IDs are the test vectors of siderolabs/image-factory pkg/schematic/schematic_test.go.
  test.each([
    ['empty', {}, '376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba'],
    ['extra kernel args', { extraKernelArgs: ['noapic', 'nolapic'] }, '9cba8e32753f91a16c1837ab8abf356af021706ef284aef07380780177d9a06c'],
    [
      'secure boot certificates',
      { secureBootWellKnownCertificates: true },
      'fa8e05f142a851d3ee568eb0a8e5841eaf6b0ebc8df9a63df16ac5ed2c04f3e6',
    ],
  ])('its ID matches Image Factory for the %s schematic', (_, props, id) => {
    expect(new TalosSchematic(props).id).toBe(id);
  });

  test('the canonical YAML nests extensions as Go yaml.v3 writes them', () => {
    const schematic = new TalosSchematic({ extensions: ['siderolabs/drbd', 'siderolabs/zfs'], extraKernelArgs: ['amd_pstate=active'] });
    expect(schematic.schematicYaml).toBe(
      'customization:\n' +
        '    extraKernelArgs:\n' +
        '        - amd_pstate=active\n' +
        '    systemExtensions:\n' +
        '        officialExtensions:\n' +
        '            - siderolabs/drbd\n' +
        '            - siderolabs/zfs\n',
    );
    expect(schematic.id).toMatch(/^[0-9a-f]{64}$/);
    expect(new TalosSchematic({ extensions: ['siderolabs/zfs', 'siderolabs/drbd'] }).id).not.toBe(
      new TalosSchematic({ extensions: ['siderolabs/drbd', 'siderolabs/zfs'] }).id,
    );
  });

  test('the Cozystack schematic carries DRBD, ZFS, firmware and the performance kernel arguments', () => {
    const schematic = TalosSchematic.cozystack();
    expect(schematic.extensions).toEqual(
      expect.arrayContaining(['siderolabs/drbd', 'siderolabs/zfs', 'siderolabs/intel-ucode', 'siderolabs/amd-ucode']),
    );
    expect(schematic.extensions).toHaveLength(9);
    expect(schematic.extraKernelArgs).toEqual(['cpufreq.default_governor=performance', 'amd_pstate=active', 'intel_idle.max_cstate=0']);
    expect(schematic.has('siderolabs/drbd')).toBe(true);
  });

  test('installer images are per platform, optionally SecureBoot, pinned to the Talos version', () => {
    const schematic = new TalosSchematic();
    const id = schematic.id;
    expect(schematic.installerImage('v1.13.9')).toBe(`factory.talos.dev/metal-installer/${id}:v1.13.9`);
    expect(schematic.installerImage('v1.13.9', 'aws', true)).toBe(`factory.talos.dev/aws-installer-secureboot/${id}:v1.13.9`);
  });

  test('extension names and kernel arguments that the canonical YAML cannot hold unquoted are rejected', () => {
    const problems = new Problems('schematic');
    new TalosSchematic({ extensions: ['drbd', 'siderolabs/zfs', 'siderolabs/zfs'], extraKernelArgs: ['on', 'console=ttyS0 quiet'] }).check(
      problems,
      'schematic',
    );
    expect(() => problems.throwIfAny()).toThrow(
      '[schematic] 4 problems:\n' +
        '  - schematic.extensions: "drbd" must be an official extension name such as "siderolabs/drbd".\n' +
        '  - schematic.extensions: ["siderolabs/zfs"] are listed more than once.\n' +
        '  - schematic.extraKernelArgs: "on" must be one kernel argument such as "intel_idle.max_cstate=0" (letters, digits and _ . , : / = + @ -, starting with a letter or _).\n' +
        '  - schematic.extraKernelArgs: "console=ttyS0 quiet" must be one kernel argument such as "intel_idle.max_cstate=0" (letters, digits and _ . , : / = + @ -, starting with a letter or _).',
    );
  });
});
