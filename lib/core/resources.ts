import { Problems } from './errors';
import { formatBytes, formatCpu, parseQuantity, Quantity } from './quantity';

/** CPU to memory ratio of a preset series: t1 1:0.5 GiB, c1 1:1, s1 1:2, u1 1:4, m1 1:8. */
const SERIES = { t1: 0.5, c1: 1, s1: 2, u1: 4, m1: 8 } as const;
/** CPU cores of a preset size. */
const SIZES = { nano: 0.25, micro: 0.5, small: 1, medium: 2, large: 4, xlarge: 8, '2xlarge': 16, '4xlarge': 32 } as const;
const PRESET_EPHEMERAL_STORAGE = 2 * 2 ** 30;

export type PresetSeries = keyof typeof SERIES;
export type PresetSize = keyof typeof SIZES;
/** A named size, as Cozystack offers them: `<series>.<size>`, e.g. `t1.micro` (0.5 CPU, 256Mi). */
export type ResourcePreset = `${PresetSeries}.${PresetSize}`;

export const RESOURCE_PRESETS: readonly ResourcePreset[] = (Object.keys(SERIES) as PresetSeries[]).flatMap((series) =>
  (Object.keys(SIZES) as PresetSize[]).map((size) => `${series}.${size}` as ResourcePreset),
);

/** Explicit limits for one container; requests are derived from them by the platform's allocation ratios. */
export interface ResourceAmounts {
  /** CPU limit, e.g. `2` or `500m`. */
  readonly cpu: Quantity;
  /** Memory limit, e.g. `4Gi`. */
  readonly memory: Quantity;
  /** Ephemeral storage limit. @default 2Gi */
  readonly ephemeralStorage?: Quantity;
}

/** Either a preset name or explicit amounts. */
export type Resources = ResourcePreset | ResourceAmounts;

/** How far requests may be overcommitted: request = limit / ratio. */
export interface AllocationRatio {
  /** @default 10 */
  readonly cpu?: number;
  /** @default 1 */
  readonly memory?: number;
  /** @default 40 */
  readonly ephemeralStorage?: number;
}

export const DEFAULT_ALLOCATION_RATIO: Required<AllocationRatio> = { cpu: 10, memory: 1, ephemeralStorage: 40 };

/** The container `resources` block: limits as given, requests divided by the allocation ratio. */
export interface ResourceRequirements {
  readonly limits: { readonly cpu: Quantity; readonly memory: Quantity; readonly 'ephemeral-storage': Quantity };
  readonly requests: { readonly cpu: Quantity; readonly memory: Quantity; readonly 'ephemeral-storage': Quantity };
}

export function isResourcePreset(value: unknown): value is ResourcePreset {
  return typeof value === 'string' && (RESOURCE_PRESETS as readonly string[]).includes(value);
}

/**
 * Resolves a preset or explicit amounts into requests and limits. Invalid input is added to `problems`
 * and undefined is returned.
 */
export function resolveResources(
  problems: Problems,
  property: string,
  resources: Resources,
  ratio: Required<AllocationRatio> = DEFAULT_ALLOCATION_RATIO,
): ResourceRequirements | undefined {
  let cpu: number | undefined;
  let memory: number | undefined;
  let ephemeral: number | undefined = PRESET_EPHEMERAL_STORAGE;
  if (typeof resources === 'string') {
    if (!isResourcePreset(resources)) {
      problems.add(
        property,
        resources,
        `is not a resource preset (one of ${RESOURCE_PRESETS.join(', ')})`,
        'use e.g. "t1.micro" or give { cpu, memory }',
      );
      return undefined;
    }
    const [series, size] = resources.split('.') as [PresetSeries, PresetSize];
    cpu = SIZES[size];
    memory = SIZES[size] * SERIES[series] * 2 ** 30;
  } else if (typeof resources === 'object' && resources !== null) {
    cpu = positive(problems, `${property}.cpu`, resources.cpu, '500m');
    memory = positive(problems, `${property}.memory`, resources.memory, '1Gi');
    if (resources.ephemeralStorage !== undefined) {
      ephemeral = positive(problems, `${property}.ephemeralStorage`, resources.ephemeralStorage, '2Gi');
    }
  } else {
    problems.add(property, resources, 'must be a preset name or { cpu, memory }');
    return undefined;
  }
  if (cpu === undefined || memory === undefined || ephemeral === undefined) return undefined;
  return {
    limits: { cpu: formatCpu(cpu), memory: formatBytes(memory), 'ephemeral-storage': formatBytes(ephemeral) },
    requests: {
      cpu: formatCpu(cpu / ratio.cpu),
      memory: formatBytes(Math.ceil(memory / ratio.memory / 2 ** 20) * 2 ** 20),
      'ephemeral-storage': formatBytes(Math.ceil(ephemeral / ratio.ephemeralStorage / 2 ** 20) * 2 ** 20),
    },
  };
}

function positive(problems: Problems, property: string, value: unknown, example: string): number | undefined {
  const parsed = typeof value === 'string' ? parseQuantity(value) : undefined;
  if (parsed === undefined || parsed <= 0) {
    problems.add(property, value, 'must be a positive Kubernetes quantity', `write it like ${JSON.stringify(example)}`);
    return undefined;
  }
  return parsed;
}
