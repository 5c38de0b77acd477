import { describe, expect, it } from 'vitest';
import { formatInterval, halveInterval } from '@org/gc-data/intervals';
import { JobFailedError } from '../../src/index';
import { HOUR, JOBS, collect, dayInterval, expectEachConversationOnce, extractIds, fastReports, overrideJobStatus, fastClient, useSimulatedOrg, recordWarnings } from './helpers';

const { sim, server } = useSimulatedOrg();
const FAILED = { state: 'FAILED', errorMessage: 'The job failed to complete. Resubmit the query, or split its interval.' };

describe('FAILED -> resubmit once, then split the interval and re-run the halves', () => {
  it('re-runs a failed window (after one resubmission of the same interval) as two halves and still yields every conversation once', async () => {
    // Jobs longer than 12 h fail (the seed: too much data for one job); the 12 h halves succeed.
    overrideJobStatus(server, sim, (job) => (job.end - job.start > 12 * HOUR ? FAILED : undefined));
    const client = fastClient(sim);
    const warnings = recordWarnings(client);
    const interval = dayInterval(sim, 1);
    const { ids, extraction } = await extractIds(fastReports(client), { interval, chunk: 'P1D' });

    expectEachConversationOnce(sim, ids, interval);
    const s = extraction.summary;
    expect(s.splits).toEqual([
      expect.objectContaining({ interval: interval.replace(/\.000Z/g, 'Z'), reason: 'FAILED', depth: 1, halves: halveInterval(interval) }),
    ]);
    // The whole day, the same day again (a FAILED job is resubmitted once before splitting), then the two halves.
    expect(s.resubmits).toEqual([expect.objectContaining({ interval: interval.replace(/\.000Z/g, 'Z'), reason: 'FAILED' })]);
    expect(s.jobsSubmitted).toBe(4);
    expect(sim.stats.count(`POST ${JOBS}`)).toBe(4);
    expect(s.finished).toBe(true);
    expect(warnings.filter((w) => w.code === 'job-split')).toHaveLength(1);
    expect(warnings.find((w) => w.code === 'job-split')?.details).toMatchObject({ reason: 'FAILED', errorMessage: FAILED.errorMessage });
    await client.close();
  });

  it('splits recursively, depth-first, while halves keep failing', async () => {
    overrideJobStatus(server, sim, (job) => (job.end - job.start > 5 * HOUR ? FAILED : undefined));
    const client = fastClient(sim);
    const interval = dayInterval(sim, 2);
    const { ids, extraction } = await extractIds(fastReports(client), { interval, chunk: 'P1D' });
    expectEachConversationOnce(sim, ids, interval);
    // 24 h fails twice -> 2 x 12 h fail twice -> 4 x 6 h fail twice -> 8 x 3 h succeed.
    expect(extraction.summary.splits.map((r) => r.depth)).toEqual([1, 2, 3, 3, 2, 3, 3]);
    expect(extraction.summary.jobsSubmitted).toBe(2 * (1 + 2 + 4) + 8);
    await client.close();
  });

  it('gives up with JobFailedError at maxSplitDepth, naming the interval', async () => {
    overrideJobStatus(server, sim, () => FAILED);
    const client = fastClient(sim);
    const interval = dayInterval(sim, 1);
    const err = await collect(fastReports(client, { maxSplitDepth: 2 }).extract({ interval, chunk: 'P1D' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobFailedError);
    expect((err as JobFailedError).state).toBe('FAILED');
    expect((err as Error).message).toMatch(/maxSplitDepth 2/);
    expect((err as Error).message).toMatch(/failed 4 time\(s\) at this size/);
    const start = Date.parse(interval.split('/')[0]!);
    expect((err as JobFailedError).interval).toBe(formatInterval(start, start + 6 * HOUR));
    // Depth-first: the whole day (twice), its first half (twice), that half's first half: once and 3 resubmissions
    // (it cannot be split further) before the extract gives up.
    expect(sim.stats.count(`POST ${JOBS}`)).toBe(2 + 2 + 4);
    await client.close();
  });
});

describe('transient FAILED jobs', () => {
  it('30% of jobs FAILED at random plus 10% 5xx: every conversation exactly once', async () => {
    sim.setFaults({ jobFailureRate: 0.3, serverErrorRate: 0.1 });
    const client = fastClient(sim, { retry: { limit: 8, budget: false } });
    const interval = dayInterval(sim, 2);
    // One window at a time (concurrency 1), so jobs are submitted one after another and each gets the same seeded
    // outcome every run. With maxSplitDepth 0 nothing can be split: the old rule (split on FAILED) ended the extract
    // at the first FAILED job; now each interval is resubmitted, and only failing 4 times in a row would end it.
    const { ids, extraction } = await extractIds(fastReports(client, { maxSplitDepth: 0 }), { interval, chunk: 'PT3H', concurrency: 1 });
    expectEachConversationOnce(sim, ids, interval);
    // Some jobs did fail and were resubmitted, not split straight away.
    expect(extraction.summary.resubmits.filter((r) => r.reason === 'FAILED').length).toBeGreaterThan(0);
    expect(extraction.summary.finished).toBe(true);
    await client.close();
  });
});
