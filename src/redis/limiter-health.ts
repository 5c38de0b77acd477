/**
 * The shared limiter's health: its states, what `inspect()` reads from Redis, and what happens when Redis is
 * unreachable at start or lost mid-run (the typed errors of the `error` policy, the local limiter of the `local`
 * policy, and their warnings). redis-rate-limiter.ts decides when; this file says what.
 */
import type { WarningEvent } from '../events';
import type { Clock } from '../internal/clock';
import { LocalRateLimiter } from '../transport/rate-limiter';
import { errorText, RedisUnavailableError, type RedisUnavailableReason } from './errors';
import type { ScriptClient } from './server-gate-scripts';

export type LimiterState = 'connecting' | 'ready' | 'down' | 'fallback' | 'closed';

/** What `inspect()` reads from Redis: the shared state as every worker sees it. */
export interface SharedLimiterState {
  state: LimiterState;
  /** The client's own shared budget left (bottleneck's reservoir; null when Redis is not readable). */
  reservoir: number | null;
  /** Requests past both gates and not yet answered, in every process. */
  inFlight: number | null;
  /** The server's budget as the last response said, less what left since (null: not known). */
  serverAvailable: number | null;
  /** Epoch ms until which every worker holds its requests (0: none). */
  pausedUntil: number;
  /** Limiters of this id seen in the last 10 s, this one included. */
  peers: number;
}

export interface LimiterBudget {
  requestsPerMinute: number;
  maxConcurrent: number;
  burst: number;
}

/** Resolves when `ready` does, or rejects after `timeoutMs` naming Redis' last error (why it could not connect). */
export async function readyWithin(ready: Promise<unknown>, timeoutMs: number, lastError: () => unknown): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      ready,
      new Promise((_, reject) => {
        timer = setTimeout(() => {
          const last = lastError();
          reject(new Error(last === undefined ? `no connection after ${timeoutMs} ms` : `${errorText(last)}; gave up after ${timeoutMs} ms`));
        }, timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads the shared state from Redis; Redis fields are null when it cannot be read. */
export async function readSharedState(
  client: ScriptClient,
  keys: { settings: string; gate: string; inFlight: string },
  base: { state: LimiterState; peers: number; pausedUntil: number },
  now: number,
): Promise<SharedLimiterState> {
  if (base.state !== 'ready') return { ...base, reservoir: null, inFlight: null, serverAvailable: null };
  try {
    const replies = (await client
      .multi()
      .hget(keys.settings, 'reservoir')
      .zcount(keys.inFlight, now, '+inf')
      .hmget(keys.gate, 'pausedUntil', 'available')
      .exec()) as [[unknown, string | null], [unknown, number], [unknown, Array<string | null>]];
    const [[, reservoir], [, inFlight], [, gate]] = replies;
    return {
      ...base,
      pausedUntil: Math.max(base.pausedUntil, Number(gate[0] ?? 0)),
      reservoir: reservoir == null ? null : Number(reservoir),
      inFlight,
      serverAvailable: gate[1] == null ? null : Number(gate[1]),
    };
  } catch {
    return { ...base, reservoir: null, inFlight: null, serverAvailable: null };
  }
}

/**
 * `fallback: 'local'`: a local limiter with this process's share of the budget (budget / live peers), and the
 * warning that says so. The pause in force carries over.
 */
export function localFallback(
  id: string,
  limits: LimiterBudget,
  peers: number,
  pausedForMs: number,
  failure: { where: string; reason: RedisUnavailableReason; why: string },
  clock: Clock,
): { limiter: LocalRateLimiter; warning: WarningEvent } {
  const share = Math.max(1, peers);
  const rpm = limits.requestsPerMinute / share;
  const burst = Math.max(1, Math.floor(limits.burst / share));
  // Start empty: every other worker is falling back at the same moment, and a full local bucket each would be
  // exactly the burst the shared limiter exists to prevent. On the shared limiter's clock, like every wait.
  const limiter = new LocalRateLimiter({
    requestsPerMinute: rpm,
    maxConcurrent: Math.max(1, Math.floor(limits.maxConcurrent / share)),
    burst,
    initialBudget: 0,
    clock,
  });
  if (pausedForMs > 0) limiter.pause(pausedForMs);
  const { where, reason, why } = failure;
  return {
    limiter,
    warning: {
      code: 'redis-fallback',
      message:
        `${where} ${reason === 'connect-timeout' ? 'is unreachable' : 'was lost'} (${why}); continuing with a local limiter ` +
        `at 1/${share} of the budget (${round(rpm)} requests/min, starting empty) until this client is recreated.`,
      details: { id, reason, peers: share, requestsPerMinute: rpm },
    },
  };
}

/** `fallback: 'error'`: the error every request that has not started gets until Redis is back. */
export function downError(failure: { where: string; reason: RedisUnavailableReason; why: string }, target: string, cause: unknown): RedisUnavailableError {
  const { where, reason, why } = failure;
  return new RedisUnavailableError(
    reason === 'connect-timeout'
      ? `${where} is unreachable (${why}): requests are not sent without the shared limit. ` +
          `Start Redis or fix rateLimit.redis, or set fallback: 'local' to run with a local limiter instead.`
      : `Lost ${where} (${why}): requests stop rather than run unpaced next to the other workers, and resume ` +
          `when Redis is back. Set fallback: 'local' to continue with a local limiter instead.`,
    { reason, target, cause },
  );
}

/** The error of a request refused while the limiter is closed, or when a Redis command failed. */
export function unavailableError(id: string, closed: boolean, target: string, cause?: unknown): RedisUnavailableError {
  if (closed) return new RedisUnavailableError(`Shared limiter "${id}" is closed (disconnect() was called)`, { reason: 'closed', target });
  return new RedisUnavailableError(`Shared limiter "${id}": Redis command failed (${errorText(cause)})`, { reason: 'command-failed', target, cause });
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
