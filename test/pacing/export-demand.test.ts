/**
 * Pacing at the export's size and demand, on fake time (harness.ts): 328 requests (bench/pacing/matrix.ts' quality
 * export) issued by 5 loops, each sending its next request when its last is answered, as the exporter's 5 fetches
 * (src/quality/exporter.ts, mapConcurrent): the gate sees at most ~5 waiting, never the whole demand. Every start phase
 * of the window (harness.ts START_PHASES), each run judged against its OWN floor (bench/pacing/floor.ts), at most one
 * 429 in every cell.
 *
 * Issue 19: fixed windows aligned to the clock announcing no reset took 2 x 429 in every 10-s run starting partway into
 * a window (0.37, 0.5, 0.8: the first 429 teaches a hold short of the window, and the probe after it was the second);
 * src/transport/window-ladder.ts holds the last requests of the next window back and sends them across where the
 * window may end, which finds it with no 429 (before: 1.097-1.108 x, 2 x 429; after: 1.006-1.024 x, 1 x 429).
 * Every other cell reads as it did before the ladder or better (listed in the commits that added it).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeResult } from '../../bench/lib';
import { cellName, cellVerdict, MODEL_CELLS, phaseStart, runPaced, START_PHASES, type SimRateLimit } from './harness';

const N = 328;
const WORKERS = 5;
const figures: Array<{ cell: string; phase: number; windowMs: number; reset: string | undefined; jitterMs: number; ratio: number; target: number; r429: number }> = [];

/** The fixed cells (both anchors, every reset style), and the other models without a reset header (the ladder's only case). */
const CELLS = MODEL_CELLS.filter((c) => c.model === 'fixed' || c.reset === 'none');

async function judged(cell: Partial<SimRateLimit>, windowMs: number, phase: number, jitterMs: number): Promise<void> {
  const rateLimit = { requests: 50, windowMs, ...cell } as SimRateLimit;
  const r = await runPaced({ rateLimit, n: N, latencyMs: 10, startMs: phaseStart(phase, windowMs), workers: WORKERS, jitterMs, jitterSeed: 7 });
  const v = cellVerdict(rateLimit, r, N, WORKERS);
  const ratio = r.elapsedMs / r.floorMs;
  figures.push({ cell: `${cellName(cell)}, ${windowMs / 1000}-s windows${jitterMs ? `, 0-${jitterMs} ms jitter` : ''}`, phase, windowMs, reset: cell.reset, jitterMs, ratio: Math.round(ratio * 1000) / 1000, target: v.target, r429: r.rateLimited });
  expect(r.ok).toBe(N);
  expect(v.max429).toBe(1);
  expect(r.rateLimited).toBeLessThanOrEqual(1);
  // Against the run's own floor, phase-blind cells included (328 is no multiple of 50: the phase scan and the
  // ladder have room).
  expect(ratio).toBeLessThanOrEqual(v.target);
}

describe('pacing at the export size (328 requests, 5 loops), every start phase, each run against its own floor', () => {
  for (const windowMs of [1000, 10_000]) {
    for (const cell of CELLS) {
      for (const phase of START_PHASES) {
        it(`${cellName(cell)}, ${windowMs / 1000}-s windows, start ${phase}: at most one 429, within target of its own floor`, () => judged(cell, windowMs, phase, 0));
      }
    }
  }
  // A finer grid of start phases for that cell: every window after the first 429 opens within the ladder's precision,
  // and a run's last requests do not wait for rungs. Measured 1.002-1.024 x; a held request that waited for its rung
  // while nothing more could come read 1.174 x from 0.3 (the run's last request held ~10 s), and held requests let go
  // because the gate counted the waiters woken by one answer as gone read 1.08 x from 0.37 and 0.5.
  for (const phase of [0.1, 0.2, 0.3, 0.6, 0.9]) {
    it(`fixed/clock, reset none, 10-s windows, start ${phase}: one 429, within 1.05 x its own floor`, async () => {
      const rateLimit: SimRateLimit = { requests: 50, windowMs: 10_000, model: 'fixed', anchor: 'clock', reset: 'none' };
      const r = await runPaced({ rateLimit, n: N, latencyMs: 10, startMs: phaseStart(phase, 10_000), workers: WORKERS });
      expect(r.ok).toBe(N);
      expect(r.rateLimited).toBe(1);
      expect(r.elapsedMs / r.floorMs).toBeLessThanOrEqual(1.05);
    });
  }
  // 1-s clock windows with 0-10 ms jitter, starting near a window's end: the first burst sees a window end, which
  // shows fixed windows before any 429 has bounded their length. The ladder planned rungs across an unbounded range
  // there (at Infinity): held requests waited for ever (real time: the export hung, exit 13; fake time: 29-50 x the
  // floor from 0.9-0.97). Before a 429 the pacer's own hold and log rule.
  for (const phase of [0.9, 0.93, 0.95, 0.97]) {
    it(`fixed/clock, reset none, 1-s windows, start ${phase}, 0-10 ms jitter: at most one 429, within 1.25 x its own floor`, () =>
      judged({ model: 'fixed', anchor: 'clock', reset: 'none' }, 1000, phase, 10));
  }
  // Requests reach the org 0-40 ms late (seeded), so they arrive out of order: the ladder's ranges must hold.
  for (const phase of START_PHASES) {
    it(`fixed/clock, reset none, 10-s windows, start ${phase}, 0-40 ms jitter: at most one 429, within 1.25 x its own floor`, () =>
      judged({ model: 'fixed', anchor: 'clock', reset: 'none' }, 10_000, phase, 40));
  }
});

afterAll(() => {
  if (process.env.PACING_RESULTS !== '1' || figures.length === 0) return;
  const withReset = figures.filter((f) => f.reset !== 'none').map((f) => f.ratio);
  const without = figures.filter((f) => f.reset === 'none').map((f) => f.ratio);
  const worst429 = Math.max(...figures.map((f) => f.r429));
  const clockNone = (jitterMs: number) =>
    figures.filter((f) => f.cell.startsWith('fixed/clock, reset none, 10-s') && f.jitterMs === jitterMs).map((f) => f.ratio).join(', ');
  writeResult({
    benchmark: 'pacing-matrix-fake-export',
    results: { requests: N, workers: WORKERS, latencyMs: 10, requestsPerWindow: 50, startPhases: [...START_PHASES], clock: 'fake (vitest timers): simulated time, deterministic', cells: figures.map((f) => ({ ...f, judgedRatio: f.ratio, basis: 'floor' })) },
    targets: [
      { name: 'fake time, export demand: worst cell x phase with a reset header, x its own floor', target: '<= 1.10', value: Math.max(...withReset), met: Math.max(...withReset) <= 1.1 },
      { name: 'fake time, export demand: worst cell x phase without a reset header, x its own floor', target: '<= 1.25', value: Math.max(...without), met: Math.max(...without) <= 1.25 },
      { name: 'fake time, export demand: most 429s in one run', target: '<= 1', value: worst429, met: worst429 <= 1 },
    ],
    reading:
      `On fake time, ${N} requests from ${WORKERS} loops (the export's demand: the gate never sees it whole) per cell and start phase (${figures.length} runs), default client options, 10 ms latency: ` +
      `${Math.min(...figures.map((f) => f.ratio))}-${Math.max(...figures.map((f) => f.ratio))} x each run's own floor, at most ${worst429} x 429 per run (test/pacing/export-demand.test.ts). ` +
      `Fixed/clock without a reset header, 10-s windows, over the phases: ${clockNone(0)} x, with 0-40 ms jitter ${clockNone(40)} x (the held-back ladder, src/transport/window-ladder.ts; 2 x 429 from mid-window starts before it).`,
  });
});
