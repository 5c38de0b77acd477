import { describe, expect, it } from 'vitest';
import { LocalRateLimiter } from '../../src/index';

/** Feeds `n` answers of a server that grants more than its allowance of `limit` without a new window. */
function grantBeyondAllowance(limiter: LocalRateLimiter, limit: number, resetMs: number): void {
  // A token bucket being refilled while it is drained: remaining falls slower than requests are granted.
  for (let i = 0; i < limit + 2; i++) limiter.observe({ remaining: Math.max(1, limit - 1 - Math.floor(i / 2)), limit, resetMs }, 0);
}

async function startDelay(limiter: LocalRateLimiter): Promise<number> {
  const t0 = Date.now();
  await limiter.schedule(async () => 1);
  return Date.now() - t0;
}

describe('LocalRateLimiter and a server that refills continuously', () => {
  it('waits for one request worth of refill, not a whole reset, once the server granted more than its allowance', async () => {
    const limiter = new LocalRateLimiter({ requestsPerMinute: 600_000, maxConcurrent: 5 });
    grantBeyondAllowance(limiter, 10, 1000);
    const r = limiter.observe({ remaining: 0, limit: 10, resetMs: 1000 }, 0);
    expect(r.exhausted).toBe(false);
    // (10 - 1) / 1000 ms per request: about 111 ms for the next one, where the reset is 1000 ms away.
    expect(await startDelay(limiter)).toBeLessThan(600);
    await limiter.disconnect();
  });

  it('keeps waiting for the reset on a per-window server, whose grants never exceed its allowance', async () => {
    const limiter = new LocalRateLimiter({ requestsPerMinute: 600_000, maxConcurrent: 5 });
    // Two windows of 10: the reset moves later when the second begins, so the grants are counted per window.
    for (let i = 0; i < 9; i++) limiter.observe({ remaining: 9 - i, limit: 10, resetMs: 5000 - i }, 0);
    for (let i = 0; i < 9; i++) limiter.observe({ remaining: 9 - i, limit: 10, resetMs: 60_000 - i }, 0);
    const r = limiter.observe({ remaining: 0, limit: 10, resetMs: 400 }, 0);
    expect(r).toEqual({ exhausted: true, pausedForMs: 400 });
    expect(await startDelay(limiter)).toBeGreaterThanOrEqual(380);
    await limiter.disconnect();
  });

  it('goes back to waiting for resets for good after a 429', async () => {
    const limiter = new LocalRateLimiter({ requestsPerMinute: 600_000, maxConcurrent: 5 });
    grantBeyondAllowance(limiter, 10, 1000);
    limiter.observe({ remaining: 0, limit: 10, resetMs: 1000 }, 0);
    limiter.pause(10); // what the transport does on a 429
    await new Promise((r) => setTimeout(r, 20));
    grantBeyondAllowance(limiter, 10, 400);
    const r = limiter.observe({ remaining: 0, limit: 10, resetMs: 400 }, 0);
    expect(r).toEqual({ exhausted: true, pausedForMs: 400 });
    expect(await startDelay(limiter)).toBeGreaterThanOrEqual(380);
    await limiter.disconnect();
  });

  it('never lets more leave than the refill covers, counting the requests on the wire as a debt', async () => {
    const limiter = new LocalRateLimiter({ requestsPerMinute: 600_000, maxConcurrent: 20 });
    grantBeyondAllowance(limiter, 10, 1000);
    // Spent, with 4 others on the wire: the next request needs 5 requests' worth of refill, ~555 ms.
    limiter.observe({ remaining: 0, limit: 10, resetMs: 1000 }, 4);
    expect(await startDelay(limiter)).toBeGreaterThanOrEqual(500);
    await limiter.disconnect();
  });
});
