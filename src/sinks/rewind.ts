/**
 * `RowSink.rewindTo(rows)` as every file sink does it (csv.ts, ndjson.ts): the checks (a whole number, before the
 * first write, a file opened with `append: true`), the refusal when the file holds fewer rows than the checkpoint
 * recorded, and the cut with its warning. Where the first `rows` rows end is each format's own (`locate`). The file
 * is open with O_APPEND, so truncating under the open descriptor is safe: later writes land at the new end.
 */
import { ValidationError } from '../errors';
import { fsPromises } from '../internal/node-builtins';
import type { SinkOptions } from './sink';

export interface RewindingSink {
  /** The sink's name in errors (`CSV sink`). */
  where: string;
  /** What a row is called in the refusal (`data rows` for CSV, after its header). */
  rowsNoun: string;
  /** A row was written or close() called: too late to rewind. */
  busy: boolean;
  options: Pick<SinkOptions, 'append' | 'onWarning'>;
  /** Waits for the file to be open (and what the sink queued before) and returns its path (undefined: a stream). */
  ready(): Promise<string | undefined>;
  /** Hands what the sink buffered to the file, so the scan sees all of it. */
  flush?(): Promise<void>;
}

/**
 * Cuts the file back to its first `rows` rows. Returns what `locate` found, or undefined when there was nothing to
 * do (a fresh file or a stream rewound to 0 rows is already there).
 */
export async function rewindFile<L extends { offset: number; found: number }>(
  rows: number,
  sink: RewindingSink,
  locate: (path: string, rows: number) => Promise<L>,
): Promise<L | undefined> {
  if (!Number.isSafeInteger(rows) || rows < 0) {
    throw new ValidationError(sink.where, [{ path: 'rows', message: `must be a whole number >= 0, got ${rows}` }]);
  }
  if (sink.busy) throw new Error('rewindTo() must come before the first write');
  const path = await sink.ready();
  if (rows === 0 && !sink.options.append) return undefined;
  if (path === undefined || !sink.options.append) {
    throw new ValidationError(sink.where, [{ path: 'append', message: 'rewindTo() needs a file path opened with append: true' }]);
  }
  await sink.flush?.();
  const { size } = await fsPromises().stat(path);
  const located = await locate(path, rows);
  if (located.found < rows) {
    throw new ValidationError(
      sink.where,
      [{ path, message: `holds ${located.found} ${sink.rowsNoun} but the checkpoint recorded ${rows}` }],
      'The file was replaced or lost data since the checkpoint was saved: delete the checkpoint and the file to start over.',
    );
  }
  const cut = await truncateTo(path, size, located.offset);
  if (cut > 0) sink.options.onWarning?.(`${path}: removed ${cut} bytes written after the last checkpoint`);
  return located;
}

/** Cuts `path` (of `size` bytes) to its first `bytes`; returns the bytes removed. */
export async function truncateTo(path: string, size: number, bytes: number): Promise<number> {
  if (bytes >= size) return 0;
  await fsPromises().truncate(path, bytes);
  return size - bytes;
}
