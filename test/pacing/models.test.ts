/**
 * Pacing on every rate-limit model x reset style of the simulated org, with the default client options (the server
 * governing, 5 at once), 10 ms latency, on fake time (harness.ts): counts 429s and simulated time against the
 * model's floor. Deterministic: simulated time moves only when nothing else can run.
 */
import { describe, expect, it } from 'vitest';
import { runPaced, type SimRateLimit } from './harness';

const CELLS: Array<Partial<SimRateLimit>> = [];
for (const reset of ['bucket-full', 'epoch', 'none'] as const) CELLS.push({ model: 'bucket', reset });
for (const anchor of ['clock', 'first-request'] as const) {
  for (const reset of ['window-end', 'epoch', 'none'] as const) CELLS.push({ model: 'fixed', anchor, reset });
}
for (const reset of ['window-end', 'bucket-full', 'epoch', 'none'] as const) CELLS.push({ model: 'sliding', reset });

const name = (c: Partial<SimRateLimit>) => `${c.model}${c.anchor ? `/${c.anchor}` : ''}, reset ${c.reset}`;

describe('pacing on every rate-limit model, default client options', () => {
  for (const windowMs of [1000, 10_000]) {
    for (const cell of CELLS) {
      it(`${name(cell)}, ${windowMs / 1000}-s windows: at most one 429, near the floor`, async () => {
        const rateLimit = { requests: 50, windowMs, ...cell } as SimRateLimit;
        const r = await runPaced({ rateLimit, n: 200, latencyMs: 10 });
        expect(r.ok).toBe(200);
        expect(r.rateLimited).toBeLessThanOrEqual(1);
        // Targets: 1.10 x the floor with a reset header, 1.25 x without. Known short of it: clock-aligned 1-s windows
        // announcing delta seconds (always "1") or nothing, where the window's end is not knowable to better than a
        // second without risking 429s: a spent window is held until the rounded reset, up to a window's phase late.
        const phaseBlind = cell.model === 'fixed' && cell.anchor === 'clock' && windowMs === 1000 && cell.reset !== 'epoch';
        const target = phaseBlind ? 1.35 : cell.reset === 'none' ? 1.25 : 1.1;
        expect(r.elapsedMs / r.floorMs).toBeLessThanOrEqual(target);
      });
    }
  }

  it('never holds a whole reset and then bursts once a refilling bucket is evident', async () => {
    const r = await runPaced({ rateLimit: { requests: 50, windowMs: 1000 }, n: 200, latencyMs: 10 });
    expect(r.rateLimited).toBe(0);
    const gaps = r.arrivals.slice(1).map((t, i) => t - r.arrivals[i]!);
    // The bucket refills one request every 20 ms: no gap near a whole reset (1 s).
    expect(Math.max(...gaps)).toBeLessThan(200);
  });
});
