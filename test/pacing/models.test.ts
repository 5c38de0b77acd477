/**
 * Pacing on every rate-limit model x reset style of the simulated org, with the default client options (the server
 * governing, 5 at once), 10 ms latency, on fake time (harness.ts), each cell from several start phases of the window
 * (START_PHASES: a clock-aligned first window is what is left of the clock's window): counts 429s and simulated time
 * against the model's floor. Deterministic: simulated time moves only when nothing else can run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeResult } from '../../bench/lib';
import { cellName, cellVerdict, MODEL_CELLS, phaseStart, runPaced, START_PHASES, type SimRateLimit } from './harness';

/** Each cell's figures; written to bench/results/pacing-matrix-fake.json when PACING_RESULTS=1 (bench/pacing/README). */
const figures: Array<{ cell: string; phase: number; windowMs: number; reset: string | undefined; ratio: number; judgedRatio: number; basis: string; target: number; r429: number }> = [];
const N = 200;

describe('pacing on every rate-limit model, default client options, every start phase', () => {
  for (const windowMs of [1000, 10_000]) {
    for (const cell of MODEL_CELLS) {
      for (const phase of START_PHASES) {
        it(`${cellName(cell)}, ${windowMs / 1000}-s windows, start ${phase} into a window: at most one 429, near the floor`, async () => {
          const rateLimit = { requests: 50, windowMs, ...cell } as SimRateLimit;
          const r = await runPaced({ rateLimit, n: N, latencyMs: 10, startMs: phaseStart(phase, windowMs) });
          const v = cellVerdict(rateLimit, r, N);
          const round = (x: number) => Math.round(x * 1000) / 1000;
          figures.push({ cell: `${cellName(cell)}, ${windowMs / 1000}-s windows`, phase, windowMs, reset: cell.reset, ratio: round(r.elapsedMs / r.floorMs), judgedRatio: round(v.ratio), basis: v.basis, target: v.target, r429: r.rateLimited });
          expect(r.ok).toBe(N);
          // Issue 19: at most one 429 a run; fixed/clock with no reset header takes two from some phases at this demand
          // (200 at once, 4 x 50: see below); at the export's (328 from 5 loops) one (export-demand.test.ts).
          expect(r.rateLimited).toBeLessThanOrEqual(v.max429);
          // 1.10 x the floor with a reset header, 1.25 x without; phase-blind cells against their first-request twin
          // (harness.ts cellVerdict; the tests below show why).
          expect(v.ratio).toBeLessThanOrEqual(v.target);
          // Simulated time, so the figures do not depend on load; the CPU work does: 0.3-1.5 s alone, past the 20 s
          // default at load 15-20 on 2 cores.
        });
      }
    }
  }

  it('1-s windows with a delta-seconds reset: clock-aligned and first-request windows answer alike, request for request, from every start phase where a window holds the first burst', async () => {
    // Why fixed/clock, window-end, 1-s windows is judged against the first-request floor (issue 19): "reset: 1"
    // carries no phase, and every request the client sends where it knows the window has ended is answered the same
    // way on both models, so the two runs are the same run. To open the next window before "first request + 1 s" the
    // client would have to send before its safe time, which on first-request windows (same answers so far) is a 429
    // and a 1-s Retry-After; and budget held back to find the boundary costs on the sliding log (same answers too):
    // a request sent late in a window keeps its slot late in every later one, a whole window when the demand fills
    // the last window exactly, as here (200 = 4 x 50).
    // (From 0.97 the first window ends 30 ms in, inside the first burst: the client sees the boundary there.)
    for (const phase of START_PHASES.filter((p) => p < 0.9)) {
      const startMs = phaseStart(phase, 1000);
      const clock = await runPaced({ rateLimit: { requests: 50, windowMs: 1000, model: 'fixed', anchor: 'clock', reset: 'window-end' }, n: N, latencyMs: 10, startMs });
      const first = await runPaced({ rateLimit: { requests: 50, windowMs: 1000, model: 'fixed', anchor: 'first-request', reset: 'window-end' }, n: N, latencyMs: 10, startMs });
      expect(clock.arrivals).toEqual(first.arrivals);
      expect([clock.rateLimited, first.rateLimited]).toEqual([0, 0]);
      expect(clock.elapsedMs).toBe(first.elapsedMs);
      expect(first.elapsedMs / first.floorMs).toBeLessThanOrEqual(1.1);
    }
  }, 60_000);

  it('fixed/clock, reset none, 10-s windows: a run starting half way into a window answers like 5-s windows opened by the first request until the second window ends', async () => {
    // Why this cell may take 2 x 429 (issue 19's target is 1): with no reset header the first 429's Retry-After
    // places one boundary, and the first window (what was left of the clock's) only bounds the length from below. Here
    // the clock run and a run on 5-s windows opened by the first request get the same answers, request for request,
    // up to the moment the client's second window ends on the latter. A request sent then without budget is that
    // platform's next window and the clock's 429; holding one back to send then instead leaves one of the 5-s
    // window's 50 unused (a fifth window at this demand: +5 s on a 15 s floor, 1.36 x); and waiting for the clock's
    // boundary is 5 s late there too. No choice meets the targets on both, so the second 429 stays (it costs no time:
    // the clock's window is closed until its Retry-After anyway). So src/transport/window-ladder.ts, which holds the
    // last requests of that window back and sends them across where it may end, holds none here: the gate sees all
    // 200 waiting, a demand that fills its windows exactly. At a demand that leaves room in its last window (the
    // export's 328 from 5 loops) it does, and the clock run takes one 429 (export-demand.test.ts).
    const startMs = phaseStart(0.5, 10_000);
    const clock = await runPaced({ rateLimit: { requests: 50, windowMs: 10_000, model: 'fixed', anchor: 'clock', reset: 'none' }, n: N, latencyMs: 10, startMs });
    // The first-request window opens at the first arrival (10 ms in): 4,990 ms puts its end on the clock's boundary.
    const twin = await runPaced({ rateLimit: { requests: 50, windowMs: 4990, model: 'fixed', anchor: 'first-request', reset: 'none' }, n: N, latencyMs: 10, startMs });
    expect(clock.rateLimited).toBe(2);
    expect(twin.rateLimited).toBe(1);
    // Up to the clock's second 429 (refusedAt is when it was answered, after the 10 ms on the way): the same requests
    // at the same times, the first 429 included.
    const diverge = clock.refusedAt[1]!;
    expect(clock.refusedAt[0]).toBe(twin.refusedAt[0]);
    expect(clock.arrivals.filter((t) => t < diverge)).toEqual(twin.arrivals.filter((t) => t < diverge));
    // The twin's run is within its target as it is; the second probe came when its second window had ended.
    expect(twin.elapsedMs / twin.floorMs).toBeLessThanOrEqual(1.25);
    expect(clock.elapsedMs / clock.floorMs).toBeLessThanOrEqual(1.25);
  });

  it('never holds a whole reset and then bursts once a refilling bucket is evident', async () => {
    const r = await runPaced({ rateLimit: { requests: 50, windowMs: 1000 }, n: N, latencyMs: 10 });
    expect(r.rateLimited).toBe(0);
    const gaps = r.arrivals.slice(1).map((t, i) => t - r.arrivals[i]!);
    // The bucket refills one request every 20 ms: no gap near a whole reset (1 s).
    expect(Math.max(...gaps)).toBeLessThan(200);
  });
});

afterAll(() => {
  if (process.env.PACING_RESULTS !== '1' || figures.length === 0) return;
  const withReset = figures.filter((f) => f.reset !== 'none').map((f) => f.judgedRatio);
  const without = figures.filter((f) => f.reset === 'none').map((f) => f.judgedRatio);
  const own = figures.map((f) => f.ratio);
  const worst429 = Math.max(...figures.map((f) => f.r429));
  const twice = figures.filter((f) => f.r429 > 1);
  writeResult({
    benchmark: 'pacing-matrix-fake',
    results: { requests: N, latencyMs: 10, requestsPerWindow: 50, startPhases: figures.map((f) => f.phase).filter((p, i, a) => a.indexOf(p) === i), clock: 'fake (vitest timers): simulated time, deterministic', cells: figures },
    targets: [
      { name: 'fake time: worst cell x phase with a reset header, x floor (phase-blind cells: x the first-request floor)', target: '<= 1.10', value: Math.max(...withReset), met: Math.max(...withReset) <= 1.1 },
      { name: 'fake time: worst cell x phase without a reset header, x floor (same)', target: '<= 1.25', value: Math.max(...without), met: Math.max(...without) <= 1.25 },
      { name: 'fake time: most 429s in one run', target: '<= 1', value: worst429, met: worst429 <= 1 },
    ],
    reading:
      `On fake time (deterministic, no machine load), 200 client.request() calls per cell and start phase (${figures.length} runs) with default client options and 10 ms latency: ` +
      `${Math.min(...own)}-${Math.max(...own)} x each run's own floor, at most ${worst429} x 429 per run (test/pacing/models.test.ts). ` +
      `Over 1.10 x the own floor: fixed windows aligned to the clock on 1-s windows with a delta-seconds reset or none (phase-blind), whose run is request ` +
      `for request the one on windows opened by the first request, judged against that floor (worst ${Math.max(...figures.filter((f) => f.basis !== 'floor').map((f) => f.judgedRatio))} x). ` +
      (twice.length > 0
        ? `Two 429s: ${twice.map((f) => `${f.cell} from ${f.phase}`).join('; ')}: a run starting partway into a clock window without a reset header, which answers like shorter windows opened by the first request until the second window ends (the test shows it), so no choice meets both when the demand fills its windows exactly (200 at once); at the export's demand one (pacing-matrix-fake-export).`
        : ''),
  });
});
