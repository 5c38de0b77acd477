/**
 * Rate limiting of the simulated org, one limiter per access token (and one per client id on the token endpoint).
 *
 * The model is an option (`rateLimit.model`, see rate-limit-models.ts): a token bucket by default, which starts full
 * with `burst` tokens (default: `requests`) and refills continuously at `requests / windowMs`; or fixed windows
 * (`anchor: 'clock' | 'first-request'`); or a sliding log. A request takes one unit; with none left it is a 429.
 * The platform's own algorithm is not documented (its sample headers look like a fixed one-minute window: count 1,
 * allowed 180, reset 61), so clients are tested against all of them.
 *
 * Headers, on every response that passed authentication:
 * - `inin-ratelimit-allowed` / `X-RateLimit-Limit`: the capacity.
 * - `inin-ratelimit-count`: capacity - requests left after this one, i.e. "used".
 * - `X-RateLimit-Remaining`: requests left after this one (whole).
 * - `inin-ratelimit-reset` / `X-RateLimit-Reset`: by `rateLimit.reset`: whole seconds (ceil) until the bucket is
 *   full again (the bucket's default) or the window ends (the windows' default), an epoch time in seconds, or absent.
 * - On a 429 also `Retry-After`: whole seconds (ceil, at least 1) until one request is allowed again.
 */
import type { RateLimitOptions } from '../engine/options';
import { RateLimitModel, type BucketResult } from './rate-limit-models';

export type { BucketResult } from './rate-limit-models';

/** One limiter of the model `limit.model` (the name is kept from when the bucket was the only model). */
export class TokenBucket {
  readonly capacity: number;
  private readonly model: RateLimitModel;

  constructor(limit: RateLimitOptions, now: number) {
    this.model = new RateLimitModel(limit, now);
    this.capacity = this.model.capacity;
  }

  take(now: number): BucketResult {
    return this.model.take(now);
  }

  /** The state a request would see, without taking a unit. */
  peek(now: number): BucketResult {
    return this.model.peek(now);
  }
}

export function rateLimitHeaders(r: BucketResult): Record<string, string> {
  const h: Record<string, string> = {
    'inin-ratelimit-allowed': String(r.capacity),
    'inin-ratelimit-count': String(r.capacity - r.remaining),
    'X-RateLimit-Limit': String(r.capacity),
    'X-RateLimit-Remaining': String(r.remaining),
  };
  if (!r.noReset) {
    const reset = String(r.resetEpochSeconds ?? r.resetSeconds);
    h['inin-ratelimit-reset'] = reset;
    h['X-RateLimit-Reset'] = reset;
  }
  if (!r.allowed) h['Retry-After'] = String(r.retryAfterSeconds);
  return h;
}

/** The normalised 429 message (forum post 12028). */
export function rateLimitMessage(seconds: number): string {
  return `Rate limit exceeded the maximum. Retry the request in [${seconds}] seconds`;
}
export const RATE_LIMIT_CODE = 'too.many.requests.retry.after';
