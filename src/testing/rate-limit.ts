/**
 * Token-bucket rate limiting, one bucket per access token (and one per client id on the token endpoint).
 *
 * Model: the bucket starts full with `burst` tokens (default: `requests`) and refills continuously at
 * `requests / windowMs`. A request takes one token; with none left it is a 429. The platform's own algorithm is not
 * documented (its sample headers look like a fixed one-minute window: count 1, allowed 180, reset 61); a continuous
 * bucket is the documented choice here because it has no window-edge double bursts to mislead client pacing tests.
 *
 * Headers, on every response that passed authentication:
 * - `inin-ratelimit-allowed` / `X-RateLimit-Limit`: the capacity.
 * - `inin-ratelimit-count`: capacity - floor(tokens left after this request), i.e. "used".
 * - `X-RateLimit-Remaining`: floor(tokens left after this request).
 * - `inin-ratelimit-reset` / `X-RateLimit-Reset`: whole seconds (ceil) until the bucket is full again.
 * - On a 429 also `Retry-After`: whole seconds (ceil, at least 1) until one token is back.
 */
import type { RateLimitOptions } from './options';

export interface BucketResult {
  allowed: boolean;
  capacity: number;
  remaining: number;
  resetSeconds: number;
  retryAfterSeconds: number;
}

export class TokenBucket {
  readonly capacity: number;
  private readonly perMs: number;
  private tokens: number;
  private last: number;

  constructor(limit: RateLimitOptions, now: number) {
    this.capacity = limit.burst ?? limit.requests;
    this.perMs = limit.requests / limit.windowMs;
    this.tokens = this.capacity;
    this.last = now;
  }

  take(now: number): BucketResult {
    this.refill(now);
    const allowed = this.tokens >= 1;
    if (allowed) this.tokens -= 1;
    return {
      allowed,
      capacity: this.capacity,
      remaining: Math.floor(this.tokens),
      resetSeconds: Math.ceil((this.capacity - this.tokens) / this.perMs / 1000),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - this.tokens) / this.perMs / 1000)),
    };
  }

  /** The state a request would see, without taking a token. */
  peek(now: number): BucketResult {
    this.refill(now);
    return {
      allowed: this.tokens >= 1,
      capacity: this.capacity,
      remaining: Math.floor(this.tokens),
      resetSeconds: Math.ceil((this.capacity - this.tokens) / this.perMs / 1000),
      retryAfterSeconds: this.tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - this.tokens) / this.perMs / 1000)),
    };
  }

  private refill(now: number): void {
    // A clock that moves backwards (fake timers reset between tests) refills nothing rather than draining.
    if (now > this.last) this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
  }
}

export function rateLimitHeaders(r: BucketResult): Record<string, string> {
  const h: Record<string, string> = {
    'inin-ratelimit-allowed': String(r.capacity),
    'inin-ratelimit-count': String(r.capacity - r.remaining),
    'inin-ratelimit-reset': String(r.resetSeconds),
    'X-RateLimit-Limit': String(r.capacity),
    'X-RateLimit-Remaining': String(r.remaining),
    'X-RateLimit-Reset': String(r.resetSeconds),
  };
  if (!r.allowed) h['Retry-After'] = String(r.retryAfterSeconds);
  return h;
}

/** The normalised 429 message (forum post 12028). */
export function rateLimitMessage(seconds: number): string {
  return `Rate limit exceeded the maximum. Retry the request in [${seconds}] seconds`;
}
export const RATE_LIMIT_CODE = 'too.many.requests.retry.after';
