import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { IncompleteDataError } from '@org/gc-data';
import type { ProgressEvent, WarningEvent } from '../../src/events';
import { InteractionSearch } from '../../src/search/interaction-search';
import { DETAILS_ROUTE, useSimulatedOrg } from '../support/sim';

const { org: sim, server, client } = useSimulatedOrg({ seed: 404, anchor: 'now', rateLimit: false }, { client: { retry: { maxDelayMs: 10 } } });

const DAY = 86_400_000;
function days(back: number, length = 1): string {
  const end = Math.floor(sim.data.end / DAY) * DAY - (back - 1) * DAY;
  return `${new Date(end - length * DAY).toISOString()}/${new Date(end).toISOString()}`;
}
async function ids(it: AsyncIterable<{ conversationId: string }>): Promise<string[]> {
  const out: string[] = [];
  for await (const c of it) out.push(c.conversationId);
  return out;
}

describe('InteractionSearch.query paging', () => {
  it('reads every conversation of the interval exactly once, in order, with pageSize 100 and one request per page', async () => {
    const interval = days(1);
    const truth = sim.truth.conversations({ interval });
    expect(truth.length).toBeGreaterThan(200);
    const got = await ids(new InteractionSearch(client()).query({ interval }));
    expect(got).toEqual(truth);
    // A short last page ends the loop; a full one costs one more (empty) page.
    const expected = Math.ceil(truth.length / 100) + (truth.length % 100 === 0 ? 1 : 0);
    expect(sim.stats.count(DETAILS_ROUTE)).toBe(expected);
  });

  it('pages small page sizes and descending order without gaps or repeats', async () => {
    const interval = days(2);
    const truth = sim.truth.conversations({ interval });
    const got = await ids(new InteractionSearch(client()).query({ interval, pageSize: 37, order: 'desc' }));
    expect(got).toEqual([...truth].reverse());
    expect(new Set(got).size).toBe(got.length);
  });

  it('emits one progress event per page with cumulative matched and scanned counts', async () => {
    const c = client();
    const progress: ProgressEvent[] = [];
    c.on('progress', (e) => progress.push(e));
    const interval = days(3);
    const total = sim.truth.conversations({ interval }).length;
    await ids(new InteractionSearch(c).query({ interval, pageSize: 50 }));
    const pages = progress.filter((e) => e.operation === 'search.query');
    expect(pages).toHaveLength(Math.ceil(total / 50));
    pages.forEach((e, i) => {
      expect(e.page).toBe(i + 1);
      expect(e.pageNumber).toBe(i + 1);
      expect(e.matched).toBe(Math.min(total, (i + 1) * 50));
      expect(e.scanned).toBe(e.matched);
      expect(e.totalHits).toBe(total);
    });
  });

  it('stops at limit without requesting another page', async () => {
    const interval = days(1);
    const truth = sim.truth.conversations({ interval });
    const got = await ids(new InteractionSearch(client()).query({ interval, pageSize: 20, limit: 45 }));
    expect(got).toEqual(truth.slice(0, 45));
    expect(sim.stats.count(DETAILS_ROUTE)).toBe(3);
  });

  it('stops at a limit that falls exactly on a page boundary', async () => {
    const interval = days(1);
    const got = await ids(new InteractionSearch(client()).query({ interval, pageSize: 25, limit: 50 }));
    expect(got).toHaveLength(50);
    expect(sim.stats.count(DETAILS_ROUTE)).toBe(2);
  });

  it('stops when a breaking consumer leaves the loop', async () => {
    const search = new InteractionSearch(client());
    let n = 0;
    for await (const _ of search.query({ interval: days(1), pageSize: 10 })) if (++n === 15) break;
    expect(sim.stats.count(DETAILS_ROUTE)).toBe(2);
  });

  it('guards: an empty page while totalHits says more is fetched again twice, then an IncompleteDataError (not 0 rows and success)', async () => {
    server.use(http.post(`${sim.apiBaseUrl}/api/v2/analytics/conversations/details/query`, () => HttpResponse.json({ conversations: [], totalHits: 500 })));
    let requests = 0;
    server.events.on('request:start', () => void requests++);
    const c = client();
    const warnings: WarningEvent[] = [];
    c.on('warning', (w) => warnings.push(w));
    const got: string[] = [];
    const error = await (async () => {
      for await (const conv of new InteractionSearch(c).query({ interval: days(1) })) got.push(conv.conversationId);
    })().catch((e: unknown) => e);
    server.events.removeAllListeners();
    expect(got).toEqual([]);
    expect(error).toBeInstanceOf(IncompleteDataError);
    expect(error).toMatchObject({ page: 1, declared: 500, received: 0 });
    expect(requests).toBe(4); // token + the page three times
    expect(warnings.map((w) => w.code)).toEqual(['short-page-retry', 'short-page-retry']);
  });

  it('guards: a platform that repeats a full page forever is read once, then an IncompleteDataError', async () => {
    const interval = days(1);
    const page = (await new InteractionSearch(client()).queryAll({ interval, limit: 10, pageSize: 10 })).map((c) => ({ ...c }));
    let calls = 0;
    server.use(
      http.post(`${sim.apiBaseUrl}/api/v2/analytics/conversations/details/query`, () => {
        calls++;
        return HttpResponse.json({ conversations: page, totalHits: 10_000 });
      }),
    );
    const got: string[] = [];
    const error = await (async () => {
      for await (const conv of new InteractionSearch(client()).query({ interval, pageSize: 10 })) got.push(conv.conversationId);
    })().catch((e: unknown) => e);
    expect(got).toEqual(page.map((p) => p.conversationId));
    expect(calls).toBe(4);
    expect(error).toBeInstanceOf(IncompleteDataError);
    expect(error).toMatchObject({ page: 2, declared: 10_000, received: 10 });
  });

  it('treats a page without a conversations key (the simulator past the end) as the end', async () => {
    const interval = days(4);
    const truth = sim.truth.conversations({ interval });
    // 300-ish per day; choose a page size that divides the total so the last request is past the end
    const size = [100, 50, 25, 20, 10, 5, 4, 3, 2, 1].find((s) => truth.length % s === 0 && truth.length / s < 200) ?? 1;
    const got = await ids(new InteractionSearch(client()).query({ interval, pageSize: size }));
    expect(got).toEqual(truth);
    expect(sim.stats.count(DETAILS_ROUTE)).toBe(truth.length / size + 1);
  });

  it("largeRange 'split' reads a long interval as synchronous windows no longer than maxSyncRangeDays, in either order", async () => {
    const interval = days(1, 10);
    const truth = sim.truth.conversations({ interval });
    const bodies: Array<{ interval: string }> = [];
    server.events.on('request:start', async ({ request }) => {
      if (request.url.endsWith('/details/query')) bodies.push((await request.clone().json()) as { interval: string });
    });
    const search = new InteractionSearch(client());
    const asc = await ids(search.query({ interval, maxSyncRangeDays: 3, largeRange: 'split' }));
    expect(asc).toEqual(truth);
    const windows = [...new Set(bodies.map((b) => b.interval))];
    expect(windows).toHaveLength(4);
    for (const w of windows) {
      const [s, e] = w.split('/').map((x) => Date.parse(x)) as [number, number];
      expect(e - s).toBeLessThanOrEqual(3 * DAY);
    }
    const desc = await ids(search.query({ interval, maxSyncRangeDays: 3, largeRange: 'split', order: 'desc' }));
    server.events.removeAllListeners();
    expect(desc).toEqual([...truth].reverse());
    expect(search.explain({ interval, maxSyncRangeDays: 3, largeRange: 'split' }).windows).toEqual(windows);
  });
});
