/**
 * `--out` and `--checkpoint`: which format, where the checkpoint lives, and whether this run resumes. File outputs
 * always get a checkpoint (default `<out>.checkpoint.json`) so Ctrl-C leaves a resumable state; a run resumes when
 * that checkpoint exists, opening the output with `append: true` so the module can cut it back to the checkpoint.
 */
import { existsSync } from 'node:fs';
import { createSinkForPath, sinkFormatForPath, type RowSink, type SinkFormat } from '../sinks/index';
import { str, type Values } from './args';
import { UsageError } from './errors';
import type { Output } from './output';

export interface OutputPlan {
  /** `-` for stdout. */
  path: string;
  format: SinkFormat;
  toStdout: boolean;
  checkpointPath: string | undefined;
  /** The checkpoint path was derived from --out (removed again when the run completes). */
  implicitCheckpoint: boolean;
  /** A checkpoint exists: this run continues it. */
  resume: boolean;
}

export function checkOutPath(path: string, flag = '--out'): SinkFormat {
  const format = sinkFormatForPath(path);
  if (!format) throw new UsageError(`${flag} ${path}: cannot tell the format from the extension`, 'use .csv, .ndjson or .jsonl, or - for stdout (NDJSON)');
  return format;
}

/** Validates --out / --checkpoint before anything is started. */
export function planOutput(values: Values, options: { checkpoints: boolean }): OutputPlan {
  const path = str(values, 'out') ?? '-';
  const format = checkOutPath(path);
  const toStdout = path === '-';
  const given = options.checkpoints ? str(values, 'checkpoint') : undefined;
  if (toStdout && given) {
    throw new UsageError('--checkpoint needs a file --out: rows already written to stdout cannot be taken back on resume', 'write to a file, e.g. --out evaluations.ndjson');
  }
  if (given && given === path) throw new UsageError('--checkpoint must be another file than --out');
  const checkpointPath = given ?? (options.checkpoints && !toStdout ? `${path}.checkpoint.json` : undefined);
  return {
    path,
    format,
    toStdout,
    checkpointPath,
    implicitCheckpoint: checkpointPath !== undefined && given === undefined,
    resume: checkpointPath !== undefined && existsSync(checkpointPath),
  };
}

/** Opens a sink for a planned output (append when resuming). Warnings of the sink become stderr warnings. */
export function openSink<Row = Record<string, unknown>>(plan: Pick<OutputPlan, 'path' | 'resume'>, out: Output): RowSink<Row> {
  // New CSV columns are routine (score_<group> pivots appear as forms are met): only --verbose shows them.
  const onWarning = (m: string) => (/new CSV column/i.test(m) ? out.debug(m) : out.note(m));
  return createSinkForPath(plan.path, { append: plan.resume, onWarning }) as unknown as RowSink<Row>;
}

/** Closes sinks, reporting (not throwing) a failure so the original error or interrupt stays the one reported. */
export async function closeAll(sinks: Array<RowSink<never> | undefined>, out: Output): Promise<boolean> {
  let ok = true;
  for (const sink of sinks) {
    if (!sink) continue;
    try {
      await sink.close();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') continue; // stdout's reader left: nothing to finish
      ok = false;
      out.error(`could not finish writing the output: ${(e as Error).message}`);
    }
  }
  return ok;
}

/** After an interrupt: where the progress is, or that there is none yet. */
export function interruptedNote(checkpointPath: string | undefined): string {
  if (!checkpointPath) return '';
  return existsSync(checkpointPath)
    ? `; progress is in ${checkpointPath}`
    : `; no checkpoint was saved yet (the same command starts over)`;
}
