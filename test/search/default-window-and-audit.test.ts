import { describe, expect, it } from 'vitest';
import { InteractionSearch, type ProgressEvent, type SearchNotification } from '@org/gc-data';
import { FilterBuilder } from '@org/gc-data/filters';
import { useSimulatedOrg } from '../support/sim';

const { org: sim, client } = useSimulatedOrg({ seed: 404, anchor: 'now', rateLimit: false });

describe('InteractionSearch (seed 004)', () => {
  it('with no interval searches the 24 hours before now, and explain() says so', async () => {
    const search = new InteractionSearch(client());
    const before = Date.now();
    const plan = search.explain({});
    const [start, end] = plan.interval.split('/').map((t) => Date.parse(t)) as [number, number];
    expect(end - start).toBe(24 * 3_600_000);
    expect(Math.abs(end - before)).toBeLessThan(60_000);
    expect(plan.notes[0]).toMatch(/no interval given: the 24 hours before now/);
    const got: string[] = [];
    for await (const c of search.query({})) got.push(c.conversationId);
    expect(got).toEqual(sim.truth.conversations({ interval: plan.interval }));
  });

  it('every search ends with an audit record: filter hash, pages, latency, result count (complete notification and search.audit event)', async () => {
    const c = client();
    const audits: ProgressEvent[] = [];
    c.on('progress', (p) => p.operation === 'search.audit' && audits.push(p));
    const notes: SearchNotification[] = [];
    const day = sim.data.end - 2 * 86_400_000;
    const interval = `${new Date(day).toISOString()}/${new Date(day + 86_400_000).toISOString()}`;
    const filter = FilterBuilder.interaction().where('mediaType', 'equals', 'voice').build();
    const search = new InteractionSearch(c);
    let count = 0;
    for await (const _ of search.query({ interval, filter, notify: (n) => void notes.push(n) })) count++;
    const complete = notes.at(-1) as Extract<SearchNotification, { type: 'complete' }>;
    expect(complete).toMatchObject({ type: 'complete', matched: count, reason: 'exhausted' });
    expect(complete.filterHash).toMatch(/^[0-9a-f]{64}$/);
    expect(complete.latencyMs).toBeGreaterThanOrEqual(0);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ results: count, pages: complete.pages, filterHash: complete.filterHash });
    // The same filter over another interval hashes the same; another filter does not.
    const other: SearchNotification[] = [];
    for await (const _ of search.query({ interval: `${new Date(day - 86_400_000).toISOString()}/${new Date(day).toISOString()}`, filter, notify: (n) => void other.push(n) })) void _;
    expect((other.at(-1) as { filterHash: string }).filterHash).toBe(complete.filterHash);
    const none: SearchNotification[] = [];
    for await (const _ of search.query({ interval, notify: (n) => void none.push(n) })) void _;
    expect((none.at(-1) as { filterHash: string }).filterHash).not.toBe(complete.filterHash);
  });
});
