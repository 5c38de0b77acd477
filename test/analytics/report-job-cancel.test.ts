import { describe, expect, it } from 'vitest';
import { ReportQueries } from '../../src/analytics/report-jobs';
import { AbortError, JobFailedError } from '../../src/index';
import { JOBS, collect, dayInterval, fakeTime, simClient, useSimulatedOrg } from './helpers';

const { sim } = useSimulatedOrg({ jobs: { queuedMs: 30_000, pendingMs: 60_000 } });

describe('cancel', () => {
  it('cancel() sends one DELETE; the job is CANCELLED and wait() and results() say so', async () => {
    const time = fakeTime();
    const client = simClient(sim);
    const reports = new ReportQueries(client, { sleep: time.sleep, random: () => 0 });
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
    const time = fakeTime();
    const client = simClient(sim);
    const controller = new AbortController();
    const reports = new ReportQueries(client, {
      random: () => 0,
      sleep: async (ms, signal) => {
        await time.sleep(ms, signal);
        if (time.delays.length === 2) controller.abort(new Error('user pressed ctrl-c'));
      },
    });
    const job = await reports.submit({ interval: dayInterval(sim, 1) });
    const err = await job.wait({ signal: controller.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    const polls = sim.stats.count(`GET ${JOBS}/{jobId}`);
    expect(polls).toBe(1);
    await client.close();
  });

  it('an extract stopped early (no checkpoint) cancels the jobs it still had running', async () => {
    const time = fakeTime();
    const client = simClient(sim);
    const quick = new ReportQueries(client, { sleep: time.sleep, random: () => 0 });
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
