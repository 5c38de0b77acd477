/**
 * The one wait layer: `pollUntil` (check, wait, check again until done, a deadline or an abort) and
 * `retryOperation` (run again after a retryable error, with backoff, honouring a server's Retry-After). Every delay
 * is a `Backoff` (named constants sit beside each module's defaults) drawn with the client's clock
 * (src/internal/clock.ts), so a fake clock drives every wait of the SDK in tests. The transport's own per-request
 * retry policy is src/transport/retry.ts; Retry-After delays here reuse its `computeDelay`.
 */
import { AbortError } from '../errors';
import { computeDelay } from '../transport/retry';
import type { Clock } from './clock';

/**
 * The shortest wait between two status polls any poll option accepts (issue 18): `initialDelayMs: 0` made one
 * day's extract 125 requests instead of 18 and one `wait()` 310 status requests, and docs/design-intent.md seed 003 warns that
 * aggressive polling throttles every analytics operation of the tenant (docs/design-intent.md). With the floor, one
 * waiting job sends at most one status request a second, and the default doubling reaches its cap in a few polls.
 */
export const MIN_POLL_DELAY_MS = 1_000;

/** How randomness spreads one backoff step (`step` = the un-jittered delay). */
export type Jitter =
  /** Exactly `step`. */
  | { kind: 'none' }
  /** `random() * step` (AWS "full jitter": spreads clients the most). */
  | { kind: 'full' }
  /** `step / 2 + random() * step / 2`, floored (never less than half the step). */
  | { kind: 'equal' }
  /** `step + random() * ms` (a fixed extra spread, e.g. 0-5 s on job polls). */
  | { kind: 'add'; ms: number }
  /** `step * (1 + random() * ratio)` (up to `ratio` longer, never shorter). */
  | { kind: 'ratio'; ratio: number };

/** A delay schedule: step `n` (from 0) is `min(maxDelayMs, initialDelayMs * factor^n)`, then jittered. */
export interface Backoff {
  /** The first step. */
  initialDelayMs: number;
  /** Growth per step (1 = constant). With `growth: 'linear'` the step is `initialDelayMs * (n + 1)` instead. */
  factor: number;
  /** Cap of the un-jittered step. */
  maxDelayMs: number;
  jitter: Jitter;
  /** @default 'exponential' */
  growth?: 'exponential' | 'linear';
}

/** Delay `n` (from 0) of a backoff, in whole ms, drawing randomness from `random` (the client's clock). */
export function backoffDelay(backoff: Backoff, n: number, random: () => number): number {
  const raw = backoff.growth === 'linear' ? backoff.initialDelayMs * (n + 1) : backoff.initialDelayMs * backoff.factor ** n;
  return jittered(Math.min(backoff.maxDelayMs, raw), backoff.jitter, random);
}

/** One step spread by a jitter rule, in whole ms (for a step that is not a plain backoff, e.g. a server's estimate). */
export function jittered(step: number, jitter: Jitter, random: () => number): number {
  switch (jitter.kind) {
    case 'none':
      return Math.floor(step);
    case 'full':
      return Math.floor(random() * step);
    case 'equal':
      return Math.floor(step / 2 + (random() * step) / 2);
    case 'add':
      return Math.floor(step + random() * jitter.ms);
    case 'ratio':
      return Math.floor(step * (1 + random() * jitter.ratio));
  }
}

/**
 * Sleeps on the clock; an abort of the caller's signal surfaces as the SDK's `AbortError` naming `what` (the
 * signal's reason is its `cause`), like an aborted request does. The one sleep-to-AbortError wrapper.
 */
export async function sleepOrAbort(clock: Clock, ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  if (signal?.aborted) throw callerAborted(signal, what);
  try {
    await clock.sleep(ms, signal);
  } catch (e) {
    if (signal?.aborted) throw callerAborted(signal, what);
    throw e;
  }
}

function callerAborted(signal: AbortSignal, what: string): AbortError {
  return new AbortError(`${what} was aborted by the caller's signal`, { cause: signal.reason });
}

/** What one check of `pollUntil` found. */
export type PollResult<T> =
  | { done: true; value: T }
  /**
   * Not yet; `retryAfterMs` (a server's Retry-After, or a wait computed from the answer such as a transcoding
   * estimate) replaces the next scheduled delay when given.
   */
  | { done: false; retryAfterMs?: number | undefined };

export interface PollCheckInfo {
  /** This check's number, from 1. */
  poll: number;
  /**
   * The wait that follows this check if it is not done (drawn before the check so a progress event can announce
   * it), capped at the deadline.
   */
  nextDelayMs: number;
}

export interface PollUntilOptions {
  clock: Clock;
  /** Delay before check `n`: step 0 before the first check (or the second with `immediate`). */
  backoff: Backoff;
  /** Epoch ms (by `clock`) after which no further check is made. Undefined: no deadline. */
  deadline?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Check once before the first wait. @default false */
  immediate?: boolean | undefined;
  /** Names the wait in the `AbortError` an aborted signal becomes, e.g. `Waiting for analytics job 42`. */
  what: string;
  /** Told before each wait, with its length (after the cap at the deadline). */
  onWait?: ((delayMs: number) => void) | undefined;
  /** Builds the error thrown once the deadline has passed (may clean up first, e.g. cancel a job). */
  onDeadline: (info: { polls: number; elapsedMs: number }) => Error | Promise<Error>;
}

/**
 * Checks until `check` says done, the deadline passes or the signal aborts. Waits `backoff` step n before check
 * n (the last wait is shortened to end at the deadline; one more check is made there). Errors from `check` end the
 * poll as they are.
 */
export async function pollUntil<T>(check: (info: PollCheckInfo) => Promise<PollResult<T>>, options: PollUntilOptions): Promise<T> {
  const { clock, backoff, deadline, signal, what } = options;
  const started = clock.now();
  const capped = (ms: number) => (deadline === undefined ? ms : Math.max(0, Math.min(ms, deadline - clock.now())));
  let polls = 0;
  let delay = backoffDelay(backoff, 0, () => clock.random());
  if (options.immediate) {
    polls++;
    const r = await check({ poll: polls, nextDelayMs: capped(delay) });
    if (r.done) return r.value;
    if (r.retryAfterMs !== undefined) delay = r.retryAfterMs;
  }
  for (let n = 1; ; n++) {
    if (deadline !== undefined && deadline - clock.now() <= 0) break;
    const wait = capped(delay);
    options.onWait?.(wait);
    await sleepOrAbort(clock, wait, signal, what);
    const next = backoffDelay(backoff, n, () => clock.random());
    polls++;
    const r = await check({ poll: polls, nextDelayMs: capped(next) });
    if (r.done) return r.value;
    delay = r.retryAfterMs ?? next;
  }
  throw await options.onDeadline({ polls, elapsedMs: clock.now() - started });
}

export interface RetryOperationOptions {
  clock: Clock;
  /** Delay before retry `n` (step 0 before the first retry) when the error names no Retry-After. */
  backoff: Backoff;
  /**
   * Which step of `backoff` the wait after `err` uses, when it is not `attempt - 1` (e.g. the downloader counts only
   * attempts that made no progress, src/transport/download.ts). Default: `attempt - 1`.
   */
  backoffStep?: ((err: unknown, attempt: number) => number) | undefined;
  /** Retries after the first attempt (so at most `retries + 1` attempts). */
  retries: number;
  /** Whether an error may be cured by trying again. */
  retryable: (err: unknown) => boolean;
  /**
   * The server's requested wait carried by an error (e.g. `ApiError.retryAfterMs`), honoured exactly plus up to 10%
   * (src/transport/retry.ts computeDelay), capped at `maxRetryAfterMs`. Default: none.
   */
  retryAfterMs?: ((err: unknown) => number | undefined) | undefined;
  /** A longer Retry-After is cut to this. @default Infinity */
  maxRetryAfterMs?: number | undefined;
  /** Epoch ms (by `clock`) past which no retry starts: the last error is thrown instead. */
  deadline?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Names the operation in the `AbortError` an aborted signal becomes. */
  what: string;
  /** Told before each wait (for warnings and progress events). */
  onRetry?: ((info: { attempt: number; delayMs: number; error: unknown }) => void) | undefined;
}

/** Runs `operation(attempt)` (attempt from 1), retrying retryable errors with backoff; the last error is thrown. */
export async function retryOperation<T>(operation: (attempt: number) => Promise<T>, options: RetryOperationOptions): Promise<T> {
  const { clock, signal, what } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (err) {
      if (attempt > options.retries || !options.retryable(err)) throw err;
      if (signal?.aborted) throw callerAborted(signal, what);
      const delayMs = retryDelay(options, attempt, err);
      if (options.deadline !== undefined && clock.now() + delayMs > options.deadline) throw err;
      options.onRetry?.({ attempt, delayMs, error: err });
      await sleepOrAbort(clock, delayMs, signal, what);
    }
  }
}

function retryDelay(options: RetryOperationOptions, attempt: number, err: unknown): number {
  const random = () => options.clock.random();
  const after = options.retryAfterMs?.(err);
  if (after !== undefined && Number.isFinite(after) && after >= 0) {
    const capped = Math.min(after, options.maxRetryAfterMs ?? Infinity);
    return Math.min(options.maxRetryAfterMs ?? Infinity, computeDelay({ attempt, retryAfterMs: capped, status: undefined, options: NO_STEP, random }));
  }
  return backoffDelay(options.backoff, options.backoffStep?.(err, attempt) ?? attempt - 1, random);
}

/** computeDelay's Retry-After branch reads no step options; these satisfy its type. */
const NO_STEP = { baseDelayMs: 0, maxDelayMs: 0, serviceUnavailableFactor: 1 } as const;
