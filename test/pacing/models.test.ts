/**
 * Pacing on every rate-limit model x reset style of the simulated org, with the default client options (the server
 * governing, 5 at once), 10 ms latency, on fake time (harness.ts): counts 429s and simulated time against the
 * model's floor. Deterministic: simulated time moves only when nothing else can run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeResult } from '../../bench/lib';
import { cellName, cellTarget, MODEL_CELLS, runPaced, type SimRateLimit } from './harness';

/** Each cell's figures; written to bench/results/pacing-matrix-fake.json when PACING_RESULTS=1 (bench/pacing/README). */
const figures: Array<{ cell: string; windowMs: number; reset: string | undefined; ratio: number; r429: number }> = [];

describe('pacing on every rate-limit model, default client options', () => {
  for (const windowMs of [1000, 10_000]) {
    for (const cell of MODEL_CELLS) {
      it(`${cellName(cell)}, ${windowMs / 1000}-s windows: at most one 429, near the floor`, async () => {
        const rateLimit = { requests: 50, windowMs, ...cell } as SimRateLimit;
        const r = await runPaced({ rateLimit, n: 200, latencyMs: 10 });
        figures.push({ cell: `${cellName(cell)}, ${windowMs / 1000}-s windows`, windowMs, reset: cell.reset, ratio: Math.round((r.elapsedMs / r.floorMs) * 1000) / 1000, r429: r.rateLimited });
        expect(r.ok).toBe(200);
        expect(r.rateLimited).toBeLessThanOrEqual(1);
        // Targets: 1.10 x the floor with a reset header, 1.25 x without. Known short of it: clock-aligned 1-s windows
        // announcing delta seconds (always "1") or nothing, where the window's end is not knowable to better than a
        // second without risking 429s: a spent window is held until the rounded reset, up to a window's phase late.
        // (Not knowable: the test below shows such an org answers exactly like one whose windows open with the first
        // request, where sending before that reset earns a 429.)
        expect(r.elapsedMs / r.floorMs).toBeLessThanOrEqual(cellTarget(cell, windowMs));
        // Simulated time, so the figures do not depend on load; the CPU work does: 0.4-1.5 s alone, past the 20 s
        // default at load 15-20 on 2 cores (7 cells timed out in one full run beside other suites).
      });
    }
  }

  it('1-s windows with a delta-seconds reset: clock-aligned and first-request windows answer alike, request for request', async () => {
    // Why fixed/clock, window-end, 1-s windows stays at ~1.19 x (issue 19): "reset: 1" carries no phase, and every
    // request the client sends where it knows the window has ended is answered the same way on both models, so the
    // two runs below are the same run. Its last window opens 400 ms after the clock's boundary; to open it within
    // 1.10 x the floor (153 ms) the client would have to send before its safe time, which on first-request windows
    // (same answers so far) is a 429 and a 1-s Retry-After (>= 1.30 x there), and with exactly 4 windows of demand
    // any budget held back across a boundary to find it spills a fifth window (1.38 x). Learning the phase from
    // jumps in `remaining` needs requests near the boundary, which is exactly that risk.
    const clock = await runPaced({ rateLimit: { requests: 50, windowMs: 1000, model: 'fixed', anchor: 'clock', reset: 'window-end' }, n: 200, latencyMs: 10 });
    const first = await runPaced({ rateLimit: { requests: 50, windowMs: 1000, model: 'fixed', anchor: 'first-request', reset: 'window-end' }, n: 200, latencyMs: 10 });
    expect(clock.arrivals).toEqual(first.arrivals);
    expect([clock.rateLimited, first.rateLimited]).toEqual([0, 0]);
    // Same time, two floors: 1.047 x on first-request windows, ~1.19 x on clock-aligned ones.
    expect(clock.elapsedMs).toBe(first.elapsedMs);
    expect(first.elapsedMs / first.floorMs).toBeLessThanOrEqual(1.1);
  });

  it('never holds a whole reset and then bursts once a refilling bucket is evident', async () => {
    const r = await runPaced({ rateLimit: { requests: 50, windowMs: 1000 }, n: 200, latencyMs: 10 });
    expect(r.rateLimited).toBe(0);
    const gaps = r.arrivals.slice(1).map((t, i) => t - r.arrivals[i]!);
    // The bucket refills one request every 20 ms: no gap near a whole reset (1 s).
    expect(Math.max(...gaps)).toBeLessThan(200);
  });
});

afterAll(() => {
  if (process.env.PACING_RESULTS !== '1' || figures.length === 0) return;
  const withReset = figures.filter((f) => f.reset !== 'none').map((f) => f.ratio);
  const without = figures.filter((f) => f.reset === 'none').map((f) => f.ratio);
  writeResult({
    benchmark: 'pacing-matrix-fake',
    results: { requests: 200, latencyMs: 10, requestsPerWindow: 50, clock: 'fake (vitest timers): simulated time, deterministic', cells: figures },
    targets: [
      { name: 'fake time: worst cell with a reset header, x floor', target: '<= 1.10', value: Math.max(...withReset), met: Math.max(...withReset) <= 1.1 },
      { name: 'fake time: worst cell without a reset header, x floor', target: '<= 1.25', value: Math.max(...without), met: Math.max(...without) <= 1.25 },
      { name: 'fake time: most 429s in one run', target: '<= 1', value: Math.max(...figures.map((f) => f.r429)), met: figures.every((f) => f.r429 <= 1) },
    ],
    reading:
      `On fake time (deterministic, no machine load), 200 client.request() calls per cell with default client options and 10 ms latency: ` +
      `${Math.min(...figures.map((f) => f.ratio))}-${Math.max(...figures.map((f) => f.ratio))} x the floor, at most ` +
      `${Math.max(...figures.map((f) => f.r429))} x 429 per run (test/pacing/models.test.ts). Over 1.10: fixed windows aligned to the ` +
      `clock on 1-s windows with a delta-seconds reset ("1" every time), whose run is request for request the one on windows opened ` +
      `by the first request (1.047 x there; the same test shows it): opening the last window earlier would be a 429 and a 1-s ` +
      `Retry-After on those, and holding budget across a boundary to find its phase spills a fifth window.`,
  });
});
