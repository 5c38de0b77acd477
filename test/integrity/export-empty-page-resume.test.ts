/**
 * Issue 16, silent wrong data: the details-query pager stopped at a page that came back `{}` (or short) while
 * `totalHits` said more, and the export exited 0 with part of the rows. Now the page is fetched again twice and then
 * the export fails with an IncompleteDataError; resumed from its checkpoint once the platform behaves, it writes every
 * row exactly once.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNdjsonSink, FileCheckpoint } from '@org/gc-data/sinks';
import { IncompleteDataError, QualityExporter, type QualityExportState, type ScorecardRow } from '@org/gc-data';
import { arraySink, DETAILS_ROUTE, useSimulatedOrg } from '../support/sim';

const sim = useSimulatedOrg({ rateLimit: false, tokenRateLimit: false });
const interval = '2026-05-20T00:00:00Z/2026-05-23T00:00:00Z';
const expected = () => sim.org.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' }).map((e) => e.evaluationId);

describe('export against a details query that answers {} or a short page mid-way', () => {
  it('the scenario: a clean export reads at least three discovery pages', async () => {
    const sink = arraySink<ScorecardRow>();
    const summary = await new QualityExporter(sim.client()).exportTo(sink, { interval });
    expect(summary.pages).toBeGreaterThanOrEqual(3);
    expect(sink.rows.map((r) => r.evaluation_id)).toEqual(expected());
  });

  it('emptyPageAt: the export fails with an IncompleteDataError naming the page, after two re-fetches', async () => {
    sim.org.setFaults({ emptyPageAt: { page: 2 } });
    const sink = arraySink();
    const err = await new QualityExporter(sim.client()).exportTo(sink, { interval }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IncompleteDataError);
    expect(err).toMatchObject({ page: 2, received: 100 });
    expect((err as IncompleteDataError).declared).toBeGreaterThan(200);
    expect((err as Error).message).toContain('page 2');
    expect(sim.org.stats.faults.emptyPage).toBe(3);
    expect(sink.rows.length).toBeLessThan(expected().length);
  });

  it('shortPageAt: a page cut short while totalHits says more is an IncompleteDataError too', async () => {
    sim.org.setFaults({ shortPageAt: { page: 2, keep: 40 } });
    const err = await new QualityExporter(sim.client()).exportTo(arraySink(), { interval }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IncompleteDataError);
    expect(err).toMatchObject({ page: 2, received: 140 });
  });

  it('a page short once is fetched again and the export is complete', async () => {
    await new QualityExporter(sim.client()).exportTo(arraySink(), { interval });
    const cleanDetailsRequests = sim.org.stats.count(DETAILS_ROUTE);
    sim.org.reset();
    sim.org.setFaults({ shortPageAt: { page: 2, times: 1 } });
    const sink = arraySink<ScorecardRow>();
    const summary = await new QualityExporter(sim.client()).exportTo(sink, { interval });
    expect(sink.rows.map((r) => r.evaluation_id)).toEqual(expected());
    expect(summary.rows).toBe(expected().length);
    expect(sim.org.stats.faults.shortPage).toBe(1);
    expect(sim.org.stats.count(DETAILS_ROUTE)).toBe(cleanDetailsRequests + 1); // + the one re-fetch
  });

  it('after the IncompleteDataError, a resume with the fault cleared writes every row exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gc-integrity-'));
    const out = join(dir, 'evaluations.ndjson');
    const checkpoint = new FileCheckpoint<QualityExportState>(join(dir, 'cp.json'), { kind: 'quality-export' });

    sim.org.setFaults({ emptyPageAt: { page: 3 } });
    const first = createNdjsonSink(out);
    const err = await new QualityExporter(sim.client()).exportTo(first, { interval, checkpoint, checkpointEvery: 7 }).catch((e: unknown) => e);
    await first.close();
    expect(err).toBeInstanceOf(IncompleteDataError);
    const partial = readFileSync(out, 'utf8').trim().split('\n').length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(expected().length);

    sim.org.setFaults({ emptyPageAt: null });
    const second = createNdjsonSink(out, { append: true });
    const summary = await new QualityExporter(sim.client()).exportTo(second, { interval, checkpoint, checkpointEvery: 7 });
    await second.close();
    expect(summary.resumed).toBe(true);
    const ids = readFileSync(out, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { evaluation_id: string }).evaluation_id);
    expect(ids.sort()).toEqual(expected().sort());
  });
});
