import { describe, expect, it } from 'vitest';
import { createSimulatedOrg, type SimEvaluationResponse, type SimEvaluationSearchItem, type SimEvaluationSearchResponse } from '../../src/testing/index';
import { SEARCH, dayInterval, directApi } from './helpers';

const sim = createSimulatedOrg({ seed: 31, rateLimit: false, calibrationShare: 0.2 });
const a = directApi(sim);
const DAY = 86_400_000;
const interval = dayInterval(sim, 1);
const [startValue, endValue] = interval.split('/') as [string, string];
const conversationDate = { type: 'DATE_RANGE', field: 'conversationDate', startValue, endValue };

async function searchAll(query: unknown[], extra: Record<string, unknown> = {}): Promise<SimEvaluationSearchItem[]> {
  const out: SimEvaluationSearchItem[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const r = await a.post(SEARCH, { query, pageNumber, pageSize: 25, ...extra });
    expect(r.status).toBe(200);
    const body = (await r.json()) as SimEvaluationSearchResponse;
    expect(body).toMatchObject({ pageSize: 25, pageNumber });
    out.push(...body.results);
    if (body.results.length < 25) return out;
  }
}

/** Every evaluation of conversations from 3 days either side, straight from the dataset. */
function nearby(): SimEvaluationResponse[] {
  const { lo, hi } = sim.data.indexRange(Date.parse(startValue) - 5 * DAY, Date.parse(endValue) + DAY);
  return Array.from({ length: hi - lo }, (_, k) => sim.data.evaluations(lo + k)).flat();
}

describe('POST /api/v2/quality/evaluations/search', () => {
  it('finds the evaluations of a conversation-date range, with answers, paged until a short page', async () => {
    const got = await searchAll([conversationDate]);
    const truth = sim.truth.evaluations({ interval });
    expect(got.map((e) => e.id)).toEqual(truth.map((t) => t.evaluationId));
    for (const e of got) {
      if (e.status !== 'PENDING') expect(e.answers?.questionGroupScores.length).toBeGreaterThan(0);
      expect('name' in e.evaluationForm).toBe(false);
    }
    const calibrations = got.filter((e) => e.calibration);
    expect(calibrations.map((e) => e.id)).toEqual(truth.filter((t) => t.calibration).map((t) => t.evaluationId));
  });

  it('matches search items with GET by id (same answers, same dates)', async () => {
    const [first] = await searchAll([conversationDate, { type: 'EXACT', field: 'evaluationStatus', value: 'FINISHED' }]);
    if (!first) throw new Error('expected a finished evaluation');
    const byId = (await (await a.get(`/api/v2/quality/conversations/${first.conversation.id}/evaluations/${first.id}`)).json()) as SimEvaluationResponse;
    expect(first.answers).toEqual(byId.answers);
    expect(first.createdDate).toBe(byId.createdDate);
  });

  it('filters by EXACT values (case-insensitive statuses), NOT, score comparisons and other date fields', async () => {
    const statuses = await searchAll([conversationDate, { type: 'EXACT', field: 'evaluationStatus', values: ['finished', 'INREVIEW'] }]);
    expect(statuses.map((e) => e.id)).toEqual(sim.truth.evaluations({ interval, status: ['Finished', 'InReview'] }).map((t) => t.evaluationId));

    const notFinished = await searchAll([conversationDate, { type: 'EXACT', field: 'evaluationStatus', value: 'FINISHED', operator: 'NOT' }]);
    expect(notFinished.every((e) => e.status !== 'FINISHED')).toBe(true);
    expect(notFinished.length + statuses.filter((e) => e.status === 'FINISHED').length).toBe(sim.truth.evaluations({ interval }).length);

    const agent = sim.data.agents[3]?.id ?? '';
    const byAgent = await searchAll([conversationDate, { type: 'EXACT', field: 'agentId', value: agent }]);
    expect(byAgent.every((e) => e.agent.id === agent)).toBe(true);

    const high = await searchAll([conversationDate, { type: 'GREATER_THAN_EQUAL_TO', field: 'totalScore', value: '90' }]);
    expect(high.every((e) => (e.answers?.totalScore ?? 0) >= 90)).toBe(true);
    expect(high.length).toBeGreaterThan(0);

    const created = await searchAll([{ type: 'DATE_RANGE', field: 'createdDate', startValue, endValue }]);
    const want = nearby().filter((e) => e.createdDate >= new Date(Date.parse(startValue)).toISOString() && e.createdDate < new Date(Date.parse(endValue)).toISOString());
    expect(created.map((e) => e.id).sort()).toEqual(want.map((e) => e.id).sort());
  });

  it('sorts on request', async () => {
    const got = await searchAll([conversationDate], { sortBy: 'createdDate', sortOrder: 'DESC' });
    const dates = got.map((e) => e.createdDate);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it.each([
    [{ query: [{ type: 'DATE_RANGE', field: 'conversationDate', startValue: '2026-01-01T00:00:00.000Z', endValue: '2026-04-01T00:00:01.000Z' }], pageNumber: 1 }, '3 months'],
    [{ query: [{ type: 'EXACT', field: 'evaluationStatus', value: 'FINISHED' }], pageNumber: 1 }, 'DATE_RANGE'],
    [{ query: [conversationDate], pageNumber: 1, pageSize: 101 }, 'pageSize'],
    [{ query: [conversationDate] }, 'pageNumber'],
    [{ query: [conversationDate, { type: 'EXACT', field: 'evaluationState', value: 'FINISHED' }], pageNumber: 1 }, 'evaluationState'],
    [{ query: [conversationDate, { type: 'FUZZY', field: 'evaluationStatus', value: 'x' }], pageNumber: 1 }, 'FUZZY'],
    [{ query: [], pageNumber: 1 }, 'query'],
  ])('rejects %j with a 400 mentioning %s', async (body, word) => {
    const r = await a.post(SEARCH, body);
    expect(r.status).toBe(400);
    expect(((await r.json()) as { message: string }).message).toContain(word);
  });

  it('accepts exactly three months', async () => {
    const r = await a.post(SEARCH, { query: [{ type: 'DATE_RANGE', field: 'conversationDate', startValue: '2026-01-01T00:00:00.000Z', endValue: '2026-04-01T00:00:00.000Z' }], pageNumber: 1 });
    expect(r.status).toBe(200);
  });
});
