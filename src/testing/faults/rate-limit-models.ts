/**
 * The rate-limit models the simulated org can run (option `rateLimit.model`), so a client's pacing can be tested
 * against each without knowing which one the real platform uses (it does not document it):
 *
 * - `bucket` (default): a token bucket that starts full with `burst` tokens (default `requests`) and refills
 *   continuously at `requests / windowMs`.
 * - `fixed`: `requests` per window of `windowMs`. `anchor: 'clock'` (default) aligns windows to multiples of
 *   `windowMs` on the org's clock; `'first-request'` opens a window with the first request after the last one ended.
 * - `sliding`: a sliding log: a request is allowed when fewer than `requests` were allowed in the `windowMs` before it.
 *
 * Refused requests (429s) spend nothing in any model. What each reset style announces (`rateLimit.reset`):
 *
 * | reset | bucket | fixed | sliding |
 * |---|---|---|---|
 * | `bucket-full` (bucket's default) | seconds until the bucket is full | seconds to the window's end | seconds until the log is empty (newest + window) |
 * | `window-end` (fixed's and sliding's default) | = `bucket-full` | seconds to the window's end | seconds until the oldest logged request leaves the window |
 * | `epoch` | the `bucket-full` moment as epoch seconds | the window's end as epoch seconds | the `bucket-full` moment as epoch seconds |
 * | `none` | no reset header | no reset header | no reset header |
 *
 * Delta seconds are rounded up (a client waiting for them is never early); epoch seconds are rounded up too.
 * `Retry-After` on a 429 is the whole seconds (rounded up, at least 1) until one request is allowed again.
 */

export interface BucketResult {
  allowed: boolean;
  capacity: number;
  remaining: number;
  /** Delta seconds of the reset header (what `reset: 'window-end' | 'bucket-full'` announce). */
  resetSeconds: number;
  retryAfterSeconds: number;
  /** Set with `reset: 'epoch'`: the reset header carries this epoch time in seconds instead of `resetSeconds`. */
  resetEpochSeconds?: number | undefined;
  /** Set with `reset: 'none'`: no reset header at all. */
  noReset?: boolean | undefined;
}

export type RateLimitModelName = 'bucket' | 'fixed' | 'sliding';
export type RateLimitAnchor = 'clock' | 'first-request';
export type RateLimitResetStyle = 'window-end' | 'bucket-full' | 'epoch' | 'none';

export interface RateLimitModelOptions {
  requests: number;
  windowMs: number;
  burst?: number | undefined;
  model?: RateLimitModelName | undefined;
  anchor?: RateLimitAnchor | undefined;
  reset?: RateLimitResetStyle | undefined;
}

/** What one model decides for one request: the budget left after it, and when budget comes back. */
interface ModelState {
  allowed: boolean;
  capacity: number;
  /** Whole requests left after this one. */
  remaining: number;
  /** ms until the whole allowance is available again. */
  fullInMs: number;
  /** ms until the current window ends (fixed) or the oldest logged request leaves it (sliding); = fullInMs for a bucket. */
  windowEndInMs: number;
  /** ms until one more request would be allowed (0 when one is). */
  nextInMs: number;
}

interface Model {
  take(now: number): ModelState;
  peek(now: number): ModelState;
}

class RefillingBucket implements Model {
  private readonly capacity: number;
  private readonly perMs: number;
  private tokens: number;
  private last: number;

  constructor(o: RateLimitModelOptions, now: number) {
    this.capacity = o.burst ?? o.requests;
    this.perMs = o.requests / o.windowMs;
    this.tokens = this.capacity;
    this.last = now;
  }

  take(now: number): ModelState {
    this.refill(now);
    const allowed = this.tokens >= 1;
    if (allowed) this.tokens -= 1;
    return this.state(allowed);
  }

  peek(now: number): ModelState {
    this.refill(now);
    return this.state(this.tokens >= 1);
  }

  private state(allowed: boolean): ModelState {
    const fullInMs = (this.capacity - this.tokens) / this.perMs;
    return {
      allowed,
      capacity: this.capacity,
      remaining: Math.floor(this.tokens),
      fullInMs,
      windowEndInMs: fullInMs,
      nextInMs: this.tokens >= 1 ? 0 : (1 - this.tokens) / this.perMs,
    };
  }

  private refill(now: number): void {
    // A clock that moves backwards (fake timers reset between tests) refills nothing rather than draining.
    if (now > this.last) this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
  }
}

class FixedWindow implements Model {
  private start: number | undefined;
  private count = 0;

  constructor(
    private readonly o: RateLimitModelOptions,
    private readonly anchor: RateLimitAnchor,
  ) {}

  take(now: number): ModelState {
    this.roll(now);
    const allowed = this.count < this.o.requests;
    if (allowed) {
      // A first-request window opens with the first request it allows.
      if (this.start === undefined) this.start = now;
      this.count++;
    }
    return this.state(now, allowed);
  }

  peek(now: number): ModelState {
    this.roll(now);
    return this.state(now, this.count < this.o.requests);
  }

  private roll(now: number): void {
    const w = this.o.windowMs;
    if (this.anchor === 'clock') {
      const start = Math.floor(now / w) * w;
      if (start !== this.start) {
        this.start = start;
        this.count = 0;
      }
    } else if (this.start !== undefined && (now >= this.start + w || now < this.start)) {
      this.start = undefined;
      this.count = 0;
    }
  }

  private state(now: number, allowed: boolean): ModelState {
    const end = this.start === undefined ? now : this.start + this.o.windowMs;
    const endIn = Math.max(0, end - now);
    const remaining = this.o.requests - this.count;
    return { allowed, capacity: this.o.requests, remaining, fullInMs: endIn, windowEndInMs: endIn, nextInMs: remaining > 0 ? 0 : endIn };
  }
}

class SlidingLog implements Model {
  /** Times of allowed requests within the window, oldest first. */
  private readonly log: number[] = [];
  private head = 0;

  constructor(private readonly o: RateLimitModelOptions) {}

  take(now: number): ModelState {
    this.expire(now);
    const allowed = this.size() < this.o.requests;
    if (allowed) this.log.push(now);
    return this.state(now, allowed);
  }

  peek(now: number): ModelState {
    this.expire(now);
    return this.state(now, this.size() < this.o.requests);
  }

  private size(): number {
    return this.log.length - this.head;
  }

  private expire(now: number): void {
    // A clock that moves backwards forgets the log rather than keeping requests "from the future".
    if (this.size() > 0 && this.log[this.log.length - 1]! > now) {
      this.log.length = 0;
      this.head = 0;
    }
    while (this.head < this.log.length && this.log[this.head]! <= now - this.o.windowMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.log.length) {
      this.log.splice(0, this.head);
      this.head = 0;
    }
  }

  private state(now: number, allowed: boolean): ModelState {
    const n = this.size();
    const oldest = n > 0 ? this.log[this.head]! : now - this.o.windowMs;
    const newest = n > 0 ? this.log[this.log.length - 1]! : now - this.o.windowMs;
    const remaining = this.o.requests - n;
    const oldestOut = Math.max(0, oldest + this.o.windowMs - now);
    return {
      allowed,
      capacity: this.o.requests,
      remaining,
      fullInMs: Math.max(0, newest + this.o.windowMs - now),
      windowEndInMs: oldestOut,
      nextInMs: remaining > 0 ? 0 : oldestOut,
    };
  }
}

/** One per-token (or per-client-id) limiter of the chosen model, reporting in the chosen reset style. */
export class RateLimitModel {
  readonly capacity: number;
  private readonly model: Model;
  private readonly reset: RateLimitResetStyle;

  constructor(o: RateLimitModelOptions, now: number) {
    const name = o.model ?? 'bucket';
    this.model = name === 'fixed' ? new FixedWindow(o, o.anchor ?? 'clock') : name === 'sliding' ? new SlidingLog(o) : new RefillingBucket(o, now);
    this.reset = o.reset ?? (name === 'bucket' ? 'bucket-full' : 'window-end');
    this.capacity = name === 'bucket' ? (o.burst ?? o.requests) : o.requests;
  }

  take(now: number): BucketResult {
    return this.report(this.model.take(now), now);
  }

  peek(now: number): BucketResult {
    return this.report(this.model.peek(now), now);
  }

  private report(s: ModelState, now: number): BucketResult {
    const resetMs = this.reset === 'window-end' ? s.windowEndInMs : s.fullInMs;
    const r: BucketResult = {
      allowed: s.allowed,
      capacity: s.capacity,
      remaining: s.remaining,
      resetSeconds: Math.ceil(resetMs / 1000),
      retryAfterSeconds: s.allowed ? 0 : Math.max(1, Math.ceil(s.nextInMs / 1000)),
    };
    if (this.reset === 'epoch') r.resetEpochSeconds = Math.ceil((now + s.fullInMs) / 1000);
    if (this.reset === 'none') r.noReset = true;
    return r;
  }
}
