/**
 * The `RateLimiter` interface every request runs through (src/transport/transport.ts) and `LocalRateLimiter`, the
 * in-memory one: a concurrency cap (slot-queue.ts), the client's own budget and ceiling (here), and the server's
 * budget (server-pacer.ts). Every wait sleeps on the limiter's clock (src/internal/clock.ts: the client's), so a 429's
 * pause and the refill pacing follow a fake clock in tests and nothing here reads the wall clock.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RateLimitSnapshot } from '../events';
import { throwIfAborted } from './sleep';
import * as z from 'zod';
import { lazySchema } from '../internal/lazy-schema';
import { parseOptions } from '../internal/parse-options';
import { positiveInt } from '../internal/schema-fragments';
import { isClock, systemClock, type Clock } from '../internal/clock';
import { SlotQueue, type BottleneckLimiter } from './slot-queue';
import { ServerPacer, type GateVerdict, type Sent } from './server-pacer';

export type { BottleneckLimiter } from './slot-queue';

const OptionsSchema = lazySchema(() =>
  z.strictObject({
    requestsPerMinute: z.number().positive().refine(Number.isFinite, 'must be a finite number'),
    maxConcurrent: positiveInt(),
    burst: positiveInt().optional(),
    serverGoverns: z.boolean().optional(),
    maxRequestsPerSecond: z.number().positive().refine(Number.isFinite, 'must be a finite number').optional(),
    initialBudget: z.number().int().min(0).optional(),
    clock: z.custom<Clock>(isClock, 'must be a Clock (now, sleep, random)').optional(),
  }),
);

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
  /** The client's own budget per minute. */
  requestsPerMinute: number;
  maxConcurrent: number;
  /** Budget available at once; default `requestsPerMinute` (a full window, as the platform grants per minute). */
  burst?: number | undefined;
  /**
   * `true`: `requestsPerMinute` / `burst` are the client's defaults, not the user's: they apply only until the server
   * announces its budget (a response with rate-limit headers); from then on the announced budget is the only limit.
   * `false` (default): they always hold, alongside the server's budget.
   */
  serverGoverns?: boolean | undefined;
  /**
   * Instantaneous ceiling while the server has announced nothing (no rate-limit headers at all): at most this many
   * requests leave in any one second. Default: none. Once any response carries rate-limit headers it no longer applies.
   */
  maxRequestsPerSecond?: number | undefined;
  /**
   * Requests of the client's own budget available at the start. The shared limiter's local fallback starts empty (0)
   * so that workers falling back together do not burst. @default `burst`
   */
  initialBudget?: number | undefined;
  /**
   * The clock every wait of the limiter runs on: pauses, refill pacing, holds before a probe. The client passes its own
   * (`clock` client option); give the same one when you build a limiter for a client with a fake clock.
   * @default the system clock (src/internal/clock.ts)
   */
  clock?: Clock | undefined;
}


/** Carries the request a response belongs to from `schedule` to `observe` (the transport's observe has no request id). */
const current = new AsyncLocalStorage<Sent>();

/** How long a probe that brought neither a budget nor a 429 blocks the next one. */
const PROBE_GRACE_MS = 100;

/**
 * The gate in front of every request. The server's budget, on any rate-limit model and reset style, is
 * server-pacer.ts' (its header says how). Here: at most `maxConcurrent` at once (slot-queue.ts, or a bottleneck limiter
 * passed in, which then also carries the client's budget); the client's own budget (`requestsPerMinute` / `burst`, a
 * token bucket) always holds unless `serverGoverns`, in which case it applies only until the server announces a
 * budget; `maxRequestsPerSecond` applies until then too.
 */
export class LocalRateLimiter implements RateLimiter {
  protected readonly limiter: BottleneckLimiter;
  private inFlight = 0;
  private readonly pacer: ServerPacer;
  /** The client's own budget: a token bucket (undefined when a passed-in bottleneck carries it). */
  private readonly own: { tokens: number; last: number; perMs: number; capacity: number } | undefined;
  private readonly serverGoverns: boolean;
  private readonly ceiling: number | undefined;
  private readonly recentSends: number[] = [];
  private readonly waiters = new Set<() => void>();
  /**
   * Requests inside passGate (waiting at the gate or looking again). Not `waiters.size`: every waiter woken by one
   * answer leaves that set before any of them looks again, so each saw the others as gone.
   */
  private atGate = 0;
  private readonly clock: Clock;

  constructor(options: LocalRateLimiterOptions, limiter?: BottleneckLimiter) {
    parseOptions(OptionsSchema, options, 'LocalRateLimiter options');
    const burst = options.burst ?? options.requestsPerMinute;
    this.serverGoverns = options.serverGoverns ?? false;
    this.ceiling = options.maxRequestsPerSecond;
    this.clock = options.clock ?? systemClock;
    this.pacer = new ServerPacer(options.maxConcurrent, () => this.notify());
    if (limiter) {
      this.limiter = limiter;
    } else {
      this.limiter = new SlotQueue(options.maxConcurrent);
      this.own = { tokens: Math.min(burst, options.initialBudget ?? burst), last: this.clock.now(), perMs: options.requestsPerMinute / 60_000, capacity: burst };
    }
  }

  /** Epoch ms (on the limiter's clock) until which a 429's Retry-After holds every request. */
  protected get pausedUntil(): number {
    return this.pacer.pausedUntil;
  }

  /** Requests past the gate and not yet answered. */
  get running(): number {
    return this.inFlight;
  }

  async schedule<T>(fn: () => Promise<T>, options: ScheduleOptions = {}): Promise<T> {
    const { signal } = options;
    throwIfAborted(signal);
    let abandoned = false;
    const job = this.limiter.schedule({ priority: options.priority ?? 5 }, async () => {
      // A job aborted while queued still gets a slot; it returns at once.
      if (abandoned) return undefined as T;
      const sent = await this.passGate(signal);
      this.inFlight++;
      try {
        return await current.run(sent, fn);
      } finally {
        this.inFlight--;
        if (this.pacer.answered(sent, this.clock.now())) {
          // A probe ends with its answer's budget (observe) or a 429's pause, which the caller applies only after
          // schedule() returns; an answer with neither (no headers, a network error) ends it a moment later.
          void this.clock.sleep(PROBE_GRACE_MS).then(() => {
            this.pacer.probeUnanswered(sent);
            this.notify();
          });
        }
        this.notify();
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
    return this.pacer.observe(snapshot, inFlight, current.getStore(), this.clock.now());
  }

  /** Holds every request for `ms` (a 429's Retry-After); `availableAfter` is the server budget once it ends, when known. */
  pause(ms: number, availableAfter?: number): void {
    this.pacer.pause(ms, availableAfter, this.clock.now());
  }

  stats(): RateLimiterStats {
    const counts = this.limiter.counts();
    return {
      queued: (counts.RECEIVED ?? 0) + (counts.QUEUED ?? 0),
      running: this.inFlight,
      serverAvailable: this.pacer.available(this.clock.now()),
      pausedUntil: this.pacer.pausedUntil,
    };
  }

  async disconnect(): Promise<void> {
    this.notify();
    await this.limiter.disconnect(false);
  }

  /** Waits until every gate lets one request through, then spends it; synchronous between the check and the spend. */
  private async passGate(signal: AbortSignal | undefined): Promise<Sent> {
    this.atGate++;
    try {
      for (;;) {
        throwIfAborted(signal);
        const now = this.clock.now();
        const d = this.decide(now);
        if (d.go) {
          const sent = this.pacer.send(now, d.probe);
          if (this.own) this.own.tokens -= 1;
          if (this.ceiling !== undefined) this.recentSends.push(now);
          return sent;
        }
        await this.waitUntil(d.until, signal);
      }
    } finally {
      this.atGate--;
    }
  }

  private decide(now: number): GateVerdict {
    if (this.pacer.pausedUntil > now) return { go: false, until: this.pacer.pausedUntil };
    const announced = this.pacer.announced;
    let until = 0;
    const own = this.own;
    if (own && !(this.serverGoverns && announced)) {
      own.tokens = Math.min(own.capacity, own.tokens + Math.max(0, now - own.last) * own.perMs);
      own.last = now;
      if (own.tokens < 1) until = Math.max(until, now + (1 - own.tokens) / own.perMs);
    }
    if (this.ceiling !== undefined && !announced) {
      while (this.recentSends.length > 0 && this.recentSends[0]! <= now - 1000) this.recentSends.shift();
      if (this.recentSends.length >= this.ceiling) until = Math.max(until, this.recentSends[this.recentSends.length - this.ceiling]! + 1000);
    }
    if (until > now) return { go: false, until };
    // Requests wanting to go: this one, those waiting at the gate, and those waiting for a slot.
    return this.pacer.gate(now, this.atGate + (this.limiter.counts().QUEUED ?? 0));
  }

  /**
   * Sleeps on the clock until `until` (Infinity: until woken), or less when `notify` wakes the gate (an answer, a
   * pause, a probe's end) or the signal aborts: either aborts the sleep, so a fake clock keeps no stray timer.
   */
  private async waitUntil(until: number, signal: AbortSignal | undefined): Promise<void> {
    const wake = new AbortController();
    const done = () => wake.abort();
    this.waiters.add(done);
    signal?.addEventListener('abort', done, { once: true });
    try {
      if (Number.isFinite(until)) await this.clock.sleep(Math.max(1, Math.ceil(until - this.clock.now())), wake.signal).catch(() => undefined);
      else await new Promise((resolve) => wake.signal.addEventListener('abort', resolve, { once: true }));
    } finally {
      this.waiters.delete(done);
      signal?.removeEventListener('abort', done);
    }
    // The caller's loop looks again, and throws the signal's reason when it aborted.
  }

  /** Wakes every request waiting at the gate to look again (an answer arrived, a pause began, a probe ended). */
  private notify(): void {
    for (const w of [...this.waiters]) w();
  }
}
