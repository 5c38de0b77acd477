/**
 * Progress on stderr. On a TTY a live cli-progress bar: done/total, requests sent, 429s waited out, ETA. Elsewhere
 * (CI logs, files) one plain line every `--progress-interval` seconds (default 10). `--quiet` turns both off.
 * Fed by the module's progress callback (`set`), `client.stats()` (requests, 429s) and the client's `rateLimit`
 * events: a rate-limit hold shows as it happens ("waiting 42 s for the rate limit") instead of a frozen line, and
 * the ETA comes from the rate observed since this run started (holds included), never from rows a resumed run
 * restored at once. Time is the client's clock (src/internal/clock.ts), so a run on a fake clock shows exact elapsed
 * times and ETAs; only the redraw cadence (a display refresh, not a wait of the run) uses real timers.
 */
import { SingleBar } from 'cli-progress';
import type { GenesysClient } from '../client';
import { clockOf, type Clock } from '../internal/clock';
import type { Output } from './output';
import { count, seconds } from './output';
import { UsageError } from './errors';

export type ProgressMode = 'bar' | 'lines' | 'off';

export interface ProgressState {
  /** Units done (rows written, windows finished). */
  value: number;
  /** Units in all; undefined when not known yet. */
  total?: number | undefined;
  /** The total is an estimate (discovery still running). */
  estimated?: boolean;
  /** Rows written, when the unit is not rows (e.g. windows). */
  rows?: number | undefined;
}

export interface ProgressOptions {
  mode: ProgressMode;
  out: Output;
  client: GenesysClient;
  /** What is being counted: `rows`, `windows`, `conversations`. */
  unit: string;
  label: string;
  /** Lines mode: one line every this many ms. Default 10,000. */
  intervalMs?: number;
}

/** `auto` = bar on a TTY, lines otherwise; `--quiet` = off. */
export function progressMode(flag: string | undefined, quiet: boolean, isTTY: boolean | undefined): ProgressMode {
  if (flag !== undefined && !['auto', 'bar', 'lines', 'off'].includes(flag)) {
    throw new UsageError(`--progress ${flag.slice(0, 40)}: use auto, bar, lines or off`);
  }
  if (quiet || flag === 'off') return 'off';
  if (flag === 'bar' || flag === 'lines') return flag;
  return isTTY ? 'bar' : 'lines';
}

const BAR_WIDTH = 24;
/** The ETA's rate window. */
const RATE_WINDOW_MS = 120_000;

export class Progress {
  readonly #o: ProgressOptions;
  #state: ProgressState = { value: 0 };
  #started = 0;
  #running = false;
  #samples: Array<[number, number]> = [];
  #bar: SingleBar | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #first = true;
  /** When the current rate-limit hold ends (ms since epoch), 0 when none. */
  #holdUntil = 0;
  #holdWhy = '';
  #unwatch: (() => void) | undefined;

  readonly #clock: Clock;

  constructor(options: ProgressOptions) {
    this.#o = options;
    this.#clock = clockOf(options.client);
  }

  /** False with --quiet / --progress off. */
  get enabled(): boolean {
    return this.#o.mode !== 'off';
  }

  start(): void {
    if (this.#o.mode === 'off' || this.#running) return;
    this.#running = true;
    this.#started = this.#clock.now();
    this.#samples = [[this.#started, 0]];
    if (this.#o.mode === 'bar') {
      const stream = this.#o.out.streams.stderr;
      this.#bar = new SingleBar({
        stream,
        format: (_options, params, payload: { line?: string }) => payload.line ?? `${params.value}`,
        hideCursor: true,
        clearOnComplete: false,
        gracefulExit: false,
        linewrap: true,
        fps: 8,
      });
      this.#bar.start(1, 0, { line: this.line(true) });
      // Lines written while the bar is drawn would be overwritten: clear the bar line first, redraw after.
      this.#o.out.setLineGuard({
        clear: () => stream.write('\r\x1b[K'),
        redraw: () => this.#bar?.update(0, { line: this.line(true) }),
      });
      this.#timer = setInterval(() => this.#bar?.update(0, { line: this.line(true) }), 250);
    } else {
      this.#timer = setInterval(() => this.#o.out.note(this.line(false)), this.#o.intervalMs ?? 10_000);
    }
    this.#timer.unref();
    const onHold = (e: { kind: string; pausedForMs: number }) => this.hold(e.pausedForMs, e.kind === 'retry-after' ? '429' : 'budget spent');
    this.#o.client.on('rateLimit', onHold);
    this.#unwatch = () => this.#o.client.off('rateLimit', onHold);
  }

  /** A rate-limit hold began: shown on the line until it ends; in lines mode a long one gets its own line at once. */
  hold(pausedForMs: number, why: string): void {
    const until = this.#clock.now() + pausedForMs;
    if (until <= this.#holdUntil) return;
    this.#holdUntil = until;
    this.#holdWhy = why;
    if (this.#o.mode === 'lines' && pausedForMs >= 2_000) this.#o.out.note(`${this.#o.label} waiting ${seconds(pausedForMs)} for the rate limit (${why})`);
    else if (this.#o.mode === 'bar') this.#bar?.update(0, { line: this.line(true) });
  }

  set(state: ProgressState): void {
    this.#state = state;
    const now = this.#clock.now();
    if (this.#first) {
      // A resumed run reports the rows it restored in its first update: the rate starts from there, not from 0.
      this.#first = false;
      this.#samples = [[now, state.value]];
      return;
    }
    this.#samples.push([now, state.value]);
    // The rate is measured over the last two minutes or so (from the oldest sample younger than that): long enough
    // to include rate-limit holds, short enough to follow a change of pace.
    while (this.#samples.length > 2 && (this.#samples[1] as [number, number])[0] < now - RATE_WINDOW_MS) this.#samples.shift();
  }

  /** Stops drawing. The bar's last frame stays on screen as a record. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#unwatch?.();
    if (this.#timer) clearInterval(this.#timer);
    if (this.#bar) {
      this.#bar.update(0, { line: this.line(true) });
      this.#bar.stop();
      this.#o.out.setLineGuard(undefined);
    }
  }

  /**
   * Remaining time from the rate observed over the last two minutes of this run (wall time, so holds count), plus
   * what is left of a hold in progress; undefined until there is a rate and a total.
   */
  eta(now = this.#clock.now()): number | undefined {
    const { value, total } = this.#state;
    if (total === undefined || total <= value) return total !== undefined && total <= value ? 0 : undefined;
    const first = this.#samples[0];
    if (!first || now - first[0] < 1000 || value <= first[1]) return undefined;
    const rate = (value - first[1]) / (now - first[0]);
    return (total - value) / rate + Math.max(0, this.#holdUntil - now);
  }

  line(withBar: boolean): string {
    const { value, total, estimated, rows } = this.#state;
    const stats = this.#o.client.stats();
    const t = total === undefined ? '?' : `${estimated ? '~' : ''}${count(total)}`;
    const ratio = total !== undefined && total > 0 ? Math.min(1, value / total) : undefined;
    const pct = ratio === undefined ? '' : ` (${Math.floor(ratio * 100)}%)`;
    const now = this.#clock.now();
    const eta = this.eta(now);
    const parts = [
      `${count(value)}/${t} ${this.#o.unit}${withBar ? '' : pct}`,
      ...(rows !== undefined && this.#o.unit !== 'rows' ? [`${count(rows)} rows`] : []),
      `${count(stats.requests)} ${withBar ? 'req' : 'requests'}`,
      `${count(stats.rateLimited)} 429s waited${withBar ? '' : ' out'}`,
      ...(now < this.#holdUntil ? [`waiting ${seconds(this.#holdUntil - now)} for the rate limit (${this.#holdWhy})`] : []),
      `ETA ${eta === undefined ? '?' : seconds(eta)}`,
      ...(withBar ? [] : [`elapsed ${seconds(now - this.#started)}`]),
    ];
    const text = parts.join(' | ');
    if (!withBar) return `${this.#o.label} ${text}`;
    // The bar takes what the terminal has left (cli-progress trims anything wider).
    const columns = this.#o.out.streams.stderr.columns ?? 80;
    const width = Math.max(10, Math.min(BAR_WIDTH, columns - text.length - 9));
    const full = ratio === undefined ? 0 : Math.round(ratio * width);
    const bar = `[${'█'.repeat(full)}${'░'.repeat(width - full)}]${ratio === undefined ? ' ' : ` ${String(Math.floor(ratio * 100)).padStart(3)}%`}`;
    return `${bar} ${text}`;
  }
}
