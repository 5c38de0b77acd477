import { describe, expect, it } from 'vitest';
import { ReportQueries } from '../../src/analytics/report-jobs';
import { REPORT_JOB_STATES, type JobProgress, type ReportJobState } from '../../src/analytics/report-job';
import { JobFailedError } from '../../src/index';
import { JOBS, collect, dayInterval, fakeTime, simClient, useSimulatedOrg } from './helpers';

const { sim } = useSimulatedOrg({ jobs: { queuedMs: 15_000, pendingMs: 40_000 } });

describe('ReportJob lifecycle: submit -> wait -> results', () => {
  it('goes QUEUED -> PENDING -> FULFILLED and streams exactly the job\'s conversations, typed', async () => {
    const clock = fakeTime();
    const client = simClient(sim, { clock });
    const reports = new ReportQueries(client);
    const interval = dayInterval(sim, 1);
    const job = await reports.submit({ interval });
    expect(job.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(job.interval).toBe(interval);

    const seen: JobProgress[] = [];
    const status = await job.wait({ onProgress: (p) => seen.push(p) });
    expect(status.state).toBe('FULFILLED');
    expect(job.state).toBe('FULFILLED');
    // 10 s: QUEUED (15 s), 30 s: PENDING (until 55 s), 70 s: FULFILLED.
    expect(clock.sleeps).toEqual([10_000, 20_000, 40_000]);
    expect(seen.map((p) => p.state)).toEqual(['QUEUED', 'PENDING', 'FULFILLED']);
    expect(seen.map((p) => p.elapsedMs)).toEqual([10_000, 30_000, 70_000]);
    expect(seen[0]).toMatchObject({ operation: 'analytics.job', jobId: job.id, interval, polls: 1, nextPollMs: 20_000 });

    const conversations = await collect(job.results({ pageSize: 50 }));
    expect(conversations.map((c) => c.conversationId)).toEqual(sim.truth.jobConversations(job.id));
    expect(conversations.length).toBeGreaterThan(100);
    const first = conversations[0]!;
    expect(typeof first.conversationStart).toBe('string');
    expect(first.participants?.[0]?.sessions?.[0]?.mediaType).toBeTypeOf('string');
    expect(job.resumeCursor).toBeNull();

    expect(sim.stats.count(`POST ${JOBS}`)).toBe(1);
    expect(sim.stats.count(`GET ${JOBS}/{jobId}`)).toBe(3);
    expect(sim.stats.count(`GET ${JOBS}/{jobId}/results`)).toBe(Math.ceil(conversations.length / 50));
    await client.close();
  });

  it('exposes the platform states as a typed union, spelled as the platform spells them', () => {
    const states: readonly ReportJobState[] = REPORT_JOB_STATES;
    expect(states).toEqual(['QUEUED', 'PENDING', 'FULFILLED', 'FAILED', 'CANCELLED', 'EXPIRED']);
  });

  it('pages() gives each page with the cursor that fetched it and the next one', async () => {
    const clock = fakeTime();
    const client = simClient(sim, { clock });
    const reports = new ReportQueries(client);
    const job = await reports.submit({ interval: dayInterval(sim, 2) });
    await job.wait();
    const pages = await collect(job.pages({ pageSize: 100 }));
    expect(pages[0]!.cursor).toBeUndefined();
    for (let i = 1; i < pages.length; i++) expect(pages[i]!.cursor).toBe(pages[i - 1]!.nextCursor);
    expect(pages.at(-1)!.nextCursor).toBeUndefined();
    expect(pages[0]!.dataAvailabilityDate).toMatch(/Z$/);
    expect(pages.flatMap((p) => p.items.map((c) => c.conversationId))).toEqual(sim.truth.jobConversations(job.id));
    await client.close();
  });

  it('rejects with JobFailedError when the job ends EXPIRED or FAILED', async () => {
    const clock = fakeTime();
    sim.setFaults({ jobFailureRate: 1 });
    const client = simClient(sim, { clock });
    const reports = new ReportQueries(client);
    const job = await reports.submit({ interval: dayInterval(sim, 1) });
    const err = await job.wait().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobFailedError);
    expect(err).toMatchObject({ jobId: job.id, state: 'FAILED', errorMessage: expect.stringContaining('split') });
    await client.close();
  });
});
