import type { JsonValue } from '@backstage/types';

/**
 * How an answer is kept in the shared cache: its JSON text, wrapped so the store holds one string.
 *
 * Backstage's CacheService is Keyv, whose serialiser walks an object value by value in JavaScript
 * (and its reader revives every value): a 100,000-cluster summary took ~0.6 s to store and left
 * hundreds of MB of garbage. One string goes through both as a single value; the answer itself is
 * encoded and decoded by the engine's JSON.
 */
interface SharedJson {
  fleetMonitoringJson: string;
}

/** One encoding per answer object: the summary is stored under two keys (answer, last known). */
const encodings = new WeakMap<object, SharedJson>();

/** The value to store for `value` (encoded once per object). */
export function toShared(value: unknown): JsonValue {
  if (value === null || typeof value !== 'object')
    return { fleetMonitoringJson: JSON.stringify(value) };
  let encoded = encodings.get(value);
  if (!encoded) {
    encoded = { fleetMonitoringJson: JSON.stringify(value) };
    encodings.set(value, encoded);
  }
  return encoded as unknown as JsonValue;
}

/**
 * The answer a stored value holds (`undefined` for none). A value stored as a plain object (by a
 * replica of an earlier version, during a rolling update) is returned as it is.
 */
export function fromShared<T>(stored: unknown): T | undefined {
  if (stored === undefined || stored === null) return undefined;
  const text = (stored as Partial<SharedJson>).fleetMonitoringJson;
  if (typeof stored === 'object' && typeof text === 'string')
    return JSON.parse(text) as T;
  return stored as T;
}
