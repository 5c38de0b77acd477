import { describe, expect, it } from 'vitest';
import { InteractionSearch, ValidationError } from '@org/gc-data';
import { FilterBuilder } from '@org/gc-data/filters';
import { useSimulatedOrg } from '../support/sim';

const { org: sim, client } = useSimulatedOrg({ seed: 404, anchor: 'now', rateLimit: false });
const DAY = 86_400_000;
const end = Math.floor(sim.data.end / DAY) * DAY;
const interval = `${new Date(end - DAY).toISOString()}/${new Date(end).toISOString()}`;
const AGG = `POST /api/v2/analytics/conversations/aggregates/query`;

describe('InteractionSearch.aggregate (seed 004 group_by)', () => {
  it('groups by a dimension with platform-computed metrics: the counts add up to the details query, in one request', async () => {
    const c = client();
    const search = new InteractionSearch(c);
    const before = sim.stats.count(AGG);
    const groups = await search.aggregate({ interval, groupBy: ['mediaType'], metrics: ['nConversations', 'tHandle'] });
    expect(sim.stats.count(AGG) - before).toBe(1);
    expect(groups.length).toBeGreaterThan(1);
    const total = groups.reduce((n, g) => n + (g.data[0]!.metrics.find((m) => m.metric === 'nConversations')!.stats.count ?? 0), 0);
    expect(total).toBe(sim.truth.conversations({ interval }).length);
    // Each group agrees with the same filter through query().
    const voice = groups.find((g) => g.group.mediaType === 'voice')!;
    let voiceCount = 0;
    for await (const _ of search.query({ interval, filter: FilterBuilder.interaction().where('mediaType', 'equals', 'voice').build() })) voiceCount++;
    expect(voice.data[0]!.metrics.find((m) => m.metric === 'nConversations')!.stats.count).toBe(voiceCount);
    const handle = voice.data[0]!.metrics.find((m) => m.metric === 'tHandle')!.stats;
    expect(handle.sum).toBeGreaterThan(0);
    expect(handle.max!).toBeGreaterThanOrEqual(handle.min!);
  });

  it('takes the same filter trees as query() and sends them as the aggregates filter', async () => {
    const search = new InteractionSearch(client());
    const groups = await search.aggregate({ interval, filter: FilterBuilder.interaction().where('mediaType', 'equals', 'chat').build(), metrics: ['nConversations'] });
    expect(groups).toHaveLength(1);
    expect(groups[0]!.group).toEqual({});
  });

  it('refuses what an aggregate cannot apply, and bad metric or dimension names, before any request', async () => {
    const c = client();
    const search = new InteractionSearch(c);
    const before = c.stats().requests;
    const client_side = (await search
      .aggregate({ interval, filter: { field: 'wrapUpCode', op: 'notEquals', value: 'x' }, metrics: ['nConversations'] })
      .catch((e: unknown) => e)) as ValidationError;
    expect(client_side).toBeInstanceOf(ValidationError);
    expect(client_side.issues[0]?.path).toMatch(/^filter/);
    const bad = (await search.aggregate({ interval, groupBy: ['queue id'], metrics: [] }).catch((e: unknown) => e)) as ValidationError;
    expect(bad).toBeInstanceOf(ValidationError);
    expect(bad.issues.map((i) => i.path).sort()).toEqual(['groupBy[0]', 'metrics']);
    expect(c.stats().requests).toBe(before);
  });
});
