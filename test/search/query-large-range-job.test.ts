import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import type { FilterNode } from '@org/gc-data/filters';
import { InteractionSearch } from '../../src/search/interaction-search';
import type { SearchNotification, SearchQueryOptions } from '../../src/search/schemas';
import { useSimulatedOrg } from '../support/sim';
import { createFakeClock } from '../../src/testing/index';

const { org: sim, client } = useSimulatedOrg(
  { seed: 35, anchor: 'now', rateLimit: false, conversationsPerDay: 40, jobs: { queuedMs: 0, pendingMs: 0 } },
  { client: { retry: { maxDelayMs: 10 } } },
);

const DAY = 86_400_000;
const end = Math.floor(sim.data.end / DAY) * DAY;
// 35 days: past the 31-day synchronous limit
const interval = `${new Date(end - 35 * DAY).toISOString()}/${new Date(end).toISOString()}`;
// The fastest allowed polling (1 s, MIN_POLL_DELAY_MS), on a fake clock that ends each wait at once.
const fastJobs = { chunk: 'P7D', poll: { initialDelayMs: 1000, jitterMs: 0, maxDelayMs: 1000 } } as const;
const fakeTimeClient = () => client({ clock: createFakeClock({ autoAdvance: true }) });

describe("query() with largeRange 'job': analytics jobs through ReportQueries", () => {
  it('returns exactly the conversations that started in the interval and match, once each, with the residual applied', async () => {
    const w0 = sim.data.wrapUpCodes[0]!.id;
    const filter: FilterNode = { and: [{ field: 'mediaType', op: 'equals', value: 'voice' }, { field: 'wrapUpCode', op: 'notEquals', value: w0 }] };
    const want = sim.truth.conversations({
      interval,
      filters: {
        segmentFilters: [
          { type: 'and', predicates: [{ dimension: 'mediaType', value: 'voice' }] },
          { type: 'or', predicates: sim.data.wrapUpCodes.slice(1).map((w) => ({ dimension: 'wrapUpCode', value: w.id })) },
        ],
      },
    });
    expect(want.length).toBeGreaterThan(100);
    const search = new InteractionSearch(fakeTimeClient());
    const options: SearchQueryOptions = { filter, interval, largeRange: 'job', job: fastJobs, pageSize: 100 };
    expect(search.explain(options)).toMatchObject({ source: 'job', windows: [interval.replace(/\.000Z/g, 'Z')] });
    const notes: SearchNotification[] = [];
    const got: string[] = [];
    for await (const c of search.query({ ...options, notify: (n) => void notes.push(n) })) got.push(c.conversationId);
    expect(new Set(got).size).toBe(got.length);
    expect(new Set(got)).toEqual(new Set(want));
    expect(sim.stats.count('POST /api/v2/analytics/conversations/details/jobs')).toBeGreaterThanOrEqual(5);
    const batches = notes.filter((n) => n.type === 'batch');
    expect(batches.flatMap((b) => b.conversations)).toEqual(got);
    expect(batches.every((b) => b.pageScanned <= 100 && b.totalHits === undefined)).toBe(true);
    expect(notes.at(-1)).toMatchObject({ type: 'complete', reason: 'exhausted', matched: got.length });
  });

  it('stops at limit', async () => {
    const got = await new InteractionSearch(fakeTimeClient()).queryAll({ interval, largeRange: 'job', job: fastJobs, limit: 25 });
    expect(got).toHaveLength(25);
  });

  it('refuses descending order and bad job options before any request', () => {
    const search = new InteractionSearch(client());
    const issues = (o: SearchQueryOptions) => {
      try {
        search.query(o);
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        return (e as ValidationError).issues.map((i) => i.path);
      }
      return [];
    };
    expect(issues({ interval, largeRange: 'job', order: 'desc' })).toEqual(['order']);
    expect(issues({ interval, largeRange: 'job', job: { chunk: 'PT0S' } })).toContain('job.chunk');
    expect(issues({ interval, largeRange: 'job', job: { concurrency: 0 } })).toContain('job.concurrency');
    expect(issues({ interval, largeRange: 'job', job: { availability: 'sometimes' as never } })).toContain('job.availability');
    expect(sim.stats.totalRequests).toBe(0);
  });
});
