import { describe, expect, it } from 'vitest';
import { LocalRateLimiter } from '../../src/index';

describe('LocalRateLimiter follows the server budget', () => {
  it('refills from a response after a pause instead of crawling at the local rate', async () => {
    // 60/min locally = one token per second: ten jobs would take ~10 s on the local refill alone.
    const limiter = new LocalRateLimiter({ requestsPerMinute: 60, maxConcurrent: 5, burst: 60 });
    limiter.pause(20);
    await new Promise((r) => setTimeout(r, 30));
    limiter.observe({ remaining: 50, limit: 60, resetMs: 1000 }, 0);
    const started = Date.now();
    await Promise.all(Array.from({ length: 10 }, () => limiter.schedule(async () => 1)));
    expect(Date.now() - started).toBeLessThan(1000);
    await limiter.disconnect();
  });

  it('holds jobs when the server says nothing is left, until its reset', async () => {
    const limiter = new LocalRateLimiter({ requestsPerMinute: 6000, maxConcurrent: 5 });
    const r = limiter.observe({ remaining: 2, limit: 60, resetMs: 400 }, 2);
    expect(r).toEqual({ exhausted: true, pausedForMs: 400 });
    const started = Date.now();
    await limiter.schedule(async () => 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    await limiter.disconnect();
  });

  it('spends the server budget synchronously: never more requests than the server said were left', async () => {
    const limiter = new LocalRateLimiter({ requestsPerMinute: 60_000, maxConcurrent: 10 });
    limiter.observe({ remaining: 3, limit: 60, resetMs: 300 }, 0);
    const started: number[] = [];
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => limiter.schedule(async () => {
      started.push(Date.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
      // Each answer says what is left, as the platform does.
      limiter.observe({ remaining: Math.max(0, 3 - started.length), limit: 60, resetMs: 300 }, limiter.running - 1);
    })));
    expect(started.filter((t) => t < 250)).toHaveLength(3);
    expect(started.filter((t) => t >= 250)).toHaveLength(3);
    await limiter.disconnect();
  });

  it('keeps concurrent updates consistent (never stalls on a negative reservoir)', async () => {
    const limiter = new LocalRateLimiter({ requestsPerMinute: 60, maxConcurrent: 5, burst: 100 });
    for (let i = 0; i < 50; i++) {
      limiter.observe({ remaining: 100 - i }, i % 5);
      if (i % 7 === 0) limiter.pause(1);
    }
    limiter.observe({ remaining: 40 }, 0);
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    await Promise.all(Array.from({ length: 20 }, () => limiter.schedule(async () => 1)));
    expect(Date.now() - started).toBeLessThan(1000);
    await limiter.disconnect();
  });

  it('after a reset, one request probes the budget and its answer releases the rest (the reset may free less than a window)', async () => {
    const limiter = new LocalRateLimiter({ requestsPerMinute: 60_000, maxConcurrent: 20 });
    limiter.observe({ remaining: 0, limit: 10, resetMs: 100 }, 3);
    const started: number[] = [];
    let answer!: () => void;
    const answered = new Promise<void>((r) => (answer = r));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const jobs = Array.from({ length: 10 }, () => limiter.schedule(async () => {
      started.push(started.length);
      if (started.length === 1) {
        // The probe's answer: 6 left after it.
        await new Promise((r) => setTimeout(r, 50));
        limiter.observe({ remaining: 6, limit: 10, resetMs: 900 }, limiter.running - 1);
        answer();
        return;
      }
      await held;
    }));
    await new Promise((r) => setTimeout(r, 300));
    // Nothing else left before the probe's answer; the six it announced left after it, and no more.
    await answered;
    await new Promise((r) => setTimeout(r, 100));
    expect(started).toHaveLength(7);
    release();
    await Promise.all(jobs.slice(0, 7));
    await limiter.disconnect();
  });
});
