import { createHash } from 'node:crypto';
import * as YAML from 'yaml';
import { Problems } from '../../lib/core/errors';
import { checkPropsAt } from '../../lib/core/props-check';
import { versions } from '../../lib/versions';

/** The Talos platform an installer image is built for. */
export type TalosPlatform = 'metal' | 'aws' | 'nocloud';
export const TALOS_PLATFORMS: readonly TalosPlatform[] = ['metal', 'aws', 'nocloud'];

export interface TalosSchematicProps {
  /** Official system extensions, e.g. `siderolabs/drbd`; Image Factory picks the build matching the Talos version. @default [] */
  readonly extensions?: readonly string[];
  /** Extra kernel command-line arguments. @default [] */
  readonly extraKernelArgs?: readonly string[];
  /** Enroll the well-known UEFI certificates in SecureBoot images. @default false */
  readonly secureBootWellKnownCertificates?: boolean;
}

const EXTENSION = /^[a-z][a-z0-9-]*\/[a-z0-9][a-z0-9._-]*$/;
const KERNEL_ARG = /^[A-Za-z_][A-Za-z0-9_.,:\/=+@-]{0,1023}$/;
/** Words YAML would not read as a plain string; the canonical form has no quoting, so they are refused. */
const YAML_WORDS = /^(y|yes|n|no|true|false|on|off|null)$/i;

/**
 * An Image Factory schematic: the system extensions and kernel arguments baked into a Talos image. Its ID is
 * the SHA-256 of its canonical YAML (Go yaml.v3 output of image-factory's `Schematic`, 4-space indent), so it is
 * computed here without the network; the factory must still know the schematic (POST `schematicYaml` to
 * `https://factory.talos.dev/schematics`, which is idempotent) before it serves images for it.
 */
export class TalosSchematic {
  /** Cozystack's host image: CPU microcode and NIC/GPU firmware, DRBD and ZFS, performance CPU governor. */
  static cozystack(): TalosSchematic {
    return new TalosSchematic({
      extensions: [
        'siderolabs/amd-ucode',
        'siderolabs/amdgpu',
        'siderolabs/bnx2-bnx2x',
        'siderolabs/drbd',
        'siderolabs/i915',
        'siderolabs/intel-ice-firmware',
        'siderolabs/intel-ucode',
        'siderolabs/qlogic-firmware',
        'siderolabs/zfs',
      ],
      extraKernelArgs: ['cpufreq.default_governor=performance', 'amd_pstate=active', 'intel_idle.max_cstate=0'],
    });
  }

  readonly extensions: readonly string[];
  readonly extraKernelArgs: readonly string[];
  readonly secureBootWellKnownCertificates: boolean;

  constructor(props: TalosSchematicProps = {}) {
    checkPropsAt('TalosSchematic', 'TalosSchematicProps', props);
    this.extensions = [...(props.extensions ?? [])];
    this.extraKernelArgs = [...(props.extraKernelArgs ?? [])];
    this.secureBootWellKnownCertificates = props.secureBootWellKnownCertificates ?? false;
  }

  /** The canonical YAML that Image Factory hashes and stores; refused when an extension or kernel argument is invalid. */
  get schematicYaml(): string {
    const problems = new Problems('TalosSchematic');
    this.check(problems, 'schematic');
    problems.throwIfAny();
    const customization = {
      ...(this.extraKernelArgs.length ? { extraKernelArgs: [...this.extraKernelArgs] } : {}),
      ...(this.extensions.length ? { systemExtensions: { officialExtensions: [...this.extensions] } } : {}),
      ...(this.secureBootWellKnownCertificates ? { secureboot: { includeWellKnownCertificates: true } } : {}),
    };
    return YAML.stringify({ customization }, { indent: 4, lineWidth: 0 });
  }

  /** The schematic ID, as Image Factory computes it. */
  get id(): string {
    return createHash('sha256').update(this.schematicYaml).digest('hex');
  }

  /** The installer image for `talosVersion` (e.g. `v1.13.9`). */
  installerImage(
    talosVersion: string,
    platform: TalosPlatform = 'metal',
    secureBoot = false,
    factory: string = versions.talos.imageFactory,
  ): string {
    return `${factory}/${platform}-installer${secureBoot ? '-secureboot' : ''}/${this.id}:${talosVersion}`;
  }

  /** Whether the image carries the extension `name` (e.g. `siderolabs/drbd`). */
  has(extension: string): boolean {
    return this.extensions.includes(extension);
  }

  /** Whether `check` finds nothing wrong, so that the ID and YAML can be computed. */
  get valid(): boolean {
    const problems = new Problems('TalosSchematic');
    this.check(problems, 'schematic');
    return problems.empty;
  }

  check(problems: Problems, property: string): void {
    const duplicates = this.extensions.filter((e, i) => this.extensions.indexOf(e) !== i);
    for (const extension of this.extensions) {
      problems.check(
        EXTENSION.test(extension),
        `${property}.extensions`,
        extension,
        'must be an official extension name such as "siderolabs/drbd"',
      );
    }
    problems.check(duplicates.length === 0, `${property}.extensions`, duplicates, 'are listed more than once');
    for (const arg of this.extraKernelArgs) {
      problems.check(
        typeof arg === 'string' && KERNEL_ARG.test(arg) && !YAML_WORDS.test(arg),
        `${property}.extraKernelArgs`,
        arg,
        'must be one kernel argument such as "intel_idle.max_cstate=0" (letters, digits and _ . , : / = + @ -, starting with a letter or _)',
      );
    }
  }
}
