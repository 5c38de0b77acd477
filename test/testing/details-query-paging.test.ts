import { describe, expect, it } from 'vitest';
import { createSimulatedOrg, type SimDetailsQueryResponse } from '../../src/testing/index';
import { DETAILS, dayInterval, directApi } from './helpers';

const sim = createSimulatedOrg({ seed: 11, rateLimit: false });
const a = directApi(sim);

async function page(body: Record<string, unknown>): Promise<{ status: number; body: SimDetailsQueryResponse }> {
  const r = await a.post(DETAILS, body);
  return { status: r.status, body: (await r.json()) as SimDetailsQueryResponse };
}

describe('details query: interval, paging, order', () => {
  it('finds a few hundred conversations yesterday and data in each of the last 7 days', async () => {
    const yesterday = await page({ interval: dayInterval(sim, 1) });
    expect(yesterday.body.totalHits).toBeGreaterThan(200);
    expect(yesterday.body.totalHits).toBeLessThan(400);
    for (let d = 1; d <= 7; d++) expect((await page({ interval: dayInterval(sim, d) })).body.totalHits).toBeGreaterThan(0);
  });

  it('defaults to 25 per page, pages by pageNumber, and every conversation appears exactly once', async () => {
    const interval = dayInterval(sim, 2);
    const first = await page({ interval });
    expect(first.body.conversations).toHaveLength(25);
    const seen: string[] = [];
    let last = '';
    for (let n = 1; ; n++) {
      const p = await page({ interval, paging: { pageSize: 100, pageNumber: n } });
      expect(p.status).toBe(200);
      expect(p.body.totalHits).toBe(first.body.totalHits);
      if (!p.body.conversations) break;
      for (const c of p.body.conversations) {
        expect(c.conversationStart >= last).toBe(true);
        last = c.conversationStart;
        seen.push(c.conversationId);
      }
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(sim.truth.conversations({ interval }));
    expect(seen).toHaveLength(first.body.totalHits);
  });

  it('answers a page past the end with totalHits and no conversations key', async () => {
    const interval = dayInterval(sim, 3);
    const p = await page({ interval, paging: { pageSize: 100, pageNumber: 50 } });
    expect(p.status).toBe(200);
    expect(p.body).toEqual({ totalHits: expect.any(Number) });
    expect('conversations' in p.body).toBe(false);
  });

  it('orders descending on request, and by conversationEnd', async () => {
    const interval = dayInterval(sim, 4);
    const asc = await page({ interval, paging: { pageSize: 100, pageNumber: 1 } });
    const desc = await page({ interval, order: 'desc', paging: { pageSize: 100, pageNumber: 1 } });
    const total = asc.body.totalHits;
    const all = sim.truth.conversations({ interval });
    expect(desc.body.conversations?.map((c) => c.conversationId)).toEqual(all.slice().reverse().slice(0, Math.min(100, total)));
    const byEnd = await page({ interval, orderBy: 'conversationEnd', paging: { pageSize: 100, pageNumber: 1 } });
    const ends = byEnd.body.conversations?.map((c) => c.conversationEnd) ?? [];
    expect(ends).toEqual([...ends].sort());
  });

  it('uses the half-open rule: a conversation starting exactly at the end is left out', async () => {
    const { lo } = sim.data.indexRange(sim.data.end - 3 * 86_400_000, sim.data.end);
    const c0 = sim.data.conversation(lo);
    const c5 = sim.data.conversation(lo + 5);
    const p = await page({ interval: `${c0.conversationStart}/${c5.conversationStart}` });
    const ids = p.body.conversations?.map((c) => c.conversationId) ?? [];
    expect(ids[0]).toBe(c0.conversationId);
    expect(ids).not.toContain(c5.conversationId);
  });

  it.each([
    [{ interval: dayInterval(sim, 1), paging: { pageSize: 101, pageNumber: 1 } }, 'paging.pageSize'],
    [{ interval: dayInterval(sim, 1), paging: { pageSize: 0, pageNumber: 1 } }, 'paging.pageSize'],
    [{ interval: dayInterval(sim, 1), paging: { pageSize: 10, pageNumber: 0 } }, 'paging.pageNumber'],
    [{ interval: dayInterval(sim, 1), paging: { pageSize: 10 } }, 'paging.pageNumber'],
    [{}, 'interval'],
    [{ interval: 'yesterday' }, 'interval'],
    [{ interval: '2026-11-02T00:00:00Z/2026-11-01T00:00:00Z' }, 'interval'],
    [{ interval: '2026-11-01T25:00:00Z/2026-11-02T00:00:00Z' }, 'interval'],
    [{ interval: dayInterval(sim, 1), order: 'sideways' }, 'order'],
  ])('rejects %j with a 400 ErrorBody naming %s', async (body, field) => {
    const r = await a.post(DETAILS, body);
    expect(r.status).toBe(400);
    const err = (await r.json()) as { code: string; details: { fieldName?: string }[]; contextId: string };
    expect(err.code).toBe('bad.request');
    expect(err.details[0]?.fieldName).toBe(field);
    expect(err.contextId).toBe(r.headers.get('inin-correlation-id'));
  });

  it('rejects a body that is not JSON', async () => {
    const r = await sim.handle(
      new Request(`${sim.apiBaseUrl}${DETAILS}`, { method: 'POST', headers: { authorization: `Bearer ${sim.issueToken()}` }, body: '{nope' }),
    );
    expect(r).toBeInstanceOf(Response);
    expect((r as Response).status).toBe(400);
  });
});
