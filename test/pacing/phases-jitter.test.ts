/**
 * Issue 19: fixed windows aligned to the clock with no reset header, from every start phase (harness.ts START_PHASES),
 * with seeded jitter on the way in (as models-jitter.test.ts). A run starting partway into a clock window learns a
 * hold short of the window from its first 429 (the first window was partial) and takes a second (models.test.ts says
 * why that one stays); the hold learnt from the second batch must then bound the window from above. Timed from the
 * batch's own first request it did not: that batch began when the pause ended, up to a Retry-After second after its
 * window opened, and with jitter the hold came out 9.35 s on 10-s windows: a third 429 from start 0.37
 * (server-pacer.ts, batchFrom).
 */
import { describe, expect, it } from 'vitest';
import { cellVerdict, phaseStart, runPaced, START_PHASES, type SimRateLimit } from './harness';

describe('fixed/clock, reset none, with jitter, every start phase', () => {
  for (const phase of START_PHASES) {
    it(`10-s windows, start ${phase} into a window: at most two 429s, within 1.25 x the floor`, async () => {
      const rateLimit: SimRateLimit = { requests: 50, windowMs: 10_000, model: 'fixed', anchor: 'clock', reset: 'none' };
      const r = await runPaced({ rateLimit, n: 200, latencyMs: 10, jitterMs: 40, jitterSeed: 7, startMs: phaseStart(phase, 10_000) });
      const v = cellVerdict(rateLimit, r, 200);
      expect(r.ok).toBe(200);
      expect(r.rateLimited).toBeLessThanOrEqual(v.max429);
      expect(v.ratio).toBeLessThanOrEqual(v.target);
    });
  }
});
