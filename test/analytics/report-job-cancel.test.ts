import { describe, expect, it } from 'vitest';
import { ReportQueries } from '../../src/analytics/report-jobs';
import { AbortError, JobFailedError } from '../../src/index';
import { JOBS, collect, dayInterval, fakeTime, simClient, useSimulatedOrg } from './helpers';

const { sim } = useSimulatedOrg({ jobs: { queuedMs: 30_000, pendingMs: 60_000 } });

describe('cancel', () => {
  it('cancel() sends one DELETE; the job is CANCELLED and wait() and results() say so', async () => {
    const clock = fakeTime();
    const client = simClient(sim, { clock });
    const reports = new ReportQueries(client);
    const job = await reports.submit({ interval: dayInterval(sim, 1) });
    expect((await job.status()).state).toBe('QUEUED');
    await job.cancel();
    expect(job.state).toBe('CANCELLED');
    expect(sim.stats.count(`DELETE ${JOBS}/{jobId}`, 204)).toBe(1);
    expect((await job.status()).state).toBe('CANCELLED');
    await expect(job.wait()).rejects.toMatchObject({ name: 'JobFailedError', state: 'CANCELLED', jobId: job.id });
    const err = await collect(job.results()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobFailedError);
    expect((err as JobFailedError).state).toBe('CANCELLED');
    await client.close();
  });

  it('an aborted signal stops wait() at once with AbortError, and no further status request is made', async () => {
    // Time moves only when the test says: the first poll happens, then the caller aborts during the second wait.
    const clock = fakeTime({ autoAdvance: false });
    const client = simClient(sim, { clock });
    const controller = new AbortController();
    const reports = new ReportQueries(client);
    const job = await reports.submit({ interval: dayInterval(sim, 1) });
    const waiting = job.wait({ signal: controller.signal }).catch((e: unknown) => e);
    await clock.untilSleeping();
    await clock.runNext();
    await clock.untilSleeping();
    expect(clock.sleeps).toEqual([10_000, 20_000]);
    controller.abort(new Error('user pressed ctrl-c'));
    const err = await waiting;
    expect(err).toBeInstanceOf(AbortError);
    expect(clock.pending).toBe(0);
    const polls = sim.stats.count(`GET ${JOBS}/{jobId}`);
    expect(polls).toBe(1);
    await client.close();
  });

  it('an extract stopped early (no checkpoint) cancels the jobs it still had running', async () => {
    const clock = fakeTime();
    const client = simClient(sim, { clock });
    const quick = new ReportQueries(client);
    let rows = 0;
    for await (const _ of quick.extract({ interval: dayInterval(sim, 2, 2), chunk: 'PT6H', concurrency: 3, pageSize: 10 })) {
      if (++rows === 5) break;
    }
    const deletes = sim.stats.count(`DELETE ${JOBS}/{jobId}`, 204);
    expect(deletes).toBeGreaterThanOrEqual(1);
    expect(deletes).toBeLessThanOrEqual(3);
    await client.close();
  });
});
