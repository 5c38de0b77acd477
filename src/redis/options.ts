/**
 * Option types of the Redis pieces. This file has no runtime imports so `client-options.ts` can name these types
 * without the main entry loading ioredis (or needing its types installed).
 */
import type { WarningEvent } from '../events';
import type { LocalRateLimiterOptions } from '../transport/rate-limiter';

/**
 * What to do when Redis is unreachable at start or lost mid-run.
 * - `error` (default): requests fail with `RedisUnavailableError` until Redis is back; nothing runs unpaced.
 * - `local`: a `warning` event, then a local limiter with this process's share of the budget, starting empty.
 */
export type RedisFallback = 'error' | 'local';

/**
 * An ioredis client (`new Redis(...)`). Typed structurally so that users who never ask for Redis do not need
 * ioredis' types. A client you pass stays yours: `disconnect()` leaves it open.
 */
export interface RedisClientLike {
  duplicate(...args: never[]): unknown;
  readonly status: string;
}

export interface RedisConnectionOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://...` (TLS). Give either `url` or `client`. */
  url?: string;
  /** An ioredis client to use instead of a URL. Prefer `enableOfflineQueue: false` so commands fail fast when Redis is down. */
  client?: RedisClientLike;
  /** Time allowed to connect before Redis counts as down. Default 5,000 ms. */
  connectTimeoutMs?: number;
  /** Default `error`. */
  fallback?: RedisFallback;
}

/** `rateLimit.redis` of `GenesysClient`. */
export interface RedisRateLimitOption extends RedisConnectionOptions {
  /**
   * Names the shared budget: every client with the same id, in any process, shares one concurrency cap, one
   * per-minute budget and one pause. Use one id per OAuth client (the platform limits per token).
   */
  id: string;
  /**
   * Also share the access token through Redis (one token minted for all workers). Default true unless a
   * `tokenStore` is given. The token is a secret: see docs/shared-limits.md.
   */
  shareToken?: boolean;
}

/** The limits a limiter enforces, as `rateLimit` of the client resolves them. */
export interface SharedLimits {
  requestsPerMinute: number;
  maxConcurrent: number;
  burst?: number | undefined;
}

// `initialBudget` is the local limiter's: the shared budget starts full (bottleneck's reservoir), as it did.
export interface RedisRateLimiterOptions extends Omit<LocalRateLimiterOptions, 'initialBudget'>, RedisConnectionOptions {
  /** Every limiter with this id, in any process, shares one concurrency cap, one budget and one pause. */
  id: string;
  /** Receives `redis-*` warnings (fallback, lost connection, settings changed). The client wires it to `warning` events. */
  onWarning?: ((warning: WarningEvent) => void) | undefined;
  /**
   * How often each limiter asks Redis for refilled budget while jobs wait. Default 250 ms. (Bottleneck's own
   * default is 5,000 ms, which is where its "5000 ms intervals when clustering" advice comes from.)
   */
  heartbeatMs?: number | undefined;
  /**
   * A job holding a shared slot longer than this releases the slot (the request itself goes on). This is what
   * frees the slots of a worker that crashed mid-request. Default 60,000 ms.
   */
  jobExpirationMs?: number | undefined;
}
