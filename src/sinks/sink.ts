/**
 * What every row writer implements. Exporters take a `RowSink` so rows can go to a file, stdout, a warehouse
 * client or a test array without the exporter knowing which.
 */
export interface RowSink<Row = Record<string, unknown>> {
  /**
   * Queues one row. Resolves at once when the underlying stream accepted it, or after 'drain' when the stream
   * is full, so `for await (...) await sink.write(row)` never buffers more than the stream's highWaterMark.
   * Rejects if the stream failed; rows must be written in order (awaiting each write is enough).
   */
  write(row: Row): Promise<void>;
  /**
   * Hands every row written so far to the OS (and fsyncs when the sink was created with `fsync: true`). Save a
   * checkpoint only after this resolves, so a resumed run never skips rows that were still in memory.
   */
  flush?(): Promise<void>;
  /**
   * Resume support: cuts the output back to its first `rows` data rows (the rows a checkpoint recorded), dropping
   * rows written after the last checkpoint by a run that crashed. Only before the first `write`; file targets
   * opened with `append: true`. Rejects with a ValidationError when the file holds fewer rows than that.
   */
  rewindTo?(rows: number): Promise<void>;
  /** Flushes, finishes the file (or stream) and resolves when it is complete on disk. Idempotent. */
  close(): Promise<void>;
  /** Rows accepted by `write` so far (including rows still being flushed). */
  readonly rowsWritten: number;
}

/** Where a sink writes: a file path, or a Node Writable (e.g. `process.stdout`, a gzip stream, a socket). */
export type SinkTarget = string | WritableTarget;

/**
 * What a sink needs of a stream it writes to (`process.stdout`, a `fs.WriteStream`, any Node Writable): typed
 * structurally so the declarations need no `@types/node`.
 */
export interface WritableTarget {
  write(chunk: string, callback?: (error?: Error | null) => void): boolean;
  end(): unknown;
  on(event: string, listener: (...args: any[]) => void): unknown;
  once(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
}

/** Options shared by the file-backed sinks. */
export interface SinkOptions {
  /**
   * Path targets: keep the existing file and add to it (resume). A partial last row left by a crash is cut off
   * first. Default false (the file is truncated).
   */
  append?: boolean;
  /** Path targets: fsync on `flush()` and `close()`, so rows survive a power loss too. Default false. */
  fsync?: boolean;
  /** Stream targets: end the stream on `close()`. Default true, except for process.stdout/stderr (never ended). */
  end?: boolean;
  /** Hears about things worth logging that are not errors (a repaired partial row, new CSV columns). */
  onWarning?: (message: string) => void;
}
