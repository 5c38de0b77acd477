/**
 * The simulated org's `multiChannelShare` (src/testing/engine/options.ts): conversations whose sessions span two
 * media types, seen the same way by the details query's segment filter, the Quality API's `mediaType`, the evaluation
 * search, recordings and the truth; and drawn from a stream of their own, so the rest of the org does not move.
 */
import { describe, expect, it } from 'vitest';
import { createSimulatedOrg, type SimDetailsQueryResponse, type SimEvaluationSearchResponse } from '@org/gc-data/testing';
import { DETAILS, SEARCH, dayInterval, directApi } from './helpers';

const options = { seed: 41, anchor: '2026-06-01T00:00:00Z', rateLimit: false as const };
const single = createSimulatedOrg(options);
const multi = createSimulatedOrg({ ...options, multiChannelShare: 0.4 });
const interval = dayInterval(multi, 2);
const [startValue, endValue] = interval.split('/') as [string, string];

const channelsOf = (conv: { participants: Array<{ sessions: Array<{ mediaType: string }> }> }): string[] => [
  ...new Set(conv.participants.flatMap((p) => p.sessions.map((s) => s.mediaType))),
];

describe('simulated org: multiChannelShare', () => {
  it('gives about that share of conversations a second media type, with customer and agent sessions of it', () => {
    const { lo, hi } = multi.data.indexRange(Date.parse(startValue), Date.parse(endValue));
    expect(hi - lo).toBeGreaterThan(200);
    let two = 0;
    for (let i = lo; i < hi; i++) {
      const conv = multi.data.conversation(i);
      const channels = channelsOf(conv);
      expect(channels.length).toBeLessThanOrEqual(2);
      if (channels.length === 1) continue;
      two++;
      const second = channels[1]!;
      const customer = conv.participants[0]!;
      const agent = conv.participants.find((p) => p.purpose === 'agent')!;
      expect(customer.sessions.map((s) => s.mediaType)).toContain(second);
      expect(agent.sessions.map((s) => s.mediaType)).toContain(second);
      // Its own recording, on the second channel's agent session.
      expect(multi.data.recordingIds(i).length).toBeGreaterThan(single.data.recordingIds(i).length);
    }
    const share = two / (hi - lo);
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.5);
  });

  it('changes nothing else: the first channel, times, evaluations and ids are those of the org without it', () => {
    const { lo, hi } = multi.data.indexRange(Date.parse(startValue), Date.parse(endValue));
    for (let i = lo; i < hi; i++) {
      const a = single.data.conversation(i);
      const b = multi.data.conversation(i);
      expect(b.conversationId).toBe(a.conversationId);
      expect(b.conversationStart).toBe(a.conversationStart);
      expect(b.evaluations).toEqual(a.evaluations);
      expect(b.participants.map((p) => p.sessions[0])).toEqual(a.participants.map((p) => p.sessions[0]));
    }
    // Share 0 is the default: the same org, byte for byte.
    const zero = createSimulatedOrg({ ...options, multiChannelShare: 0 });
    expect(zero.data.conversation(lo)).toEqual(single.data.conversation(lo));
  });

  it('the Quality API lists both media types; the truth, the details segment filter and the search agree', async () => {
    const api = directApi(multi);
    const truth = multi.truth.evaluations({ interval });
    const both = truth.filter((t) => t.mediaTypes.length === 2);
    expect(both.length).toBeGreaterThan(5);
    for (const t of both.slice(0, 5)) {
      const [evaluation] = multi.data.evaluations(multi.data.indexOf(t.conversationId)!).filter((e) => e.id === t.evaluationId);
      expect(evaluation?.mediaType).toHaveLength(2);
    }

    // A conversation whose second channel is chat is found by a chat segment filter and by a CHAT search.
    const chatSecond = both.filter((t) => t.mediaTypes[1] === 'chat' && t.mediaType !== 'chat');
    expect(chatSecond.length).toBeGreaterThan(0);
    const byDetails = new Set<string>();
    for (let pageNumber = 1; ; pageNumber++) {
      const r = await api.post(DETAILS, {
        interval,
        order: 'asc',
        segmentFilters: [{ type: 'or', predicates: [{ type: 'dimension', dimension: 'mediaType', operator: 'matches', value: 'chat' }] }],
        paging: { pageSize: 100, pageNumber },
      });
      expect(r.status).toBe(200);
      const body = (await r.json()) as SimDetailsQueryResponse;
      for (const c of body.conversations ?? []) byDetails.add(c.conversationId);
      if ((body.conversations ?? []).length < 100) break;
    }
    // Expected from the sessions themselves: every conversation with a chat session, first or second channel.
    const { lo, hi } = multi.data.indexRange(Date.parse(startValue), Date.parse(endValue));
    const withChat = new Set<string>();
    for (let i = lo; i < hi; i++) if (channelsOf(multi.data.conversation(i)).includes('chat')) withChat.add(multi.data.conversationId(i));
    expect(byDetails).toEqual(withChat);
    for (const t of chatSecond) expect(byDetails.has(t.conversationId)).toBe(true);

    const chatTruth = multi.truth.evaluations({ interval, mediaTypes: ['chat'] });
    expect(new Set(chatTruth.map((t) => t.conversationId))).toEqual(new Set([...withChat].filter((id) => truth.some((t) => t.conversationId === id))));

    const searched: string[] = [];
    for (let pageNumber = 1; ; pageNumber++) {
      const r = await api.post(SEARCH, {
        query: [
          { type: 'DATE_RANGE', field: 'conversationDate', startValue, endValue },
          { type: 'EXACT', field: 'mediaType', values: ['CHAT'] },
        ],
        pageNumber,
        pageSize: 100,
      });
      expect(r.status).toBe(200);
      const body = (await r.json()) as SimEvaluationSearchResponse;
      searched.push(...body.results.map((e) => e.id));
      if (body.results.length < 100) break;
    }
    expect(searched).toEqual(chatTruth.map((t) => t.evaluationId));
    for (const t of chatSecond) expect(searched).toContain(t.evaluationId);
  });
});
