/**
 * A module-level zod schema built on first use instead of at import. Building the SDK's ~65 module-level schemas
 * (zod 4 gives every instance its own bound methods) was the largest part of `require('@org/gc-data')` that was
 * our own (bench/footprint); most programs touch a few of them.
 *
 * The value returned stands for the schema: every property access, `in`, `instanceof` (zod checks traits through
 * `_zod`) and key listing goes to the schema, built the first time it is needed.
 *
 * Fields reused across many schemas (`str`, `positiveInt`, ...) are small functions instead (schema-fragments.ts):
 * no proxy sits between a parse and its leaf fields. test/internal/import-builds-no-schemas.test.ts keeps the import
 * at zero schemas built.
 */
export function lazySchema<T extends object>(build: () => T): T {
  let schema: T | undefined;
  const real = (): T => (schema ??= build());
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(real(), key),
    set: (_, key, value) => Reflect.set(real(), key, value),
    has: (_, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(real(), key);
      // The proxy's own target is empty, so a property may only be reported as configurable.
      return d ? { ...d, configurable: true } : undefined;
    },
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(real(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}
