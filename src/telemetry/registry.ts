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
export function operationIterable<T>(client: object, name: string, attributes: Record<string, string | number | boolean>, source: () => AsyncIterable<T>): AsyncIterable<T> {
  const t = telemetryOf(client);
  return t.enabled ? t.operationIterable(name, attributes, source) : source();
}
