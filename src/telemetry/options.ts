/**
 * The `telemetry` option, typed structurally: OpenTelemetry's own `TracerProvider` and `MeterProvider` fit, and the
 * SDK's declarations need no `@opentelemetry/api` (an optional peer dependency) to type-check.
 */
export interface TelemetryOptions {
  /** @default the global provider registered with `@opentelemetry/api` */
  tracerProvider?: { getTracer(name: string, version?: string, options?: object): unknown };
  /** @default the global provider registered with `@opentelemetry/api` */
  meterProvider?: { getMeter(name: string, version?: string, options?: object): unknown };
}
