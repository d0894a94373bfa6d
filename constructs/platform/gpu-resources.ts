import { IConstruct } from 'constructs';
import { Problems } from '../../lib/core/errors';
import { Platform } from '../../lib/core/platform';
import { parseQuantity, Quantity } from '../../lib/core/quantity';
import { Hami } from './hami';
import { NvidiaDevicePlugin } from './nvidia-device-plugin';

/** Whole GPUs, used by one workload only. Works with `NvidiaDevicePlugin` or `Hami`. */
export interface ExclusiveGpu {
  readonly mode: 'exclusive';
  /** Whole GPUs. @default 1 */
  readonly count?: number;
}

/** The GPU memory of a slice: exactly one of memory and memoryPercent. */
export type SharedGpuMemory =
  /** GPU memory per GPU, e.g. `"4Gi"`; whole MiB. */
  | { readonly memory: Quantity; readonly memoryPercent?: never }
  /** GPU memory per GPU as a percentage of the card, 1–100. */
  | { readonly memoryPercent: number; readonly memory?: never };

/** A slice of a GPU shared with other workloads, with memory and compute limits enforced by HAMi. */
export type SharedGpu = SharedGpuMemory & {
  readonly mode: 'shared';
  /** GPUs the slice spans; each gets the same memory and compute. @default 1 */
  readonly count?: number;
  /** Share of each GPU's compute, 1–99 percent. @default - not limited */
  readonly cores?: number;
};

export type GpuRequest = ExclusiveGpu | SharedGpu;

/** The `resources` block to put on a container: extended resources are set as limits, which Kubernetes copies to requests. */
export interface GpuResources {
  readonly limits: Readonly<Record<string, string>>;
}

const MIB = 2 ** 20;
// Resource names of HAMi's NVIDIA device plugin (chart values resourceName, resourceMem, resourceMemPercentage, resourceCores).
const GPU = 'nvidia.com/gpu';
const GPU_MEMORY = 'nvidia.com/gpumem';
const GPU_MEMORY_PERCENT = 'nvidia.com/gpumem-percentage';
const GPU_CORES = 'nvidia.com/gpucores';

/**
 * The GPU resources a workload in `scope`'s platform requests. Exclusive mode asks for whole GPUs (under HAMi it also
 * claims all memory and compute, which HAMi treats as exclusive); shared mode needs `Hami` and asks for a memory slice
 * and optionally a compute share. Invalid requests are a ConfigurationError naming `scope`.
 */
export function gpuResources(scope: IConstruct, request: GpuRequest): GpuResources {
  const platform = Platform.of(scope);
  const hami = platform.registry.find(Hami);
  const problems = new Problems(`${scope.node.path}/gpuResources`);
  const count = request.count ?? 1;
  problems.check(Number.isInteger(count) && count >= 1, 'count', count, 'must be a whole number of GPUs ≥ 1');
  if (request.mode === 'exclusive') {
    for (const key of ['memory', 'memoryPercent', 'cores'] as const) {
      const value = (request as Partial<Record<typeof key, unknown>>)[key];
      if (value !== undefined)
        problems.add(
          key,
          value,
          'only applies in shared mode: a whole GPU comes with all its memory and compute',
          `remove ${key} or use mode: "shared"`,
        );
    }
    problems.check(
      hami !== undefined || platform.registry.find(NvidiaDevicePlugin) !== undefined,
      'mode',
      request.mode,
      'needs a GPU device plugin in the platform',
      'create new NvidiaDevicePlugin(platform) or new Hami(platform) first',
    );
    problems.throwIfAny();
    return { limits: hami ? { [GPU]: String(count), [GPU_CORES]: '100', [GPU_MEMORY_PERCENT]: '100' } : { [GPU]: String(count) } };
  }
  if (request.mode !== 'shared') {
    problems.add('mode', (request as { mode: unknown }).mode, 'must be "exclusive" or "shared"').throwIfAny();
  }
  problems.check(
    hami !== undefined,
    'mode',
    'shared',
    'needs HAMi, which enforces the memory and compute limits of a GPU slice',
    "create new Hami(platform) first; NVIDIA's device plugin only hands out whole GPUs",
  );
  const limits: Record<string, string> = { [GPU]: String(count) };
  const { memory, memoryPercent, cores } = request;
  if (memory !== undefined && memoryPercent !== undefined) {
    problems.add('memory', memory, 'cannot be combined with memoryPercent; HAMi takes one of them', 'remove memory or memoryPercent');
  } else if (memory !== undefined) {
    const bytes = typeof memory === 'string' ? parseQuantity(memory) : undefined;
    if (
      problems.check(
        bytes !== undefined && bytes >= MIB && Number.isInteger(bytes / MIB),
        'memory',
        memory,
        'must be a memory quantity of whole MiB, at least 1Mi',
        'write it like "4Gi" or "3000Mi"',
      )
    ) {
      limits[GPU_MEMORY] = String(bytes! / MIB);
    }
  } else if (memoryPercent !== undefined) {
    if (
      problems.check(
        Number.isInteger(memoryPercent) && memoryPercent >= 1 && memoryPercent <= 100,
        'memoryPercent',
        memoryPercent,
        'must be a whole percentage from 1 to 100',
      )
    ) {
      limits[GPU_MEMORY_PERCENT] = String(memoryPercent);
    }
  } else {
    problems.add(
      'memory',
      undefined,
      "is required in shared mode: without it the slice may use the whole card's memory",
      'give memory (e.g. "4Gi") or memoryPercent',
    );
  }
  if (cores !== undefined) {
    if (
      problems.check(
        Number.isInteger(cores) && cores >= 1 && cores <= 99,
        'cores',
        cores,
        'must be a whole percentage from 1 to 99 (100 claims the whole GPU)',
        cores === 100 ? 'use mode: "exclusive" for a whole GPU' : undefined,
      )
    ) {
      limits[GPU_CORES] = String(cores);
    }
  }
  problems.throwIfAny();
  return { limits };
}
