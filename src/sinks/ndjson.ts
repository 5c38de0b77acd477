/**
 * Newline-delimited JSON: one `JSON.stringify(row)` per line (Dates become ISO strings, undefined values are
 * left out). The format BigQuery, Snowflake and `jq` read directly, and the simplest one to resume: a partial
 * last line left by a crash is cut off on append.
 */
import { createReadStream } from 'node:fs';
import { fsPromises } from '../internal/node-builtins';
import type { RowSink, SinkOptions, SinkTarget } from './sink';
import { checkTarget, isPathTarget, openTarget, type OpenedTarget } from './target';
import { checkNdjsonSinkOptions } from './options';
import { ValidationError } from '../errors';
import { rewindFile } from './rewind';

export type NdjsonSinkOptions = SinkOptions;

const WHERE = 'NDJSON sink';
const TAIL_CHUNK = 64 * 1024;

export class NdjsonSink<Row = Record<string, unknown>> implements RowSink<Row> {
  private readonly options: NdjsonSinkOptions;
  private opened: OpenedTarget | undefined;
  private readonly ready: Promise<void>;
  private closing: Promise<void> | undefined;
  private count = 0;
  private started = false;

  constructor(target: SinkTarget, options: NdjsonSinkOptions = {}) {
    checkTarget(target, WHERE);
    checkNdjsonSinkOptions(options, WHERE);
    if (options.append && !isPathTarget(target)) {
      throw new ValidationError(WHERE, [{ path: 'append', message: 'append needs a file path, not a stream' }]);
    }
    this.options = options;
    this.ready = this.open(target);
    this.ready.catch(() => undefined);
  }

  get rowsWritten(): number {
    return this.count;
  }

  private async open(target: SinkTarget): Promise<void> {
    if (this.options.append && isPathTarget(target)) {
      const cut = await dropPartialLastLine(target);
      if (cut > 0) this.options.onWarning?.(`${target}: removed a partial last line (${cut} bytes) before appending`);
    }
    this.opened = await openTarget(target, this.options, this.options.append === true);
  }

  async write(row: Row): Promise<void> {
    if (this.closing) throw new Error('cannot write: the NDJSON sink is closed');
    this.started = true;
    await this.ready;
    const line = `${JSON.stringify(row)}\n`;
    this.count++;
    return (this.opened as OpenedTarget).writer.write(line);
  }

  async flush(): Promise<void> {
    await this.ready;
    const writer = (this.opened as OpenedTarget).writer;
    await writer.flush();
    if (this.options.fsync) await writer.fsync();
  }

  /** Keeps only the first `rows` lines of an appended file (see `RowSink.rewindTo`; src/sinks/rewind.ts). */
  async rewindTo(rows: number): Promise<void> {
    const ready = () => this.ready.then(() => this.opened?.path);
    await rewindFile(rows, { where: WHERE, rowsNoun: 'rows', busy: this.started || this.closing !== undefined, options: this.options, ready }, offsetAfterLines);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.ready;
      const opened = this.opened as OpenedTarget;
      await opened.writer.flush();
      if (this.options.fsync) await opened.writer.fsync();
      if (opened.end) await opened.writer.end();
    })();
    return this.closing;
  }
}

/**
 * JSON text never contains a raw newline, so the last LF is the end of the last complete row: read backwards to
 * it and truncate anything after. Returns the bytes removed (0 when the file is missing or already complete).
 */
export async function dropPartialLastLine(path: string): Promise<number> {
  let size: number;
  try {
    size = (await fsPromises().stat(path)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  if (size === 0) return 0;
  const handle = await fsPromises().open(path, 'r');
  let keep = 0;
  try {
    const buf = Buffer.alloc(Math.min(TAIL_CHUNK, size));
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - buf.length);
      const { bytesRead } = await handle.read(buf, 0, end - start, start);
      const lf = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (lf >= 0) {
        keep = start + lf + 1;
        break;
      }
      end = start;
    }
  } finally {
    await handle.close();
  }
  if (keep === size) return 0;
  await fsPromises().truncate(path, keep);
  return size - keep;
}

/** Byte offset just after the first `lines` lines, and how many lines were found if fewer. */
export async function offsetAfterLines(path: string, lines: number): Promise<{ offset: number; found: number }> {
  let found = 0;
  let offset = 0;
  if (lines === 0) return { offset, found };
  let base = 0;
  const stream = createReadStream(path);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let i = chunk.indexOf(0x0a);
      while (i >= 0 && found < lines) {
        found++;
        offset = base + i + 1;
        i = chunk.indexOf(0x0a, i + 1);
      }
      if (found >= lines) break;
      base += chunk.length;
    }
  } finally {
    stream.destroy();
  }
  return { offset, found };
}

/** `new NdjsonSink(target, options)`: a path (created with its directories) or a Writable. */
export function createNdjsonSink<Row = Record<string, unknown>>(
  target: SinkTarget,
  options: NdjsonSinkOptions = {},
): NdjsonSink<Row> {
  return new NdjsonSink<Row>(target, options);
}
