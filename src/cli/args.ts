/**
 * Flags, parsed with node:util `parseArgs` in strict mode: an unknown flag, a missing value or an unexpected
 * argument is a UsageError (exit 2) naming the flag. Credentials are never flags (they would land in shell history):
 * asking for one says where credentials come from instead.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ValidationError } from '../errors';
import { formatInterval, lastFullUtcDay, parseInterval } from '../helpers/intervals';
import type { Clock } from '../internal/clock';
import { UsageError } from './errors';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Parsed {
  values: Values;
  positionals: string[];
}

/** Every command: output, diagnostics and where to connect. */
export const BASE_OPTIONS = {
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

/** Commands that talk to an org. */
export const CONNECTION_OPTIONS = {
  region: { type: 'string' },
  'base-url': { type: 'string' },
  'auth-url': { type: 'string' },
  'credentials-file': { type: 'string' },
  'requests-per-minute': { type: 'string' },
  progress: { type: 'string' },
  'progress-interval': { type: 'string' },
} as const satisfies OptionSpec;

/** Commands that write rows. */
export const OUTPUT_OPTIONS = {
  interval: { type: 'string' },
  out: { type: 'string', short: 'o' },
} as const satisfies OptionSpec;

/** Commands whose file output resumes from a checkpoint: the two flags `planOutput(values, { checkpoints: true })` reads (src/cli/files.ts). */
export const RESUMABLE_OUTPUT_OPTIONS = {
  ...OUTPUT_OPTIONS,
  checkpoint: { type: 'string' },
  overwrite: { type: 'boolean' },
} as const satisfies OptionSpec;

/** `--out`: a file, or `-` for stdout (the default). */
export function outPath(values: Values): string {
  return str(values, 'out') ?? '-';
}

/** `Command.rowsOnStdout` of a command with OUTPUT_OPTIONS: its rows go to stdout unless `--out` names a file. */
export function rowsOnStdout(values: Values): boolean {
  return outPath(values) === '-';
}

const CREDENTIAL_FLAG = /^--?(client[-_]?(id|secret)|secret|password|token|access[-_]?token)$/i;

export function parseCommandArgs(command: string, args: string[], options: OptionSpec, allowPositionals = false): Parsed {
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals });
    return { values: values as Values, positionals };
  } catch (e) {
    const err = e as Error & { code?: string };
    const help = `see gc-data ${command} --help`;
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = /'([^']+)'/.exec(err.message)?.[1] ?? 'flag';
      if (CREDENTIAL_FLAG.test(flag)) {
        throw new UsageError(
          `${flag} is not a flag: credentials are never taken on the command line (they would land in shell history)`,
          'set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET in the environment, or use --credentials-file FILE',
        );
      }
      throw new UsageError(`unknown flag ${flag} for ${command}`, help);
    }
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(err.message.replace(/^Option /, 'flag '), help);
    if (err.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const arg = /'([^']+)'/.exec(err.message)?.[1];
      throw new UsageError(`${command} takes no argument${arg ? ` (got "${arg.slice(0, 40)}")` : ''}`, help);
    }
    throw new UsageError(err.message, help);
  }
}

export function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function bool(values: Values, name: string): boolean {
  return values[name] === true;
}

export function list(values: Values, name: string): string[] | undefined {
  const v = values[name];
  const raw = Array.isArray(v) ? v : typeof v === 'string' ? [v] : undefined;
  if (!raw) return undefined;
  const items = raw.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`--${name} needs at least one value`);
  return items;
}

export function int(values: Values, name: string, range: { min?: number; max?: number } = {}): number | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  const { min = 1, max = Number.MAX_SAFE_INTEGER } = range;
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${v.slice(0, 40)}")`);
  }
  return n;
}

export function choice<T extends string>(values: Values, name: string, allowed: readonly T[]): T | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${v.slice(0, 40)}")`);
  return v as T;
}

/** Inline JSON, or `@file.json`. */
export function json(values: Values, name: string): unknown {
  const v = str(values, name);
  if (v === undefined) return undefined;
  let text = v;
  if (v.startsWith('@')) {
    try {
      text = readFileSync(v.slice(1), 'utf8');
    } catch (e) {
      throw new UsageError(`--${name} ${v}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UsageError(`--${name} is not valid JSON: ${(e as Error).message}`, 'pass JSON inline, or @file.json');
  }
}

/**
 * `--interval`: any form `parseInterval` takes (`start/end`, `start/PT6H`, `P1D/end`), or a date `YYYY-MM-DD` for
 * that UTC day. Default: the last full UTC day (yesterday, midnight to midnight UTC) of `clock`, the run's clock
 * (context.ts `CommandContext.clock`: the client's), so a run on a fake clock reads no real time.
 */
export function resolveInterval(values: Values, clock: Pick<Clock, 'now'>): string {
  const v = str(values, 'interval')?.trim();
  if (v === undefined || v === '') return lastFullUtcDay(new Date(clock.now()));
  try {
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
      const { startMs } = parseInterval(`${v}T00:00:00Z/P1D`, 'interval');
      return formatInterval(startMs, startMs + 86_400_000);
    }
    const { startMs, endMs } = parseInterval(v, 'interval');
    return formatInterval(startMs, endMs);
  } catch (e) {
    if (e instanceof ValidationError) {
      throw new UsageError(`--interval: ${e.issues.map((i) => i.message).join('; ')}`, 'e.g. 2024-05-13, or 2024-05-13T00:00:00Z/2024-05-14T00:00:00Z, or 2024-05-13T00:00:00Z/PT6H');
    }
    throw e;
  }
}

/** A duration flag (`PT0.5S`, `PT10S`) or plain seconds, in ms. */
export function durationMs(values: Values, name: string): number | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const m = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/i.exec(v);
  if (!m || v.length < 4) throw new UsageError(`--${name} must be seconds or an ISO-8601 duration such as PT10S (got "${v.slice(0, 40)}")`);
  return Math.round((Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 1000);
}
