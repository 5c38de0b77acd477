import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulatedOrg } from '../../src/testing/index';
import { iso } from '../../src/testing/data/time';
import { DETAILS, dayInterval, directApi } from './helpers';

const anchor = '2026-11-20T09:30:00.000Z';

describe('determinism', () => {
  it('same seed and anchor give the same org, response for response', async () => {
    const one = createSimulatedOrg({ seed: 42, anchor, rateLimit: false });
    const two = createSimulatedOrg({ seed: 42, anchor, rateLimit: false });
    for (const i of [0, 1, 17, 4000, one.data.size - 1]) {
      expect(two.data.conversation(i)).toEqual(one.data.conversation(i));
      expect(two.data.evaluations(i, { expandForm: true })).toEqual(one.data.evaluations(i, { expandForm: true }));
    }
    expect(two.data.forms).toEqual(one.data.forms);
    const body = { interval: dayInterval(one, 3), paging: { pageSize: 100, pageNumber: 2 } };
    const r1 = await (await directApi(one).post(DETAILS, body)).text();
    const r2 = await (await directApi(two).post(DETAILS, body)).text();
    expect(r2).toBe(r1);
  });

  it('another seed gives other data', () => {
    const one = createSimulatedOrg({ seed: 42, anchor });
    const other = createSimulatedOrg({ seed: 43, anchor });
    expect(other.data.conversationId(0)).not.toBe(one.data.conversationId(0));
    expect(other.data.conversation(10).conversationStart).not.toBe(one.data.conversation(10).conversationStart);
  });

  it('a conversation is a pure function of its index (order of generation does not matter)', () => {
    const sim = createSimulatedOrg({ seed: 8, anchor });
    const forward = [5, 6, 7, 8].map((i) => sim.data.conversation(i));
    const backward = [8, 7, 6, 5].map((i) => sim.data.conversation(i)).reverse();
    expect(backward).toEqual(forward);
  });

  it('ids round-trip and starts are non-decreasing in the index (property)', () => {
    const sim = createSimulatedOrg({ seed: 99, anchor, conversations: 50_000 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 49_998 }), fc.integer({ min: 1, max: 5000 }), (i, d) => {
        const j = Math.min(49_999, i + d);
        expect(sim.data.indexOf(sim.data.conversationId(i))).toBe(i);
        expect(Date.parse(sim.data.conversation(i).conversationStart)).toBeLessThanOrEqual(Date.parse(sim.data.conversation(j).conversationStart));
      }),
      { numRuns: 200 },
    );
    expect(sim.data.indexOf('6a5e2224-3b66-458e-9cd1-b60684e2b360')).toBeUndefined();
  });

  it('indexRange is exactly the conversations starting in [start, end) (property, brute-force check)', () => {
    const sim = createSimulatedOrg({ seed: 3, anchor, conversations: 2000, days: 2 });
    const starts = Array.from({ length: sim.data.size }, (_, i) => Date.parse(sim.data.conversation(i).conversationStart));
    fc.assert(
      fc.property(fc.integer({ min: sim.data.start - 3_600_000, max: sim.data.end + 3_600_000 }), fc.integer({ min: 0, max: 86_400_000 }), (from, len) => {
        const to = from + len;
        const { lo, hi } = sim.data.indexRange(from, to);
        const want = starts.flatMap((t, i) => (t >= from && t < to ? [i] : []));
        expect(hi - lo).toBe(want.length);
        if (want.length > 0) expect(lo).toBe(want[0]);
      }),
      { numRuns: 300 },
    );
  });

  it('formats timestamps exactly like Date#toISOString (the fast formatter behind every generated date)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (t) => {
        expect(iso(t)).toBe(new Date(t).toISOString());
      }),
      { numRuns: 5000 },
    );
    for (const t of [0, -1, 86_399_999, 951_782_400_000, 1_700_000_000_123]) expect(iso(t)).toBe(new Date(t).toISOString());
  });
});
