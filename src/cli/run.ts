/**
 * The runner: picks the command, parses its flags, wires Ctrl-C to an AbortSignal, runs it, and turns any error
 * into one line on stderr and an exit code (errors.ts). Commands never call process.exit.
 */
import { SDK_VERSION } from '../client';
import { parseCommandArgs, bool, type Values } from './args';
import { exportEvaluations } from './commands/export-evaluations';
import { extractConversations } from './commands/extract-conversations';
import { mediaAnnotate, mediaFetch } from './commands/media';
import { search } from './commands/search';
import { simulate } from './commands/simulate';
import { legalHold } from './commands/legal-hold';
import { sync } from './commands/sync';
import { Context, type Command } from './context';
import { describeError, errorJson, EXIT, exitCodeFor, UsageError } from './errors';
import { Output, type Streams } from './output';
import type { Clock } from '../internal/clock';

export const COMMANDS: Command[] = [exportEvaluations, extractConversations, search, mediaFetch, mediaAnnotate, simulate, legalHold, sync];

export interface RunOptions {
  argv: string[];
  env: NodeJS.ProcessEnv;
  streams: Streams;
  /** Listen for SIGINT/SIGTERM (the bin does; an embedding caller may pass its own `signal`). */
  handleSignals?: boolean;
  signal?: AbortSignal;
  /** Shown in help and resume lines. Default `gc-data`. */
  invokedAs?: string;
  /**
   * The client's clock (GenesysClient's `clock` option, src/internal/clock.ts): every wait of the run, every
   * `durationMs` of a summary and the progress line's elapsed time and ETA read it, so an embedding caller or a
   * test with a fake clock (`createFakeClock()`) gets exact durations.
   * @default the system clock
   */
  clock?: Clock;
}

function usage(invokedAs: string): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: ${invokedAs} <command> [flags]

Gets data out of Genesys Cloud: evaluations, conversations, search results, media metadata.
Credentials come from GENESYS_CLIENT_ID / GENESYS_CLIENT_SECRET / GENESYS_REGION (or --credentials-file);
with none set, every command runs against the built-in simulated org.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "${invokedAs} <command> --help" for its flags. Guide: docs/cli.md.
Exit codes: 0 ok, 2 bad input, 3 auth/permission, 4 deadline or rate limit exhausted, 130 interrupted (resumable), 1 other.
`;
}

function findCommand(argv: string[]): { command: Command | undefined; rest: string[]; name: string } {
  const [first, second, ...more] = argv;
  if (first === 'media') {
    const command = COMMANDS.find((c) => c.name === `media ${second}`);
    return { command, rest: command ? more : argv.slice(1), name: second && !second.startsWith('-') ? `media ${second}` : 'media' };
  }
  return { command: COMMANDS.find((c) => c.name === first), rest: argv.slice(1), name: first ?? '' };
}

export async function runCli(o: RunOptions): Promise<number> {
  const invokedAs = o.invokedAs ?? 'gc-data';
  const rawJson = o.argv.includes('--json');
  const fallbackOut = new Output(o.streams, { json: rawJson, quiet: false, verbose: o.argv.includes('--verbose'), rowsOnStdout: false });
  const first = o.argv[0];
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    // Asked for: stdout and exit 0. No command at all: stderr and exit 2.
    (first === undefined ? o.streams.stderr : o.streams.stdout).write(usage(invokedAs));
    return first === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (first === '--version' || first === '-V') {
    fallbackOut.print(SDK_VERSION);
    return EXIT.OK;
  }
  const { command, rest, name } = findCommand(o.argv);
  if (!command && name === 'media' && ['--help', '-h', undefined].includes(o.argv[1])) {
    const text = COMMANDS.filter((c) => c.name.startsWith('media ')).map((c) => c.help.replace(/gc-data /g, `${invokedAs} `)).join('\n');
    (o.argv[1] === undefined ? o.streams.stderr : o.streams.stdout).write(text);
    return o.argv[1] === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (!command) {
    const known = COMMANDS.map((c) => c.name).join(', ');
    const error = new UsageError(
      name === 'media' ? 'media needs a subcommand: fetch or annotate' : `unknown command "${name.slice(0, 40)}"`,
      `commands: ${known}; see ${invokedAs} --help`,
    );
    fallbackOut.error(describeError(error));
    fallbackOut.errorSummary(errorJson(error));
    return EXIT.USAGE;
  }

  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseCommandArgs(command.name, rest, command.options, command.positionals ?? false));
  } catch (e) {
    fallbackOut.error(describeError(e));
    fallbackOut.errorSummary(errorJson(e));
    return exitCodeFor(e);
  }
  const out = new Output(o.streams, {
    json: bool(values, 'json'),
    quiet: bool(values, 'quiet'),
    verbose: bool(values, 'verbose'),
    rowsOnStdout: command.rowsOnStdout?.(values) ?? false,
  });
  if (bool(values, 'help')) {
    out.print(command.help.replace(/gc-data /g, `${invokedAs} `));
    return EXIT.OK;
  }

  const controller = new AbortController();
  let stoppedBy: 'SIGINT' | 'SIGTERM' | 'EPIPE' | undefined;
  const onSignal = (sig: 'SIGINT' | 'SIGTERM') => {
    if (stoppedBy) {
      // Second Ctrl-C: the user does not want to wait for the flush.
      out.notice('stopping now, without waiting (the checkpoint from the last save is kept)');
      process.exit(sig === 'SIGINT' ? EXIT.INTERRUPTED : EXIT.TERMINATED);
    }
    stoppedBy = sig;
    out.notice(`${sig === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'}: stopping cleanly; press Ctrl-C again to quit at once`);
    controller.abort(new Error(`stopped by ${sig}`));
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  // `gc-data ... --out - | head`: the reader went away. Stop quietly, as Unix tools do.
  const onStdoutError = (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' || stoppedBy) return;
    stoppedBy = 'EPIPE';
    controller.abort(new Error('stdout was closed by the reader'));
  };
  o.streams.stdout.on('error', onStdoutError);
  if (o.handleSignals) {
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  }
  const signal = o.signal ? AbortSignal.any([o.signal, controller.signal]) : controller.signal;
  const ctx = new Context({
    command,
    args: rest,
    values,
    positionals,
    out,
    env: o.env,
    signal,
    stoppedBy: () => stoppedBy ?? (o.signal?.aborted ? 'SIGINT' : undefined),
    invokedAs,
    clock: o.clock,
  });
  try {
    return await command.run(ctx);
  } catch (e) {
    if (signal.aborted && stoppedBy) return ctx.interrupted('before any output was written');
    out.error(describeError(e));
    if (out.options.verbose && e instanceof Error && e.stack) o.streams.stderr.write(`${e.stack}\n`);
    out.errorSummary(errorJson(e));
    return exitCodeFor(e);
  } finally {
    await ctx.close().catch(() => undefined);
    o.streams.stdout.off('error', onStdoutError);
    if (o.handleSignals) {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    }
  }
}
