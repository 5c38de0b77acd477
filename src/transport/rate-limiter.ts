// The in-memory limiter needs only bottleneck's light build (one file, ~2.5 ms to load instead of ~8 ms for the
// main entry with its Redis datastores, bench/footprint); RedisRateLimiter brings the full one, lazily.
import { AsyncLocalStorage } from 'node:async_hooks';
import BottleneckLight from 'bottleneck/light.js';
import type { RateLimitSnapshot } from '../events';
import { throwIfAborted } from './sleep';
import * as z from 'zod';
import { lazySchema } from '../internal/lazy-schema';
import { parseOptions } from '../internal/parse-options';
import { positiveInt } from '../internal/schema-fragments';

const OptionsSchema = lazySchema(() =>
  z.strictObject({
    requestsPerMinute: z.number().positive().refine(Number.isFinite, 'must be a finite number'),
    maxConcurrent: positiveInt(),
    burst: positiveInt().optional(),
    serverGoverns: z.boolean().optional(),
    maxRequestsPerSecond: z.number().positive().refine(Number.isFinite, 'must be a finite number').optional(),
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

/** One request past the gate: when it left and when its answer (of any kind) came back. */
interface Sent {
  seq: number;
  sentAt: number;
  answeredAt: number | undefined;
}

/** The newest answer that carried the server's budget (newest by when its request was sent). */
interface Answer {
  /** Sequence number of its request: every request sent after it (a higher seq) is not in `remaining`. */
  seq: number;
  remaining: number;
  at: number;
  /** When the server said budget comes back (its reset header), when it said. */
  resetAt: number | undefined;
}

/**
 * The longest a request can count, from one announced reset. Resets come in whole seconds: delta seconds rounded
 * up bound the window as they are, but an epoch time rounded up to a whole second can overstate it by up to a
 * second (2 x on a 1-s window), so it counts as the whole seconds it surely spans.
 */
function windowCandidate(resetMs: number, now: number): number {
  // Parsed a moment before `now`: an epoch reset lands within a few ms of a whole second.
  const offset = (((now + resetMs) % 1000) + 1000) % 1000;
  const epoch = resetMs % 1000 !== 0 && (offset <= 50 || offset >= 950);
  return epoch ? Math.max(1000, Math.ceil((resetMs - 999) / 1000) * 1000) : resetMs;
}

/** Carries the request a response belongs to from `schedule` to `observe` (the transport's observe has no request id). */
const current = new AsyncLocalStorage<Sent>();

/** The longest the hold before a probe grows to by itself (a 429's Retry-After may teach more). */
const MAX_HOLD_MS = 120_000;

/** How long a probe that brought neither a budget nor a 429 blocks the next one. */
const PROBE_GRACE_MS = 100;

/** How long a spent budget is held before one request probes it, when the server announces no reset at all. */
const DEFAULT_HOLD_MS = 1000;

/**
 * The gate in front of every request, on any server rate-limit model (a token bucket, fixed windows aligned to the
 * clock or opened by the first request, a sliding log) and any reset header (delta seconds to a window end or to a
 * full bucket, an epoch time, none). Nothing here depends on knowing the model:
 *
 * - **Budget** = what the newest answer (by when its request was sent) reported as remaining, minus the requests
 *   sent after that request (they are not in its count).
 * - **Own sliding log**: a request of ours counted in that answer, whose own answer came back more than the longest
 *   reset the server ever announced ago, is free again on every model (a sliding log has dropped it, a fixed window
 *   has ended, a bucket has refilled it), capped by the limit less our requests that may still count. So a spent
 *   budget is released as the log ages, not after a whole reset followed by a burst. Until one request the log
 *   freed has been granted, it frees one at a time (a wrong window costs one 429, not one per request in flight).
 *   Without reset headers the hold (1 s) stands in for the window until a 429 or an answer says it is longer.
 * - **Probe**: when the budget is spent and the log frees nothing sooner, one request goes when the server said its
 *   budget returns (its reset; without a reset header, the hold after the budget ran out); its answer tells how much
 *   came back. One probe at a time.
 * - **Refilling bucket**: within half a window of a nearly full budget, budget coming back in parts beyond what was
 *   in use then, or a reset growing in step with the requests spent, shows a bucket; requests are then paced
 *   GCRA-style at the refill rate (a lower bound: from the reset announced for a full bucket, else measured),
 *   keeping one request in reserve and re-anchoring on every answer.
 * - A **429** pauses everything for its Retry-After, turns the bucket pacing off for good, makes every announced reset
 *   count at face value, teaches the hold (without reset headers), and after it one request probes the budget.
 * - The client's own budget (`requestsPerMinute` / `burst`) always holds unless `serverGoverns`, in which case it
 *   applies only until the server announces a budget; `maxRequestsPerSecond` applies until then too.
 */
export class LocalRateLimiter implements RateLimiter {
  protected readonly limiter: BottleneckLimiter;
  protected pausedUntil = 0;
  private inFlight = 0;
  private seq = 0;
  private readonly maxConcurrent: number;
  /** Our requests, oldest first, from `logHead` on. */
  private log: Sent[] = [];
  private logHead = 0;
  /** The client's own budget: a token bucket (undefined when a passed-in bottleneck carries it). */
  private readonly own: { tokens: number; last: number; perMs: number; capacity: number } | undefined;
  private readonly serverGoverns: boolean;
  private readonly ceiling: number | undefined;
  private readonly recentSends: number[] = [];
  /** Some response carried rate-limit headers. */
  private announced = false;
  private limit: number | undefined;
  /** The longest reset the server announced: no request of ours is counted longer than this after its answer. */
  private windowMs: number | undefined;
  private newest: Answer | undefined;
  private exhaustedAt: number | undefined;
  private holdMs = DEFAULT_HOLD_MS;
  private probeSeq: number | undefined;
  /** The outstanding probe was sent because the log freed budget (not for a reset). */
  private logProbe = false;
  /** What the log said was free when its probe left. */
  private logClaim = 0;
  /** A request the log freed was granted: the log's window is right, its frees need no probe. Until a 429. */
  private logTrusted = false;
  private afterPause: { until: number; available: number | undefined } | undefined;
  /** Requests up to this one may have left the server's count in a way the log cannot follow (a window ended). */
  private baseSeq = 0;
  /** The longest reset announced, as announced (an epoch reset rounded up to a whole second included). */
  private maxResetMs: number | undefined;
  /** A 429 came although the log said budget was free: take every announced reset at its face value. */
  private resetRefused = false;
  /** The last answer that showed a nearly full budget: partial refills since, beyond what was in use then, mean a bucket. */
  /** Without reset headers, a 429 came: the hold is no stand-in for the window (the log is off). */
  private holdRefused = false;
  /** When the first request since the budget was last seen nearly whole was sent. */
  private batchStartAt: number | undefined;
  private ref: { at: number; used: number; refilled: number; remaining: number; resetMs: number | undefined } | undefined;
  /** Lower bound of a bucket's refill (per ms) from `(limit - remaining - 1) / reset`. */
  private headerRate: number | undefined;
  /** Set once a refilling bucket is evident: pace at this rate (per ms). */
  private bucketPerMs: number | undefined;
  private bucketRefused = false;
  private readonly waiters = new Set<() => void>();

  constructor(options: LocalRateLimiterOptions, limiter?: BottleneckLimiter) {
    parseOptions(OptionsSchema, options, 'LocalRateLimiter options');
    const burst = options.burst ?? options.requestsPerMinute;
    this.maxConcurrent = options.maxConcurrent;
    this.serverGoverns = options.serverGoverns ?? false;
    this.ceiling = options.maxRequestsPerSecond;
    if (limiter) {
      this.limiter = limiter;
    } else {
      this.limiter = new BottleneckLight({ maxConcurrent: options.maxConcurrent });
      useFastYield(this.limiter);
      this.own = { tokens: burst, last: Date.now(), perMs: options.requestsPerMinute / 60_000, capacity: burst };
    }
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
      // A job aborted while queued still gets dispatched by bottleneck; it returns at once.
      if (abandoned) return undefined as T;
      const sent = await this.passGate(signal);
      this.inFlight++;
      try {
        return await current.run(sent, fn);
      } finally {
        this.inFlight--;
        sent.answeredAt = Date.now();
        if (this.probeSeq === sent.seq) {
          // A probe ends with its answer's budget (observe) or a 429's pause, which the caller applies only after
          // schedule() returns; an answer with neither (no headers, a network error) ends it a moment later.
          const t = setTimeout(() => {
            if (this.probeSeq === sent.seq) {
              // Answered without budget headers: back to not knowing, and let later responses say.
              this.probeSeq = undefined;
              this.newest = undefined;
            }
            this.notify();
          }, PROBE_GRACE_MS);
          (t as { unref?: () => void }).unref?.();
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
    const { remaining, limit, resetMs } = snapshot;
    if (remaining === undefined && limit === undefined && resetMs === undefined) return { exhausted: false, pausedForMs: 0 };
    const now = Date.now();
    this.announced = true;
    if (this.afterPause && now >= this.afterPause.until) this.endPause();
    if (resetMs !== undefined && resetMs > 0) {
      this.maxResetMs = Math.max(this.maxResetMs ?? 0, resetMs);
      this.windowMs = Math.max(this.windowMs ?? 0, this.resetRefused ? this.maxResetMs : windowCandidate(resetMs, now));
    }
    if (remaining === undefined) return { exhausted: false, pausedForMs: 0 };
    this.limit = limit ?? Math.max(this.limit ?? 0, remaining + 1);
    // The request this answers; called from outside a scheduled job, it is taken to precede the `inFlight` others.
    const seq = current.getStore()?.seq ?? this.seq - Math.max(0, inFlight);
    const prev = this.newest;
    if (seq === this.probeSeq) {
      this.probeSeq = undefined;
      // The log is right if about as much came back as it said; else its window is too short (without reset
      // headers, the hold standing in for it doubles).
      // A hold standing in for an unannounced window is confirmed only by a claim larger than what is on the wire.
      const confirms = this.windowMs !== undefined || this.logClaim > 1 + this.maxConcurrent;
      if (this.logProbe && remaining >= this.logClaim - 1 - this.maxConcurrent) this.logTrusted ||= confirms;
      else if (this.logProbe && this.windowMs === undefined) this.holdMs = Math.min(2 * this.holdMs, MAX_HOLD_MS);
    }
    // An older request's answer: the newest one already says more.
    if (prev && seq <= prev.seq) return { exhausted: false, pausedForMs: 0 };
    if (prev) {
      // More left than the previous answer less the requests sent in between explains: budget came back. When it
      // came back nearly whole (a window ended), the requests before this one are no longer counted: the log stops
      // counting them (it would free them twice).
      const refill = remaining - Math.max(0, prev.remaining - (seq - prev.seq));
      if (refill >= 1) {
        if (remaining >= this.limit - 1 - this.maxConcurrent) this.baseSeq = seq - 1;
        this.noteRefill(refill, remaining, now);
      }
    }
    const lim = this.limit;
    if (remaining >= lim - 1 - this.maxConcurrent) {
      // In use now, less our own requests of the last half window: a sliding log cannot free those within half a window.
      const half = (this.windowMs ?? this.holdMs) / 2;
      let recent = 0;
      for (let i = this.log.length - 1; i >= this.logHead && this.log[i]!.sentAt > now - half; i--) recent++;
      this.ref = { at: now, used: Math.max(0, lim - remaining + (this.seq - seq) - recent), refilled: 0, remaining, resetMs };
      this.batchStartAt = current.getStore()?.sentAt ?? now;
    } else if (this.ref && resetMs !== undefined && this.ref.resetMs !== undefined) {
      this.noteResetGrowth(this.ref, remaining, resetMs, now);
    }
    if (limit !== undefined && resetMs !== undefined && resetMs > 0 && remaining < limit - 1) {
      // If the reset is the time to a full bucket, the bucket refills at least this fast (the reset is rounded up).
      this.headerRate = Math.max(this.headerRate ?? 0, (limit - remaining - 1) / resetMs);
    }
    if (this.bucketPerMs !== undefined && this.headerRate !== undefined) this.bucketPerMs = Math.max(this.bucketPerMs, this.headerRate);
    this.newest = { seq, remaining, at: now, resetAt: resetMs === undefined ? undefined : now + resetMs };
    const budget = remaining - (this.seq - seq);
    let newlyExhausted = false;
    if (budget > 0) this.exhaustedAt = undefined;
    else if (this.exhaustedAt === undefined) {
      this.exhaustedAt = now;
      newlyExhausted = this.bucketPerMs === undefined;
    }
    this.notify();
    if (!newlyExhausted) return { exhausted: false, pausedForMs: 0 };
    return { exhausted: true, pausedForMs: Math.max(0, Math.round(this.probeAt(this.newest) - now)) };
  }

  /** Holds every request for `ms` (a 429's Retry-After); `availableAfter` is the server budget once it ends, when known. */
  pause(ms: number, availableAfter?: number): void {
    const now = Date.now();
    const until = Math.max(this.pausedUntil, now + ms);
    this.pausedUntil = until;
    // The budget was not what the refill model said: wait for announced resets from now on.
    this.bucketPerMs = undefined;
    this.bucketRefused = true;
    if (this.maxResetMs !== undefined) {
      this.resetRefused = true;
      this.windowMs = Math.max(this.windowMs ?? 0, this.maxResetMs);
    }
    // Without reset headers the hold before a probe is learnt from the server: the budget came back this long after it ran out.
    // (from the first request sent since the budget was last nearly whole: no request counts longer than that).
    if (this.windowMs === undefined && this.exhaustedAt !== undefined) this.holdMs = Math.max(this.holdMs, until - (this.batchStartAt ?? this.exhaustedAt));
    if (this.windowMs === undefined) this.holdRefused = true;
    this.afterPause = { until, available: availableAfter };
    this.probeSeq = undefined;
    this.logTrusted = false;
    this.notify();
  }

  stats(): RateLimiterStats {
    const counts = this.limiter.counts();
    const n = this.newest;
    return {
      queued: (counts.RECEIVED ?? 0) + (counts.QUEUED ?? 0),
      running: this.inFlight,
      serverAvailable: n === undefined ? undefined : Math.max(0, Math.floor(Math.max(n.remaining - (this.seq - n.seq), this.logBudget(n, Date.now()).available))),
      pausedUntil: this.pausedUntil,
    };
  }

  async disconnect(): Promise<void> {
    this.notify();
    await this.limiter.disconnect(false);
  }

  /** Waits until every gate lets one request through, then spends it; synchronous between the check and the spend. */
  private async passGate(signal: AbortSignal | undefined): Promise<Sent> {
    for (;;) {
      throwIfAborted(signal);
      const now = Date.now();
      const d = this.decide(now);
      if (d.go) {
        const sent: Sent = { seq: ++this.seq, sentAt: now, answeredAt: undefined };
        this.log.push(sent);
        this.prune(now);
        if (d.probe) this.probeSeq = sent.seq;
        if (this.own) this.own.tokens -= 1;
        if (this.ceiling !== undefined) this.recentSends.push(now);
        return sent;
      }
      await this.waitUntil(d.until, signal);
    }
  }

  private decide(now: number): { go: true; probe: boolean } | { go: false; until: number } {
    if (this.pausedUntil > now) return { go: false, until: this.pausedUntil };
    if (this.afterPause && now >= this.afterPause.until) this.endPause();
    let until = 0;
    const own = this.own;
    if (own && !(this.serverGoverns && this.announced)) {
      own.tokens = Math.min(own.capacity, own.tokens + Math.max(0, now - own.last) * own.perMs);
      own.last = now;
      if (own.tokens < 1) until = Math.max(until, now + (1 - own.tokens) / own.perMs);
    }
    if (this.ceiling !== undefined && !this.announced) {
      while (this.recentSends.length > 0 && this.recentSends[0]! <= now - 1000) this.recentSends.shift();
      if (this.recentSends.length >= this.ceiling) until = Math.max(until, this.recentSends[this.recentSends.length - this.ceiling]! + 1000);
    }
    if (until > now) return { go: false, until };
    return this.serverGate(now);
  }

  private endPause(): void {
    const a = this.afterPause;
    this.afterPause = undefined;
    if (!a || !this.announced) return;
    // What the server has now is unknown (or `available`): one request probes it, unless told.
    this.newest = { seq: this.seq, remaining: a.available ?? 0, at: a.until, resetAt: a.available === undefined ? a.until : undefined };
    this.exhaustedAt = (a.available ?? 0) > 0 ? undefined : a.until;
  }

  private serverGate(now: number): { go: true; probe: boolean } | { go: false; until: number } {
    const n = this.newest;
    if (!n) return { go: true, probe: false };
    const sentAfter = this.seq - n.seq;
    if (n.remaining - sentAfter >= 1) return { go: true, probe: false };
    const log = this.logBudget(n, now);
    // What the log frees goes one request at a time until one such request was granted: a log that is wrong about
    // the server (a window longer than announced) costs one 429, not one per request in flight.
    if (log.available >= 1) {
      if (this.logTrusted) return { go: true, probe: false };
      if (this.probeSeq === undefined) {
        this.logProbe = true;
        this.logClaim = log.available;
        return { go: true, probe: true };
      }
    }
    let until = log.available >= 1 ? Infinity : log.next;
    const rate = this.bucketPerMs;
    if (rate !== undefined) {
      // GCRA: what is left plus what refilled since the answer (its arrival, a lower bound), one kept in reserve.
      const left = Math.min(this.limit ?? Infinity, n.remaining + (now - n.at) * rate) - sentAfter - 1;
      if (left >= 1) return { go: true, probe: false };
      until = Math.min(until, n.at + (2 + sentAfter - n.remaining) / rate);
    }
    const probeAt = this.probeAt(n);
    if (now >= probeAt) {
      if (this.probeSeq === undefined) {
        this.logProbe = false;
        return { go: true, probe: true };
      }
    } else {
      until = Math.min(until, probeAt);
    }
    // Infinity: woken by the outstanding probe's answer.
    return { go: false, until };
  }

  /** When the server said budget comes back: its reset, or without one a hold after the budget ran out. */
  private probeAt(n: Answer): number {
    return n.resetAt ?? (this.exhaustedAt ?? n.at) + this.holdMs;
  }

  /**
   * The budget by the log: `n`'s remaining less what was sent after it, plus our requests `n` counted that are free
   * again (sent after `n` minus the longest reset and not before budget last came back whole, so `n` counted them,
   * and answered more than that reset ago). Capped by the limit less our requests that may still count at all (on
   * the wire, or answered within that reset): on a bucket the first term would count a refill twice. Also when the
   * log frees the next request.
   */
  private logBudget(n: Answer, now: number): { available: number; next: number } {
    // Without reset headers the hold (1 s) stands in for the window, until a 429 says it is longer.
    const w = this.windowMs ?? (this.holdRefused ? undefined : this.holdMs);
    const base = n.remaining - (this.seq - n.seq);
    if (w === undefined || this.limit === undefined) return { available: base, next: Infinity };
    let freed = 0;
    let freedNext = Infinity;
    for (let i = this.firstSentAfter(n.at - w); i < this.log.length; i++) {
      const s = this.log[i]!;
      if (s.seq > n.seq) break;
      if (s.seq <= this.baseSeq || s.answeredAt === undefined) continue;
      if (s.answeredAt <= now - w) freed++;
      else freedNext = Math.min(freedNext, s.answeredAt + w);
    }
    // Answers slower than a minute are not expected (timeoutMs defaults to 30 s).
    let counting = 0;
    let capNext = Infinity;
    for (let i = this.firstSentAfter(now - w - 60_000); i < this.log.length; i++) {
      const a = this.log[i]!.answeredAt;
      if (a !== undefined && a <= now - w) continue;
      counting++;
      if (a !== undefined) capNext = Math.min(capNext, a + w);
    }
    const relative = base + freed;
    const cap = this.limit - counting;
    const next = relative < 1 && cap < 1 ? Math.max(freedNext, capNext) : relative < 1 ? freedNext : capNext;
    return { available: Math.min(relative, cap), next };
  }

  /** Index of the first logged request sent after `t` (the log is in send order). */
  private firstSentAfter(t: number): number {
    let lo = this.logHead;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.log[mid]!.sentAt <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private noteRefill(amount: number, remaining: number, now: number): void {
    const ref = this.ref;
    if (this.bucketPerMs !== undefined || this.bucketRefused || !ref) return;
    // Within half a window of a nearly full budget, a sliding log can free only what was in use then (less our recent
    // requests), and a fixed window gives everything back at once, not in part. More partial refills: a bucket.
    if (now - ref.at >= (this.windowMs ?? this.holdMs) / 2) return;
    if (remaining >= (this.limit ?? Infinity) - 1 - this.maxConcurrent) return;
    ref.refilled += amount;
    if (ref.refilled <= ref.used + 1) return;
    const measured = now > ref.at ? ref.refilled / (now - ref.at) : undefined;
    const rate = this.headerRate ?? measured;
    if (rate !== undefined && rate > 0) this.bucketPerMs = rate;
  }

  /**
   * A bucket announces the time to refill what is used: as the budget is spent its reset grows in step (one refill
   * interval per request). Fixed windows' resets only shrink within a window, and a sliding log's jump when its oldest
   * request leaves is far larger than the requests spent meanwhile explain.
   */
  private noteResetGrowth(ref: NonNullable<LocalRateLimiter['ref']>, remaining: number, resetMs: number, now: number): void {
    if (this.bucketPerMs !== undefined || this.bucketRefused || this.headerRate === undefined) return;
    if (now - ref.at >= (this.windowMs ?? this.holdMs) / 2) return;
    const grew = resetMs - (ref.resetMs ?? resetMs);
    const spent = ref.remaining - remaining;
    if (grew >= 2000 && spent > 0 && grew <= (spent + 2) / this.headerRate) this.bucketPerMs = this.headerRate;
  }

  private prune(now: number): void {
    const keepMs = 2 * Math.max(this.windowMs ?? 0, 60_000);
    while (this.logHead < this.log.length) {
      const s = this.log[this.logHead]!;
      if (s.answeredAt === undefined || s.sentAt > now - keepMs) break;
      this.logHead++;
    }
    if (this.logHead > 1024 && this.logHead * 2 > this.log.length) {
      this.log = this.log.slice(this.logHead);
      this.logHead = 0;
    }
  }

  private waitUntil(until: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiters.delete(done);
        resolve();
      };
      const onAbort = () => {
        if (timer !== undefined) clearTimeout(timer);
        this.waiters.delete(done);
        reject(signal!.reason);
      };
      if (Number.isFinite(until)) timer = setTimeout(done, Math.max(1, Math.ceil(until - Date.now())));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(done);
    });
  }

  /** Wakes every request waiting at the gate to look again (an answer arrived, a pause began, a probe ended). */
  private notify(): void {
    for (const w of [...this.waiters]) w();
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
