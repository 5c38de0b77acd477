import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ApiError, QualityExporter } from '../../src/index';
import { arraySink, collect, useSimulatedOrg } from '../support/sim';

const sim = useSimulatedOrg();
const interval = '2026-05-20T00:00:00Z/2026-05-22T00:00:00Z';

describe('QualityExporter channels (seed 000)', () => {
  it('mediaTypes become segment mediaType predicates', async () => {
    const rows = await collect(new QualityExporter(sim.client()).rows({ interval, mediaTypes: ['email', 'chat'] }));
    const expected = sim.org.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude', mediaTypes: ['email', 'chat'] });
    expect(rows.map((r) => r.evaluation_id).sort()).toEqual(expected.map((e) => e.evaluationId).sort());
  });

  it('splitByMediaType runs one pass per channel group and tags rows with the channel', async () => {
    const sink = arraySink<{ evaluation_id: string | null; media_type: string | null }>();
    const summary = await new QualityExporter(sim.client()).exportTo(sink, { interval, splitByMediaType: true });
    expect(summary.passes.map((p) => p.name)).toEqual(['voice', 'digital']);
    const all = sim.org.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' });
    expect(sink.rows).toHaveLength(all.length);
    const byId = new Map(all.map((e) => [e.evaluationId, e.mediaType]));
    for (const r of sink.rows) expect(r.media_type).toBe(byId.get(r.evaluation_id!));
    expect(summary.passes.reduce((a, p) => a + p.rows, 0)).toBe(all.length);
  });

  it("a platform 400 surfaces as an ApiError with the platform's message, code, details and correlation id", async () => {
    sim.server.use(
      http.post(`${sim.org.apiBaseUrl}/api/v2/analytics/conversations/details/query`, () =>
        HttpResponse.json(
          {
            message: 'Invalid metadata for digital channel',
            code: 'bad.request',
            status: 400,
            contextId: 'ctx-400',
            details: [{ errorCode: 'filter.invalid', fieldName: 'segmentFilters' }],
          },
          { status: 400, headers: { 'inin-correlation-id': 'ctx-400' } },
        ),
      ),
    );
    const err = (await collect(new QualityExporter(sim.client()).rows({ interval, mediaTypes: ['chat'] })).then(
      () => undefined,
      (e: unknown) => e,
    )) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.code).toBe('bad.request');
    expect(err.correlationId).toBe('ctx-400');
    expect(err.details).toEqual([{ errorCode: 'filter.invalid', fieldName: 'segmentFilters' }]);
    expect(err.message).toContain('Invalid metadata for digital channel');
    expect(err.attempts).toBe(1);
  });
});

describe('one media_type vocabulary', () => {
  it('with or without the split, and with either strategy, media_type uses the segment media types (voice, chat, ...)', async () => {
    const client = sim.client();
    const segmentTypes = new Set(['voice', 'callback', 'chat', 'email', 'message', 'cobrowse', 'screenshare', 'video']);
    const plain = await collect(new QualityExporter(client).rows({ interval }));
    const split = await collect(new QualityExporter(client).rows({ interval, splitByMediaType: true }));
    const searched = await collect(new QualityExporter(client, { strategy: 'search' }).rows({ interval, splitByMediaType: true }));
    for (const rows of [plain, split, searched]) {
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) for (const m of String(r.media_type).split(',')) expect(segmentTypes, String(r.media_type)).toContain(m);
    }
    // The same evaluation reads the same, whichever way it was exported.
    const byId = new Map(split.map((r) => [r.evaluation_id, r.media_type]));
    for (const r of plain) expect(r.media_type).toBe(byId.get(r.evaluation_id));
  });
});
