/**
 * LocalRateLimiter against the server's budget, on a fake clock (the limiter's `clock` option): every hold is a
 * sleep on that clock, so the times asserted are exact simulated times and the machine's load cannot move them.
 */
import { describe, expect, it } from 'vitest';
import { LocalRateLimiter } from '@org/gc-data';
import { createFakeClock } from '@org/gc-data/testing';

describe('LocalRateLimiter follows the server budget', () => {
  it('refills from a response after a pause instead of crawling at the local rate', async () => {
    const clock = createFakeClock({ autoAdvance: true });
    // 60/min locally = one token per second: ten jobs would take ~10 s on the local refill alone.
    const limiter = new LocalRateLimiter({ requestsPerMinute: 60, maxConcurrent: 5, burst: 60, clock });
    limiter.pause(20);
    await clock.sleep(30);
    limiter.observe({ remaining: 50, limit: 60, resetMs: 1000 }, 0);
    const started = clock.now();
    await Promise.all(Array.from({ length: 10 }, () => limiter.schedule(async () => 1)));
    // At the local rate the ten would take 10 s; one probe (whose answer carries no headers here) at most delays them.
    expect(clock.now() - started).toBeLessThan(1000);
    await limiter.disconnect();
  });

  it('holds jobs when the server says nothing is left, until its reset (on the clock, not real time)', async () => {
    const clock = createFakeClock();
    const limiter = new LocalRateLimiter({ requestsPerMinute: 6000, maxConcurrent: 5, clock });
    const r = limiter.observe({ remaining: 2, limit: 60, resetMs: 400 }, 2);
    expect(r).toEqual({ exhausted: true, pausedForMs: 400 });
    let ran = false;
    const job = limiter.schedule(async () => void (ran = true));
    await clock.untilSleeping();
    await clock.advance(399);
    expect(ran).toBe(false);
    await clock.advance(1);
    await job;
    expect(ran).toBe(true);
    await limiter.disconnect();
  });

  it('spends the server budget synchronously: never more requests than the server said were left', async () => {
    const clock = createFakeClock({ autoAdvance: true });
    const limiter = new LocalRateLimiter({ requestsPerMinute: 60_000, maxConcurrent: 10, clock });
    limiter.observe({ remaining: 3, limit: 60, resetMs: 300 }, 0);
    const started: number[] = [];
    const t0 = clock.now();
    await Promise.all(Array.from({ length: 6 }, () => limiter.schedule(async () => {
      started.push(clock.now() - t0);
      await clock.sleep(20);
      // Each answer says what is left, as the platform does.
      limiter.observe({ remaining: Math.max(0, 3 - started.length), limit: 60, resetMs: 300 }, limiter.running - 1);
    })));
    // Three at once; the other three only once the reset (300 ms after the first answer said it) has passed.
    expect(started.slice(0, 3)).toEqual([0, 0, 0]);
    expect(started.slice(3).every((t) => t >= 300)).toBe(true);
    await limiter.disconnect();
  });

  it('keeps concurrent updates consistent (never stalls on a negative reservoir)', async () => {
    const clock = createFakeClock({ autoAdvance: true });
    const limiter = new LocalRateLimiter({ requestsPerMinute: 60, maxConcurrent: 5, burst: 100, clock });
    for (let i = 0; i < 50; i++) {
      limiter.observe({ remaining: 100 - i }, i % 5);
      if (i % 7 === 0) limiter.pause(1);
    }
    limiter.observe({ remaining: 40 }, 0);
    await clock.sleep(20);
    const started = clock.now();
    await Promise.all(Array.from({ length: 20 }, () => limiter.schedule(async () => 1)));
    expect(clock.now() - started).toBeLessThan(1000);
    await limiter.disconnect();
  });

  it('after a reset, one request probes the budget and its answer releases the rest (the reset may free less than a window)', async () => {
    const clock = createFakeClock();
    const limiter = new LocalRateLimiter({ requestsPerMinute: 60_000, maxConcurrent: 20, clock });
    limiter.observe({ remaining: 0, limit: 10, resetMs: 100 }, 3);
    const started: number[] = [];
    let probeAnswered!: () => void;
    const probeWait = new Promise<void>((r) => (probeAnswered = r));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const jobs = Array.from({ length: 10 }, () => limiter.schedule(async () => {
      started.push(clock.now());
      if (started.length === 1) {
        await probeWait;
        // The probe's answer: 6 left after it.
        limiter.observe({ remaining: 6, limit: 10, resetMs: 900 }, limiter.running - 1);
        return;
      }
      await held;
    }));
    const t0 = clock.now();
    await clock.untilSleeping();
    await clock.advance(99);
    expect(started).toHaveLength(0);
    await clock.advance(1);
    // The reset: one probe goes, nothing else before its answer, however long it takes.
    expect(started).toEqual([t0 + 100]);
    await clock.advance(5000);
    expect(started).toHaveLength(1);
    probeAnswered();
    await jobs[0];
    await clock.advance(0);
    // The six it announced left after it, and no more.
    expect(started).toHaveLength(7);
    release();
    await Promise.all(jobs.slice(0, 7));
    await limiter.disconnect();
  });

  it('a 429 pause waits the clock: nothing leaves until Retry-After has passed on it', async () => {
    const clock = createFakeClock();
    const limiter = new LocalRateLimiter({ requestsPerMinute: 60_000, maxConcurrent: 5, clock });
    limiter.pause(30_000);
    let ran = 0;
    const jobs = Array.from({ length: 3 }, () => limiter.schedule(async () => void ran++));
    await clock.untilSleeping();
    await clock.advance(29_999);
    expect(ran).toBe(0);
    expect(limiter.stats().pausedUntil).toBe(clock.now() + 1);
    await clock.advance(1);
    await Promise.all(jobs);
    expect(ran).toBe(3);
    await limiter.disconnect();
  });

  it('the own budget refills on the clock (requestsPerMinute / burst), and initialBudget 0 starts it empty', async () => {
    const clock = createFakeClock();
    const limiter = new LocalRateLimiter({ requestsPerMinute: 60, maxConcurrent: 5, burst: 2, initialBudget: 0, clock });
    const at: number[] = [];
    const t0 = clock.now();
    const jobs = Array.from({ length: 3 }, () => limiter.schedule(async () => void at.push(clock.now() - t0)));
    await clock.untilSleeping();
    await clock.advance(999);
    expect(at).toEqual([]);
    await clock.advance(3000);
    await Promise.all(jobs);
    // One token a second from empty: 1 s, 2 s, 3 s.
    expect(at).toEqual([1000, 2000, 3000]);
    await limiter.disconnect();
  });
});
