/**
 * Issue 18: polling has a floor. `poll.initialDelayMs: 0` made one wait() send 310 status requests; now any poll
 * option under MIN_POLL_DELAY_MS (1 s) is a ValidationError naming the field, before any request, and a wait's
 * status requests are bounded by maxWaitMs / 1 s. Time is a fake clock given to the client (no real waiting).
 */
import { describe, expect, it } from 'vitest';
import { JobTimeoutError, ReportQueries, ValidationError } from '@org/gc-data';
import { createFakeClock } from '@org/gc-data/testing';
import { JOBS, dayInterval, simClient, useSimulatedOrg } from './helpers';

const { sim } = useSimulatedOrg({ jobs: { queuedMs: 10 * 3_600_000, pendingMs: 0 } });

function issuePath(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.issues[0]?.path;
    throw e;
  }
  return undefined;
}

async function rejectionPath(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ValidationError) return e.issues[0]?.path;
    throw e;
  }
  return undefined;
}

describe('poll minimum (issue 18)', () => {
  it('refuses poll delays under 1 s at construction, naming the field, with no request sent', () => {
    const client = simClient(sim);
    expect(issuePath(() => new ReportQueries(client, { poll: { initialDelayMs: 0 } }))).toBe('poll.initialDelayMs');
    expect(issuePath(() => new ReportQueries(client, { poll: { maxDelayMs: 999 } }))).toBe('poll.maxDelayMs');
    expect(issuePath(() => new ReportQueries(client, { poll: { initialDelayMs: 1000, maxDelayMs: 1000 } }))).toBeUndefined();
    expect(client.stats().requests).toBe(0);
  });

  it('refuses them in wait() too, and maxWaitMs NaN, before any status request', async () => {
    const clock = createFakeClock({ autoAdvance: true });
    const client = simClient(sim, { clock });
    const job = new ReportQueries(client).job('00000000-0000-4000-8000-000000000001');
    expect(await rejectionPath(job.wait({ poll: { initialDelayMs: 0 } }))).toBe('poll.initialDelayMs');
    expect(await rejectionPath(job.wait({ maxWaitMs: Number.NaN }))).toBe('maxWaitMs');
    expect(await rejectionPath(job.wait({ maxWaitMs: -1 }))).toBe('maxWaitMs');
    expect(client.stats().requests).toBe(0);
  });

  it('the fastest allowed schedule sends one status request per second of maxWaitMs at most', async () => {
    const clock = createFakeClock({ autoAdvance: true });
    const client = simClient(sim, { clock });
    const reports = new ReportQueries(client, { poll: { initialDelayMs: 1000, maxDelayMs: 1000, jitterMs: 0 } });
    const job = await reports.submit({ interval: dayInterval(sim, 1) });
    const started = clock.now();
    await expect(job.wait({ maxWaitMs: 60_000 })).rejects.toBeInstanceOf(JobTimeoutError);
    // Polls at 1 s, 2 s, ..., 60 s by the client's clock, then the job is cancelled.
    expect(sim.stats.count(`GET ${JOBS}/{jobId}`)).toBe(60);
    expect(clock.now() - started).toBe(60_000);
    expect(sim.stats.count(`DELETE ${JOBS}/{jobId}`)).toBe(1);
    await client.close();
  });
});
