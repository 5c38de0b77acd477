/**
 * Issue 19, the faults run: a 500-evaluation export against 50 requests/s (a bucket of 50, full at the start), 10 ms
 * latency, 5% 5xx and 2% dropped connections, default client options, on fake time (harness.ts) with the backoff
 * jitter seeded: the same run every time. Target <= 1.30 x the floor. Seeds 1-16 read 1.05-1.21 x, where the requests
 * the faults waste explain 1.05-1.12 x; before the fixes 1.10-1.78 x (9 of 14 over 1.30): finished rows waited behind
 * one retrying GET in a window of 20 (src/quality/exporter.ts), and a lone 503 (a discovery page) waited up to 2 s
 * before its first retry (src/transport/retry.ts computeDelay, `isolated`). Seed 16 read 1.454 x until a retry that
 * met a second 503 by chance stopped backing off 4 x longer (up to 4 s; now only from a third 503 in a row,
 * `ISOLATED_503_REPEATS`): the real-time outliers of bench/pacing/faults.ts (1.39 and 1.73 x in 2 runs of 9).
 */
import { describe, expect, it } from 'vitest';
import { GenesysClient, QualityExporter, type Clock } from '@org/gc-data';
import { createSimulatedOrg } from '@org/gc-data/testing';
import { floorMs, onFakeTime, orgFetch } from './harness';

/** A clock on (fake) Date and setTimeout whose jitter comes from a seeded generator (mulberry32). */
function seededClock(seed: number): Clock {
  let a = seed >>> 0;
  return {
    now: () => Date.now(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const t = setTimeout(resolve, Math.max(0, ms));
        signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
      }),
    random: () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

async function faultsRun(seed: number, faults: boolean) {
  const rateLimit = { requests: 50, windowMs: 1000, burst: 50 };
  const sim = createSimulatedOrg({ seed: 40 + seed, anchor: '2026-06-01T00:00:00Z', rateLimit, latencyMs: 10 });
  const all = sim.truth.evaluations({ interval: { start: sim.data.start, end: sim.data.end }, status: ['FINISHED'], calibrations: 'exclude' });
  const interval = `${new Date(sim.data.start).toISOString()}/${all[500]!.conversationStart}`;
  const expected = sim.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' }).map((e) => e.evaluationId);
  let apiRequests = 0;
  const client = new GenesysClient({
    clientId: sim.options.clientId,
    clientSecret: sim.options.clientSecret,
    baseUrl: sim.apiBaseUrl,
    authUrl: sim.authBaseUrl,
    clock: seededClock(seed),
    fetch: orgFetch(sim, () => apiRequests++),
  });
  await client.authenticate();
  const ids: string[] = [];
  const { elapsedMs } = await onFakeTime(async () => {
    if (faults) sim.setFaults({ serverErrorRate: 0.05, connectionResetRate: 0.02 });
    for await (const row of new QualityExporter(client).rows({ interval })) ids.push(row.evaluation_id!);
  });
  await client.close();
  // Requests needed: every evaluation and every discovery page once; the floor with the bucket full at the start.
  const needed = expected.length + pagesNeeded(sim, interval);
  const floor = floorMs(rateLimit, needed, 0);
  return { elapsedMs, floor, ratio: elapsedMs / floor, wastedRatio: (apiRequests - 50) / (needed - 50), ids, expected };
}

/** Discovery pages a clean export reads (100 conversations a page). */
function pagesNeeded(sim: ReturnType<typeof createSimulatedOrg>, interval: string): number {
  const conversations = sim.truth.conversations({ interval, filters: { evaluationFilters: [{ type: 'and', predicates: [{ dimension: 'evaluationStatus', value: 'Finished' }] }] } });
  return Math.max(1, Math.ceil(conversations.length / 100));
}

describe('the faults run: 5% 5xx + 2% dropped connections', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]) {
    // Fake time: the run itself is deterministic (about 1 s of real time alone; vitest.config.ts's hang guard is the limit).
    it(`seed ${seed}: every row once, <= 1.30 x the floor`, async () => {
      const r = await faultsRun(seed, true);
      expect([...r.ids].sort()).toEqual([...r.expected].sort());
      console.log(`faults run seed ${seed}: ${r.ratio.toFixed(3)} x the floor (${r.elapsedMs} ms, floor ${r.floor} ms); the wasted requests explain ${r.wastedRatio.toFixed(3)} x`);
      expect(r.ratio).toBeLessThanOrEqual(1.3);
    });
  }
});
