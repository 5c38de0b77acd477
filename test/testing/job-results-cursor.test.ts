import { describe, expect, it } from 'vitest';
import { createSimulatedOrg, type SimJobResultsPage } from '../../src/testing/index';
import { JOBS, directApi, manualClock } from './helpers';

const clock = manualClock();
const sim = createSimulatedOrg({ seed: 17, now: clock.now, anchor: clock.now(), rateLimit: false });
const a = directApi(sim);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const dayStart = Math.floor(sim.data.end / DAY) * DAY;
const window = (from: number, to: number) => `${new Date(from).toISOString()}/${new Date(to).toISOString()}`;

async function runJob(body: Record<string, unknown>): Promise<string> {
  const r = await a.post(JOBS, body);
  expect(r.status).toBe(202);
  const { jobId } = (await r.json()) as { jobId: string };
  clock.advance(sim.options.jobs.queuedMs + sim.options.jobs.pendingMs);
  return jobId;
}

async function allPages(jobId: string, pageSize?: number): Promise<SimJobResultsPage[]> {
  const pages: SimJobResultsPage[] = [];
  let cursor: string | undefined;
  do {
    const q = new URLSearchParams();
    if (cursor) q.set('cursor', cursor);
    if (pageSize) q.set('pageSize', String(pageSize));
    const r = await a.get(`${JOBS}/${jobId}/results?${q}`);
    expect(r.status).toBe(200);
    const page = (await r.json()) as SimJobResultsPage;
    pages.push(page);
    cursor = page.cursor;
  } while (cursor);
  return pages;
}

const ids = (pages: SimJobResultsPage[]) => pages.flatMap((p) => p.conversations.map((c) => c.conversationId));

describe('job results: cursor paging and activity windows', () => {
  it('streams every conversation with activity in the interval exactly once; no cursor on the last page', async () => {
    const interval = window(dayStart - 3 * DAY, dayStart - 2 * DAY);
    const id = await runJob({ interval });
    const pages = await allPages(id, 100);
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.slice(0, -1).every((p) => p.conversations.length === 100 && typeof p.cursor === 'string')).toBe(true);
    const last = pages[pages.length - 1];
    expect(last?.cursor).toBeUndefined();
    expect(last?.conversations.length).toBeGreaterThan(0);
    const got = ids(pages);
    expect(new Set(got).size).toBe(got.length);
    expect(got).toEqual(sim.truth.jobConversations(id));
    expect(got).toEqual(sim.truth.conversations({ interval, activity: true }));
    for (const p of pages) expect(p.dataAvailabilityDate).toBe(new Date(clock.now() - sim.options.jobs.queuedMs - sim.options.jobs.pendingMs - HOUR).toISOString());
    expect(pages[0]?.conversations[0]?.participants.some((p) => p.attributes)).toBe(true);
  });

  it('returns a conversation that spans a window boundary in both adjacent windows', async () => {
    const boundary = dayStart - 5 * DAY;
    const left = ids(await allPages(await runJob({ interval: window(boundary - 6 * HOUR, boundary) }), 1000));
    const right = ids(await allPages(await runJob({ interval: window(boundary, boundary + 6 * HOUR) }), 1000));
    const both = left.filter((x) => right.includes(x));
    expect(both.length).toBeGreaterThan(0);
    for (const id of both) {
      const c = sim.truth.conversation(id);
      expect(Date.parse(c?.conversationStart ?? '')).toBeLessThan(boundary);
      expect(Date.parse(c?.conversationEnd ?? '')).toBeGreaterThan(boundary);
    }
    const union = new Set([...left, ...right]);
    expect([...union].sort()).toEqual([...sim.truth.conversations({ interval: window(boundary - 6 * HOUR, boundary + 6 * HOUR), activity: true })].sort());
  });

  it('leaves out conversations that ended after the data availability date', async () => {
    sim.setDataAvailabilityDate(dayStart - 2 * HOUR);
    const interval = window(dayStart - 6 * HOUR, dayStart);
    const got = ids(await allPages(await runJob({ interval }), 1000));
    sim.setDataAvailabilityDate(undefined);
    expect(got.length).toBeGreaterThan(0);
    for (const id of got) expect(Date.parse(sim.truth.conversation(id)?.conversationEnd ?? '')).toBeLessThanOrEqual(dayStart - 2 * HOUR);
    expect(got).toEqual(sim.truth.conversations({ interval, activity: true, endedBefore: dayStart - 2 * HOUR }));
  });

  it('applies filters and limit, and defaults the page size to 100', async () => {
    const interval = window(dayStart - 4 * DAY, dayStart - 3 * DAY);
    const filters = { evaluationFilters: [{ type: 'and', predicates: [{ dimension: 'evaluationStatus', value: 'Finished' }] }] };
    const id = await runJob({ interval, ...filters });
    const got = ids(await allPages(id));
    expect(got).toEqual(sim.truth.conversations({ interval, activity: true, filters }));
    const firstPage = (await (await a.get(`${JOBS}/${await runJob({ interval })}/results`)).json()) as SimJobResultsPage;
    expect(firstPage.conversations).toHaveLength(100);
    const limited = ids(await allPages(await runJob({ interval, limit: 150 }), 100));
    expect(limited).toEqual(sim.truth.conversations({ interval, activity: true }).slice(0, 150));
  });

  it('rejects a page size over 1000, a tampered cursor and another job’s cursor with 400', async () => {
    const interval = window(dayStart - 2 * DAY, dayStart - DAY);
    const id = await runJob({ interval });
    const other = await runJob({ interval });
    expect((await a.get(`${JOBS}/${id}/results?pageSize=1001`)).status).toBe(400);
    expect((await a.get(`${JOBS}/${id}/results?pageSize=0`)).status).toBe(400);
    const first = (await (await a.get(`${JOBS}/${id}/results?pageSize=10`)).json()) as SimJobResultsPage;
    const cursor = first.cursor ?? '';
    const [payload = '', sum = ''] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify([id, 0, 0])).toString('base64url');
    for (const bad of [`${payload}x.${sum}`, `${forged}.${sum}`, 'garbage', `${payload}`]) {
      const r = await a.get(`${JOBS}/${id}/results?cursor=${encodeURIComponent(bad)}`);
      expect(r.status, bad).toBe(400);
    }
    expect((await a.get(`${JOBS}/${other}/results?cursor=${encodeURIComponent(cursor)}`)).status).toBe(400);
    expect((await a.get(`${JOBS}/${id}/results?cursor=${encodeURIComponent(cursor)}&pageSize=10`)).status).toBe(200);
  });
});
