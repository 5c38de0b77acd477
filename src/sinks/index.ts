/** Row writers for warehouse loads, and checkpoints for resumable exports. */
import { extname } from 'node:path';
import { ValidationError } from '../errors';
import { checkSinkForPathOptions } from './options';
import { CsvSink, type CsvSinkOptions } from './csv';
import { NdjsonSink } from './ndjson';
import type { RowSink } from './sink';

export type { RowSink, SinkOptions, SinkTarget, WritableTarget } from './sink';
export { CsvSink, createCsvSink, type CsvSinkOptions } from './csv';
export { NdjsonSink, createNdjsonSink, type NdjsonSinkOptions } from './ndjson';
export {
  FileCheckpoint,
  MemoryCheckpoint,
  writeAtomic,
  type Checkpoint,
  type CheckpointEnvelope,
  type FileCheckpointOptions,
} from './checkpoint';
export { escapeCsvField, csvCell } from './csv-format';

export type SinkFormat = 'ndjson' | 'csv';

export interface SinkForPathOptions extends CsvSinkOptions {
  /** Overrides the format picked from the extension; required to write CSV to stdout (`-` defaults to NDJSON). */
  format?: SinkFormat;
}

const BY_EXTENSION: Record<string, SinkFormat> = { '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.csv': 'csv' };

/** The format `createSinkForPath` would pick, or undefined for an unknown extension. */
export function sinkFormatForPath(path: string): SinkFormat | undefined {
  if (typeof path !== 'string') throw new ValidationError('sinkFormatForPath input', [{ path: 'path', code: 'invalid_type', message: `expected an output path (a string), got ${typeof path}` }]);
  if (path === '-') return 'ndjson';
  return BY_EXTENSION[extname(path).toLowerCase()];
}

/**
 * A sink for a CLI-style output path: `.ndjson`/`.jsonl` -> NDJSON, `.csv` -> CSV, `-` -> stdout (NDJSON unless
 * `format: 'csv'`). Anything else is a ValidationError naming the accepted extensions.
 */
export function createSinkForPath(path: string, options: SinkForPathOptions = {}): RowSink {
  if (typeof path !== 'string' || path.length === 0) {
    throw new ValidationError('output path', [{ path: 'path', message: 'the output path must be a non-empty string (a .csv, .ndjson or .jsonl file, or - for stdout)' }]);
  }
  checkSinkForPathOptions(options, 'output path options');
  const { format: forced, ...rest } = options ?? {};
  const format = forced ?? sinkFormatForPath(path);
  if (format === undefined) {
    throw new ValidationError('output path', [
      {
        path: 'path',
        message: `cannot tell the format of "${path}": use a .csv, .ndjson or .jsonl file, or - for stdout`,
      },
    ]);
  }
  const target = path === '-' ? process.stdout : path;
  if (format === 'csv') {
    // stdout cannot be rewritten when new columns appear; fail loudly unless the caller chose otherwise.
    return new CsvSink(target, path === '-' ? { newColumns: 'error', ...rest } : rest);
  }
  return new NdjsonSink(target, rest);
}
