import type { RateLimitSnapshot } from '../events';

/**
 * Which response headers carry the server's budget. Genesys sends `inin-ratelimit-count/allowed/reset` (real);
 * `X-RateLimit-*` are honoured too since gateways and the design card use them. Names are configurable because
 * no official page pins them down (docs/platform-notes.md section b).
 */
export interface RateLimitHeaderNames {
  /** Requests left in the window. */
  remaining: string[];
  /** Window allowance. */
  limit: string[];
  /** Requests used in the window (remaining = limit - count when no `remaining` header is sent). */
  count: string[];
  /** Time until the window resets: delta seconds, or epoch seconds when larger than 10^9. */
  reset: string[];
}

export const DEFAULT_RATE_LIMIT_HEADERS: RateLimitHeaderNames = {
  remaining: ['x-ratelimit-remaining', 'x-rate-limit-remaining'],
  limit: ['inin-ratelimit-allowed', 'x-ratelimit-limit', 'x-rate-limit-limit'],
  count: ['inin-ratelimit-count', 'x-rate-limit-count'],
  reset: ['inin-ratelimit-reset', 'x-ratelimit-reset', 'x-rate-limit-reset'],
};

function firstNumber(headers: Headers, names: string[]): number | undefined {
  for (const n of names) {
    const v = headers.get(n);
    if (v === null) continue;
    // `X-Rate-Limit-Count: 180/300` style values: take the first number.
    const m = /^\s*(\d+(?:\.\d+)?)/.exec(v);
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** Reads the server's budget from one response; undefined when the response carries none of the headers. */
export function parseRateLimitHeaders(
  headers: Headers,
  names: RateLimitHeaderNames = DEFAULT_RATE_LIMIT_HEADERS,
  now: number = Date.now(),
): RateLimitSnapshot | undefined {
  const limit = firstNumber(headers, names.limit);
  let remaining = firstNumber(headers, names.remaining);
  if (remaining === undefined && limit !== undefined) {
    const count = firstNumber(headers, names.count);
    if (count !== undefined) remaining = Math.max(0, limit - count);
  }
  const reset = firstNumber(headers, names.reset);
  let resetMs: number | undefined;
  if (reset !== undefined) resetMs = reset > 1e9 ? Math.max(0, reset * 1000 - now) : Math.ceil(reset * 1000);
  if (remaining === undefined && limit === undefined && resetMs === undefined) return undefined;
  const snap: RateLimitSnapshot = {};
  if (remaining !== undefined) snap.remaining = remaining;
  if (limit !== undefined) snap.limit = limit;
  if (resetMs !== undefined) snap.resetMs = resetMs;
  return snap;
}
