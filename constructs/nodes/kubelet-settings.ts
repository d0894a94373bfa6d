import { Problems } from '../../lib/core/errors';
import { checkQuantity, Quantity } from '../../lib/core/quantity';

/** Resources the kubelet keeps away from pods (`systemReserved`, `kubeReserved`). */
export interface NodeReservation {
  /** @default - not reserved */
  readonly cpu?: Quantity;
  /** @default - not reserved */
  readonly memory?: Quantity;
  /** @default - not reserved */
  readonly ephemeralStorage?: Quantity;
}

/** Hard eviction thresholds: a quantity (`500Mi`) or a percentage (`5%`) of what remains available. */
export interface EvictionThresholds {
  /** @default - the kubelet's default (100Mi) */
  readonly memoryAvailable?: string;
  /** @default - the kubelet's default (10%) */
  readonly nodefsAvailable?: string;
  /** @default - the kubelet's default (15%) */
  readonly imagefsAvailable?: string;
  /** @default - the kubelet's default (5%) */
  readonly nodefsInodesFree?: string;
}

const RESERVATION_KEYS = { cpu: 'cpu', memory: 'memory', ephemeralStorage: 'ephemeral-storage' } as const;
const EVICTION_KEYS = {
  memoryAvailable: 'memory.available',
  nodefsAvailable: 'nodefs.available',
  imagefsAvailable: 'imagefs.available',
  nodefsInodesFree: 'nodefs.inodesFree',
} as const;
const PERCENT = /^(100|[1-9]?\d)(\.\d+)?%$/;

export function checkReservation(problems: Problems, property: string, reservation: NodeReservation | undefined): void {
  if (reservation === undefined) return;
  for (const key of Object.keys(reservation)) {
    if (!(key in RESERVATION_KEYS)) {
      problems.add(
        `${property}.${key}`,
        (reservation as any)[key],
        `is not a reservable resource (one of ${Object.keys(RESERVATION_KEYS).join(', ')})`,
      );
    } else {
      checkQuantity(problems, `${property}.${key}`, (reservation as any)[key], key === 'cpu' ? '200m' : '1Gi');
    }
  }
}

export function checkEviction(problems: Problems, property: string, eviction: EvictionThresholds | undefined): void {
  if (eviction === undefined) return;
  for (const [key, value] of Object.entries(eviction)) {
    if (!(key in EVICTION_KEYS)) {
      problems.add(`${property}.${key}`, value, `is not an eviction signal (one of ${Object.keys(EVICTION_KEYS).join(', ')})`);
      continue;
    }
    if (typeof value === 'string' && PERCENT.test(value)) continue;
    checkQuantity(problems, `${property}.${key}`, value, '5%');
  }
}

/** `{ cpu, memory, ephemeral-storage }` as the kubelet names them. */
export function reservationEntries(reservation: NodeReservation): Array<[string, string]> {
  return Object.entries(RESERVATION_KEYS)
    .filter(([key]) => (reservation as any)[key] !== undefined)
    .map(([key, name]) => [name, (reservation as any)[key] as string]);
}

/** `{ memory.available, … }` as the kubelet names the signals. */
export function evictionEntries(eviction: EvictionThresholds): Array<[string, string]> {
  return Object.entries(EVICTION_KEYS)
    .filter(([key]) => (eviction as any)[key] !== undefined)
    .map(([key, name]) => [name, (eviction as any)[key] as string]);
}
