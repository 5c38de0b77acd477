/**
 * Issue 19, under a failure storm: the client slows down (fewer in flight, longer backoff) instead of giving up, and
 * gives up only when the platform has answered no request successfully for `retry.giveUpAfterMs` (default 5
 * minutes), with a PlatformUnavailableError; the export's checkpoint then resumes with every row exactly once.
 * The simulated org's `errorStorm` fault, default client options, on fake time (harness.ts): minutes of simulated
 * storm in a moment, no race with the wall clock.
 */
import { describe, expect, it } from 'vitest';
import { GenesysClient, PlatformUnavailableError, QualityExporter, ServerError, type GenesysClientOptions, type QualityExportState, type ScorecardRow } from '@org/gc-data';
import { MemoryCheckpoint } from '@org/gc-data/sinks';
import { createSimulatedOrg, type ErrorStormOptions } from '@org/gc-data/testing';
import { onFakeTime, orgFetch } from './harness';

const interval = '2026-05-20T00:00:00Z/2026-05-23T00:00:00Z';

/** One org (50 requests/s, 10 ms latency) and a client with default options talking to it without sockets. */
async function setup(client: Partial<GenesysClientOptions> = {}) {
  const sim = createSimulatedOrg({ seed: 7, anchor: '2026-06-01T00:00:00Z', rateLimit: { requests: 50, windowMs: 1000 }, latencyMs: 10 });
  const wire = { inFlight: 0, peak: 0, apiRequests: 0, onRequest: undefined as undefined | ((n: number) => void) };
  const fetchOrg = orgFetch(sim);
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const api = new URL(request.url).pathname.startsWith('/api/v2/');
    if (api) {
      wire.apiRequests++;
      wire.onRequest?.(wire.apiRequests);
      wire.peak = Math.max(wire.peak, ++wire.inFlight);
    }
    try {
      return await fetchOrg(request);
    } finally {
      if (api) wire.inFlight--;
    }
  }) as typeof fetch;
  const c = new GenesysClient({
    clientId: sim.options.clientId,
    clientSecret: sim.options.clientSecret,
    baseUrl: sim.apiBaseUrl,
    authUrl: sim.authBaseUrl,
    fetch: fetchFn,
    ...client,
  });
  // The token and the HTTP library on real time (module loading is real I/O); the export runs on fake time.
  await c.authenticate();
  const expected = sim.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' }).map((e) => e.evaluationId);
  return { sim, client: c, wire, expected };
}

function sink() {
  const rows: ScorecardRow[] = [];
  return { rows, rowsWritten: 0, async write(row: ScorecardRow) { rows.push(row); this.rowsWritten++; }, async close() {} };
}

// Fake time: each run is minutes of simulated storm in 1-6 s of real time alone (vitest.config.ts's 300-s hang guard
// is the only time limit: a loaded machine may take many times that).
describe('failure storm: slow down, give up only after a time without any success', () => {
  it('half the requests failing for two minutes: the export slows to one in flight and completes, every row once', async () => {
    const clean = await setup();
    const { elapsedMs: cleanMs } = await onFakeTime(() => new QualityExporter(clean.client).exportTo(sink(), { interval }));
    await clean.client.close();
    const { sim, client, wire, expected } = await setup();
    expect(expected.length).toBeGreaterThan(200);
    const storm: ErrorStormOptions = { rate: 0.5, forMs: 120_000, resetShare: 0.3 };
    const out = sink();
    let peakInStorm = 0;
    const { value: summary, elapsedMs } = await onFakeTime(async () => {
      const t0 = Date.now();
      sim.setFaults({ errorStorm: storm });
      // After the first seconds the budget is spent: from then until the storm ends, how many were on the wire at once.
      wire.onRequest = () => {
        const t = Date.now() - t0;
        if (t > 10_000 && t < 120_000) peakInStorm = Math.max(peakInStorm, wire.inFlight + 1);
      };
      return new QualityExporter(client).exportTo(out, { interval });
    });
    const ids = out.rows.map((r) => r.evaluation_id);
    expect(ids).toEqual(expected);
    expect(summary.rows).toBe(expected.length);
    // Many requests failed (half of those in the storm), none ended the export.
    expect(sim.stats.faults.errorStorm).toBeGreaterThan(50);
    // Slowed down: one request at a time through the storm (five before it), many times slower than without it.
    expect(wire.peak).toBe(5);
    expect(peakInStorm).toBe(1);
    expect(elapsedMs).toBeGreaterThan(5 * cleanMs);
    await client.close();
  });

  it('a 10-minute outage mid-export: PlatformUnavailableError after 5 minutes without a success; the checkpoint resumes, every row once', async () => {
    const { sim, client, wire, expected } = await setup();
    const out = sink();
    const checkpoint = new MemoryCheckpoint<QualityExportState>();
    let outageAt = 0;
    const { value: err } = await onFakeTime(async () => {
      // The outage starts with the 120th API request, in the middle of the evaluation GETs.
      wire.onRequest = (n) => {
        if (n !== 120) return;
        outageAt = Date.now();
        sim.setFaults({ errorStorm: { rate: 1, forMs: 600_000, resetShare: 0.5 } });
      };
      const e = await new QualityExporter(client).exportTo(out, { interval, checkpoint, checkpointEvery: 10 }).catch((x: unknown) => x);
      return { error: e, at: Date.now() };
    });
    const error = err.error as PlatformUnavailableError;
    expect(error).toBeInstanceOf(PlatformUnavailableError);
    expect(error.giveUpAfterMs).toBe(300_000);
    expect(error.failingForMs).toBeGreaterThanOrEqual(300_000);
    // Gave up five minutes into the outage, not at a retry limit seconds in, and not much later either (the last
    // backoff step is at most retry.maxDelayMs, 30 s, plus one attempt).
    expect(err.at - outageAt).toBeGreaterThanOrEqual(300_000);
    expect(err.at - outageAt).toBeLessThan(300_000 + 65_000);
    expect(error.message).toMatch(/no request successfully for 3\d\d s \(retry\.giveUpAfterMs is 300000 ms\)/);
    expect(error.cause).toBeDefined();
    // Slowed down meanwhile: tens of attempts a minute (backoff up to retry.maxDelayMs), not thousands.
    const failed = sim.stats.faults.errorStorm;
    expect(failed).toBeLessThan(200);
    const partial = out.rows.length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(expected.length);
    await client.close();

    // The platform is back: the same checkpoint resumes and writes what is missing, nothing twice.
    sim.setFaults({ errorStorm: null });
    const again = await setup();
    const summary = await new QualityExporter(again.client).exportTo(out, { interval, checkpoint, checkpointEvery: 10 });
    expect(summary.resumed).toBe(true);
    const ids = out.rows.map((r) => r.evaluation_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...expected].sort());
    await again.client.close();
  });

  it('retry.giveUpAfterMs sets the time without success', async () => {
    const { sim, client, wire } = await setup({ retry: { giveUpAfterMs: 60_000 } });
    const { value: r } = await onFakeTime(async () => {
      let t0 = 0;
      wire.onRequest = (n) => {
        if (n !== 50) return;
        t0 = Date.now();
        sim.setFaults({ errorStorm: { rate: 1 } });
      };
      const e = await new QualityExporter(client).exportTo(sink(), { interval }).catch((x: unknown) => x);
      return { e, ms: Date.now() - t0 };
    });
    expect(r.e).toBeInstanceOf(PlatformUnavailableError);
    expect((r.e as PlatformUnavailableError).failingForMs).toBeGreaterThanOrEqual(60_000);
    expect(r.ms).toBeLessThan(60_000 + 65_000);
    await client.close();
  });

  it('one request failing while the others succeed is a broken request, not a storm: it gives up after retry.limit', async () => {
    const { sim, client } = await setup();
    const { value: r } = await onFakeTime(async () => {
      // Only one conversation's evaluations fail; the other requests succeed around it.
      const bad = sim.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' })[30]!;
      sim.setFaults({ errorStorm: { rate: 1 }, only: [`/api/v2/quality/conversations/${bad.conversationId}/`] });
      const t0 = Date.now();
      const e = await new QualityExporter(client).exportTo(sink(), { interval }).catch((x: unknown) => x);
      return { e, ms: Date.now() - t0 };
    });
    expect(r.e).toBeInstanceOf(ServerError);
    expect((r.e as ServerError).attempts).toBe(5);
    expect(r.ms).toBeLessThan(60_000);
    await client.close();
  });
});
