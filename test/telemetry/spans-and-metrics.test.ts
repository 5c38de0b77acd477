import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, CLIENT_SECRET, makeClient, platformError, server, tokenEndpoint, useMswServer } from '../support/platform';

useMswServer();

const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  context.disable();
});

function otel() {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return { spans, tracerProvider, metrics, reader, meterProvider };
}

describe('OpenTelemetry', () => {
  it('a request retried after a 503 and a 429 is one CLIENT span with semantic-convention attributes, ids left out of url.template', async () => {
    let calls = 0;
    server.use(
      tokenEndpoint().handler,
      http.get(`${API}/api/v2/quality/conversations/:cid/evaluations/:eid`, () => {
        calls++;
        if (calls === 1) return platformError(503, 'service.unavailable', 'Unavailable');
        if (calls === 2) return platformError(429, 'too.many.requests.retry.after', 'Slow down', { 'retry-after': '0' });
        return HttpResponse.json({ id: 'e-1' }, { headers: { 'inin-correlation-id': 'corr-ok' } });
      }),
    );
    const o = otel();
    const client = makeClient({ telemetry: { tracerProvider: o.tracerProvider, meterProvider: o.meterProvider } });
    await client.request({ path: '/api/v2/quality/conversations/3f6e1c2a-0000-4000-8000-000000000001/evaluations/e-1?expand=x' });
    const finished = o.spans.getFinishedSpans();
    const req = finished.filter((s) => s.attributes['http.request.method'] === 'GET');
    expect(finished.find((s) => s.attributes['url.template'] === '/oauth/token')?.parentSpanContext).toBeUndefined();
    expect(req).toHaveLength(1);
    const span = req[0]!;
    expect(span.name).toBe('GET /api/v2/quality/conversations/{id}/evaluations/{id}');
    expect(span.attributes).toMatchObject({
      'url.template': '/api/v2/quality/conversations/{id}/evaluations/{id}',
      'http.response.status_code': 200,
      'server.address': 'api.example.test',
      'genesys.correlation_id': 'corr-ok',
      'http.request.resend_count': 2,
    });
    // The token call is a span too (login origin), not a child of anything and carrying no credential.
    expect(finished.some((s) => s.attributes['url.template'] === '/oauth/token')).toBe(true);

    await o.reader.forceFlush();
    const names = o.metrics.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.descriptor.name)));
    expect(names).toEqual(expect.arrayContaining(['genesys.client.requests', 'http.client.request.duration', 'genesys.client.rate_limited', 'genesys.client.tokens_minted']));
    await client.close();
  });

  it('a request that fails is an ERROR span with error.type, and no attribute anywhere carries a secret, token, query or body', async () => {
    const token = tokenEndpoint();
    server.use(
      token.handler,
      http.post(`${API}/api/v2/analytics/conversations/details/query`, () => platformError(400, 'bad.request', 'Bad filter')),
    );
    const o = otel();
    const client = makeClient({ telemetry: { tracerProvider: o.tracerProvider, meterProvider: o.meterProvider } });
    await client
      .request({ method: 'POST', path: '/api/v2/analytics/conversations/details/query?secretQuery=1', body: { interval: 'BODY-MARKER' } })
      .catch(() => undefined);
    const span = o.spans.getFinishedSpans().find((s) => s.attributes['url.template'] === '/api/v2/analytics/conversations/details/query')!;
    expect(span.attributes['error.type']).toBe('BadRequestError');
    expect(span.status.code).toBe(2); // SpanStatusCode.ERROR
    await o.reader.forceFlush();
    const dump = JSON.stringify({ spans: o.spans.getFinishedSpans().map((s) => ({ n: s.name, a: s.attributes, e: s.events })), metrics: o.metrics.getMetrics() });
    for (const secret of [CLIENT_SECRET, ...token.minted, 'secretQuery', 'BODY-MARKER', 'Bearer']) expect(dump).not.toContain(secret);
    await client.close();
  });

  it('off by default: no span is created and @opentelemetry/api is not needed', async () => {
    server.use(tokenEndpoint().handler, http.get(`${API}/api/v2/ping`, () => HttpResponse.json({ ok: true })));
    const o = otel();
    const client = makeClient();
    await client.request({ path: '/api/v2/ping' });
    expect(o.spans.getFinishedSpans()).toHaveLength(0);
    await client.close();
  });
});
