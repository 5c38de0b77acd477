import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startSimulatedServer, type SimulatedServer } from '../../src/testing/index';
import { describeWithRedis, REDIS_URL, uniqueId, useRedis } from './helpers';
import { combine, startWorkers, type RunningWorkers } from './run-workers';
import type { WorkerConfig } from './worker';

const LIMIT = 50;
const WINDOW_MS = 1000;

describeWithRedis('four worker processes, one org limited to 50 requests/s, one shared limiter', () => {
  const { cleanup } = useRedis();
  let sim: SimulatedServer;
  let running: RunningWorkers | undefined;
  const ids: string[] = [];
  beforeAll(async () => {
    // 20 ms per request, as an org answers in tens of ms (the platform: 50-200 ms). With none, what is measured is
    // mostly how late this shared 2-core machine wakes timers (the rate then lands at 94-98% of the limit).
    sim = await startSimulatedServer({ seed: 11, rateLimit: { requests: LIMIT, windowMs: WINDOW_MS }, latencyMs: 20 });
  });
  afterEach(async () => {
    running?.kill();
    running = undefined;
    await cleanup(...ids.splice(0), sim.url);
  });
  afterAll(async () => {
    await sim.close();
  });

  const workers = (n: number, config: Partial<WorkerConfig>): WorkerConfig[] => {
    const id = uniqueId('workers');
    ids.push(id);
    return Array.from({ length: n }, () => ({
      simUrl: sim.url,
      mode: 'shared' as const,
      redisUrl: REDIS_URL,
      id,
      requests: 250,
      concurrency: 5,
      requestsPerMinute: LIMIT * 60,
      burst: LIMIT,
      maxConcurrent: 5,
      ...config,
    }));
  };

  it('finish with 0 x 429 after the first window, never above the limit, minting one token for all', async () => {
    sim.org.reset();
    // Warm-up (one request each, before the clock starts) takes startup (JIT, token) out of the measured rate; then
    // the org's bucket gets a window to refill, so the run starts from the full burst the rate formula assumes.
    running = await startWorkers(workers(4, { warmup: true }));
    await new Promise((r) => setTimeout(r, WINDOW_MS + 100));
    running.go();
    const reports = await running.reports;
    const c = combine(reports, LIMIT, WINDOW_MS);
    console.info(`[multi-worker] ${JSON.stringify(c)}`);
    expect(reports.every((r) => r.ok === 250 && Object.keys(r.failed).length === 0)).toBe(true);
    expect(c.rateLimitedAfterFirstWindow).toBe(0);
    expect(sim.stats.tokensIssued).toBe(1);
    expect(c.tokensIssued).toBe(1);
    // (ok - burst) / time: the refill rate the four achieved together, against the org's 50/s. Never above the
    // limit (a safety property: load can only slow a run down). How close it comes to the limit is a speed figure
    // and lives in bench/multi-worker.ts (bench/results/multi-worker.json), not here: four processes reached 35-46/s
    // at load 15-20, 40/s at load 1, and 20/s at load 20-23 on the code before and after the limiters moved to the
    // client's clock (the machine, not the limiter: a lower bound here failed on main under load).
    expect(c.steadyRate).toBeLessThanOrEqual(LIMIT * 1.05);
  }, 120_000);

  it("pause all workers when one of them gets a 429 (its Retry-After holds the others' requests too)", async () => {
    sim.org.reset();
    running = await startWorkers(workers(4, { requests: 60, concurrency: 2, warmup: true }));
    running.go();
    await new Promise((r) => setTimeout(r, 300));
    // The next request (whichever worker sends it) gets a 429 with Retry-After: 2.
    const set = await fetch(`${sim.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ storm: { forRequests: 1, retryAfterSeconds: 2 } }) });
    expect(set.status).toBe(200);
    const reports = await running.reports;
    const attempts = reports.flatMap((r) => r.attempts);
    const limited = attempts.filter((a) => a[2] === 429);
    expect(limited).toHaveLength(1);
    const sentAt = limited[0]![0];
    const answeredAt = limited[0]![1];
    // Requests on the wire when it arrived may land; after that, nobody sends until the 2 s have passed.
    const during = attempts.filter((a) => a[0] > answeredAt + 50 && a[0] < sentAt + 1900);
    expect(during).toEqual([]);
    expect(reports.every((r) => r.ok === 60)).toBe(true);
  }, 120_000);
});
