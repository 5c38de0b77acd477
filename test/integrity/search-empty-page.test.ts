/**
 * Issue 16, silent wrong data, interaction search: a details-query page that comes back `{}` or short while
 * `totalHits` says more ended the search with part of the conversations and a normal `complete` notification. Now
 * it is an IncompleteDataError naming the page, and no `complete` is announced.
 */
import { describe, expect, it } from 'vitest';
import { IncompleteDataError, InteractionSearch, type SearchNotification } from '@org/gc-data';
import { DETAILS_ROUTE, useSimulatedOrg } from '../support/sim';

const sim = useSimulatedOrg({ rateLimit: false, tokenRateLimit: false });
const interval = '2026-05-20T00:00:00Z/2026-05-21T00:00:00Z';

async function run(search: InteractionSearch, notes: SearchNotification[]) {
  const ids: string[] = [];
  try {
    for await (const c of search.query({ interval, pageSize: 50, notify: (n) => void notes.push(n) })) ids.push(c.conversationId);
    return { ids, error: undefined as unknown };
  } catch (error) {
    return { ids, error };
  }
}

describe('InteractionSearch against a details query that drops a page', () => {
  it('emptyPageAt: IncompleteDataError naming the page, its declared and received counts; no complete notification', async () => {
    const truth = sim.org.truth.conversations({ interval });
    expect(truth.length).toBeGreaterThan(150);
    sim.org.setFaults({ emptyPageAt: { page: 3 } });
    const notes: SearchNotification[] = [];
    const { ids, error } = await run(new InteractionSearch(sim.client()), notes);
    expect(error).toBeInstanceOf(IncompleteDataError);
    expect(error).toMatchObject({ page: 3, declared: truth.length, received: 100 });
    expect(ids).toEqual(truth.slice(0, 100));
    expect(notes.some((n) => n.type === 'complete')).toBe(false);
    expect(sim.org.stats.count(DETAILS_ROUTE)).toBe(5); // pages 1, 2 and page 3 three times
  });

  it('shortPageAt once: the page is fetched again and the search is complete', async () => {
    const truth = sim.org.truth.conversations({ interval });
    sim.org.setFaults({ shortPageAt: { page: 2, times: 1 } });
    const notes: SearchNotification[] = [];
    const { ids, error } = await run(new InteractionSearch(sim.client()), notes);
    expect(error).toBeUndefined();
    expect(ids).toEqual(truth);
    expect(notes.at(-1)).toMatchObject({ type: 'complete', reason: 'exhausted', scanned: truth.length });
  });
});
