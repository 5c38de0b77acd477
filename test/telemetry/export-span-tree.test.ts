import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCheckpoint } from '@org/gc-data/sinks';
import { QualityExporter, type RowSink, type ScorecardRow } from '@org/gc-data';
import { useSimulatedOrg } from '../support/sim';

const sim = useSimulatedOrg({ days: 1, rateLimit: false });
const interval = '2026-05-31T00:00:00Z/2026-06-01T00:00:00Z';

const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  context.disable();
});

function memorySink(): RowSink<ScorecardRow> & { rows: ScorecardRow[] } {
  const rows: ScorecardRow[] = [];
  return { rows, async write(r) { rows.push(r); }, async close() {} } as RowSink<ScorecardRow> & { rows: ScorecardRow[] };
}

describe('span tree of an export', () => {
  it('quality.export is the parent of every HTTP span; the evaluation GET that met a 503 and a 429 is one span with 2 resends', async () => {
    // The first evaluation GET answers 503, then 429, then the org answers as usual.
    let injected = 0;
    sim.server.use(
      http.get(`${sim.org.apiBaseUrl}/api/v2/quality/conversations/:cid/evaluations/:eid`, () => {
        injected++;
        if (injected === 1) return HttpResponse.json({ message: 'unavailable', status: 503 }, { status: 503 });
        if (injected === 2) return HttpResponse.json({ message: 'slow down', status: 429 }, { status: 429, headers: { 'retry-after': '0' } });
        return undefined;
      }),
    );
    const spans = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
    const client = sim.client({ telemetry: { tracerProvider }, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    const summary = await new QualityExporter(client, { concurrency: 1 }).exportTo(memorySink(), { interval, checkpoint: new MemoryCheckpoint() });
    expect(summary.rows).toBeGreaterThan(0);

    const finished = spans.getFinishedSpans();
    const root = finished.find((s) => s.name === 'quality.export')!;
    expect(root).toBeDefined();
    const http_ = finished.filter((s) => s.attributes['http.request.method'] !== undefined);
    const childOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
    // Every API request of the export (discovery and evaluation GETs) hangs under the export's span.
    const api = http_.filter((s) => s.attributes['url.template'] !== '/oauth/token');
    expect(api.length).toBeGreaterThan(summary.rows);
    for (const s of api) expect(childOf(s)).toBe(root.spanContext().spanId);
    const retried = api.filter((s) => s.attributes['http.request.resend_count'] === 2);
    expect(retried).toHaveLength(1);
    expect(retried[0]!.attributes['url.template']).toBe('/api/v2/quality/conversations/{id}/evaluations/{id}');
    expect(retried[0]!.attributes['http.response.status_code']).toBe(200);
    await client.close();
  });
});
