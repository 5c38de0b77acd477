import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCsvSink, createNdjsonSink, FileCheckpoint } from '@org/gc-data/sinks';
import { QualityExporter, type QualityExportState } from '@org/gc-data';
import { useSimulatedOrg } from '../support/sim';
import { killingAt } from '../support/kill';

const sim = useSimulatedOrg();
const interval = '2026-05-20T00:00:00Z/2026-05-22T00:00:00Z';

function csvIds(path: string): string[] {
  return readFileSync(path, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]!);
}

describe('QualityExporter resume', () => {
  for (const format of ['ndjson', 'csv'] as const) {
    it(`an export aborted at a random point and resumed writes every row exactly once (${format})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gc-resume-'));
      const out = join(dir, `evaluations.${format}`);
      const checkpoint = new FileCheckpoint<QualityExportState>(join(dir, 'cp.json'), { kind: 'quality-export' });
      const open = (append: boolean) => (format === 'csv' ? createCsvSink(out, { append }) : createNdjsonSink(out, { append }));
      const expected = sim.org.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' }).map((e) => e.evaluationId);
      const stopAt = 10 + Math.floor(Math.random() * (expected.length - 20));

      const controller = new AbortController();
      const first = open(false);
      const err = await new QualityExporter(sim.client())
        .exportTo(killingAt(first, stopAt, controller), { interval, checkpoint, signal: controller.signal, checkpointEvery: 7 })
        .catch((e: unknown) => e);
      expect((err as Error).name).toBe('AbortError');
      await first.close();

      const second = open(true);
      const summary = await new QualityExporter(sim.client()).exportTo(second, { interval, checkpoint, checkpointEvery: 7 });
      await second.close();
      expect(summary.resumed).toBe(true);
      expect(summary.rows + summary.skippedAlreadyWritten).toBe(expected.length);

      const ids =
        format === 'csv'
          ? csvIds(out)
          : readFileSync(out, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { evaluation_id: string }).evaluation_id);
      expect(ids.length).toBe(expected.length);
      expect(new Set(ids).size).toBe(ids.length);
    });
  }

  it('resumes from a checkpoint: skips what was written, cuts rows written after the last checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gc-resume-'));
    const out = join(dir, 'evaluations.ndjson');
    const checkpoint = new FileCheckpoint<QualityExportState>(join(dir, 'cp.json'), { kind: 'quality-export' });
    const expected = sim.org.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' }).map((e) => e.evaluationId);
    const stopAt = 10 + Math.floor(Math.random() * (expected.length - 20));

    const controller = new AbortController();
    const first = createNdjsonSink(out);
    await new QualityExporter(sim.client())
      .exportTo(killingAt(first, stopAt, controller), { interval, checkpoint, checkpointEvery: 5, signal: controller.signal })
      .catch(() => undefined);
    await first.close();
    const saved = await checkpoint.load();
    expect(saved?.finished).toBeUndefined();
    expect(saved!.rows).toBeGreaterThan(0);
    // Per-page progress: the cursor holds at most the page in flight (and ties at its watermark), not every id.
    expect(saved!.cursor.written.length).toBeLessThanOrEqual(100 * 2);

    const requestsBefore = sim.org.stats.totalRequests;
    const second = createNdjsonSink(out, { append: true });
    const summary = await new QualityExporter(sim.client()).exportTo(second, { interval, checkpoint });
    await second.close();
    expect(summary.resumed).toBe(true);
    expect(summary.skippedAlreadyWritten).toBe(saved!.rows);
    const ids = readFileSync(out, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { evaluation_id: string }).evaluation_id);
    expect(ids.sort()).toEqual([...expected].sort());
    // Evaluations already written are not fetched again.
    const gets = sim.org.stats.totalRequests - requestsBefore;
    expect(gets).toBeLessThan(expected.length - saved!.rows + 20);
    expect((await checkpoint.load())?.finished).toBe(true);
  });

  it('stops at an abort even when the remaining evaluations are already fetched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gc-resume-'));
    const sink = createNdjsonSink(join(dir, 'evaluations.ndjson'));
    const expected = sim.org.truth.evaluations({ interval, status: ['FINISHED'], calibrations: 'exclude' });
    const controller = new AbortController();
    // Ten rows before the end, every request has been answered: the last rows wait in memory.
    const err = await new QualityExporter(sim.client())
      .exportTo(killingAt(sink, expected.length - 10, controller), {
        interval,
        signal: controller.signal,
        // A checkpoint saved after every row gives the fetches time to finish ahead of the writes.
        checkpoint: new FileCheckpoint<QualityExportState>(join(dir, 'cp.json'), { kind: 'quality-export' }),
        checkpointEvery: 1,
      })
      .catch((e: unknown) => e);
    expect((err as Error).name).toBe('AbortError');
    expect(sink.rowsWritten).toBe(expected.length - 10);
    await sink.close();
  });
});
