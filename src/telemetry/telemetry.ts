import type * as OtelApi from '@opentelemetry/api';
import type { GcEventMap, GcEventName } from '../events';
import { routeTemplate } from './route-template';

import type { TelemetryOptions } from './options';
export type { TelemetryOptions } from './options';

type Payload<K extends GcEventName> = Parameters<GcEventMap[K]>[0];

/** Attributes the transport learns while one request runs; set on its span when it ends. */
export interface RequestSpanInfo {
  method: string;
  path: string;
  host: string;
}

export interface RequestSpan {
  /** Called once, when the request has its final outcome. */
  end(outcome: { status?: number | undefined; correlationId?: string | undefined; error?: unknown; attempts: number; limiterWaitMs: number; retryAfterWaitMs: number; backoffWaitMs: number }): void;
}

const SCOPE = '@org/gc-data';

interface Instruments {
  requests: OtelApi.Counter;
  duration: OtelApi.Histogram;
  rateLimited: OtelApi.Counter;
  limiterWait: OtelApi.Histogram;
  tokens: OtelApi.Counter;
  items: OtelApi.Counter;
}

/**
 * OpenTelemetry for one client: a span per module operation, a child span per HTTP request (semantic-convention
 * attributes, never a token, secret, query string or body), and metrics from the client's events. Off unless the
 * `telemetry` option is given: then nothing is loaded and every hook returns at once. `@opentelemetry/api` is an
 * optional peer dependency, loaded on the first request when telemetry is on.
 */
export class Telemetry {
  #api: typeof OtelApi | undefined;
  #tracer: OtelApi.Tracer | undefined;
  #instruments: Instruments | undefined;
  #loading: Promise<void> | undefined;

  constructor(
    private readonly options: TelemetryOptions | undefined,
    private readonly version: string,
  ) {}

  get enabled(): boolean {
    return this.options !== undefined;
  }

  /** Loads the API and creates tracer and instruments; once. */
  ready(): Promise<void> | undefined {
    if (!this.options || this.#api) return undefined;
    return (this.#loading ??= this.load());
  }

  private async load(): Promise<void> {
    const loaded = (await import('@opentelemetry/api')) as typeof OtelApi & { default?: typeof OtelApi };
    const api = loaded.trace ? loaded : (loaded.default as typeof OtelApi);
    const tracerProvider = (this.options?.tracerProvider as OtelApi.TracerProvider | undefined) ?? api.trace.getTracerProvider();
    const meterProvider = (this.options?.meterProvider as OtelApi.MeterProvider | undefined) ?? api.metrics.getMeterProvider();
    this.#tracer = tracerProvider.getTracer(SCOPE, this.version);
    const meter = meterProvider.getMeter(SCOPE, this.version);
    this.#instruments = {
      requests: meter.createCounter('genesys.client.requests', { description: 'HTTP requests sent (each attempt), by route template and status class' }),
      duration: meter.createHistogram('http.client.request.duration', { unit: 's', description: 'Duration of each HTTP attempt' }),
      rateLimited: meter.createCounter('genesys.client.rate_limited', { description: '429 answers received' }),
      limiterWait: meter.createHistogram('genesys.client.limiter.wait', { unit: 's', description: 'Time a request waited on the rate limiter before it was sent' }),
      tokens: meter.createCounter('genesys.client.tokens_minted', { description: 'OAuth tokens minted' }),
      items: meter.createCounter('genesys.items', { description: 'Rows exported / conversations extracted, by operation' }),
    };
    this.#api = api;
  }

  /** A CLIENT span for one logical request (all its attempts), child of the active operation span. */
  startRequest(info: RequestSpanInfo): RequestSpan | undefined {
    const api = this.#api;
    const tracer = this.#tracer;
    if (!api || !tracer) return undefined;
    const template = routeTemplate(info.path);
    const span = tracer.startSpan(`${info.method} ${template}`, {
      kind: api.SpanKind.CLIENT,
      attributes: { 'http.request.method': info.method, 'url.template': template, 'server.address': info.host.split(':')[0] ?? info.host },
    });
    return {
      end(o) {
        if (o.status !== undefined) span.setAttribute('http.response.status_code', o.status);
        if (o.correlationId) span.setAttribute('genesys.correlation_id', o.correlationId);
        span.setAttribute('http.request.resend_count', Math.max(0, o.attempts - 1));
        span.setAttribute('genesys.rate_limiter.wait_ms', Math.round(o.limiterWaitMs));
        span.setAttribute('genesys.retry_after.wait_ms', Math.round(o.retryAfterWaitMs));
        span.setAttribute('genesys.backoff.wait_ms', Math.round(o.backoffWaitMs));
        if (o.error !== undefined || (o.status !== undefined && o.status >= 400)) {
          // The error's class only: messages may quote a platform message, and spans leave the process.
          const type = o.error instanceof Error ? o.error.name : String(o.status);
          span.setAttribute('error.type', type);
          span.setStatus({ code: api.SpanStatusCode.ERROR });
        }
        span.end();
      },
    };
  }

  /** Runs `fn` inside an INTERNAL span named for a module operation (`quality.export`, `analytics.extract` ...). */
  async operation<T>(name: string, attributes: Record<string, string | number | boolean>, fn: () => Promise<T>): Promise<T> {
    if (!this.options) return fn();
    await this.ready();
    const api = this.#api!;
    return this.#tracer!.startActiveSpan(name, { kind: api.SpanKind.INTERNAL, attributes }, async (span) => {
      try {
        return await fn();
      } catch (e) {
        span.setAttribute('error.type', e instanceof Error ? e.name : 'Error');
        span.setStatus({ code: api.SpanStatusCode.ERROR });
        throw e;
      } finally {
        span.end();
      }
    });
  }

  /** Like `operation`, for an async iterable: the span covers the whole iteration, items included. */
  async *operationIterable<T>(name: string, attributes: Record<string, string | number | boolean>, source: () => AsyncGenerator<T>): AsyncGenerator<T> {
    if (!this.options) {
      yield* source();
      return;
    }
    await this.ready();
    const api = this.#api!;
    const span = this.#tracer!.startSpan(name, { kind: api.SpanKind.INTERNAL, attributes });
    const ctx = api.trace.setSpan(api.context.active(), span);
    const iterator = api.context.with(ctx, () => source()[Symbol.asyncIterator]());
    try {
      for (;;) {
        const next = await api.context.with(ctx, () => iterator.next());
        if (next.done) break;
        yield next.value;
      }
    } catch (e) {
      span.setAttribute('error.type', e instanceof Error ? e.name : 'Error');
      span.setStatus({ code: api.SpanStatusCode.ERROR });
      throw e;
    } finally {
      await iterator.return?.(undefined);
      span.end();
    }
  }

  /** Rows exported, conversations extracted ...: counted by the module that produced them. */
  countItems(operation: string, n: number): void {
    if (n > 0) this.#instruments?.items.add(n, { operation });
  }

  /** Metrics from the client's events (called by the client's observer for every event). */
  record<K extends GcEventName>(name: K, payload: Payload<K>): void {
    const m = this.#instruments;
    if (!m) return;
    if (name === 'response') {
      const e = payload as Payload<'response'>;
      const attrs = { 'http.request.method': e.method, 'url.template': routeTemplate(e.path), 'http.response.status_class': `${Math.floor(e.status / 100)}xx` };
      m.requests.add(1, attrs);
      m.duration.record(e.latencyMs / 1000, attrs);
      if (e.status === 429) m.rateLimited.add(1, { 'url.template': attrs['url.template'] });
    } else if (name === 'request') {
      const e = payload as Payload<'request'>;
      if (e.queuedMs !== undefined) m.limiterWait.record(e.queuedMs / 1000, { 'url.template': routeTemplate(e.path) });
    } else if (name === 'token' && (payload as Payload<'token'>).kind === 'issued') {
      m.tokens.add(1);
    }
  }
}
