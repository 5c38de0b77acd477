/**
 * Interrupting an export the way the kill/resume tests do (test/quality/resume-*.test.ts): a sink that aborts the
 * export once it holds a given number of rows, and a checkpoint that stops saving when the process "crashes".
 */
import { readFileSync } from 'node:fs';
import { createNdjsonSink, type Checkpoint } from '@org/gc-data/sinks';
import { QualityExporter, type ExportToOptions, type GenesysClient, type QualityExporterOptions, type QualityExportState, type RowSink } from '@org/gc-data';

/**
 * `sink`, aborting `controller` once it holds `stopAt` rows in total (with `others`' rows, e.g. a calibration sink or
 * the rows a resumed file already kept). Decided on every write, so a kill near the end cannot be missed.
 */
export function killingAt<R, S extends RowSink<R>>(sink: S, stopAt: number, controller: AbortController, others: () => number = () => 0): S {
  return new Proxy(sink, {
    get(target, key) {
      if (key === 'write') {
        return async (row: R) => {
          await target.write(row);
          if (target.rowsWritten + others() >= stopAt) controller.abort(new Error('killed'));
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * A checkpoint that stops saving once `dead()` is true: a crashed process saves nothing on its way out, so the file
 * keeps the last periodic save while the sinks hold rows written after it.
 */
export function crashable<T>(inner: Checkpoint<T>, dead: () => boolean): Checkpoint<T> {
  return { load: () => inner.load(), clear: () => inner.clear(), save: (s) => (dead() ? Promise.resolve() : inner.save(s)) };
}

/** The rows of an NDJSON export file, in file order (empty file: none). */
export function ndjsonRows<T = Record<string, unknown>>(path: string): T[] {
  const text = readFileSync(path, 'utf8').trim();
  return text === '' ? [] : text.split('\n').map((l) => JSON.parse(l) as T);
}

/** The `evaluation_id` of every row of an NDJSON scorecard export, in file order. */
export const ndjsonEvaluationIds = (path: string): string[] => ndjsonRows<{ evaluation_id: string }>(path).map((r) => r.evaluation_id);

/** One killed run of {@link killedQualityRun}: what the export threw, and the checkpoint the file holds after it. */
export interface KilledRun {
  error: unknown;
  saved: QualityExportState | undefined;
}

/**
 * One run of a Quality export appending to the NDJSON file `out`, resumed from `file`, killed once the file holds
 * `stopAt` rows (a crash: the checkpoint saves nothing once killed; otherwise an abort, which saves on the way out).
 * After the sink is cut back on resume the file holds the rows the checkpoint counted, so `stopAt` counts rows in
 * the file, not rows of this run.
 */
export async function killedQualityRun(
  client: GenesysClient,
  run: { file: Checkpoint<QualityExportState>; out: string; stopAt: number; crash: boolean; options: QualityExporterOptions; request: ExportToOptions },
): Promise<KilledRun> {
  const { file, out, stopAt, crash, options, request } = run;
  const controller = new AbortController();
  const sink = createNdjsonSink(out, { append: true });
  const checkpoint = crash ? crashable(file, () => controller.signal.aborted) : file;
  const kept = (await file.load())?.rows ?? 0;
  const error = await new QualityExporter(client, options)
    .exportTo(killingAt(sink, stopAt, controller, () => kept), { ...request, checkpoint, signal: controller.signal })
    .catch((e: unknown) => e);
  await sink.close();
  return { error, saved: await file.load() };
}
