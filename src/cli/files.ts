/**
 * `--out` and `--checkpoint`: which format, where the checkpoint lives, and whether this run resumes. File outputs
 * always get a checkpoint (default `<out>.checkpoint.json`) so Ctrl-C leaves a resumable state; a run resumes when
 * that checkpoint exists, opening the output with `append: true` so the module can cut it back to the checkpoint.
 *
 * What a run may do to files already on disk (checkOutputs): two outputs that are one file are refused; an existing
 * output with no checkpoint is a finished one and is never truncated unless `--overwrite`; a checkpoint that does
 * not fit the run is exit 2 naming the file and the fixes; temp files a killed run left beside the outputs are
 * removed when the next run starts.
 */
import { existsSync, lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ValidationError } from '../errors';
import { createSinkForPath, sinkFormatForPath, type RowSink, type SinkFormat } from '../sinks/index';
import { bool, outPath, str, type Values } from './args';
import type { CommandContext } from './context';
import { ENV } from './credentials';
import { isAbort, UsageError } from './errors';
import { count, type Output } from './output';

export interface OutputPlan {
  /** `-` for stdout. */
  path: string;
  format: SinkFormat;
  toStdout: boolean;
  checkpointPath: string | undefined;
  /** The checkpoint path was derived from --out (removed again when the run completes). */
  implicitCheckpoint: boolean;
  /** A checkpoint exists (and no --overwrite): this run continues it. */
  resume: boolean;
  /** `--overwrite`: start over, replacing the outputs and discarding any checkpoint. */
  overwrite: boolean;
}

/** Where a plan's rows go, for messages: `stdout` or the file. */
export function outputName(plan: Pick<OutputPlan, 'toStdout' | 'path'>): string {
  return plan.toStdout ? 'stdout' : plan.path;
}

export function checkOutPath(path: string, flag = '--out'): SinkFormat {
  const format = sinkFormatForPath(path);
  if (!format) throw new UsageError(`${flag} ${path}: cannot tell the format from the extension`, 'use .csv, .ndjson or .jsonl, or - for stdout (NDJSON)');
  return format;
}

/** Validates --out / --checkpoint before anything is started. */
export function planOutput(values: Values, options: { checkpoints: boolean }): OutputPlan {
  const path = outPath(values);
  const format = checkOutPath(path);
  const toStdout = path === '-';
  const given = options.checkpoints ? str(values, 'checkpoint') : undefined;
  if (toStdout && given) {
    throw new UsageError('--checkpoint needs a file --out: rows already written to stdout cannot be taken back on resume', 'write to a file, e.g. --out evaluations.ndjson');
  }
  const checkpointPath = given ?? (options.checkpoints && !toStdout ? `${path}.checkpoint.json` : undefined);
  const overwrite = options.checkpoints && !toStdout && bool(values, 'overwrite');
  return {
    path,
    format,
    toStdout,
    checkpointPath,
    implicitCheckpoint: checkpointPath !== undefined && given === undefined,
    resume: checkpointPath !== undefined && !overwrite && existsSync(checkpointPath),
    overwrite,
  };
}

/** Where a path really leads: symlinks (also dangling ones) and `..` resolved, for a file that may not exist yet. */
export function realTarget(path: string, depth = 0): string {
  const abs = resolve(path);
  try {
    return realpathSync.native(abs);
  } catch {
    // missing (or a dangling link): resolve what exists
  }
  if (depth < 40) {
    try {
      if (lstatSync(abs).isSymbolicLink()) return realTarget(resolve(dirname(abs), readlinkSync(abs)), depth + 1);
    } catch {
      // not there at all
    }
  }
  const parent = dirname(abs);
  return parent === abs || depth >= 40 ? abs : join(realTarget(parent, depth + 1), basename(abs));
}

function sameFile(a: string, b: string): boolean {
  if (realTarget(a) === realTarget(b)) return true;
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino; // hard links
  } catch {
    return false;
  }
}

/**
 * Checks the files of a checkpointed run before anything is sent: no two of them (outputs, checkpoint, the
 * credentials file) may be one file, and an existing non-empty output without a checkpoint is a finished export:
 * refused unless --overwrite. `others` are further outputs (`--calibrations-out`), as [label, path].
 */
export function checkOutputs(ctx: Pick<CommandContext, 'values' | 'env'>, plan: OutputPlan, others: Array<[string, string | undefined]> = []): void {
  const credentials = str(ctx.values, 'credentials-file')?.trim() ? ['--credentials-file', str(ctx.values, 'credentials-file')] : ['the credentials file', ctx.env[ENV.credentialsFile]?.trim() || undefined];
  const files = [
    ['--out', plan.toStdout ? undefined : plan.path],
    [plan.implicitCheckpoint ? `the checkpoint (default ${plan.checkpointPath})` : '--checkpoint', plan.checkpointPath],
    ...others,
    credentials,
  ].filter((f): f is [string, string] => typeof f[1] === 'string' && f[1] !== '-');
  for (let i = 0; i < files.length; i++) {
    for (let j = i + 1; j < files.length; j++) {
      const [la, a] = files[i] as [string, string];
      const [lb, b] = files[j] as [string, string];
      if (sameFile(a, b)) {
        throw new UsageError(`${la} and ${lb} are the same file (${realTarget(a)}): the run would write both into it`, 'give each output its own file');
      }
    }
  }
  // Without a checkpoint (rows on stdout) nothing is resumed, so nothing counts as finished.
  if (plan.resume || plan.overwrite || !plan.checkpointPath) return;
  for (const [label, path] of files.filter(([l]) => l === '--out' || others.some(([o]) => o === l))) {
    let size = 0;
    try {
      size = statSync(path).size;
    } catch {
      continue; // not there yet
    }
    if (size > 0) {
      throw new UsageError(
        `${label} ${path} already exists and no checkpoint (${plan.checkpointPath}) says it is unfinished, so it is left as it is`,
        'pass --overwrite to export it again from scratch, or choose another --out',
      );
    }
  }
}

/**
 * Before a checkpointed run opens its outputs: `--overwrite` discards the checkpoint, and the temp files a killed run
 * left beside the outputs and the checkpoint are removed. Those are named `.<file>.<pid>.<8 hex>.tmp` in the same
 * directory (src/sinks: the CSV header rewrite and the atomic checkpoint save); one of a process still running is
 * left alone.
 */
export async function prepareFiles(plan: OutputPlan, out: Output, others: Array<string | undefined> = []): Promise<void> {
  if (plan.overwrite && plan.checkpointPath && existsSync(plan.checkpointPath)) {
    await unlink(plan.checkpointPath);
    out.note(`--overwrite: removed ${plan.checkpointPath}; starting over`);
  }
  if (plan.toStdout) return;
  const removed: string[] = [];
  for (const path of [plan.path, plan.checkpointPath, ...others]) {
    if (!path) continue;
    const dir = dirname(resolve(path));
    const escaped = basename(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(`^\\.${escaped}\\.(\\d+)\\.[0-9a-f]{8}\\.tmp$`);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const pid = Number(pattern.exec(name)?.[1] ?? NaN);
      if (!Number.isSafeInteger(pid)) continue;
      const file = join(dir, name);
      if (isRunning(pid)) {
        out.warn(`${file} belongs to process ${pid}, which is still running: left in place (is another run writing ${path}?)`);
        continue;
      }
      try {
        await unlink(file);
        removed.push(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') out.warn(`could not remove ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    }
  }
  if (removed.length > 0) out.note(`removed ${removed.length} temp file(s) left by an earlier run: ${removed.join(', ')}`);
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true; // ours: another run in this process may be writing it
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A checkpoint the run cannot use (another export's, another kind of job's, not a checkpoint at all) as exit 2
 * naming the file and both ways out; any other error is returned as it is.
 */
export function checkpointError(error: unknown, plan: Pick<OutputPlan, 'checkpointPath'>): unknown {
  if (!(error instanceof ValidationError) || !plan.checkpointPath || !['checkpoint', 'extract checkpoint'].includes(error.where)) return error;
  const path = plan.checkpointPath;
  const why = error.issues.map((i) => i.message).join('; ');
  return new UsageError(
    `the checkpoint ${path} cannot be used for this run: ${why}`,
    `to finish the run that wrote it, rerun that command with the same arguments (its "resume with" line); to start this run over, delete ${path} or pass --overwrite`,
  );
}

/**
 * The state a resumed run continues from (undefined when it starts over). Read before anything is sent, so a
 * checkpoint this run cannot read is refused first (checkpointError; one of another run is refused by the module).
 */
export async function loadSaved<T>(checkpoint: { load(): Promise<T | undefined> } | undefined, plan: Pick<OutputPlan, 'checkpointPath' | 'resume'>): Promise<T | undefined> {
  try {
    return plan.resume ? await checkpoint?.load() : undefined;
  } catch (e) {
    throw checkpointError(e, plan);
  }
}

/**
 * How a resumable command ends when its run stops with `error` (its sinks already closed): interrupted (Ctrl-C,
 * SIGTERM, stdout's reader gone), the exit code after saying what was written and how to resume, with `pinned`
 * flags (e.g. the resolved interval) fixed in the resume line; any other error is thrown, as a UsageError when the
 * checkpoint is at fault, after a note of where the progress is.
 */
export function endStoppedRun(
  ctx: Pick<CommandContext, 'signal' | 'interrupted' | 'out' | 'commandLine'>,
  plan: Pick<OutputPlan, 'checkpointPath' | 'toStdout' | 'path'>,
  error: unknown,
  rowsWritten: number,
  pinned: Record<string, string>,
): number {
  if (isAbort(error, ctx.signal)) {
    return ctx.interrupted(
      `${count(rowsWritten)} row(s) written to ${outputName(plan)} this run` + interruptedNote(plan.checkpointPath),
      plan.checkpointPath ? ctx.commandLine(pinned) : undefined,
    );
  }
  const thrown = checkpointError(error, plan);
  if (thrown === error) failedNote(ctx, plan, pinned);
  throw thrown;
}

/** After a failure (not an interrupt): where the progress is, so the next run resumes instead of starting over. */
export function failedNote(ctx: Pick<CommandContext, 'out' | 'commandLine'>, plan: Pick<OutputPlan, 'checkpointPath'>, pinned: Record<string, string>): void {
  if (plan.checkpointPath && existsSync(plan.checkpointPath)) {
    ctx.out.notice(`progress is saved in ${plan.checkpointPath}; rerun the same command to resume: ${ctx.commandLine(pinned)}`);
  }
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
