import Bottleneck from 'bottleneck';
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
  /** Holds every queued and new job for `ms` (a 429's Retry-After applies to the whole client). */
  pause(ms: number): void;
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
  reservoir: number | null;
  pausedUntil: number;
}

export interface LocalRateLimiterOptions {
  requestsPerMinute: number;
  maxConcurrent: number;
  /** Budget available at once; default `requestsPerMinute` (a full window, as the platform grants per minute). */
  burst?: number | undefined;
}

/** Bottleneck reservoirs tick every 250 ms; its docs ask for intervals that are multiples of 250 ms. */
const TICK_MS = 250;

/**
 * A token bucket (bottleneck reservoir refilled every 250 ms at `requestsPerMinute`) plus a concurrency cap, kept in
 * step with the server: after every response the reservoir is lowered to what the server says is left, and when the
 * server says the window is spent every job is held until its reset instead of earning a 429.
 */
export class LocalRateLimiter implements RateLimiter {
  protected readonly limiter: Bottleneck;
  protected pausedUntil = 0;
  private runningJobs = 0;
  private readonly burst: number;

  constructor(options: LocalRateLimiterOptions, limiter?: Bottleneck) {
    const burst = options.burst ?? options.requestsPerMinute;
    this.burst = burst;
    this.limiter =
      limiter ??
      new Bottleneck({
        maxConcurrent: options.maxConcurrent,
        reservoir: burst,
        reservoirIncreaseInterval: TICK_MS,
        reservoirIncreaseAmount: (options.requestsPerMinute * TICK_MS) / 60_000,
        reservoirIncreaseMaximum: burst,
      });
    if (!limiter) useFastYield(this.limiter);
  }

  get running(): number {
    return this.runningJobs;
  }

  async schedule<T>(fn: () => Promise<T>, options: ScheduleOptions = {}): Promise<T> {
    const { signal } = options;
    throwIfAborted(signal);
    let abandoned = false;
    const job = this.limiter.schedule({ priority: options.priority ?? 5 }, async () => {
      // A job aborted while queued still gets dispatched by bottleneck; it returns at once.
      if (abandoned) return undefined as T;
      this.runningJobs++;
      try {
        await this.waitForPause(signal);
        return await fn();
      } finally {
        this.runningJobs--;
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
    // The server is the source of truth both ways: its remaining budget, less what is already on the wire, is what
    // may be sent now. Raising matters too: after a 429 storm the local reservoir is empty while the server is not.
    const available = Math.min(this.burst, Math.max(0, snapshot.remaining - inFlight));
    void this.setReservoir(available);
    if (available > 0) return { exhausted: false, pausedForMs: 0 };
    const pausedForMs = snapshot.resetMs ?? TICK_MS * 4;
    this.pause(pausedForMs);
    return { exhausted: true, pausedForMs };
  }

  pause(ms: number): void {
    const until = Date.now() + ms;
    if (until > this.pausedUntil) this.pausedUntil = until;
    void this.setReservoir(0);
  }

  stats(): RateLimiterStats {
    const counts = this.limiter.counts();
    return {
      queued: (counts.RECEIVED ?? 0) + (counts.QUEUED ?? 0),
      running: this.runningJobs,
      reservoir: this.reservoirSync,
      pausedUntil: this.pausedUntil,
    };
  }

  async disconnect(): Promise<void> {
    await this.limiter.disconnect(false);
  }

  private reservoirSync: number | null = null;

  /**
   * Serialised read-then-increment. Responses arrive concurrently, and two interleaved updates could drive the
   * reservoir negative and stall every queued request. (Not `updateSettings({ reservoir })`: in bottleneck 2.19.5
   * that stops the reservoir's refill timer for good.)
   */
  protected setReservoir(value: number): Promise<void> {
    this.reservoirSync = value;
    this.reservoirOp = this.reservoirOp.then(async () => {
      const current = await this.limiter.currentReservoir();
      if (current !== null && current !== value) await this.limiter.incrementReservoir(value - current);
    });
    return this.reservoirOp;
  }

  private reservoirOp: Promise<void> = Promise.resolve();

  /** Held here (not in bottleneck) so a pause also stops jobs already dispatched but not yet sent. */
  private async waitForPause(signal: AbortSignal | undefined): Promise<void> {
    for (let wait = this.pausedUntil - Date.now(); wait > 0; wait = this.pausedUntil - Date.now()) {
      await abortableSleep(wait, signal);
    }
  }
}

/**
 * Bottleneck's in-memory datastore yields with `setTimeout(0)` several times per job to mimic its Redis store,
 * and Node clamps each of those to >= 1 ms: about 2.4 ms of idle time per request, a ceiling near 420 jobs/s.
 * `setImmediate` keeps the same asynchronous ordering without the clamp. Bottleneck 2.19.5 has not changed since
 * 2019, so this private method is stable; if it is ever missing, the limiter still works, only slower.
 */
function useFastYield(limiter: Bottleneck): void {
  const store = (limiter as unknown as { _store?: { yieldLoop?: (t?: number) => Promise<void> } })._store;
  if (store && typeof store.yieldLoop === 'function') {
    store.yieldLoop = (t = 0) => new Promise<void>((resolve) => (t > 0 ? setTimeout(resolve, t) : setImmediate(resolve)));
  }
}
