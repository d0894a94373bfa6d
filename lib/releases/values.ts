/** Chart values: a YAML map, as a chart's values.yaml holds it. */
export type ChartValues = Record<string, unknown>;

/** The key that sets an object's prototype when assigned; values never need it. */
const PROTO = '__proto__';

/**
 * `override` merged over `base` as Helm merges values files: maps merge key by key, at any depth; scalars and arrays
 * of `override` replace; an explicit `null` replaces too, so the key is removed when Helm installs the chart (as with
 * `helm --set key=null`); `undefined` sets nothing. Neither input is changed and the result shares no map or array
 * with them. A `__proto__` key, which would set the prototype of the merged map, is dropped.
 */
export function mergeValues(base: Readonly<ChartValues>, override: Readonly<ChartValues> | undefined): ChartValues {
  const merged = copyMap(base);
  if (override === undefined) return merged;
  for (const [key, value] of Object.entries(override)) {
    if (key === PROTO || value === undefined) continue;
    const current = merged[key];
    merged[key] = isValuesMap(current) && isValuesMap(value) ? mergeValues(current, value) : copy(value);
  }
  return merged;
}

function copyMap(map: Readonly<ChartValues>): ChartValues {
  const copied: ChartValues = {};
  for (const [key, value] of Object.entries(map)) if (key !== PROTO) copied[key] = copy(value);
  return copied;
}

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  return isValuesMap(value) ? copyMap(value) : value;
}

/** Whether `value` is a map of values: a plain object, not an array, null or an instance of a class. */
export function isValuesMap(value: unknown): value is ChartValues {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
