import { afterEach, expect, it } from 'vitest';
import type { WarningEvent } from '../../src/index';
import { RedisRateLimiter, RedisUnavailableError, type RedisRateLimiterOptions } from '../../src/redis/index';
import { describeWithRedis, REDIS_URL, sleep, uniqueId, useRedis } from './helpers';

describeWithRedis('RedisRateLimiter: limiters with one id share one budget, one cap and one pause', () => {
  const { redis, cleanup } = useRedis();
  const made: RedisRateLimiter[] = [];
  const ids: string[] = [];
  const limiter = (id: string, o: Partial<RedisRateLimiterOptions> = {}) => {
    const l = new RedisRateLimiter({ url: REDIS_URL, id, requestsPerMinute: 60_000, maxConcurrent: 10, ...o });
    made.push(l);
    if (!ids.includes(id)) ids.push(id);
    return l;
  };
  afterEach(async () => {
    await Promise.all(made.splice(0).map((l) => l.disconnect()));
    await cleanup(...ids.splice(0));
  });

  it('caps concurrency across limiters (one maxConcurrent for all)', async () => {
    const id = uniqueId('cap');
    const a = limiter(id, { maxConcurrent: 3 });
    const b = limiter(id, { maxConcurrent: 3 });
    await Promise.all([a.ready(), b.ready()]);
    let running = 0;
    let peak = 0;
    const job = async () => {
      peak = Math.max(peak, ++running);
      await sleep(60);
      running--;
    };
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).schedule(job)));
    expect(peak).toBe(3);
  });

  it('spends one budget: a burst, then the refill rate, whichever limiter asks', async () => {
    const id = uniqueId('budget');
    // 600/min = one request every 100 ms, 5 at once.
    const a = limiter(id, { requestsPerMinute: 600, burst: 5, heartbeatMs: 50 });
    const b = limiter(id, { requestsPerMinute: 600, burst: 5, heartbeatMs: 50 });
    await Promise.all([a.ready(), b.ready()]);
    const t0 = Date.now();
    const started: number[] = [];
    await Promise.all(Array.from({ length: 11 }, (_, i) => (i % 2 ? a : b).schedule(async () => void started.push(Date.now() - t0))));
    started.sort((x, y) => x - y);
    expect(started.filter((t) => t < 80)).toHaveLength(5);
    // The other 6 need 6 refills of 100 ms: a separate budget per limiter would have let 5 more through at once.
    expect(started[10]).toBeGreaterThanOrEqual(550);
  });

  it("holds every limiter while one of them is paused (a 429's Retry-After)", async () => {
    const id = uniqueId('pause');
    const a = limiter(id);
    const b = limiter(id);
    await Promise.all([a.ready(), b.ready()]);
    a.pause(400);
    await sleep(20);
    const t0 = Date.now();
    await b.schedule(async () => undefined);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(340);
    expect(b.stats().pausedUntil).toBeGreaterThan(t0);
  });

  it('pauses every limiter when one sees the server budget spent, until its reset', async () => {
    const id = uniqueId('exhausted');
    const a = limiter(id);
    const b = limiter(id);
    await Promise.all([a.ready(), b.ready()]);
    expect(a.observe({ remaining: 0, limit: 10, resetMs: 300 }, 0)).toEqual({ exhausted: true, pausedForMs: 300 });
    await sleep(20);
    const t0 = Date.now();
    await b.schedule(async () => undefined);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    // After the reset the budget is the window allowance again: ten go at once.
    const t1 = Date.now();
    await Promise.all(Array.from({ length: 10 }, () => b.schedule(async () => undefined)));
    expect(Date.now() - t1).toBeLessThan(250);
  });

  it("spends the server budget another limiter learned, counting every worker's requests on the wire", async () => {
    const id = uniqueId('feedback');
    const a = limiter(id);
    const b = limiter(id);
    await Promise.all([a.ready(), b.ready()]);
    // A response to `a` says 2 are left (nothing else on the wire).
    await a.schedule(async () => void a.observe({ remaining: 2, limit: 50, resetMs: 5000 }, 0));
    await sleep(20);
    const t0 = Date.now();
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 3 }, () =>
        b.schedule(async () => {
          started.push(Date.now() - t0);
          await sleep(200);
        }),
      ),
    );
    started.sort((x, y) => x - y);
    expect(started[1]).toBeLessThan(100);
    // The third waits for the two on the wire to answer (they would say how much is left), not for a whole reset.
    expect(started[2]).toBeGreaterThanOrEqual(180);
    expect(started[2]).toBeLessThan(1500);
  });

  it('applies the newest limits to every limiter of the id, with a warning', async () => {
    const id = uniqueId('settings');
    const a = limiter(id, { requestsPerMinute: 600, maxConcurrent: 2 });
    await a.ready();
    const warnings: WarningEvent[] = [];
    const b = limiter(id, { requestsPerMinute: 1200, maxConcurrent: 4, onWarning: (w) => warnings.push(w) });
    await b.ready();
    await sleep(50);
    expect(warnings.map((w) => w.code)).toEqual(['redis-settings-changed']);
    const [maxConcurrent, interval] = await redis().hmget(`b_${id}_settings`, 'maxConcurrent', 'reservoirIncreaseInterval');
    expect([Number(maxConcurrent), Number(interval)]).toEqual([4, 50]);
  });

  it('reports the shared state, and refuses work once disconnected', async () => {
    const id = uniqueId('inspect');
    const a = limiter(id, { burst: 7, requestsPerMinute: 60 });
    await a.ready();
    await a.schedule(async () => undefined);
    const state = await a.inspect();
    expect(state).toMatchObject({ state: 'ready', reservoir: 6, inFlight: 0, peers: 1 });
    await a.disconnect();
    const e = await a.schedule(async () => 1).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RedisUnavailableError);
    expect((e as RedisUnavailableError).reason).toBe('closed');
  });

  it('drops a queued job when its signal aborts; it never runs', async () => {
    const id = uniqueId('abort');
    const a = limiter(id, { maxConcurrent: 1 });
    await a.ready();
    let ran = false;
    const first = a.schedule(() => sleep(150));
    const ac = new AbortController();
    const second = a.schedule(async () => void (ran = true), { signal: ac.signal });
    setTimeout(() => ac.abort(new Error('stop')), 30);
    await expect(second).rejects.toThrow('stop');
    await first;
    await sleep(50);
    expect(ran).toBe(false);
  });
});
