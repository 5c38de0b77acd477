/**
 * Typed events of `client.on(...)`. Payloads carry method, path (never the query string), status, attempt,
 * latency and correlation id: never a token, a secret or an Authorization header.
 */

export interface RequestEvent {
  /** Same for every attempt of one logical request: ties retries to their original. */
  requestId: string;
  method: string;
  path: string;
  attempt: number;
  idempotent: boolean;
  /** How long this attempt waited on the rate limiter before it was sent, in ms (API requests only). */
  queuedMs?: number;
}

export interface RateLimitSnapshot {
  /** Requests left in the server's current window (from `X-RateLimit-Remaining` or `allowed - count`). */
  remaining?: number;
  /** The server's window allowance (`inin-ratelimit-allowed` / `X-RateLimit-Limit`). */
  limit?: number;
  /** Milliseconds until the server's window resets (`inin-ratelimit-reset` / `X-RateLimit-Reset`). */
  resetMs?: number;
}

export interface ResponseEvent {
  requestId: string;
  method: string;
  path: string;
  attempt: number;
  status: number;
  latencyMs: number;
  correlationId: string | undefined;
  rateLimit: RateLimitSnapshot | undefined;
}

export interface RetryEvent {
  requestId: string;
  method: string;
  path: string;
  /** The attempt that failed; the next one is `attempt + 1`. */
  attempt: number;
  delayMs: number;
  reason: 'status' | 'network' | 'timeout' | 'unauthorized';
  status: number | undefined;
  correlationId: string | undefined;
}

export interface RateLimitEvent {
  /** `retry-after`: a 429 paused the whole limiter; `exhausted`: the headers said the budget is spent. */
  kind: 'retry-after' | 'exhausted';
  method: string;
  path: string;
  pausedForMs: number;
  status: number;
  correlationId: string | undefined;
}

export interface TokenEvent {
  /** `issued`: a token was minted; `reused`: taken from a shared store; `invalidated`: dropped after a 401. */
  kind: 'issued' | 'reused' | 'invalidated';
  /** ISO-8601 UTC expiry of the token concerned. */
  expiresAt: string | undefined;
  reason: string;
}

export interface ProgressEvent {
  /** Which long operation, e.g. `quality.export`, `analytics.job`. */
  operation: string;
  [key: string]: unknown;
}

export interface WarningEvent {
  /** Stable machine-readable code, e.g. `short-page-retry`, `schema-drift`, `redis-fallback`. */
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** The event map of `GenesysClient` (eventemitter3 typing). */
export interface GcEventMap {
  request: (e: RequestEvent) => void;
  response: (e: ResponseEvent) => void;
  retry: (e: RetryEvent) => void;
  rateLimit: (e: RateLimitEvent) => void;
  token: (e: TokenEvent) => void;
  progress: (e: ProgressEvent) => void;
  warning: (e: WarningEvent) => void;
}

export type GcEventName = keyof GcEventMap;
