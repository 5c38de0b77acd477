import { describe, expect, it } from 'vitest';
import { formatInterval, halveInterval } from '../../src/helpers/intervals';
import { JobFailedError, type WarningEvent } from '../../src/index';
import { HOUR, JOBS, collect, dayInterval, fastReports, overrideJobStatus, simClient, useSimulatedOrg } from './helpers';

const { sim, server } = useSimulatedOrg();
const FAILED = { state: 'FAILED', errorMessage: 'The job failed to complete. Resubmit the query, or split its interval.' };

describe('FAILED -> split the interval and re-run the halves', () => {
  it('re-runs a failed window as two halves and still yields every conversation once', async () => {
    // Jobs longer than 12 h fail (the seed: too much data for one job); the 12 h halves succeed.
    overrideJobStatus(server, sim, (job) => (job.end - job.start > 12 * HOUR ? FAILED : undefined));
    const client = simClient(sim);
    const warnings: WarningEvent[] = [];
    client.on('warning', (w) => warnings.push(w));
    const interval = dayInterval(sim, 1);
    const extraction = fastReports(client).extract({ interval, chunk: 'P1D', project: (c) => c.conversationId });
    const ids = await collect(extraction);

    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(sim.truth.conversations({ interval, activity: true })));
    const s = extraction.summary;
    expect(s.splits).toEqual([
      expect.objectContaining({ interval: interval.replace(/\.000Z/g, 'Z'), reason: 'FAILED', depth: 1, halves: halveInterval(interval) }),
    ]);
    expect(s.jobsSubmitted).toBe(3);
    expect(sim.stats.count(`POST ${JOBS}`)).toBe(3);
    expect(s.finished).toBe(true);
    expect(warnings.filter((w) => w.code === 'job-split')).toHaveLength(1);
    expect(warnings.find((w) => w.code === 'job-split')?.details).toMatchObject({ reason: 'FAILED', errorMessage: FAILED.errorMessage });
    await client.close();
  });

  it('splits recursively, depth-first, while halves keep failing', async () => {
    overrideJobStatus(server, sim, (job) => (job.end - job.start > 5 * HOUR ? FAILED : undefined));
    const client = simClient(sim);
    const interval = dayInterval(sim, 2);
    const extraction = fastReports(client).extract({ interval, chunk: 'P1D', project: (c) => c.conversationId });
    const ids = await collect(extraction);
    expect(new Set(ids)).toEqual(new Set(sim.truth.conversations({ interval, activity: true })));
    expect(new Set(ids).size).toBe(ids.length);
    // 24 h fails -> 2 x 12 h fail -> 4 x 6 h fail -> 8 x 3 h succeed.
    expect(extraction.summary.splits.map((r) => r.depth)).toEqual([1, 2, 3, 3, 2, 3, 3]);
    expect(extraction.summary.jobsSubmitted).toBe(1 + 2 + 4 + 8);
    await client.close();
  });

  it('gives up with JobFailedError at maxSplitDepth, naming the interval', async () => {
    overrideJobStatus(server, sim, () => FAILED);
    const client = simClient(sim);
    const interval = dayInterval(sim, 1);
    const err = await collect(fastReports(client, { maxSplitDepth: 2 }).extract({ interval, chunk: 'P1D' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobFailedError);
    expect((err as JobFailedError).state).toBe('FAILED');
    expect((err as Error).message).toMatch(/maxSplitDepth 2/);
    const start = Date.parse(interval.split('/')[0]!);
    expect((err as JobFailedError).interval).toBe(formatInterval(start, start + 6 * HOUR));
    // Depth-first: the whole day, its first half, that half's first half.
    expect(sim.stats.count(`POST ${JOBS}`)).toBe(3);
    await client.close();
  });
});
