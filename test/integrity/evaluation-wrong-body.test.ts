/**
 * Issue 16, silent wrong data: an evaluation GET that answered with another evaluation's body (or `{"id":"x"}`) was
 * written as a row. Now every fetched evaluation is checked against the ids asked for: a mismatch is fetched once
 * more, then an EntityMismatchError; nothing is written for it.
 */
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { EntityMismatchError, QualityExporter, type ScorecardRow, type WarningEvent } from '@org/gc-data';
import { createSimulatedOrg } from '@org/gc-data/testing';
import { ANCHOR, arraySink, useSimulatedOrg } from '../support/sim';

const sim = useSimulatedOrg({ rateLimit: false, tokenRateLimit: false });
const interval = '2026-05-20T00:00:00Z/2026-05-21T00:00:00Z';
const expected = () => sim.org.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' }).map((e) => e.evaluationId);

describe('an evaluation GET that answers with the wrong body', () => {
  for (const kind of ['other', 'stub'] as const) {
    it(`wrongBody '${kind}': fetched once more, then an EntityMismatchError; no wrong row is written`, async () => {
      sim.org.setFaults({ wrongBodyRate: 1, wrongBody: kind });
      const firstPath = `/evaluations/${expected()[0]}`;
      let firstGets = 0;
      sim.server.events.on('request:start', ({ request }) => {
        if (new URL(request.url).pathname.endsWith(firstPath)) firstGets++;
      });
      const sink = arraySink<ScorecardRow>();
      const err = await new QualityExporter(sim.client(), { concurrency: 1 }).exportTo(sink, { interval }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EntityMismatchError);
      const e = err as EntityMismatchError;
      expect(e.entity).toBe('evaluation');
      expect(e.requestedId).toBe(expected()[0]);
      if (kind === 'stub') expect(e.receivedId).toBe('x');
      else expect(e.receivedId).not.toBe(e.requestedId);
      expect(e.message).toContain(expected()[0]);
      sim.server.events.removeAllListeners();
      expect(sink.rows).toEqual([]);
      expect(firstGets).toBe(2);
    });
  }

  it('a wrong body once is fetched again: every row is the evaluation asked for, exactly once', async () => {
    const first = expected()[3]!;
    const conversationId = sim.org.truth.evaluation(first)!.conversationId;
    sim.server.use(
      http.get(`${sim.org.apiBaseUrl}/api/v2/quality/conversations/${conversationId}/evaluations/${first}`, () => HttpResponse.json({ id: expected()[4] }), { once: true }),
    );
    const client = sim.client();
    const warnings: WarningEvent[] = [];
    client.on('warning', (w) => warnings.push(w));
    const sink = arraySink<ScorecardRow>();
    await new QualityExporter(client).exportTo(sink, { interval });
    expect(sink.rows.map((r) => r.evaluation_id)).toEqual(expected());
    expect(warnings.map((w) => w.code)).toEqual(['entity-mismatch-retry']);
  });

  it('wrongBodyRate is seeded: two orgs of the same seed answer the same GETs with the same wrong bodies', async () => {
    const answers = async () => {
      const org = createSimulatedOrg({ seed: 7, anchor: ANCHOR, rateLimit: false, faults: { wrongBodyRate: 0.3 } });
      const token = org.issueToken();
      const out: string[] = [];
      for (const e of org.truth.evaluations({ interval }).slice(0, 30)) {
        const url = `${org.apiBaseUrl}/api/v2/quality/conversations/${e.conversationId}/evaluations/${e.evaluationId}`;
        const res = (await org.handle(new Request(url, { headers: { authorization: `Bearer ${token}` } }))) as Response;
        out.push((await res.json()).id === e.evaluationId ? 'right' : 'wrong');
      }
      return { out, wrong: org.stats.faults.wrongBody };
    };
    const a = await answers();
    expect(a.wrong).toBeGreaterThan(0);
    expect(a.out.filter((x) => x === 'wrong')).toHaveLength(a.wrong);
    expect(await answers()).toEqual(a);
  });
});
