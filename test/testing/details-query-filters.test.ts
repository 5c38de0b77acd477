import { describe, expect, it } from 'vitest';
import { createSimulatedOrg, type SimAnalyticsConversation, type SimDetailsQueryResponse } from '../../src/testing/index';
import { DETAILS, dayInterval, directApi } from './helpers';

const sim = createSimulatedOrg({ seed: 5, rateLimit: false, evaluatedShare: 0.6, evaluationsPerConversation: 3, calibrationShare: 0.3 });
const a = directApi(sim);
const interval = dayInterval(sim, 2);
const [from, to] = interval.split('/').map((s) => Date.parse(s)) as [number, number];

/** Every conversation of the interval, straight from the dataset (no query code involved). */
function everything(): SimAnalyticsConversation[] {
  const { lo, hi } = sim.data.indexRange(from, to);
  return Array.from({ length: hi - lo }, (_, k) => sim.data.conversation(lo + k));
}

async function queryAll(filters: Record<string, unknown>): Promise<SimAnalyticsConversation[]> {
  const out: SimAnalyticsConversation[] = [];
  for (let n = 1; ; n++) {
    const r = await a.post(DETAILS, { interval, ...filters, paging: { pageSize: 100, pageNumber: n } });
    expect(r.status).toBe(200);
    const body = (await r.json()) as SimDetailsQueryResponse;
    if (!body.conversations) return out;
    out.push(...body.conversations);
  }
}

const ids = (cs: SimAnalyticsConversation[]) => cs.map((c) => c.conversationId);
const segs = (c: SimAnalyticsConversation) => c.participants.flatMap((p) => p.sessions.flatMap((s) => s.segments.map((seg) => ({ p, s, seg }))));

describe('details query: filters (the server-side ground truth)', () => {
  it('evaluation filter: a conversation matches when some evaluation matches, and keeps ALL its evaluations', async () => {
    const got = await queryAll({ evaluationFilters: [{ type: 'and', predicates: [{ type: 'dimension', dimension: 'evaluationStatus', operator: 'matches', value: 'Finished' }] }] });
    const want = everything().filter((c) => c.evaluations?.some((e) => e.evaluationStatus === 'Finished'));
    expect(want.length).toBeGreaterThan(20);
    expect(ids(got)).toEqual(ids(want));
    const mixed = got.find((c) => c.evaluations?.some((e) => e.evaluationStatus !== 'Finished'));
    expect(mixed, 'the dataset should have a conversation with a finished and an unfinished evaluation').toBeDefined();
  });

  it('evaluation filter predicates must hold on the same evaluation', async () => {
    const got = await queryAll({
      evaluationFilters: [{ type: 'and', predicates: [{ dimension: 'evaluationStatus', value: 'InProgress' }, { dimension: 'calibrationId', operator: 'exists' }] }],
    });
    const want = everything().filter((c) => c.evaluations?.some((e) => e.evaluationStatus === 'InProgress' && e.calibrationId !== undefined));
    expect(ids(got)).toEqual(ids(want));
    const split = everything().filter(
      (c) => c.evaluations?.some((e) => e.evaluationStatus === 'InProgress') && c.evaluations.some((e) => e.calibrationId !== undefined),
    );
    expect(split.length).toBeGreaterThanOrEqual(want.length);
  });

  it('or-clauses, notExists and metric ranges', async () => {
    const got = await queryAll({
      evaluationFilters: [
        {
          type: 'and',
          clauses: [{ type: 'or', predicates: [{ dimension: 'evaluationStatus', value: 'Pending' }, { dimension: 'evaluationStatus', value: 'Retracted' }] }],
          predicates: [{ dimension: 'calibrationId', operator: 'notExists' }],
        },
      ],
    });
    const want = everything().filter((c) => c.evaluations?.some((e) => (e.evaluationStatus === 'Pending' || e.evaluationStatus === 'Retracted') && !e.calibrationId));
    expect(ids(got)).toEqual(ids(want));

    const high = await queryAll({ evaluationFilters: [{ type: 'and', predicates: [{ type: 'metric', metric: 'oTotalScore', range: { gte: 90 } }] }] });
    expect(ids(high)).toEqual(ids(everything().filter((c) => c.evaluations?.some((e) => (e.oTotalScore ?? -1) >= 90))));
  });

  it('segment filter: dimensions of one segment, read through its session and participant', async () => {
    const chat = await queryAll({ segmentFilters: [{ type: 'and', predicates: [{ dimension: 'mediaType', value: 'chat' }] }] });
    expect(ids(chat)).toEqual(ids(everything().filter((c) => segs(c).some(({ s }) => s.mediaType === 'chat'))));
    expect(chat.length).toBeGreaterThan(0);

    const agentWrap = await queryAll({ segmentFilters: [{ type: 'and', predicates: [{ dimension: 'segmentType', value: 'wrapup' }, { dimension: 'purpose', value: 'agent' }] }] });
    expect(agentWrap.length).toBe(everything().length);
    const customerWrap = await queryAll({ segmentFilters: [{ type: 'and', predicates: [{ dimension: 'segmentType', value: 'wrapup' }, { dimension: 'purpose', value: 'customer' }] }] });
    expect(customerWrap).toHaveLength(0);

    const long = await queryAll({ segmentFilters: [{ type: 'and', predicates: [{ metric: 'tSegmentDuration', range: { gt: 600_000 } }] }] });
    const wantLong = everything().filter((c) => segs(c).some(({ seg }) => Date.parse(seg.segmentEnd) - Date.parse(seg.segmentStart) > 600_000));
    expect(ids(long)).toEqual(ids(wantLong));
  });

  it('conversation filter and multiple filter kinds are ANDed', async () => {
    const queueId = sim.data.queues[0]?.id ?? '';
    const got = await queryAll({
      conversationFilters: [{ type: 'and', predicates: [{ dimension: 'originatingDirection', value: 'inbound' }, { dimension: 'mediaStatsMinConversationMos', operator: 'exists' }] }],
      segmentFilters: [{ type: 'or', predicates: [{ dimension: 'queueId', value: queueId }] }],
    });
    const want = everything().filter(
      (c) => c.originatingDirection === 'inbound' && c.mediaStatsMinConversationMos !== undefined && segs(c).some(({ seg }) => seg.queueId === queueId),
    );
    expect(ids(got)).toEqual(ids(want));
    expect(got.every((c) => c.participants.some((p) => p.sessions.some((s) => s.mediaType === 'voice')))).toBe(true);

    const longCalls = await queryAll({ conversationFilters: [{ type: 'and', predicates: [{ metric: 'tConversationDuration', range: { gte: 900_000 } }] }] });
    expect(ids(longCalls)).toEqual(ids(everything().filter((c) => Date.parse(c.conversationEnd) - Date.parse(c.conversationStart) >= 900_000)));
  });

  it('agrees with truth.conversations for the same filters', async () => {
    const filters = { evaluationFilters: [{ type: 'and', predicates: [{ dimension: 'released', value: 'true' }] }] };
    expect(ids(await queryAll(filters))).toEqual(sim.truth.conversations({ interval, filters }));
  });

  it.each([
    [{ evaluationFilters: [{ type: 'and', predicates: [{ dimension: 'evaluationState', value: 'Finished' }] }] }, 'evaluationState'],
    [{ evaluationFilters: [{ type: 'and', predicates: [{ dimension: 'evaluationStatus', operator: 'equals', value: 'Finished' }] }] }, 'operator'],
    [{ evaluationFilters: [{ type: 'and', predicates: [{ dimension: 'evaluationStatus' }] }] }, 'value'],
    [{ evaluationFilters: [{ type: 'xor', predicates: [{ dimension: 'evaluationStatus', value: 'Finished' }] }] }, 'type'],
    [{ evaluationFilters: [{ type: 'and', clauses: [{ type: 'or', predicates: [] }] }] }, 'predicates'],
    [{ evaluationFilters: [{ type: 'and' }] }, 'predicate'],
    [{ segmentFilters: [{ type: 'and', predicates: [{ metric: 'tTalk', range: { gt: 1 } }] }] }, 'tTalk'],
    [{ conversationFilters: [{ type: 'and', predicates: [{ metric: 'tConversationDuration', range: {} }] }] }, 'range'],
    [{ conversationFilters: { type: 'and' } }, 'array'],
  ])('rejects %j with a 400 mentioning %s', async (filters, word) => {
    const r = await a.post(DETAILS, { interval, ...filters });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { message: string }).message).toContain(word);
  });
});
