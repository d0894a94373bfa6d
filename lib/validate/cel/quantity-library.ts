import type { Environment } from '@marcbachmann/cel-js';
import { celError } from './cel-runtime';

/** apimachinery's quantity grammar: a signed decimal, then a binary suffix, a decimal suffix or an exponent. */
const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?([KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;
const DECIMAL_EXPONENTS: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_EXPONENTS: Record<string, bigint> = { Ki: 10n, Mi: 20n, Gi: 30n, Ti: 40n, Pi: 50n, Ei: 60n };
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** A Kubernetes resource quantity held exactly, as the fraction numerator / denominator. */
export class KubernetesQuantity {
  static parse(text: string): KubernetesQuantity | undefined {
    const match = QUANTITY.exec(text);
    if (match === null) return undefined;
    const [, sign, whole, fraction = '', suffix = ''] = match;
    if (whole === '' && fraction === '') return undefined;
    let numerator = BigInt(`${sign}${whole || '0'}${fraction}`);
    let exponent = -fraction.length;
    if (suffix in BINARY_EXPONENTS) numerator <<= BINARY_EXPONENTS[suffix];
    else exponent += suffix in DECIMAL_EXPONENTS ? DECIMAL_EXPONENTS[suffix] : Number(suffix.slice(1));
    return exponent >= 0
      ? new KubernetesQuantity(numerator * 10n ** BigInt(exponent), 1n)
      : new KubernetesQuantity(numerator, 10n ** BigInt(-exponent));
  }

  private constructor(
    readonly numerator: bigint,
    readonly denominator: bigint,
  ) {}

  compareTo(other: KubernetesQuantity): bigint {
    const left = this.numerator * other.denominator;
    const right = other.numerator * this.denominator;
    return left < right ? -1n : left > right ? 1n : 0n;
  }

  plus(other: KubernetesQuantity, sign: bigint): KubernetesQuantity {
    return new KubernetesQuantity(
      this.numerator * other.denominator + sign * other.numerator * this.denominator,
      this.denominator * other.denominator,
    );
  }

  isInteger(): boolean {
    return this.numerator % this.denominator === 0n;
  }

  asInteger(): bigint {
    const value = this.numerator / this.denominator;
    if (!this.isInteger() || value > INT64_MAX || value < INT64_MIN) throw celError('cannot convert value to integer');
    return value;
  }
}

function quantity(text: string): KubernetesQuantity {
  const parsed = KubernetesQuantity.parse(text);
  if (parsed === undefined) throw celError(`quantities must match the regular expression '${QUANTITY.source}'`);
  return parsed;
}

function integer(value: bigint): KubernetesQuantity {
  return quantity(String(value));
}

/** Kubernetes' quantity library (k8s.io/apiserver/pkg/cel/library/quantity.go). */
export function registerQuantityLibrary(env: Environment): void {
  const type = 'kubernetes.Quantity';
  env.registerType(type, KubernetesQuantity);
  env.registerFunction(`quantity(string): ${type}`, quantity);
  env.registerFunction('isQuantity(string): bool', (text: string) => KubernetesQuantity.parse(text) !== undefined);
  env.registerFunction(`${type}.sign(): int`, (q: KubernetesQuantity) => q.compareTo(integer(0n)));
  env.registerFunction(`${type}.isInteger(): bool`, (q: KubernetesQuantity) => q.isInteger());
  env.registerFunction(`${type}.asInteger(): int`, (q: KubernetesQuantity) => q.asInteger());
  env.registerFunction(`${type}.asApproximateFloat(): double`, (q: KubernetesQuantity) => Number(q.numerator) / Number(q.denominator));
  env.registerFunction(`${type}.compareTo(${type}): int`, (a: KubernetesQuantity, b: KubernetesQuantity) => a.compareTo(b));
  env.registerFunction(`${type}.isLessThan(${type}): bool`, (a: KubernetesQuantity, b: KubernetesQuantity) => a.compareTo(b) < 0n);
  env.registerFunction(`${type}.isGreaterThan(${type}): bool`, (a: KubernetesQuantity, b: KubernetesQuantity) => a.compareTo(b) > 0n);
  env.registerFunction(`${type}.add(${type}): ${type}`, (a: KubernetesQuantity, b: KubernetesQuantity) => a.plus(b, 1n));
  env.registerFunction(`${type}.add(int): ${type}`, (a: KubernetesQuantity, b: bigint) => a.plus(integer(b), 1n));
  env.registerFunction(`${type}.sub(${type}): ${type}`, (a: KubernetesQuantity, b: KubernetesQuantity) => a.plus(b, -1n));
  env.registerFunction(`${type}.sub(int): ${type}`, (a: KubernetesQuantity, b: bigint) => a.plus(integer(b), -1n));
}
