/**
 * What a command gets from the runner: parsed flags, output, the stop signal (Ctrl-C), a lazily opened connection
 * (closed by the runner), progress, and the "interrupted, resume with" message.
 */
import { ClientObserver } from '../client-observer';
import { telemetryOf } from '../telemetry/registry';
import type { GenesysClient } from '../client';
import { systemClock, type Clock } from '../internal/clock';
import { durationMs, int, str, type OptionSpec, type Values } from './args';
import { connect, type Connection } from './credentials';
import { EXIT, UsageError } from './errors';
import { shellQuote, type Output } from './output';
import { Progress, progressMode } from './progress';

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full `--help` text. */
  help: string;
  options: OptionSpec;
  positionals?: boolean;
  /** True when this invocation writes rows to stdout (the summary then goes to stderr). */
  rowsOnStdout?(values: Values): boolean;
  run(ctx: CommandContext): Promise<number>;
}

export interface CommandContext {
  command: Command;
  /** The command's own arguments, as typed (for the resume line). */
  args: string[];
  values: Values;
  positionals: string[];
  out: Output;
  env: NodeJS.ProcessEnv;
  /** Aborted by Ctrl-C / SIGTERM. */
  signal: AbortSignal;
  /** What stopped the run, once something did (a signal, or the reader of stdout going away). */
  stoppedBy(): 'SIGINT' | 'SIGTERM' | 'EPIPE' | undefined;
  /**
   * The run's clock, the one its client gets (run.ts `RunOptions.clock`; the system clock by default): what "now"
   * means for defaults such as `--interval`'s last full UTC day, so a run on a fake clock reads no real time.
   */
  readonly clock: Clock;
  /** Connects once (real org or the simulated one); the runner closes it. */
  connect(): Promise<Connection>;
  progress(client: GenesysClient, unit: string, label: string): Progress;
  /** How to run this again, with some flags pinned (e.g. the resolved interval). */
  commandLine(pinned?: Record<string, string>): string;
  /** Prints the interrupt notice and returns the exit code (130 for Ctrl-C, 143 for SIGTERM, 0 when stdout's reader left). */
  interrupted(what: string, resume?: string): number;
}

export type ContextInit = Pick<CommandContext, 'command' | 'args' | 'values' | 'positionals' | 'out' | 'env' | 'signal' | 'stoppedBy'> & {
  /** How the user invoked us: `gc-data`, or `npx tsx src/cli/index.ts` when running from source. */
  invokedAs: string;
  /** The connection's clock (run.ts `RunOptions.clock`); undefined: the system clock. */
  clock?: Clock | undefined;
};

export class Context implements CommandContext {
  readonly command: Command;
  readonly args: string[];
  readonly values: Values;
  readonly positionals: string[];
  readonly out: Output;
  readonly env: NodeJS.ProcessEnv;
  readonly signal: AbortSignal;
  readonly stoppedBy: () => 'SIGINT' | 'SIGTERM' | 'EPIPE' | undefined;
  readonly clock: Clock;
  readonly #invokedAs: string;
  readonly #clock: Clock | undefined;
  #connection: Promise<Connection> | undefined;

  constructor(init: ContextInit) {
    this.command = init.command;
    this.args = init.args;
    this.values = init.values;
    this.positionals = init.positionals;
    this.out = init.out;
    this.env = init.env;
    this.signal = init.signal;
    this.stoppedBy = init.stoppedBy;
    this.#invokedAs = init.invokedAs;
    this.#clock = init.clock;
    this.clock = init.clock ?? systemClock;
  }

  connect(): Promise<Connection> {
    // Bad progress flags are refused before the first request, not when the progress display starts.
    this.#progressSettings();
    this.#connection ??= connect({
      values: this.values,
      env: this.env,
      out: this.out,
      requestsPerMinute: int(this.values, 'requests-per-minute', { min: 1, max: 100_000 }),
      ...(this.#clock ? { clock: this.#clock } : {}),
    }).then((c) => {
      this.watch(c.client);
      return c;
    });
    return this.#connection;
  }

  /** Closes the connection if one was opened (and stops the simulated org). */
  async close(): Promise<void> {
    if (!this.#connection) return;
    const c = await this.#connection.catch(() => undefined);
    await c?.close();
  }

  progress(client: GenesysClient, unit: string, label: string): Progress {
    return new Progress({ ...this.#progressSettings(), out: this.out, client, unit, label });
  }

  #progressSettings(): { mode: ReturnType<typeof progressMode>; intervalMs: number } {
    const mode = progressMode(str(this.values, 'progress'), this.out.options.quiet, this.out.streams.stderr.isTTY);
    const intervalMs = durationMs(this.values, 'progress-interval') ?? 10_000;
    if (intervalMs < 100) throw new UsageError(`--progress-interval must be at least 0.1 second (got ${intervalMs} ms)`);
    return { mode, intervalMs };
  }

  commandLine(pinned: Record<string, string> = {}): string {
    const kept: string[] = [];
    for (let i = 0; i < this.args.length; i++) {
      const a = this.args[i] as string;
      const name = /^--([^=]+)/.exec(a)?.[1];
      if (name && name in pinned) {
        if (!a.includes('=')) i++;
        continue;
      }
      kept.push(a);
    }
    for (const [k, v] of Object.entries(pinned)) kept.push(`--${k}`, v);
    return [this.#invokedAs, this.command.name, ...kept.map(shellQuote)].join(' ');
  }

  interrupted(what: string, resume?: string): number {
    const by = this.stoppedBy();
    if (by === 'EPIPE') {
      this.out.debug(`stdout was closed by the reader: ${what}`);
      return EXIT.OK;
    }
    this.out.notice(`stopped (${by === 'SIGTERM' ? 'SIGTERM' : 'Ctrl-C'}): ${what}`);
    if (resume) this.out.notice(`resume with: ${resume}`);
    return by === 'SIGTERM' ? EXIT.TERMINATED : EXIT.INTERRUPTED;
  }

  /**
   * Warnings always; with --verbose every event as the `logger` option would log it (the same formatter:
   * src/client-observer.ts), so `-v` shows retries, rate-limit holds, token refreshes, requests and responses.
   */
  private watch(client: GenesysClient): void {
    const text = (m: string) => m.replace(/^gc-data: /, '');
    const observer = new ClientObserver(
      {
        debug: (m) => this.out.debug(text(m)),
        info: (m) => this.out.debug(text(m)),
        warn: (m) => this.out.warn(text(m)),
        error: (m) => this.out.error(text(m)),
      },
      telemetryOf({}),
    );
    for (const name of ['request', 'response', 'retry', 'rateLimit', 'token', 'warning'] as const) {
      (client as unknown as { on(n: string, l: (p: unknown) => void): void }).on(name, (payload) => observer.observe(name, payload as never));
    }
  }
}
