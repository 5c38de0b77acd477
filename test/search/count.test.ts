import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import type { WarningEvent } from '../../src/events';
import { FilterBuilder, type FilterNode } from '@org/gc-data/filters';
import { InteractionSearch } from '../../src/search/interaction-search';
import { DETAILS_ROUTE, useSimulatedOrg } from '../support/sim';

const { org: sim, client } = useSimulatedOrg({ seed: 31, anchor: 'now', rateLimit: false }, { client: { retry: { maxDelayMs: 10 } } });

const DAY = 86_400_000;
function days(back: number, length = 1): string {
  const end = Math.floor(sim.data.end / DAY) * DAY - (back - 1) * DAY;
  return `${new Date(end - length * DAY).toISOString()}/${new Date(end).toISOString()}`;
}

describe('InteractionSearch.count', () => {
  it('returns totalHits of a server-expressible filter in one request', async () => {
    const interval = days(1);
    const filter = FilterBuilder.interaction('voice').where('originatingDirection', 'equals', 'inbound');
    const n = await new InteractionSearch(client()).count({ filter, interval });
    const want = sim.truth.conversations({
      interval,
      filters: {
        conversationFilters: [{ type: 'and', predicates: [{ dimension: 'originatingDirection', value: 'inbound' }] }],
        segmentFilters: [{ type: 'and', predicates: [{ dimension: 'mediaType', value: 'voice' }] }],
      },
    });
    expect(n).toBe(want.length);
    expect(n).toBeGreaterThan(0);
    expect(sim.stats.count(DETAILS_ROUTE)).toBe(1);
  });

  it('counts everything in the interval without a filter', async () => {
    const interval = days(2);
    expect(await new InteractionSearch(client()).count({ interval })).toBe(sim.truth.conversations({ interval }).length);
  });

  it('with a client-side residual, counts the server answer (an upper bound of query()) and warns', async () => {
    const c = client();
    const warnings: WarningEvent[] = [];
    c.on('warning', (w) => warnings.push(w));
    const interval = days(1);
    const wrap = sim.data.wrapUpCodes[0]!.id;
    const filter: FilterNode = { and: [{ field: 'mediaType', op: 'equals', value: 'voice' }, { field: 'wrapUpCode', op: 'notEquals', value: wrap }] };
    const search = new InteractionSearch(c);
    const counted = await search.count({ filter, interval });
    expect(sim.stats.count(DETAILS_ROUTE)).toBe(1);
    const yielded = (await search.queryAll({ filter, interval })).length;
    expect(counted).toBe(sim.truth.conversations({ interval, filters: { segmentFilters: [{ type: 'and', predicates: [{ dimension: 'mediaType', value: 'voice' }] }] } }).length);
    expect(yielded).toBeLessThan(counted);
    expect(warnings.map((w) => w.code)).toEqual(['search-count-upper-bound']);
    expect(warnings[0]?.details).toMatchObject({ residualPaths: ['and[1]'] });
  });

  it("sums one request per window with largeRange 'split'", async () => {
    const interval = days(1, 9);
    const n = await new InteractionSearch(client()).count({ interval, maxSyncRangeDays: 2, largeRange: 'split' });
    expect(n).toBe(sim.truth.conversations({ interval }).length);
    expect(sim.stats.count(DETAILS_ROUTE)).toBe(5);
  });

  it('refuses a range past maxSyncRangeDays by default, and an invalid filter, before any request', async () => {
    const search = new InteractionSearch(client());
    await expect(search.count({ interval: days(1, 40) })).rejects.toThrow(/maxSyncRangeDays/);
    await expect(search.count({ interval: days(1), filter: { field: 'queue', op: 'equals', value: 'x' } })).rejects.toBeInstanceOf(ValidationError);
    // 'job' is a query() option only: a job has no totalHits
    await expect(search.count({ interval: days(1, 40), largeRange: 'job' } as never)).rejects.toThrow(/largeRange/);
    expect(sim.stats.totalRequests).toBe(0);
  });
});
