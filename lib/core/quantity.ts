import { Problems } from './errors';

/**
 * The grammar of apimachinery's `resource.ParseQuantity`: a signed decimal number, then a binary suffix (`Ki`…`Ei`),
 * a decimal suffix (`n`, `u`, `m`, none, `k`, `M`…`E`) or a whole decimal exponent (`e3`, `E-2`).
 */
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))([KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;
/** Kubernetes reads quantities into int64 (`Value()`, `MilliValue()`); larger ones overflow there. */
const LARGEST = 2 ** 63;

const MULTIPLIERS: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Kubernetes resource quantity such as `500m`, `2`, `10Gi`, `1e3`. */
export type Quantity = string;

export function isQuantity(value: unknown): value is Quantity {
  return typeof value === 'string' && parseQuantity(value) !== undefined;
}

/**
 * The value of a quantity in base units (cores, bytes); undefined when it is not a quantity or its magnitude
 * reaches 2^63, beyond what Kubernetes can hold.
 */
export function parseQuantity(value: string): number | undefined {
  const match = typeof value === 'string' ? QUANTITY.exec(value) : null;
  if (!match) return undefined;
  const [, number, suffix = ''] = match;
  const multiplier = suffix in MULTIPLIERS ? MULTIPLIERS[suffix] : 10 ** Number(suffix.slice(1));
  const parsed = Number(number) === 0 ? 0 : Number(number) * multiplier;
  return Number.isFinite(parsed) && Math.abs(parsed) < LARGEST ? parsed : undefined;
}

/** Checks a positive quantity such as a volume size or a CPU amount. */
export function checkQuantity(problems: Problems, property: string, value: unknown, example = '10Gi'): boolean {
  const parsed = typeof value === 'string' ? parseQuantity(value) : undefined;
  if (parsed === undefined && typeof value === 'string' && QUANTITY.test(value)) {
    problems.add(
      property,
      value,
      'is larger than any quantity Kubernetes can hold (2^63 base units)',
      `write it like ${JSON.stringify(example)}`,
    );
    return false;
  }
  return problems.check(
    parsed !== undefined && parsed > 0,
    property,
    value,
    'must be a positive Kubernetes quantity',
    `write it like ${JSON.stringify(example)}`,
  );
}

/** Formats CPU cores as a quantity in millicores or whole cores. */
export function formatCpu(cores: number): Quantity {
  const millis = Math.max(1, Math.round(cores * 1000));
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Formats bytes as the largest binary unit that keeps the value whole. */
export function formatBytes(bytes: number): Quantity {
  const whole = Math.max(1, Math.round(bytes));
  for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const) {
    if (whole % MULTIPLIERS[unit] === 0) return `${whole / MULTIPLIERS[unit]}${unit}`;
  }
  return String(whole);
}
