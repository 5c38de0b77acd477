/**
 * Retry policy as small pure pieces, after AWS's split: classify (is this retryable?), delay (how long?), budget
 * (can we afford another?). The transport composes them; tests check each with exact numbers.
 */

export interface RetryOptions {
  /** Retries after 408/5xx/network errors/timeouts (idempotent requests only). Default 4. */
  limit: number;
  /** Retries after 429, for any method (a 429 means the request was not processed). Default 10. */
  rateLimitLimit: number;
  /** First backoff step for computed delays. Default 500 ms. */
  baseDelayMs: number;
  /** Cap of a computed delay. Default 30,000 ms. */
  maxDelayMs: number;
  /** A Retry-After above this fails with RateLimitError instead of waiting. Default 300,000 ms. */
  maxRetryAfterMs: number;
  /**
   * 503 (service unavailable, index not ready) backs off this many times longer, from a request's third 503 in a row
   * or in a failure storm (`computeDelay`). Default 4.
   */
  serviceUnavailableFactor: number;
  /**
   * Retry budget: retries spend it, successes refill it. Below half its capacity the platform is in a failure storm
   * and the client slows down (fewer requests in flight, a failing request is not held to `limit`, its backoff grows
   * to `maxDelayMs`) instead of failing requests (storm.ts). `false`: no budget, no slowing down.
   */
  budget: RetryBudgetOptions | false;
  /**
   * Give up (`PlatformUnavailableError`) once no request has succeeded for this long while requests kept failing
   * with 5xx, 408, network errors or timeouts. A failure storm shorter than this slows the client down but ends
   * nothing.
   * @default 300_000 (5 minutes)
   */
  giveUpAfterMs: number;
}

export interface RetryBudgetOptions {
  /** Tokens in a full budget. Default 100. */
  capacity: number;
  /** Cost of a retry after a 5xx/408. Default 5. */
  retryCost: number;
  /** Cost of a retry after a timeout or network error. Default 10. */
  timeoutCost: number;
  /** Returned to the budget by each success. Default 1. */
  successRefund: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  limit: 4,
  rateLimitLimit: 10,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
  serviceUnavailableFactor: 4,
  budget: { capacity: 100, retryCost: 5, timeoutCost: 10, successRefund: 1 },
  giveUpAfterMs: 300_000,
};

export type Outcome =
  | { kind: 'status'; status: number }
  | { kind: 'network' }
  | { kind: 'timeout' };

export type Decision =
  | { retry: true; cost: number; rateLimited: boolean }
  | { retry: false; reason: 'not-retryable' | 'not-idempotent' | 'limit' };

/** Methods that are safe to repeat whatever happened to the first attempt. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export function isIdempotentMethod(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

const RETRYABLE_STATUS = new Set([408, 500, 502, 503, 504]);

/**
 * 429 is retried for any method: the platform did not process the request. 408/5xx, network errors and timeouts
 * only when repeating is safe (idempotent method, or a POST marked as a read-only query), since a POST that timed
 * out may have been processed.
 */
export function classify(
  outcome: Outcome,
  ctx: {
    idempotent: boolean;
    attempt: number;
    rateLimitedAttempts: number;
    /** A failure storm (storm.ts): the request's failures are the platform's, so `limit` does not end it. */
    storm?: boolean | undefined;
  },
  options: Pick<RetryOptions, 'limit' | 'rateLimitLimit' | 'budget'>,
): Decision {
  if (outcome.kind === 'status' && outcome.status === 429) {
    if (ctx.rateLimitedAttempts > options.rateLimitLimit) return { retry: false, reason: 'limit' };
    return { retry: true, cost: 0, rateLimited: true };
  }
  const retryable = outcome.kind !== 'status' || RETRYABLE_STATUS.has(outcome.status);
  if (!retryable) return { retry: false, reason: 'not-retryable' };
  if (!ctx.idempotent) return { retry: false, reason: 'not-idempotent' };
  const errorAttempts = ctx.attempt - ctx.rateLimitedAttempts;
  if (errorAttempts > options.limit && !ctx.storm) return { retry: false, reason: 'limit' };
  const b = options.budget;
  const cost = b === false ? 0 : outcome.kind === 'status' ? b.retryCost : b.timeoutCost;
  return { retry: true, cost, rateLimited: false };
}

/**
 * Delay before the next attempt. A server-given Retry-After is honoured exactly, plus up to 10% positive jitter
 * (so workers that were told the same moment do not return in lockstep), and never shortened. Otherwise full
 * jitter over an exponential step: random() * min(max, base * 2^(n-1)), with 503 stepping `factor` times longer,
 * except while the 503s are `isolated` (the platform not in a failure storm) and this request has met at most
 * `ISOLATED_503_REPEATS` of them in a row: a 503 amid successes, or two by chance (1 request in 64 is a 503 in issue
 * 19's faults run, so a retry meets another now and then), is retried on the plain exponential step. Rows are written
 * in order, so one such wait of up to 4 s held up a whole export (issue 19's faults run: 1.45 x the floor on fake
 * time, seed 16 of test/pacing/faults.test.ts; 1.39-1.73 x in real time); a 503 that keeps repeating (an index not
 * ready) still backs off `factor` times longer from its third.
 */
/**
 * 503s in a row that one request may meet while the platform answers others and still be retried on the plain step.
 * Two: at a few % of 503s a retry meets a second by chance, and only a third in a row reads as a service that is
 * really unavailable (an index not ready answers every attempt with 503).
 */
export const ISOLATED_503_REPEATS = 2;

export function computeDelay(args: {
  /** The attempt that just failed, from 1. */
  attempt: number;
  retryAfterMs: number | undefined;
  status: number | undefined;
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'serviceUnavailableFactor'>;
  random?: () => number;
  /** The platform answers other requests (not a failure storm): a 503 that has not kept repeating gets no 503 factor. */
  isolated?: boolean | undefined;
  /** 503s this request has met in a row, this one included. Default: `attempt` (every failure so far a 503). */
  consecutive503?: number | undefined;
}): number {
  const random = args.random ?? Math.random;
  if (args.retryAfterMs !== undefined) {
    return Math.ceil(args.retryAfterMs + args.retryAfterMs * 0.1 * random());
  }
  const repeats = args.consecutive503 ?? args.attempt;
  const factor = args.status === 503 && !(args.isolated && repeats <= ISOLATED_503_REPEATS) ? args.options.serviceUnavailableFactor : 1;
  const step = Math.min(args.options.maxDelayMs, args.options.baseDelayMs * factor * 2 ** (args.attempt - 1));
  return Math.floor(random() * step);
}

/**
 * Server-requested wait in ms: `retry-after-ms` first, then `Retry-After` as seconds or an HTTP-date.
 * Returns undefined when absent or unparseable.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.max(0, Math.ceil(Number(ms)));
  const ra = headers.get('retry-after');
  if (ra === null) return undefined;
  const v = ra.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.max(0, Math.ceil(Number(v) * 1000));
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * AWS-style retry quota: retries spend tokens, successes refund them. AWS returns failures at once when it is empty;
 * here an emptying budget slows the client down instead (storm.ts), so a 5xx storm is not multiplied by retries
 * and an export still outlives a bad minute.
 */
export class RetryBudget {
  private tokens: number;
  constructor(private readonly options: RetryBudgetOptions | false) {
    this.tokens = options === false ? Infinity : options.capacity;
  }
  get available(): number {
    return this.tokens;
  }
  /** Tokens in a full budget; undefined without a budget. */
  get capacity(): number | undefined {
    return this.options === false ? undefined : this.options.capacity;
  }
  /** Spends `cost` tokens, down to zero (a retry is never refused for want of them). */
  spend(cost: number): void {
    if (cost > 0) this.tokens = Math.max(0, this.tokens - cost);
  }
  tryAcquire(cost: number): boolean {
    if (cost <= 0) return true;
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }
  recordSuccess(): void {
    if (this.options === false) return;
    this.tokens = Math.min(this.options.capacity, this.tokens + this.options.successRefund);
  }
}
