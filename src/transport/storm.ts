/**
 * What the transport does when the platform fails many requests at once (a failure storm: 5xx, resets, timeouts):
 * it slows down instead of giving up. Issue 19: a retry budget that ended requests once it was spent ended whole
 * exports past about 1 failure in 6, so a three-hour export died on a bad minute.
 *
 * - **Storm**: the retry budget (retry.ts `RetryBudget`) is below half its capacity. One request that keeps failing
 *   spends at most `limit` retries (20-40 of the default 100 tokens), so a storm means several requests failing, not
 *   one broken request.
 * - **Fewer in flight**: in a storm at most `maxConcurrent x tokens / (capacity / 2)` attempts run at once, one when
 *   the budget is empty; every success refunds a token, so the client speeds up again as answers come back.
 * - **Longer backoff**: in a storm a failing request is not held to `retry.limit` (its failures are the platform's),
 *   so its attempts keep counting and its backoff grows to `retry.maxDelayMs`.
 * - **Giving up**: when no request has succeeded for `retry.giveUpAfterMs` while requests kept failing, a request's
 *   next transient failure ends it with a `PlatformUnavailableError` (the exporters checkpoint on it and resume).
 *
 * "Succeeded" is any answer that is not a transient failure (2xx/3xx, and 4xx other than 408 and 429): the platform
 * processed the request. A 429 is neither: it is paced by the rate limiter and bounded by `retry.rateLimitLimit`.
 */
import type { RetryBudget } from './retry';

export interface StormOptions {
  /** Attempts in flight when the platform is healthy; the storm scales this down. */
  maxConcurrent: number;
  /** Give up after this long without any success while requests keep failing. */
  giveUpAfterMs: number;
  /**
   * Two failures further apart than this (a retry waits at most `maxDelayMs`, an attempt lasts at most `timeoutMs`)
   * had an idle client between them: the time without success starts again from the later one.
   */
  idleGapMs: number;
  /** Epoch ms (the client's clock). */
  now: () => number;
}

export class FailureStorm {
  /** When the first transient failure since the last success happened; undefined while requests succeed. */
  private failingSince: number | undefined;
  private lastFailureAt: number | undefined;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly budget: RetryBudget,
    private readonly options: StormOptions,
  ) {}

  /** The budget is below half its capacity: several requests are failing. */
  get raging(): boolean {
    const capacity = this.budget.capacity;
    return capacity !== undefined && capacity > 0 && this.budget.available < capacity / 2;
  }

  /** Attempts allowed in flight now. */
  get allowed(): number {
    const capacity = this.budget.capacity;
    if (!this.raging || capacity === undefined) return Infinity;
    return Math.max(1, Math.floor((this.options.maxConcurrent * this.budget.available) / (capacity / 2)));
  }

  /** How long the platform has failed every request, or 0 while requests succeed. */
  failingForMs(now = this.options.now()): number {
    return this.failingSince === undefined ? 0 : Math.max(0, now - this.failingSince);
  }

  /** True once no request has succeeded for `giveUpAfterMs` while requests kept failing. */
  exhausted(now = this.options.now()): boolean {
    return this.failingSince !== undefined && now - this.failingSince >= this.options.giveUpAfterMs;
  }

  get giveUpAfterMs(): number {
    return this.options.giveUpAfterMs;
  }

  succeeded(): void {
    this.failingSince = undefined;
  }

  failed(): void {
    const now = this.options.now();
    if (this.failingSince === undefined || (this.lastFailureAt !== undefined && now - this.lastFailureAt > this.options.idleGapMs)) this.failingSince = now;
    this.lastFailureAt = now;
  }

  /** Waits for an attempt slot (only in a storm are there fewer than the limiter's); `release` gives it back. */
  async admit(signal: AbortSignal): Promise<void> {
    while (this.inFlight >= this.allowed) {
      signal.throwIfAborted();
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          const i = this.waiting.indexOf(wake);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(signal.reason);
        };
        this.waiting.push(wake);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    }
    this.inFlight++;
  }

  release(): void {
    this.inFlight--;
    // Wake everyone waiting: each checks `allowed` again (a success may have raised it by more than one).
    for (const wake of this.waiting.splice(0)) wake();
  }
}
