import { describe, expect, it } from 'vitest';
import { FilterBuilder } from '@org/gc-data/filters';
import { MemoryCheckpoint } from '@org/gc-data/sinks';
import { QualityExporter, ValidationError, type QualityExportState } from '../../src/index';
import { arraySink, collect, useSimulatedOrg } from '../support/sim';

const sim = useSimulatedOrg();
const interval = '2026-05-20T00:00:00Z/2026-05-22T00:00:00Z';

describe('QualityExporter filters', () => {
  it('a FilterBuilder and the tree it builds export the same rows: the matching ones only', async () => {
    const expected = sim.org.truth
      .evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude', mediaTypes: ['voice'] })
      .map((e) => e.evaluationId)
      .sort();
    const all = sim.org.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' });
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);

    const exporter = new QualityExporter(sim.client());
    const fromBuilder = await collect(exporter.rows({ interval, filters: FilterBuilder.interaction('voice') }));
    const fromTree = await collect(exporter.rows({ interval, filters: { field: 'mediaType', op: 'equals', value: 'voice' } }));
    expect(fromBuilder.map((r) => r.evaluation_id).sort()).toEqual(expected);
    expect(fromTree.map((r) => r.evaluation_id).sort()).toEqual(expected);
  });

  it('a checkpoint taken with a FilterBuilder resumes with the same filter as a tree (one fingerprint)', async () => {
    const checkpoint = new MemoryCheckpoint<QualityExportState>();
    await new QualityExporter(sim.client()).exportTo(arraySink(), { interval, filters: FilterBuilder.interaction('voice'), checkpoint });
    const resumed = await new QualityExporter(sim.client()).exportTo(arraySink(), {
      interval,
      filters: { field: 'mediaType', op: 'equals', value: 'voice' },
      checkpoint,
    });
    expect(resumed.rows).toBe(0);
  });

  it('filters with the search strategy are refused before any request (the search index cannot apply them)', async () => {
    const before = sim.org.stats.totalRequests;
    for (const filters of [FilterBuilder.interaction('voice'), { field: 'queueId', op: 'equals', value: '00000000-0000-0000-0000-000000000000' }]) {
      const err = await collect(new QualityExporter(sim.client(), { strategy: 'search' }).rows({ interval, filters: filters as never })).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues[0]?.path).toBe('filters');
      expect((err as ValidationError).message).toMatch(/search strategy cannot apply filters/);
    }
    expect(sim.org.stats.totalRequests).toBe(before);
  });
});
