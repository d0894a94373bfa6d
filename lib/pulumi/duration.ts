const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1 };
const DURATION = /^(?:\d+(?:\.\d+)?[hms])+$/;

export function isDuration(value: unknown): value is string {
  return typeof value === 'string' && DURATION.test(value);
}

/** Seconds in a Go duration of hours, minutes and seconds (`10m`, `1h30m`, `90s`), as Helm, Flux and kubectl take it. */
export function parseDuration(value: string): number {
  if (!isDuration(value)) throw new Error(`"${value}" is not a duration such as 10m, 1h30m or 90s`);
  let seconds = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)([hms])/g)) seconds += Number(amount) * UNIT_SECONDS[unit];
  return Math.ceil(seconds);
}

/** A duration in the form Pulumi's `customTimeouts` and kubectl accept. */
export function formatDuration(seconds: number): string {
  return `${Math.ceil(seconds)}s`;
}
