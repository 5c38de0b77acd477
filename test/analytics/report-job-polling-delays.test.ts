import { describe, expect, it, vi } from 'vitest';
import { ReportQueries } from '../../src/analytics/report-jobs';
import { pollDelayMs, type JobProgress } from '../../src/analytics/report-job';
import { JOBS, dayInterval, fakeTime, simClient, useSimulatedOrg } from './helpers';

const { sim } = useSimulatedOrg({ jobs: { queuedMs: 60_000, pendingMs: 600_000 } });

/**
 * Lets a request run while setTimeout and Date are faked: the transport's limiter yields with zero-delay timers,
 * so those are flushed (without moving the clock) between rounds of real I/O.
 */
async function settle(until: () => boolean, rounds = 200): Promise<void> {
  for (let i = 0; i < rounds && !until(); i++) {
    await vi.advanceTimersByTimeAsync(0);
    await new Promise((r) => setImmediate(r));
  }
}

async function drive<T>(promise: Promise<T>): Promise<T> {
  let done = false;
  const watched = promise.finally(() => (done = true));
  watched.catch(() => undefined);
  await settle(() => done, 2_000);
  return watched;
}

describe('polling schedule (seed 003: 10 s doubling to 120 s, plus 0-5 s jitter)', () => {
  it('waits exactly 10, 20, 40, 80, 120, 120, ... s with no jitter drawn', async () => {
    const clock = fakeTime();
    const client = simClient(sim, { clock });
    const reports = new ReportQueries(client);
    const job = await reports.submit({ interval: dayInterval(sim, 1) });
    await job.wait();
    // QUEUED 60 s + PENDING 600 s = done at 660 s: polls at 10, 30, 70, 150, 270, 390, 510, 630, 750.
    expect(clock.sleeps).toEqual([10_000, 20_000, 40_000, 80_000, 120_000, 120_000, 120_000, 120_000, 120_000]);
    expect(sim.stats.count(`GET ${JOBS}/{jobId}`)).toBe(9);
    await client.close();
  });

  it('adds random() * 5 s to every wait, never outside [base, base + 5 s)', async () => {
    const draws = [0, 0.5, 0.999999, 0.25, 0.75, 0.1, 0.9, 0.3, 0.6, 0.4, 0.2];
    let k = 0;
    const clock = fakeTime({ random: () => draws[k++ % draws.length]! });
    const client = simClient(sim, { clock });
    const reports = new ReportQueries(client);
    const job = await reports.submit({ interval: dayInterval(sim, 1) });
    await job.wait();
    const bases = [10_000, 20_000, 40_000, 80_000, 120_000, 120_000, 120_000, 120_000];
    expect(clock.sleeps.slice(0, 4)).toEqual([10_000, 22_500, 44_999, 81_250]);
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(8);
    clock.sleeps.forEach((d, i) => {
      const base = bases[Math.min(i, bases.length - 1)]!;
      expect(d).toBeGreaterThanOrEqual(base);
      expect(d).toBeLessThan(base + 5_000);
    });
    await client.close();
  });

  it('keeps Math.random jitter within bounds over many draws (pure schedule)', () => {
    const poll = { initialDelayMs: 10_000, maxDelayMs: 120_000, factor: 2, jitterMs: 5_000 };
    for (let n = 0; n < 2_000; n++) {
      const base = Math.min(120_000, 10_000 * 2 ** (n % 10));
      const d = pollDelayMs(n % 10, poll);
      expect(d).toBeGreaterThanOrEqual(base);
      expect(d).toBeLessThan(base + 5_000);
    }
  });

  it('uses every polling option as given (tiny values, factor 3)', async () => {
    const clock = fakeTime({ random: () => 0.5 });
    sim.reset();
    const client = simClient(sim, { clock });
    const reports = new ReportQueries(client, {
      poll: { initialDelayMs: 1_000, maxDelayMs: 200_000, factor: 3, jitterMs: 10 },
    });
    const job = await reports.submit({ interval: dayInterval(sim, 1) });
    const progress: JobProgress[] = [];
    await job.wait({ onProgress: (p) => progress.push(p) });
    // 1 s, 3 s, 9 s, 27 s, 81 s, 200 s (capped), 200 s, 200 s: done at 660 s; +5 ms jitter each.
    expect(clock.sleeps).toEqual([1_005, 3_005, 9_005, 27_005, 81_005, 200_005, 200_005, 200_005]);
    expect(progress.at(-1)).toMatchObject({ state: 'FULFILLED', polls: 8 });
    expect(progress.at(-1)).not.toHaveProperty('nextPollMs');
    await client.close();
  });

  it('with vitest fake timers and the system clock: no status request before the first delay, one right after', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const client = simClient(sim);
    const reports = new ReportQueries(client);
    const job = await drive(reports.submit({ interval: dayInterval(sim, 1) }));
    const statusGets = () => sim.stats.count(`GET ${JOBS}/{jobId}`);
    let settled = false;
    const waiting = job.wait().finally(() => (settled = true));
    waiting.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(12_499);
    await settle(() => false, 20);
    expect(statusGets()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await settle(() => statusGets() === 1);
    expect(statusGets()).toBe(1);
    // Second wait: 20 s + 2.5 s.
    await vi.advanceTimersByTimeAsync(22_499);
    await settle(() => false, 20);
    expect(statusGets()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await settle(() => statusGets() === 2);
    expect(statusGets()).toBe(2);
    expect(settled).toBe(false);
    await drive(job.cancel());
    await vi.advanceTimersByTimeAsync(42_500);
    await expect(drive(waiting)).rejects.toMatchObject({ state: 'CANCELLED' });
    await client.close();
  });
});
