/**
 * LocalRateLimiter's serverGoverns and maxRequestsPerSecond, on fake time against the simulated org (harness.ts):
 * counts of requests per simulated second, never the wall clock.
 */
import { describe, expect, it } from 'vitest';
import { runPaced } from './harness';

/** The most arrivals within any `spanMs` (simulated). */
function densest(arrivals: number[], spanMs: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < arrivals.length; i++) {
    while (arrivals[i]! - arrivals[j]! >= spanMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('maxRequestsPerSecond: a ceiling while the server announces nothing', () => {
  it('keeps a server without rate-limit headers at 20 requests/s by default', async () => {
    const r = await runPaced({ rateLimit: false, n: 70, latencyMs: 10, stripHeaders: true });
    expect(r.ok).toBe(70);
    expect(densest(r.arrivals, 1000)).toBe(20);
  });

  it('honours a value the user set', async () => {
    const r = await runPaced({ rateLimit: false, n: 20, latencyMs: 10, stripHeaders: true, limiter: { maxRequestsPerSecond: 5 } });
    expect(densest(r.arrivals, 1000)).toBe(5);
  });

  it('stops applying once the server announces its budget', async () => {
    const r = await runPaced({ rateLimit: { requests: 50, windowMs: 1000 }, n: 100, latencyMs: 10 });
    expect(r.rateLimited).toBe(0);
    expect(densest(r.arrivals, 1000)).toBeGreaterThan(40);
  });
});

describe('serverGoverns: the announced budget replaces the client defaults', () => {
  it('paces at the server budget (50/s), not at the defaults it was created with (60/min, burst 10)', async () => {
    const r = await runPaced({ rateLimit: { requests: 50, windowMs: 1000 }, n: 150, latencyMs: 10, limiter: { requestsPerMinute: 60, burst: 10 } });
    expect(r.rateLimited).toBe(0);
    expect(r.elapsedMs / r.floorMs).toBeLessThanOrEqual(1.1);
  });

  it('keeps a user-set requestsPerMinute/burst even when the server allows more', async () => {
    const r = await runPaced({
      rateLimit: { requests: 50, windowMs: 1000 },
      n: 20,
      latencyMs: 10,
      limiter: { requestsPerMinute: 60, burst: 10, serverGoverns: false },
    });
    expect(r.rateLimited).toBe(0);
    // 10 at once, then one per second.
    expect(densest(r.arrivals, 1000)).toBeLessThanOrEqual(11);
    expect(r.arrivals[19]! - r.arrivals[0]!).toBeGreaterThanOrEqual(9000);
  });
});
