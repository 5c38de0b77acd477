import { Telemetry } from './telemetry';

/**
 * Each client's Telemetry, for the modules that wrap their operations in spans (`operationSpan`). A WeakMap rather
 * than a public property: telemetry is configured through the client's options, not reached through it.
 */
const byClient = new WeakMap<object, Telemetry>();
const OFF = new Telemetry(undefined, '');

export function registerTelemetry(client: object, telemetry: Telemetry): void {
  byClient.set(client, telemetry);
}

export function telemetryOf(client: object): Telemetry {
  return byClient.get(client) ?? OFF;
}

/** Runs a module operation (`quality.export`, `analytics.extract` ...) inside its span when telemetry is on. */
export function operationSpan<T>(client: object, name: string, attributes: Record<string, string | number | boolean>, fn: () => Promise<T>): Promise<T> {
  const t = telemetryOf(client);
  return t.enabled ? t.operation(name, attributes, fn) : fn();
}

/** `operationSpan` for an async iterable: the span covers the whole iteration. */
export function operationIterable<T>(client: object, name: string, attributes: Record<string, string | number | boolean>, source: () => AsyncGenerator<T>): AsyncGenerator<T> {
  const t = telemetryOf(client);
  return t.enabled ? t.operationIterable(name, attributes, source) : source();
}

/**
 * Passes items through, counting them into the `genesys.items` metric for `operation` (rows exported,
 * conversations extracted). Returns an AsyncGenerator so callers keep their types.
 */
export function countedIterable<T>(client: object, operation: string, source: AsyncGenerator<T>): AsyncGenerator<T> {
  const t = telemetryOf(client);
  // Off: the source itself, no extra generator per item (extracts yield a million rows).
  return t.enabled ? counting(t, operation, source) : source;
}

async function* counting<T>(t: ReturnType<typeof telemetryOf>, operation: string, source: AsyncGenerator<T>): AsyncGenerator<T> {
  for await (const item of source) {
    t.countItems(operation, 1);
    yield item;
  }
}
