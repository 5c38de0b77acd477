/**
 * CSV rows for warehouse loads (RFC 4180 quoting, UTF-8, LF line ends by default).
 *
 * Column order is stable: the given `columns`, else the first row's keys; columns that appear later (a new
 * `score_*` pivot from another form version) are appended at the end. A CSV header cannot change once written,
 * so for a file target the sink keeps streaming (no buffering), writes later rows with the wider column set and,
 * at the next `flush()` (exporters call it before each checkpoint) or at `close()`, rewrites the file once: new
 * header, earlier rows padded with empty fields, via a temp file renamed over the original. So the header on disk
 * is right at every checkpoint. Stream targets cannot be rewritten: there, new columns are an error by default (or
 * dropped with `newColumns: 'drop'`); pass `columns` up front to avoid both.
 */
import { checkCsvSinkOptions } from './options';
import { ValidationError } from '../errors';
import { csvCell, csvLine } from './csv-format';
import { inspectCsvFile, offsetAfterRecords, rewriteCsvPadded } from './csv-scan';
import { rewindFile, truncateTo } from './rewind';
import type { RowSink, SinkOptions, SinkTarget } from './sink';
import { checkTarget, isPathTarget, openTarget, type OpenedTarget } from './target';

export interface CsvSinkOptions extends SinkOptions {
  /** Columns to start with (and their order). Rows' other keys become new columns (see `newColumns`). */
  columns?: readonly string[];
  /** Write a header line. Default true. On append, an existing header is read and kept. */
  header?: boolean;
  /**
   * What to do when a row has keys no earlier row had: `'rewrite'` (default for paths) appends them and fixes
   * the header on close; `'drop'` ignores those keys (one warning each); `'error'` (default for streams) rejects
   * the write with a ValidationError.
   */
  newColumns?: 'rewrite' | 'drop' | 'error';
  /** Line ending: `'\n'` (default; every warehouse loader accepts it) or `'\r\n'` (strict RFC 4180). */
  eol?: '\n' | '\r\n';
}

const WHERE = 'CSV sink';

export class CsvSink<Row extends object = Record<string, unknown>> implements RowSink<Row> {
  private readonly target: SinkTarget;
  private readonly options: CsvSinkOptions;
  private readonly eol: string;
  private readonly header: boolean;
  private readonly policy: 'rewrite' | 'drop' | 'error';
  private columns: string[] | undefined;
  private known = new Set<string>();
  private readonly dropped = new Set<string>();
  /** Columns the file's header (or first row, without header) was written with. */
  private committed = 0;
  /** Fields per row already in the file when appending without a header. */
  private existingFields: number | undefined;
  /** Byte offset where data rows start in the file (after an existing or written header). */
  private dataStart = 0;
  private opened: OpenedTarget | undefined;
  /** Open, then any header rewrite: writes wait for it so no row lands in a stream being swapped. */
  private gate: Promise<void>;
  /** An appended file's rows are wider than its header; fatal unless `rewindTo` cuts those rows off. */
  private widthProblem: ValidationError | undefined;
  private started = false;
  private closing: Promise<void> | undefined;
  private count = 0;

  constructor(target: SinkTarget, options: CsvSinkOptions = {}) {
    checkTarget(target, WHERE);
    checkCsvSinkOptions(options, WHERE);
    this.target = target;
    this.options = options;
    this.eol = options.eol ?? '\n';
    this.header = options.header !== false;
    this.policy = options.newColumns ?? (isPathTarget(target) ? 'rewrite' : 'error');
    if (this.policy === 'rewrite' && !isPathTarget(target)) {
      throw new ValidationError(WHERE, [
        {
          path: 'newColumns',
          message: "'rewrite' needs a file path: a stream cannot be rewritten. Pass `columns` up front or use 'drop'/'error'",
        },
      ]);
    }
    if (options.append && !isPathTarget(target)) {
      throw new ValidationError(WHERE, [{ path: 'append', message: 'append needs a file path, not a stream' }]);
    }
    this.gate = this.open();
    // Surfaced by the first write() or close(); never an unhandled rejection in between.
    this.gate.catch(() => undefined);
  }

  get rowsWritten(): number {
    return this.count;
  }

  /** The current column order (empty until the first row or `columns`). */
  get columnNames(): readonly string[] {
    return this.columns ?? [];
  }

  private async open(): Promise<void> {
    let append = false;
    if (this.options.append && isPathTarget(this.target)) {
      const info = await inspectCsvFile(this.target, this.header);
      if (info && info.size > 0) {
        const cut = await truncateTo(this.target, info.size, info.completeBytes);
        if (cut > 0) this.options.onWarning?.(`${this.target}: removed a partial last row (${cut} bytes) before appending`);
        if (info.completeBytes > 0) {
          append = true;
          if (this.header && info.header) {
            if (info.maxDataFields > info.header.length) {
              this.widthProblem = widthError(this.target, info.maxDataFields, info.header.length);
            }
            this.setColumns(info.header);
            this.committed = info.header.length;
            this.dataStart = info.dataStart;
          } else if (!this.header && info.maxDataFields > 0) {
            this.existingFields = info.maxDataFields;
          }
        }
      }
    }
    this.opened = await openTarget(this.target, this.options, append);
    if (this.options.columns) {
      if (this.columns) this.addColumns(this.options.columns.filter((c) => !this.known.has(c)));
      else this.startColumns([...this.options.columns]);
    }
  }

  private setColumns(columns: readonly string[]): void {
    this.columns = [...columns];
    this.known = new Set(columns);
  }

  /** First column set of a fresh file: written as the header right away. */
  private startColumns(columns: string[]): void {
    this.setColumns(columns);
    this.committed = this.existingFields ?? columns.length;
    if (this.header) {
      const line = csvLine(columns, this.eol);
      this.dataStart = Buffer.byteLength(line);
      void this.opened?.writer.write(line).catch(() => undefined);
    }
  }

  private addColumns(added: readonly string[]): void {
    if (added.length === 0 || !this.columns) return;
    for (const c of added) {
      this.columns.push(c);
      this.known.add(c);
    }
    this.options.onWarning?.(
      `new CSV column(s) ${added.join(', ')}: earlier rows get empty values, and the header is rewritten at the next flush() or close()`,
    );
  }

  async write(input: Row): Promise<void> {
    if (this.closing) throw new Error('cannot write: the CSV sink is closed');
    this.started = true;
    await this.gate;
    if (this.widthProblem) throw this.widthProblem;
    const opened = this.opened as OpenedTarget;
    const row = input as Record<string, unknown>;
    if (!this.columns) this.startColumns(definedKeys(row));
    else {
      let added: string[] | undefined;
      for (const k in row) {
        if (this.known.has(k) || row[k] === undefined || !Object.prototype.hasOwnProperty.call(row, k)) continue;
        (added ??= []).push(k);
      }
      if (added) this.onNewColumns(added);
    }
    const columns = this.columns as string[];
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      const cell = csvCell(row[columns[i] as string]);
      line = i === 0 ? cell : `${line},${cell}`;
    }
    this.count++;
    return opened.writer.write(line + this.eol);
  }

  private onNewColumns(added: string[]): void {
    if (this.policy === 'rewrite') {
      this.addColumns(added);
      return;
    }
    if (this.policy === 'drop') {
      const fresh = added.filter((c) => !this.dropped.has(c));
      for (const c of fresh) this.dropped.add(c);
      if (fresh.length) this.options.onWarning?.(`dropping CSV column(s) not in the header: ${fresh.join(', ')}`);
      return;
    }
    throw new ValidationError(
      WHERE,
      added.map((c) => ({ path: c, message: `column "${c}" is not in the CSV header` })),
      'Pass `columns` with every column up front, write to a file path (the header is then rewritten), ' +
        'or use newColumns: "drop".',
    );
  }

  /** Hands rows to the OS and, if columns were added since the header was written, rewrites the header now. */
  flush(): Promise<void> {
    this.gate = this.gate.then(async () => {
      const writer = (this.opened as OpenedTarget).writer;
      await writer.flush();
      if (this.options.fsync) await writer.fsync();
      await this.commitColumns(true);
    });
    return this.gate;
  }

  /** Keeps only the first `rows` data rows of an appended file (see `RowSink.rewindTo`; src/sinks/rewind.ts). */
  async rewindTo(rows: number): Promise<void> {
    const ready = () => this.gate.then(() => this.opened?.path);
    const flush = () => (this.opened as OpenedTarget).writer.flush();
    const sink = { where: WHERE, rowsNoun: 'data rows', busy: this.started || this.closing !== undefined, options: this.options, ready, flush };
    const kept = await rewindFile(rows, sink, (path, n) => offsetAfterRecords(path, this.dataStart, n));
    if (kept && this.widthProblem && this.columns && kept.maxFields <= this.columns.length) this.widthProblem = undefined;
  }

  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  private async finish(): Promise<void> {
    await this.gate;
    if (this.widthProblem) throw this.widthProblem;
    const opened = this.opened as OpenedTarget;
    await opened.writer.flush();
    if (this.options.fsync) await opened.writer.fsync();
    if (opened.end) await opened.writer.end();
    await this.commitColumns(false);
  }

  /** Rewrites header and padding when columns were added; reopens the file for appending when `reopen`. */
  private async commitColumns(reopen: boolean): Promise<void> {
    const opened = this.opened as OpenedTarget;
    const columns = this.columns ?? [];
    if (opened.path === undefined || this.policy !== 'rewrite' || columns.length <= this.committed) return;
    if (!opened.writer.stream.writableEnded) await opened.writer.end();
    const headerLine = this.header ? csvLine(columns, this.eol) : '';
    await rewriteCsvPadded(opened.path, this.dataStart, headerLine, columns.length);
    this.committed = columns.length;
    if (this.header) this.dataStart = Buffer.byteLength(headerLine);
    if (reopen) this.opened = await openTarget(opened.path, this.options, true);
  }
}

function widthError(path: string, fields: number, headerFields: number): ValidationError {
  return new ValidationError(
    WHERE,
    [{ path, message: `has rows with more fields than its header (${fields} > ${headerFields})` }],
    'A previous run stopped before it could rewrite the header. Resume with rewindTo() from a checkpoint, or start a new file.',
  );
}

function definedKeys(row: Record<string, unknown>): string[] {
  const keys: string[] = [];
  for (const k of Object.keys(row)) if (row[k] !== undefined) keys.push(k);
  return keys;
}

/** `new CsvSink(target, options)`: a path (created with its directories) or a Writable. */
export function createCsvSink<Row extends object = Record<string, unknown>>(
  target: SinkTarget,
  options: CsvSinkOptions = {},
): CsvSink<Row> {
  return new CsvSink<Row>(target, options);
}
