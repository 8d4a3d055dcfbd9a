/**
 * Looking up a name that came from outside (a topic level, a JSON key, a config or secret name)
 * in a plain object would find what every object inherits: `constructor`, `toString`,
 * `__proto__`. These read and write own properties only.
 */

/** The value of `key` when the record itself holds it. */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Sets `key` as an own property, even when it is named `__proto__`. */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
