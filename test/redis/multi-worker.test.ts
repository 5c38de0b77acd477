import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startSimulatedServer, type SimulatedServer } from '../../src/testing/index';
import { describeWithRedis, REDIS_URL, uniqueId, useRedis } from './helpers';
import { combine, startWorkers, type RunningWorkers } from './run-workers';
import type { WorkerConfig } from './worker';

const LIMIT = 50;
const WINDOW_MS = 1000;

describeWithRedis('four worker processes, one org limited to 50 requests/s, one shared limiter', () => {
  const { redis, cleanup } = useRedis();
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
  });

  it("pause all workers when one of them gets a 429 (its Retry-After holds the others' requests too)", async () => {
    sim.org.reset();
    const config = workers(4, { requests: 60, concurrency: 2, warmup: true });
    const gateKey = `gc-data:{${config[0]!.id}}:server`;
    running = await startWorkers(config);
    running.go();
    await new Promise((r) => setTimeout(r, 300));
    // The next request (whichever worker sends it) gets a 429 with Retry-After: 2.
    const faultAt = Date.now();
    const set = await fetch(`${sim.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ storm: { forRequests: 1, retryAfterSeconds: 2 } }) });
    expect(set.status).toBe(200);
    // When the pause is in Redis (seen no earlier than it landed): from then on no worker's request passes the gate.
    // Measured instead of assumed: on a loaded machine the 429's worker may take tens or hundreds of ms to share it.
    // (A pause for a spent budget, if any, lasts at most the org's 1-s window: the 429's ends 2 s after the fault.)
    let seenAt = 0;
    let pausedUntil = 0;
    for (let i = 0; pausedUntil < faultAt + 2000; i++) {
      if (i > 60_000) throw new Error('no 2-s pause reached Redis within about 60 s of the 429 fault');
      pausedUntil = Number((await redis().hget(gateKey, 'pausedUntil')) ?? 0);
      seenAt = Date.now();
    }
    const reports = await running.reports;
    const attempts = reports.flatMap((r) => r.attempts);
    const limited = attempts.filter((a) => a[2] === 429);
    expect(limited).toHaveLength(1);
    const answeredAt = limited[0]![1];
    // The pause runs Retry-After from the 429's answer, on the workers' (system) clock.
    expect(pausedUntil).toBeGreaterThanOrEqual(answeredAt + 2000 - 50);
    // Sent while it holds: only requests that passed the gate before the pause landed and were still on their way
    // to the wire, at most one per shared slot (maxConcurrent 5). Without a shared pause the other workers would
    // send on through the 2 s, tens of requests.
    const during = attempts.filter((a) => a[0] > seenAt && a[0] < pausedUntil);
    expect(during.length).toBeLessThanOrEqual(5);
    expect(reports.every((r) => r.ok === 60)).toBe(true);
  });
});
