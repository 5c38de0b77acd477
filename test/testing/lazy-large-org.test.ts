import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createSimulatedOrg, type SimDetailsQueryResponse, type SimEvaluationResponse, type SimJobResultsPage } from '../../src/testing/index';
import { DETAILS, JOBS, directApi, manualClock } from './helpers';

// A real gc() makes the heap numbers mean "retained", not "not yet collected".
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

describe('a 1,000,000-conversation org is lazy', () => {
  it('creates instantly and costs no memory until read', () => {
    const before = heap();
    const t0 = performance.now();
    const sim = createSimulatedOrg({ conversations: 1_000_000, seed: 1 });
    const ms = performance.now() - t0;
    expect(sim.data.size).toBe(1_000_000);
    expect(ms).toBeLessThan(250);
    expect(heap() - before).toBeLessThan(2 * 2 ** 20);
  });

  it('reads any conversation by index or id in O(1), and pages the details query by arithmetic', async () => {
    const sim = createSimulatedOrg({ conversations: 1_000_000, seed: 2, rateLimit: false });
    const last = sim.data.conversation(999_999);
    expect(sim.data.indexOf(last.conversationId)).toBe(999_999);
    const a = directApi(sim);
    const day = `${new Date(sim.data.end - 86_400_000).toISOString()}/${new Date(sim.data.end).toISOString()}`;
    const t0 = performance.now();
    const r = (await (await a.post(DETAILS, { interval: day, paging: { pageSize: 100, pageNumber: 300 } })).json()) as SimDetailsQueryResponse;
    expect(performance.now() - t0).toBeLessThan(500);
    expect(r.totalHits).toBeGreaterThan(33_000);
    expect(r.conversations).toHaveLength(100);
    const c = r.conversations?.find((x) => x.evaluations?.length);
    const e = c?.evaluations?.[0];
    if (!c || !e) throw new Error('expected an evaluation');
    const got = (await (await a.get(`/api/v2/quality/conversations/${c.conversationId}/evaluations/${e.evaluationId}`)).json()) as SimEvaluationResponse;
    expect(got.id).toBe(e.evaluationId);
  });

  it('streams job results page by page from indices without holding them', async () => {
    const clock = manualClock();
    const sim = createSimulatedOrg({ conversations: 1_000_000, seed: 3, now: clock.now, anchor: clock.now(), rateLimit: false });
    const a = directApi(sim);
    const interval = `${new Date(sim.data.start).toISOString()}/${new Date(sim.data.end).toISOString()}`;
    const { jobId } = (await (await a.post(JOBS, { interval })).json()) as { jobId: string };
    clock.advance(60_000);
    let cursor: string | undefined;
    let seen = 0;
    let afterWarmUp = 0;
    for (let p = 0; p < 25; p++) {
      if (p === 5) afterWarmUp = heap();
      const page = (await (await a.get(`${JOBS}/${jobId}/results?pageSize=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json()) as SimJobResultsPage;
      seen += page.conversations.length;
      cursor = page.cursor;
    }
    expect(seen).toBe(25_000);
    expect(cursor).toBeDefined();
    // 20,000 more conversations (~60 MB of JSON) went through after the warm-up; the heap does not grow with them.
    expect(heap() - afterWarmUp).toBeLessThan(2 * 2 ** 20);
  });
});
