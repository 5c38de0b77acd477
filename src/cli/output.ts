/**
 * The only place the CLI writes to stdout and stderr. Rows go to the sink (a file, or stdout with `--out -`);
 * the summary goes to stdout, or to stderr when stdout carries the rows; notes, warnings, progress and errors go
 * to stderr.
 */

export interface Streams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  /** Rows are written to stdout (`--out -`): keep stdout for them. */
  rowsOnStdout: boolean;
}

const PREFIX = 'gc-data:';

export interface LineGuard {
  clear(): void;
  redraw(): void;
}

export class Output {
  #guard: LineGuard | undefined;

  constructor(
    readonly streams: Streams,
    readonly options: OutputOptions,
  ) {}

  /** Set by a live progress bar: stderr lines clear the bar first and redraw it after. */
  setLineGuard(guard: LineGuard | undefined): void {
    this.#guard = guard;
  }

  #stderr(line: string): void {
    this.#guard?.clear();
    this.streams.stderr.write(`${line}\n`);
    this.#guard?.redraw();
  }

  /** Informational line on stderr (hidden by --quiet). */
  note(text: string): void {
    if (!this.options.quiet) this.#stderr(`${PREFIX} ${text}`);
  }

  /** A line on stderr that --quiet does not hide (the simulated-org notice, interrupt and resume instructions). */
  notice(text: string): void {
    this.#stderr(`${PREFIX} ${text}`);
  }

  warn(text: string): void {
    if (!this.options.quiet) this.#stderr(`${PREFIX} warning: ${text}`);
  }

  /** Only with --verbose. */
  debug(text: string): void {
    if (this.options.verbose) this.#stderr(`${PREFIX} ${text}`);
  }

  error(text: string): void {
    this.#stderr(`${PREFIX} error: ${text}`);
  }

  /** Raw text on stdout (help, the simulate banner). */
  print(text: string): void {
    this.streams.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Where the summary goes: stdout, unless the rows are there. */
  get summaryStream(): NodeJS.WritableStream {
    return this.options.rowsOnStdout ? this.streams.stderr : this.streams.stdout;
  }

  /**
   * The end-of-run summary: one JSON object on one line with --json, else aligned `key: value` lines after a title.
   * Shown even with --quiet (it is the result, not chatter).
   */
  summary(title: string, data: Record<string, unknown>, lines: Array<[string, string | number | undefined]>): void {
    if (this.options.json) {
      this.summaryStream.write(`${JSON.stringify(data)}\n`);
      return;
    }
    const shown = lines.filter(([, v]) => v !== undefined && v !== '');
    const width = Math.max(0, ...shown.map(([k]) => k.length));
    const body = shown.map(([k, v]) => `  ${`${k}:`.padEnd(width + 1)} ${String(v)}`).join('\n');
    this.summaryStream.write(`${title}\n${body}\n`);
  }

  /** With --json, failures are also reported as one JSON object where the summary would have been. */
  errorSummary(data: Record<string, unknown>): void {
    if (this.options.json) this.summaryStream.write(`${JSON.stringify({ ok: false, error: data })}\n`);
  }
}

/** `1234567` -> `1,234,567` */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function seconds(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return m < 60 ? `${m} min ${s} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Quotes one argument for a POSIX shell when it needs it (for the "resume with" line). */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
