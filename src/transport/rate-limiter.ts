// The in-memory limiter needs only bottleneck's light build (one file, ~2.5 ms to load instead of ~8 ms for the
// main entry with its Redis datastores, bench/footprint); RedisRateLimiter brings the full one, lazily.
import BottleneckLight from 'bottleneck/light.js';
import type { RateLimitSnapshot } from '../events';
import { abortableSleep, throwIfAborted } from './sleep';

/**
 * What the transport needs from a limiter. In-memory (bottleneck) by default; a Redis-backed one shares the
 * same budget across processes. Every request attempt runs inside `schedule`.
 */
export interface RateLimiter {
  /** Runs `fn` when a concurrency slot and a budget token are free and no pause is in force. */
  schedule<T>(fn: () => Promise<T>, options?: ScheduleOptions): Promise<T>;
  /**
   * Server feedback from one response. `inFlight` is how many other attempts were running when it arrived: they
   * will spend server budget too, so they are subtracted from what the server says is left.
   */
  observe(snapshot: RateLimitSnapshot, inFlight: number): { exhausted: boolean; pausedForMs: number };
  /**
   * Holds every queued and new job for `ms` (a 429's Retry-After applies to the whole client). `availableAfter`
   * is the server's budget once the pause ends, when known (its window allowance).
   */
  pause(ms: number, availableAfter?: number): void;
  /** Jobs currently running inside `schedule`. */
  readonly running: number;
  stats(): RateLimiterStats;
  /** Releases timers and connections. */
  disconnect(): Promise<void>;
}

export interface ScheduleOptions {
  signal?: AbortSignal | undefined;
  /** 0 (first) to 9 (last); default 5. Retries use 4 so they are not starved by new work. */
  priority?: number | undefined;
}

export interface RateLimiterStats {
  queued: number;
  running: number;
  /** What the server last said is left, less what was sent since (undefined until a response says). */
  serverAvailable: number | undefined;
  pausedUntil: number;
}

export interface LocalRateLimiterOptions {
  requestsPerMinute: number;
  maxConcurrent: number;
  /** Budget available at once; default `requestsPerMinute` (a full window, as the platform grants per minute). */
  burst?: number | undefined;
}

/**
 * What LocalRateLimiter drives: a bottleneck limiter (the light build by default; RedisRateLimiter's fallback passes
 * a clustered one). Declared here so the SDK's public types do not depend on bottleneck's, which is bundled.
 */
export interface BottleneckLimiter {
  schedule<R>(options: { priority?: number }, fn: () => PromiseLike<R>): Promise<R>;
  counts(): { RECEIVED?: number; QUEUED?: number };
  disconnect(flush?: boolean): Promise<void>;
}

/** Bottleneck reservoirs tick every 250 ms; its docs ask for intervals that are multiples of 250 ms. */
const TICK_MS = 250;

/**
 * Two gates in front of every request:
 * - the client's own budget: a bottleneck reservoir refilled every 250 ms at `requestsPerMinute`, plus the
 *   concurrency cap;
 * - the server's budget: what the last response said is left (`remaining`, less what is on the wire), spent
 *   synchronously as requests leave. When it reaches 0, or a 429 arrives, every request waits for the server's
 *   reset instead of earning a 429.
 * The server gate is plain bookkeeping, not a second reservoir: updating bottleneck's reservoir from responses
 * raced with its own refill timer and let requests through that the server had no budget for.
 *
 * Waiting for the reset is right for a budget granted per window (what the platform's headers look like). A server
 * that refills continuously (a token bucket) shows itself by granting more than its allowance between two resets;
 * once seen, a spent budget is waited out one request's refill at a time (allowance / reset, a lower bound since
 * the reset is announced in whole seconds) instead of a whole reset. The first 429 turns that off for good.
 */
export class LocalRateLimiter implements RateLimiter {
  protected readonly limiter: BottleneckLimiter;
  protected pausedUntil = 0;
  /** Server budget known from the last response; undefined = not known (no header yet, or after a pause). */
  protected serverAvailable: number | undefined;
  /** What the server will have once the pause ends (its window allowance), when known. */
  private availableAfterPause: number | undefined;
  private refillAfterPause = false;
  private inFlight = 0;
  /** Requests the server granted since the budget was last known to be full (start, or the end of a pause). */
  private grantedSinceFull = 0;
  /** The server's continuous refill, once seen: budget per ms (a lower bound), and when `serverAvailable` was set. */
  private refill: { perMs: number; since: number; limit: number } | undefined;
  /** The previous response's budget, to see a new window begin (its reset moves later, or its budget jumps up). */
  private lastSeen: { remaining: number; resetMs: number | undefined; at: number } | undefined;
  private readonly maxConcurrent: number;
  private continuousDetected = false;
  /** A 429 was received: trust only the announced resets from then on. */
  private continuousRefused = false;

  constructor(options: LocalRateLimiterOptions, limiter?: BottleneckLimiter) {
    const burst = options.burst ?? options.requestsPerMinute;
    this.maxConcurrent = options.maxConcurrent;
    this.limiter =
      limiter ??
      new BottleneckLight({
        maxConcurrent: options.maxConcurrent,
        reservoir: burst,
        reservoirIncreaseInterval: TICK_MS,
        reservoirIncreaseAmount: (options.requestsPerMinute * TICK_MS) / 60_000,
        reservoirIncreaseMaximum: burst,
      });
    if (!limiter) useFastYield(this.limiter);
  }

  /** Requests past both gates and not yet answered. */
  get running(): number {
    return this.inFlight;
  }

  async schedule<T>(fn: () => Promise<T>, options: ScheduleOptions = {}): Promise<T> {
    const { signal } = options;
    throwIfAborted(signal);
    let abandoned = false;
    const job = this.limiter.schedule({ priority: options.priority ?? 5 }, async () => {
      // A job aborted while queued still gets dispatched by bottleneck; it returns at once.
      if (abandoned) return undefined as T;
      await this.passServerGate(signal);
      this.inFlight++;
      try {
        return await fn();
      } finally {
        this.inFlight--;
      }
    });
    if (!signal) return job;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        abandoned = true;
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      job.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  observe(snapshot: RateLimitSnapshot, inFlight: number): { exhausted: boolean; pausedForMs: number } {
    if (snapshot.remaining === undefined) return { exhausted: false, pausedForMs: 0 };
    const { limit, resetMs, remaining } = snapshot;
    const now = Date.now();
    const last = this.lastSeen;
    this.lastSeen = { remaining, resetMs, at: now };
    // A new window: the reset moved later than the clock explains (headers count whole seconds), or more came
    // back than answers arriving out of order can explain. Grants are counted per window.
    const newWindow =
      last !== undefined &&
      ((resetMs !== undefined && last.resetMs !== undefined && resetMs > last.resetMs - (now - last.at) + 1000) ||
        remaining > last.remaining + this.maxConcurrent);
    this.grantedSinceFull = newWindow ? 1 : this.grantedSinceFull + 1;
    // More granted than the allowance since the budget was full, with no reset in between: it refills as it goes.
    if (!this.continuousRefused && limit !== undefined && this.grantedSinceFull > limit + 1) this.continuousDetected = true;
    // Refill rate, estimated only from an empty budget: the reset then announces the time to refill it all, at
    // least (allowance - 1) / rate, so (allowance - 1) / reset never overstates the rate. The lowest estimate holds.
    if (this.continuousDetected && remaining < 1 && limit !== undefined && limit > 1 && resetMs !== undefined && resetMs > 0) {
      const perMs = (limit - 1) / resetMs;
      this.refill = { perMs: Math.min(perMs, this.refill?.perMs ?? perMs), since: now, limit };
    }
    if (this.refill) {
      // What is left, less what is on the wire (below 0 is a debt the refill pays first).
      this.refill.since = now;
      if (limit !== undefined) this.refill.limit = limit;
      this.serverAvailable = remaining - inFlight;
      return { exhausted: false, pausedForMs: 0 };
    }
    const available = Math.max(0, snapshot.remaining - inFlight);
    this.serverAvailable = available;
    if (available > 0) return { exhausted: false, pausedForMs: 0 };
    const pausedForMs = resetMs ?? TICK_MS * 4;
    // The requests still on the wire land during the pause and spend part of the refill: the budget after it is
    // the allowance less those (as the Redis limiter's pause does).
    this.hold(pausedForMs, limit === undefined ? undefined : Math.max(0, limit - inFlight));
    return { exhausted: true, pausedForMs };
  }

  /** Holds every request for `ms` (a 429's Retry-After); `availableAfter` is the server budget once it ends, when known. */
  pause(ms: number, availableAfter?: number): void {
    // A 429 means the budget was not what the continuous model said: wait for announced resets from now on.
    this.continuousRefused = true;
    this.continuousDetected = false;
    this.refill = undefined;
    this.hold(ms, availableAfter);
  }

  private hold(ms: number, availableAfter?: number): void {
    const until = Date.now() + ms;
    if (until > this.pausedUntil) this.pausedUntil = until;
    this.serverAvailable = 0;
    this.availableAfterPause = availableAfter;
    this.refillAfterPause = true;
  }

  stats(): RateLimiterStats {
    const counts = this.limiter.counts();
    return {
      queued: (counts.RECEIVED ?? 0) + (counts.QUEUED ?? 0),
      running: this.inFlight,
      serverAvailable: this.serverAvailable === undefined ? undefined : Math.max(0, Math.floor(this.serverAvailable)),
      pausedUntil: this.pausedUntil,
    };
  }

  async disconnect(): Promise<void> {
    await this.limiter.disconnect(false);
  }

  /**
   * Waits out a pause, then spends one unit of the server budget. Synchronous between the check and the spend,
   * so concurrent jobs cannot both take the last unit.
   */
  protected async passServerGate(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      const wait = this.pausedUntil - Date.now();
      if (wait > 0) {
        await abortableSleep(wait, signal);
        continue;
      }
      if (this.refillAfterPause) {
        // The pause is over: the server has refilled to its allowance (or we do not know, and let responses say).
        this.refillAfterPause = false;
        this.serverAvailable = this.availableAfterPause;
        this.availableAfterPause = undefined;
        this.grantedSinceFull = 0;
      }
      if (this.refill && this.serverAvailable !== undefined) {
        const now = Date.now();
        // Never more than a full budget less what is on the wire.
        const ceiling = this.refill.limit - this.inFlight;
        this.serverAvailable = Math.min(ceiling, this.serverAvailable + (now - this.refill.since) * this.refill.perMs);
        this.refill.since = now;
        if (this.serverAvailable >= 1) {
          this.serverAvailable--;
          return;
        }
        await abortableSleep(Math.max(1, Math.ceil((1 - this.serverAvailable) / this.refill.perMs)), signal);
        continue;
      }
      if (this.serverAvailable === undefined) return;
      if (this.serverAvailable > 0) {
        this.serverAvailable--;
        return;
      }
      // Spent locally: the answers of the requests on the wire will say how much is left. With none on the wire
      // (responses without budget headers), fall back to not knowing rather than waiting forever.
      if (this.inFlight === 0) {
        this.serverAvailable = undefined;
        return;
      }
      await abortableSleep(TICK_MS / 5, signal);
    }
  }
}

/**
 * Bottleneck's in-memory datastore yields with `setTimeout(0)` several times per job to mimic its Redis store,
 * and Node clamps each of those to >= 1 ms: about 2.4 ms of idle time per request, a ceiling near 420 jobs/s.
 * `setImmediate` keeps the same asynchronous ordering without the clamp. Bottleneck 2.19.5 has not changed since
 * 2019, so this private method is stable; if it is ever missing, the limiter still works, only slower.
 */
function useFastYield(limiter: BottleneckLimiter): void {
  const store = (limiter as unknown as { _store?: { yieldLoop?: (t?: number) => Promise<void> } })._store;
  if (store && typeof store.yieldLoop === 'function') {
    store.yieldLoop = (t = 0) => new Promise<void>((resolve) => (t > 0 ? setTimeout(resolve, t) : setImmediate(resolve)));
  }
}
