import { describe, expect, it } from 'vitest';
import { AbortError } from '../../src/errors';
import { InteractionSearch } from '../../src/search/interaction-search';
import type { SearchNotification } from '../../src/search/schemas';
import { DETAILS_ROUTE, useSimulatedOrg } from '../support/sim';

const { org: sim, client } = useSimulatedOrg({ seed: 12, anchor: 'now', rateLimit: false }, { client: { retry: { maxDelayMs: 10 } } });

const DAY = 86_400_000;
const end = Math.floor(sim.data.end / DAY) * DAY;
const interval = `${new Date(end - DAY).toISOString()}/${new Date(end).toISOString()}`;

describe('query(): notify timing, limit completion, abort', () => {
  it('announces a batch only after the consumer has taken all of its conversations, and awaits notify', async () => {
    const log: string[] = [];
    const search = new InteractionSearch(client());
    for await (const c of search.query({
      interval,
      pageSize: 3,
      limit: 7,
      notify: async (n) => {
        await new Promise((r) => setTimeout(r, 5));
        log.push(n.type === 'batch' ? `batch ${n.page}: ${n.conversations.length}` : `complete ${n.reason} ${n.matched}`);
      },
    })) {
      log.push(`item ${c.conversationId.slice(0, 4)}`);
    }
    expect(log.map((l) => l.replace(/item \w+/, 'item'))).toEqual([
      'item', 'item', 'item', 'batch 1: 3',
      'item', 'item', 'item', 'batch 2: 3',
      'item', 'batch 3: 1',
      'complete limit 7',
    ]);
  });

  it('a consumer that breaks mid-batch gets no announcement for that batch', async () => {
    const seen: SearchNotification[] = [];
    let n = 0;
    for await (const _ of new InteractionSearch(client()).query({ interval, pageSize: 5, notify: (x) => void seen.push(x) })) if (++n === 7) break;
    expect(seen.map((s) => s.type)).toEqual(['batch']);
  });

  it('an error thrown by notify stops the search with that error', async () => {
    const boom = new Error('downstream refused');
    const run = async () => {
      for await (const _ of new InteractionSearch(client()).query({ interval, pageSize: 10, notify: () => Promise.reject(boom) })) void _;
    };
    await expect(run()).rejects.toBe(boom);
    expect(sim.stats.count(DETAILS_ROUTE)).toBe(1);
  });

  it("stops with an AbortError when the caller's signal fires mid-search", async () => {
    const ac = new AbortController();
    let n = 0;
    const run = async () => {
      for await (const _ of new InteractionSearch(client()).query({ interval, pageSize: 10, signal: ac.signal })) if (++n === 15) ac.abort();
    };
    await expect(run()).rejects.toBeInstanceOf(AbortError);
    expect(n).toBe(15);
    expect(sim.stats.count(DETAILS_ROUTE)).toBe(2);
  });
});
