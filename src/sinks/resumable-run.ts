/**
 * The one resumable-export contract (issue 17 section 4), shared by `QualityExporter.exportTo()` and
 * `ReportQueries.extract()` / `exportTo()`:
 *
 * - open: load the checkpoint, check the fields every run keeps (below), refuse a checkpoint of another export
 *   (its fingerprint: canonical JSON of what the run exports, so key order never matters), then cut each file sink
 *   back to the rows the checkpoint counted (rows written after the last save are exported again);
 * - commit: flush every sink (and run the caller's `beforeCommit`), then save: a saved checkpoint never counts a
 *   row that is still in a buffer, so a crash at any point leaves sinks with at least the rows the checkpoint counts
 *   and the next open cuts the rest;
 * - finish: flush, then either clear the checkpoint or keep it marked `finished` (a rerun then writes nothing).
 *
 * What a module keeps of its own progress (the Quality discovery cursor, the extract's windows and jobs) sits beside
 * these fields in the same state object, checked by the module's `parse`.
 */
import { ValidationError } from '../errors';
import { canonicalJson } from '../helpers/canonical-json';
import type { Checkpoint } from './checkpoint';
import type { RowSink } from './sink';

/** The fields every resumable run keeps in its checkpoint state. */
export interface RunState {
  /** Format of the state: 2 since issue 17 (one runner); 1 was the per-module formats before it. */
  v: 2;
  /** Canonical JSON of what the run exports (interval, query, options): a checkpoint of another export is refused. */
  fingerprint: string;
  /** Rows in the main output when saved (rows handed out, for `extract()` without a sink). */
  rows: number;
  /** Rows in each further sink when saved, by name (Quality: `calibrations`). */
  sinks?: Record<string, number> | undefined;
  /** True once the export completed and the checkpoint was kept: a rerun writes nothing. */
  finished?: boolean | undefined;
}

/** A sink the runner flushes before each save and cuts back on open. */
type AnySink = Pick<RowSink<never>, 'flush' | 'rewindTo'>;

export interface OpenRunOptions<S extends RunState> {
  /** `where` of the ValidationErrors (the CLI maps `checkpoint` and `extract checkpoint` errors to its usage errors). */
  where: string;
  checkpoint: Checkpoint<S> | undefined;
  /** What identifies this export; its canonical JSON is the fingerprint. */
  identity: unknown;
  /** Checks the module's part of a loaded state (throw a ValidationError naming the problem). */
  parse: (raw: Record<string, unknown>) => S;
  /**
   * An older format: return a state to resume from (converted), or throw a ValidationError saying what to do.
   * Called for a state whose `v` is not 2.
   */
  upgrade: (raw: Record<string, unknown>) => S;
  /** The main output (`rows`) and further named sinks. */
  sink?: AnySink | undefined;
  sinks?: Record<string, AnySink | undefined>;
  /** Awaited after the sinks are flushed and before every save (e.g. a caller's own sink). */
  beforeCommit?: (() => Promise<void>) | undefined;
}

export interface ResumableRun<S extends RunState> {
  /** The state loaded (already checked), or undefined for a first run. */
  readonly saved: S | undefined;
  readonly fingerprint: string;
  /** Flush the sinks, then save `state` (its `v` and `fingerprint` are set here). */
  commit(state: Omit<S, 'v' | 'fingerprint'>): Promise<void>;
  /** Flush, then clear the checkpoint, or with `keep` save `state` marked finished. */
  finish(state: Omit<S, 'v' | 'fingerprint'>, options?: { keep?: boolean }): Promise<void>;
}

function refuse(where: string, message: string, code: string, hint: string): ValidationError {
  return new ValidationError(where, [{ path: 'checkpoint', message, code }], hint);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Checks the runner's own fields of a version-2 state. */
function checkRunFields(where: string, raw: Record<string, unknown>): void {
  const bad = (path: string, message: string) => new ValidationError(where, [{ path: `checkpoint.${path}`, message, code: 'checkpoint_format' }], 'The checkpoint was not written by this SDK: clear it (or delete the file) to start over.');
  if (typeof raw.fingerprint !== 'string') throw bad('fingerprint', 'expected the fingerprint string');
  if (!isCount(raw.rows)) throw bad('rows', 'expected a row count (a whole number >= 0)');
  if (raw.sinks !== undefined && !(isObject(raw.sinks) && Object.values(raw.sinks).every(isCount))) throw bad('sinks', 'expected row counts by sink name');
  if (raw.finished !== undefined && typeof raw.finished !== 'boolean') throw bad('finished', 'expected true or false');
}

/**
 * Opens a run: loads and checks the checkpoint, refuses another export's, cuts the sinks back to what it counted.
 * Without a checkpoint nothing is loaded, nothing is cut, and commit/finish only flush.
 */
export async function openRun<S extends RunState>(o: OpenRunOptions<S>): Promise<ResumableRun<S>> {
  const fingerprint = canonicalJson(o.identity);
  const raw: unknown = o.checkpoint ? await o.checkpoint.load() : undefined;
  let saved: S | undefined;
  if (raw !== undefined) {
    if (!isObject(raw)) throw refuse(o.where, 'the checkpoint state is not an object', 'checkpoint_format', 'Clear the checkpoint (or delete the file) to start over.');
    if (raw.v === 2) {
      checkRunFields(o.where, raw);
      saved = o.parse(raw);
    } else {
      saved = o.upgrade(raw);
    }
    if (saved.fingerprint !== fingerprint) {
      throw refuse(
        o.where,
        `the checkpoint belongs to another export (saved for ${clip(saved.fingerprint)}, this one is ${clip(fingerprint)})`,
        'checkpoint_mismatch',
        'Use one checkpoint per export (interval, query, channels, filters and options), or clear it to start over.',
      );
    }
  }
  const named = Object.entries(o.sinks ?? {});
  if (o.checkpoint) {
    // The checkpoint is the record of what is in the sinks: rows written after its last save (or before the first
    // one) are cut, then exported again, so none is lost or written twice.
    await o.sink?.rewindTo?.(saved?.rows ?? 0);
    for (const [name, sink] of named) await sink?.rewindTo?.(saved?.sinks?.[name] ?? 0);
  }
  const flush = async () => {
    await o.sink?.flush?.();
    for (const [, sink] of named) await sink?.flush?.();
    await o.beforeCommit?.();
  };
  const full = (state: Omit<S, 'v' | 'fingerprint'>) => ({ ...state, v: 2, fingerprint }) as S;
  return {
    saved,
    fingerprint,
    async commit(state) {
      await flush();
      await o.checkpoint?.save(full(state));
    },
    async finish(state, options = {}) {
      await flush();
      if (!o.checkpoint) return;
      if (options.keep) await o.checkpoint.save(full({ ...state, finished: true }));
      else await o.checkpoint.clear();
    },
  };
}

/** Fingerprints can be long (filters): errors show their start and end. */
function clip(text: string): string {
  return text.length <= 300 ? text : `${text.slice(0, 200)} ... ${text.slice(-80)}`;
}
