/**
 * Issue 18 for the modules, sinks and simulator: every malformed input below is a typed error naming the field,
 * before any request, in bounded time. Then a property run mutates valid option objects of each entry point.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { GcError, GenesysClient, QualityExporter, ReportQueries, ValidationError } from '@org/gc-data';
import { createCsvSink, createNdjsonSink, createSinkForPath } from '@org/gc-data/sinks';
import { SimulatorOptionsError, startSimulatedServer } from '@org/gc-data/testing';

let sent = 0;
const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
  sent++;
  const r = new Request(input, init);
  return r.url.endsWith('/oauth/token') ? Response.json({ access_token: 'fuzz-token-1234', expires_in: 3600 }) : Response.json({ totalHits: 0 });
}) as typeof fetch;
const client = new GenesysClient({ clientId: 'a', clientSecret: 'fuzz-secret-1234', baseUrl: 'https://api.example.test', authUrl: 'https://login.example.test', fetch: fetchImpl });
afterAll(() => client.close());

const interval = '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z';
const sink = { async write() {}, async close() {} };
const exporter = new QualityExporter(client);
const job = new ReportQueries(client).job('3f6e1c2a-0000-4000-8000-000000000001');

async function outcome(f: () => unknown): Promise<unknown> {
  try {
    const r = await f();
    if (r && typeof (r as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') for await (const _ of r as AsyncIterable<unknown>) break;
    return 'accepted';
  } catch (e) {
    return e;
  }
}

const cases: Array<[string, () => unknown, string]> = [
  ['exportTo checkpointEvery 0', () => exporter.exportTo(sink as never, { interval, checkpointEvery: 0 }), 'checkpointEvery'],
  ['exportTo checkpointEvery NaN', () => exporter.exportTo(sink as never, { interval, checkpointEvery: Number.NaN }), 'checkpointEvery'],
  ["exportTo onProgress 'log'", () => exporter.exportTo(sink as never, { interval, onProgress: 'log' as never }), 'onProgress'],
  ["exportTo checkpoint 'x'", () => exporter.exportTo(sink as never, { interval, checkpoint: 'x' as never }), 'checkpoint'],
  ['new QualityExporter(null)', () => new QualityExporter(null as never), 'client'],
  ['new QualityExporter(client, null)', () => new QualityExporter(client, null as never), ''],
  ['results({ pageSize: -5 })', () => job.results({ pageSize: -5 }), 'pageSize'],
  ['wait({ maxWaitMs: NaN })', () => job.wait({ maxWaitMs: Number.NaN }), 'maxWaitMs'],
  ['createSinkForPath(42)', () => createSinkForPath(42 as never), 'path'],
  ["csv sink eol ';'", () => createCsvSink('/tmp/gc-fuzz.csv', { eol: ';' as never }), 'eol'],
  ["createSinkForPath format 'xml'", () => createSinkForPath('/tmp/gc-fuzz.csv', { format: 'xml' as never }), 'format'],
  ['ndjson sink unknown option', () => createNdjsonSink('/tmp/gc-fuzz.ndjson', { apend: true } as never), 'apend'],
];

describe('module entry points refuse bad input typed, named, before any request', () => {
  it.each(cases)('%s', async (_name, f, path) => {
    const before = sent;
    const e = await outcome(f);
    expect(e).toBeInstanceOf(ValidationError);
    if (path) expect((e as ValidationError).issues.map((i) => i.path)).toContain(path);
    expect(sent).toBe(before);
  });

  it('startSimulatedServer with a socket path or a port out of range is a SimulatorOptionsError', async () => {
    for (const port of ['sim.sock', 70_000, -1, 1.5]) {
      expect(await outcome(() => startSimulatedServer({ port: port as never }))).toBeInstanceOf(SimulatorOptionsError);
    }
  });

  it('property: mutated exportTo / results / wait / sink options never send a request and fail typed, in bounded time', async () => {
    const junk = fc.oneof(fc.constant(null), fc.constant(Number.NaN), fc.integer({ min: -5, max: 0 }), fc.string({ maxLength: 5 }), fc.object({ maxDepth: 1 }), fc.constant(() => 1), fc.boolean());
    const target = fc.constantFrom(
      (v: unknown) => () => exporter.exportTo(sink as never, { interval, checkpointEvery: v as never }),
      (v: unknown) => () => exporter.exportTo(sink as never, { interval, checkpoint: v as never }),
      (v: unknown) => () => exporter.exportTo(sink as never, { interval, onProgress: v as never }),
      (v: unknown) => () => exporter.exportTo(sink as never, { interval, calibrationSink: v as never }),
      (v: unknown) => () => job.results({ pageSize: v as never }),
      (v: unknown) => () => job.wait({ maxWaitMs: v as never }),
      (v: unknown) => () => job.wait({ poll: { initialDelayMs: v as never } }),
      (v: unknown) => () => createCsvSink('/tmp/gc-fuzz.csv', { eol: v as never }),
      (v: unknown) => () => createSinkForPath(v as never),
    );
    let slowest = 0;
    await fc.assert(
      fc.asyncProperty(target, junk, async (make, v) => {
        const before = sent;
        const t = performance.now();
        const e = await outcome(make(v));
        slowest = Math.max(slowest, performance.now() - t);
        // A few junk values are valid (a function for onProgress, an object with the right methods): those may
        // run. Every refusal is typed and comes before any request.
        if (e !== 'accepted') {
          expect(e).toBeInstanceOf(GcError);
          expect(sent).toBe(before);
        }
      }),
      { seed: 18, numRuns: 600 },
    );
    expect(slowest).toBeLessThan(1_000);
  });
});
