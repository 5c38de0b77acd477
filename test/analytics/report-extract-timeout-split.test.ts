import { describe, expect, it } from 'vitest';
import { ReportQueries } from '../../src/analytics/report-jobs';
import { JobTimeoutError } from '../../src/analytics/report-job';
import { TimeoutError } from '../../src/index';
import { HOUR, JOBS, dayInterval, expectEachConversationOnce, extractIds, fakeTime, overrideJobStatus, simClient, useSimulatedOrg, recordWarnings } from './helpers';

const { sim, server } = useSimulatedOrg({ jobs: { queuedMs: 2_000, pendingMs: 8_000 } });

describe('maxWait -> DELETE the job and retry with the interval split in two', () => {
  it('wait() past maxWaitMs cancels the job and throws JobTimeoutError (a TimeoutError)', async () => {
    overrideJobStatus(server, sim, () => ({ state: 'PENDING' }));
    const clock = fakeTime();
    const client = simClient(sim, { clock });
    const reports = new ReportQueries(client, { maxWaitMs: 60_000 });
    const job = await reports.submit({ interval: dayInterval(sim, 1) });
    const err = await job.wait().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobTimeoutError);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ kind: 'deadline', timeoutMs: 60_000, jobId: job.id });
    // 10 s + 20 s, then only the 30 s left of the budget (not 40 s), then no more polling.
    expect(clock.sleeps).toEqual([10_000, 20_000, 30_000]);
    expect(sim.stats.count(`DELETE ${JOBS}/{jobId}`, 204)).toBe(1);
    await client.close();
  });

  it('extract: a window stuck past maxWait is cancelled and re-run as halves; every conversation once', async () => {
    // The full-day job never finishes; 12 h halves behave normally.
    overrideJobStatus(server, sim, (job) => (job.end - job.start > 12 * HOUR ? { state: 'PENDING' } : undefined));
    const clock = fakeTime();
    const client = simClient(sim, { clock });
    const warnings = recordWarnings(client);
    const reports = new ReportQueries(client);
    const interval = dayInterval(sim, 1);
    const { ids, extraction } = await extractIds(reports, { interval, chunk: 'P1D', maxWaitMs: 3_600_000 });

    expectEachConversationOnce(sim, ids, interval);
    expect(sim.stats.count(`DELETE ${JOBS}/{jobId}`, 204)).toBe(1);
    expect(extraction.summary.splits).toEqual([expect.objectContaining({ reason: 'timeout', depth: 1 })]);
    expect(warnings.find((w) => w.code === 'job-split')?.message).toMatch(/cancelled after maxWaitMs \(3600000 ms\)/);
    // The stuck job was polled until the hour ran out: 10+20+40+80+120x... s, the last wait cut to the budget.
    const stuckPolls = clock.sleeps.slice(0, clock.sleeps.indexOf(10_000, 1));
    expect(stuckPolls.reduce((a, b) => a + b, 0)).toBe(3_600_000);
    await client.close();
  });
});
