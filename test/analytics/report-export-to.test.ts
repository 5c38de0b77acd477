/**
 * `ReportQueries.exportTo(sink, ...)` on the resumable runner (issue 17 section 4): the runner cuts the sink back
 * to the checkpoint's rows on resume and flushes it before each save, so an export killed at several points (an
 * abort, or a crash that saves nothing on the way out) and resumed each time ends with every conversation once.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '@org/gc-data';
import { EXTRACT_CHECKPOINT_KIND, ExtractCheckpointState } from '@org/gc-data/schemas';
import { FileCheckpoint, MemoryCheckpoint, NdjsonSink, type Checkpoint } from '@org/gc-data/sinks';
import { collect, dayInterval, fastReports, fastClient, useSimulatedOrg } from './helpers';
import { useTempDir } from '../support/temp-dir';

const { sim } = useSimulatedOrg();

const dir = useTempDir('report-export');

type Row = { conversationId: string };
const options = (interval: string) => ({ interval, chunk: 'PT6H', concurrency: 2, pageSize: 20, project: (c: Row) => ({ conversationId: c.conversationId }) });

/** A sink that aborts `controller` once the file holds `stopAt` rows (`kept` were there when it opened). */
function killingAt(sink: NdjsonSink<Row>, stopAt: number, kept: number, controller: AbortController): NdjsonSink<Row> {
  return new Proxy(sink, {
    get(target, key) {
      if (key === 'write') {
        return async (row: Row) => {
          await target.write(row);
          if (kept + target.rowsWritten >= stopAt) controller.abort(new Error('killed'));
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const lines = async (path: string) => (await readFile(path, 'utf8')).trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as Row).conversationId);

describe('reports.exportTo(sink, ...)', () => {
  for (const crash of [false, true]) {
    // Five extracts in a row: room for a loaded 2-core machine (not a speed bound).
    it(`killed at several points (${crash ? 'crash: no save on the way out' : 'abort'}) and resumed each time, every conversation once`, async () => {
      const interval = dayInterval(sim, 1, 2);
      const truth = new Set(sim.truth.conversations({ interval, activity: true }));
      const path = join(dir(), 'cp.json');
      const out = join(dir(), 'rows.ndjson');
      const file = new FileCheckpoint<ExtractCheckpointState>(path, { kind: EXTRACT_CHECKPOINT_KIND, parse: (s) => ExtractCheckpointState.parse(s) });
      for (const stopAt of [1, Math.floor(truth.size * 0.3), Math.floor(truth.size * 0.55), truth.size - 5]) {
        const controller = new AbortController();
        const kept = (await file.load())?.rows ?? 0;
        const checkpoint: Checkpoint<ExtractCheckpointState> = crash
          ? { load: () => file.load(), clear: () => file.clear(), save: (s) => (controller.signal.aborted ? Promise.resolve() : file.save(s)) }
          : file;
        const sink = new NdjsonSink<Row>(out, { append: true });
        const client = fastClient(sim);
        const err = await fastReports(client)
          .exportTo(killingAt(sink, stopAt, kept, controller), { ...options(interval), checkpoint, signal: controller.signal })
          .catch((e: unknown) => e);
        await sink.close();
        expect((err as Error).name).toBe('AbortError');
        expect((await lines(out)).length).toBeGreaterThanOrEqual((await file.load())?.rows ?? 0);
      }
      const sink = new NdjsonSink<Row>(out, { append: true });
      const summary = await fastReports(fastClient(sim)).exportTo(sink, { ...options(interval), checkpoint: file });
      await sink.close();
      const ids = await lines(out);
      expect(ids).toHaveLength(new Set(ids).size);
      expect(new Set(ids)).toEqual(truth);
      expect(summary.finished).toBe(true);
      expect(summary.resumedFrom).toBeDefined();
      // Finish = clear: the checkpoint is gone once the export is complete.
      expect(existsSync(path)).toBe(false);
    });
  }

  it('without a checkpoint writes every row and flushes the sink; a missing sink is a ValidationError before any request', async () => {
    const interval = dayInterval(sim, 1, 1);
    const out = join(dir(), 'rows.ndjson');
    const sink = new NdjsonSink<Row>(out);
    const summary = await fastReports(fastClient(sim)).exportTo(sink, options(interval));
    expect(summary.rows).toBe(sim.truth.conversations({ interval, activity: true }).length);
    expect((await lines(out)).length).toBe(summary.rows);
    await sink.close();

    const before = sim.stats.totalRequests;
    const err = await fastReports(fastClient(sim)).exportTo(null as never, options(interval)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues[0]?.path).toBe('sink');
    expect(sim.stats.totalRequests).toBe(before);
  });

  it('an extract checkpoint saved in version 1 (before the runner: `key`, not `fingerprint`) resumes', async () => {
    const interval = dayInterval(sim, 1, 2);
    const first = new MemoryCheckpoint<ExtractCheckpointState>();
    const client = fastClient(sim);
    const a: string[] = [];
    for await (const row of fastReports(client).extract({ ...options(interval), checkpoint: first })) if (a.push(row.conversationId) === 90) break;
    const saved = (await first.load())!;
    expect(saved.v).toBe(2);
    const { fingerprint, v: _v, ...rest } = saved;
    const old = new MemoryCheckpoint<ExtractCheckpointState>({ ...rest, v: 1, key: fingerprint } as unknown as ExtractCheckpointState);
    const extraction = fastReports(client).extract({ ...options(interval), checkpoint: old });
    const b = (await collect(extraction)).map((r) => r.conversationId);
    expect(extraction.summary.resumedFrom).toEqual({ rows: saved.rows, duplicates: saved.duplicates });
    expect(new Set([...a.slice(0, saved.rows), ...b])).toEqual(new Set(sim.truth.conversations({ interval, activity: true })));
    expect(a.slice(0, saved.rows).length + b.length).toBe(sim.truth.conversations({ interval, activity: true }).length);
  });

  it('the fingerprint ignores key order: a query written in another order resumes, another query is refused', async () => {
    const interval = dayInterval(sim, 1, 2);
    const checkpoint = new MemoryCheckpoint<ExtractCheckpointState>();
    const client = fastClient(sim);
    const query = { segmentFilters: [{ type: 'or' as const, predicates: [{ type: 'dimension' as const, dimension: 'mediaType', operator: 'matches' as const, value: 'voice' }] }] };
    const reordered = { segmentFilters: [{ predicates: [{ value: 'voice', operator: 'matches' as const, dimension: 'mediaType', type: 'dimension' as const }], type: 'or' as const }] };
    let n = 0;
    for await (const _ of fastReports(client).extract({ ...options(interval), query, checkpoint })) if (++n === 30) break;
    const other = await collect(fastReports(client).extract({ ...options(interval), query: { ...query, conversationFilters: [{ type: 'and', predicates: [{ type: 'dimension', dimension: 'originatingDirection', operator: 'matches', value: 'inbound' }] }] }, checkpoint })).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(ValidationError);
    expect((other as ValidationError).issues[0]).toMatchObject({ path: 'checkpoint', code: 'checkpoint_mismatch' });
    const extraction = fastReports(client).extract({ ...options(interval), query: reordered, checkpoint });
    await collect(extraction);
    expect(extraction.summary.resumedFrom).toBeDefined();
  });
});
