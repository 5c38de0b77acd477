/**
 * Issue 16, silent wrong data: job results whose empty pages keep handing out a new cursor were followed forever
 * (393 requests in 20 s), and a repeated cursor ended the results quietly. Now at most three empty pages with a
 * cursor are followed in a row, a repeated cursor never, and the results fail with an IncompleteDataError; a resume
 * from `resumeCursor` once the platform behaves returns every conversation exactly once.
 */
import { describe, expect, it } from 'vitest';
import { IncompleteDataError, type AnalyticsConversation, type ReportJob } from '@org/gc-data';
import { dayInterval, fastReports, fastClient, useSimulatedOrg } from '../analytics/helpers';

const { sim } = useSimulatedOrg();
const RESULTS = 'GET /api/v2/analytics/conversations/details/jobs/{jobId}/results';

/** Reads `job.results()`, aborting after `cap` results requests so the old, endless behaviour fails instead of hanging. */
async function readCapped(job: ReportJob, signal: AbortController, cap: number, options: { pageSize: number; cursor?: string | undefined }) {
  const ids: string[] = [];
  const watch = setInterval(() => {
    if (sim.stats.count(RESULTS) > cap) signal.abort(new Error(`more than ${cap} results requests`));
  }, 5);
  try {
    for await (const c of job.results({ ...options, signal: signal.signal }) as AsyncIterable<AnalyticsConversation>) ids.push(c.conversationId);
    return { ids, error: undefined as unknown };
  } catch (error) {
    return { ids, error };
  } finally {
    clearInterval(watch);
  }
}

describe('job results against a platform whose cursor loops', () => {
  it("cursorLoop 'new': three empty pages with a new cursor are followed, the fourth is an IncompleteDataError", async () => {
    const client = fastClient(sim);
    const job = await fastReports(client).submit({ interval: dayInterval(sim, 1) });
    await job.wait();
    sim.setFaults({ cursorLoop: { fromPage: 2 } });
    const { ids, error } = await readCapped(job, new AbortController(), 50, { pageSize: 50 });
    expect(error).toBeInstanceOf(IncompleteDataError);
    expect(error).toMatchObject({ page: 5, received: 50 });
    expect(ids).toEqual(sim.truth.jobConversations(job.id).slice(0, 50));
    expect(sim.stats.count(RESULTS)).toBe(5); // page 1, three empty pages allowed, the fourth refused
  });

  it("cursorLoop 'same': the first repeated cursor is an IncompleteDataError", async () => {
    const client = fastClient(sim);
    const job = await fastReports(client).submit({ interval: dayInterval(sim, 1) });
    await job.wait();
    sim.setFaults({ cursorLoop: { fromPage: 3, cursor: 'same' } });
    const { ids, error } = await readCapped(job, new AbortController(), 50, { pageSize: 50 });
    expect(error).toBeInstanceOf(IncompleteDataError);
    expect(ids).toEqual(sim.truth.jobConversations(job.id).slice(0, 100));
    expect(sim.stats.count(RESULTS)).toBe(3);
  });

  it('a resume from resumeCursor after the fault is cleared returns every conversation exactly once', async () => {
    const client = fastClient(sim);
    const job = await fastReports(client).submit({ interval: dayInterval(sim, 1) });
    await job.wait();
    const truth = sim.truth.jobConversations(job.id);
    expect(truth.length).toBeGreaterThan(150);
    sim.setFaults({ cursorLoop: { fromPage: 3 } });
    const first = await readCapped(job, new AbortController(), 50, { pageSize: 50 });
    expect(first.error).toBeInstanceOf(IncompleteDataError);
    sim.setFaults({ cursorLoop: null });
    const cursor = job.resumeCursor;
    expect(typeof cursor).toBe('string');
    const second = await readCapped(job, new AbortController(), 1000, { pageSize: 50, cursor: cursor as string });
    expect(second.error).toBeUndefined();
    expect([...first.ids, ...second.ids]).toEqual(truth);
  });
});
