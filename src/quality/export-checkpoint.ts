/**
 * What a QualityExporter checkpoint keeps: the runner's fields (src/sinks/resumable-run.ts: fingerprint, rows per
 * sink, finished) and a discovery cursor: the pass being exported, the conversation start before which everything
 * of that pass is written (it moves at each page end, see discovery.ts), and the evaluations written at or after it
 * (the page in flight, and ties at the watermark). Its size is bounded by a page, not by the export: before
 * issue 17 the state listed every evaluation id written and was rewritten whole every 100 rows (about 2 GB of
 * writes for 100,000 evaluations; bench/checkpoint-bytes.ts has the figures).
 */
import { ValidationError } from '../errors';
import type { RunState } from '../sinks/resumable-run';
import type { PageMark } from './discovery';

export interface QualityExportCursor {
  /** Index of the pass being exported (`splitByMediaType`: voice, then digital); the passes before it are done. */
  pass: number;
  /** Epoch ms: every evaluation of this pass whose conversation started earlier is written. Absent: none yet. */
  fromMs?: number | undefined;
  /** Evaluations of this pass written whose conversation starts at or after `fromMs`: [id, start ms or null]. */
  written: Array<[string, number | null]>;
}

/** What a checkpoint of QualityExporter.exportTo() holds. */
export interface QualityExportState extends RunState {
  /** `rows`: rows in `sink`; `sinks.calibrations`: rows in `calibrationSink`. */
  cursor: QualityExportCursor;
}

/** The sink name of `calibrationSink` in the state's `sinks`. */
export const CALIBRATION_SINK = 'calibrations';

const WHERE = 'checkpoint';

function bad(path: string, message: string): ValidationError {
  return new ValidationError(WHERE, [{ path: `checkpoint.${path}`, message, code: 'checkpoint_format' }], 'The checkpoint was not written by QualityExporter of this SDK: clear it (or delete the file) to start over.');
}

/** Checks the cursor of a version-2 state (the runner checked its own fields). */
export function parseQualityState(raw: Record<string, unknown>): QualityExportState {
  const c = raw.cursor as Partial<QualityExportCursor> | undefined;
  if (typeof c !== 'object' || c === null) throw bad('cursor', 'expected the discovery cursor');
  if (!Number.isSafeInteger(c.pass) || (c.pass as number) < 0) throw bad('cursor.pass', 'expected a pass index');
  if (c.fromMs !== undefined && !Number.isFinite(c.fromMs)) throw bad('cursor.fromMs', 'expected epoch ms');
  const pairs = c.written;
  if (!Array.isArray(pairs) || !pairs.every((p) => Array.isArray(p) && typeof p[0] === 'string' && (p[1] === null || Number.isFinite(p[1])))) {
    throw bad('cursor.written', 'expected [evaluationId, start ms or null] pairs');
  }
  return raw as unknown as QualityExportState;
}

/**
 * A state of another format. The one before issue 17 (`written`: every id, `sinkRows`) is refused, saying what to
 * do: resuming it would mean fetching every discovery page again to place the ids.
 */
export function upgradeQualityState(raw: Record<string, unknown>): QualityExportState {
  if (Array.isArray(raw.written) && 'sinkRows' in raw) {
    throw new ValidationError(
      WHERE,
      [
        {
          path: 'checkpoint',
          code: 'checkpoint_version',
          message: `the checkpoint was written by an older version of QualityExporter (it lists ${raw.written.length} evaluation id(s) written; this version keeps per-page progress and cannot resume from it)`,
        },
      ],
      raw.done === true
        ? 'That export is complete: delete the checkpoint to export again.'
        : 'Finish that export with the SDK version that started it, or delete the checkpoint and the output file(s) to start over.',
    );
  }
  throw bad('v', `expected checkpoint format 2, got ${JSON.stringify(raw.v) ?? 'none'}`);
}

/** The cursor as it moves: rows written, and the page marks discovery hands out. */
export class CursorTracker {
  #pass: number;
  #fromMs: number | undefined;
  readonly #written = new Map<string, number | null>();

  constructor(saved: QualityExportCursor | undefined) {
    this.#pass = saved?.pass ?? 0;
    this.#fromMs = saved?.fromMs;
    for (const [id, start] of saved?.written ?? []) this.#written.set(id, start);
  }

  /** Where discovery starts: the saved pass, from its watermark, skipping what was written there. */
  get start() {
    return { pass: this.#pass, fromMs: this.#fromMs, skip: new Set(this.#written.keys()) };
  }

  wrote(evaluationId: string, startMs: number): void {
    this.#written.set(evaluationId, Number.isFinite(startMs) ? startMs : null);
  }

  /** Every row of the page before `m` is written: move the watermark and forget ids before it. */
  mark(m: PageMark): void {
    if (m.pass !== this.#pass) {
      this.#pass = m.pass;
      this.#fromMs = m.fromMs;
      this.#written.clear();
      return;
    }
    if (m.fromMs === undefined || (this.#fromMs !== undefined && m.fromMs <= this.#fromMs)) return;
    this.#fromMs = m.fromMs;
    const from = m.fromMs;
    // An id with an unknown start is kept: it may lie after the watermark.
    for (const [id, start] of this.#written) if (start !== null && start < from) this.#written.delete(id);
  }

  toJSON(): QualityExportCursor {
    return { pass: this.#pass, ...(this.#fromMs !== undefined ? { fromMs: this.#fromMs } : {}), written: [...this.#written] };
  }
}
