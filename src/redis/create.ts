import type { WarningEvent } from '../events';
import { closedByLimiter, createClient, DEFAULT_CONNECT_TIMEOUT_MS } from './connection';
import { describeTarget } from './errors';
import type { RedisConnectionOptions, SharedLimits } from './options';
import { RedisRateLimiter, type RedisRateLimiterOptions } from './redis-rate-limiter';
import { RedisTokenStore } from './redis-token-store';
import { checkRedisLimitsOptions } from './validate';
import { GcError } from '../errors';
import type { Clock } from '../internal/clock';

export interface CreateRedisLimitsOptions extends RedisConnectionOptions, Partial<SharedLimits> {
  /** Names the shared budget (see `RedisRateLimiter`). */
  id: string;
  onWarning?: ((warning: WarningEvent) => void) | undefined;
  heartbeatMs?: RedisRateLimiterOptions['heartbeatMs'];
  jobExpirationMs?: RedisRateLimiterOptions['jobExpirationMs'];
  /** Prefix of the token store's keys. */
  tokenKeyPrefix?: string;
  /**
   * The clock of the limiter's waits and the token store's TTLs (GenesysClient passes its own). Every worker of an id
   * must keep the same time. @default the system clock (src/internal/clock.ts)
   */
  clock?: Clock | undefined;
}

export interface RedisLimits {
  limiter: RedisRateLimiter;
  tokenStore: RedisTokenStore;
  /** Closes the connection (same as `limiter.disconnect()`; `GenesysClient.close()` does it too). */
  close(): Promise<void>;
}

/**
 * A shared limiter and token store on one Redis connection, for `new GenesysClient({ rateLimit: { limiter },
 * tokenStore })`. Limits default to the client's defaults (300 requests/min, 5 in flight, burst = a minute's budget);
 * give the same values to every worker of an id (the latest started worker's values apply to all).
 */
export function createRedisLimits(options: CreateRedisLimitsOptions): RedisLimits {
  checkRedisLimitsOptions(options);
  if (options.url && options.client) throw new GcError('createRedisLimits: give either url or client, not both');
  let client = options.client;
  if (!client) {
    if (!options.url || !/^rediss?:\/\//i.test(options.url)) {
      throw new GcError(`createRedisLimits: give url (redis://host:port) or an ioredis client (got ${options.url ? describeTarget(options.url) : 'neither'})`);
    }
    const opened = createClient(options.url, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    closedByLimiter.add(opened);
    client = opened;
  }
  const requestsPerMinute = options.requestsPerMinute ?? 300;
  const limiter = new RedisRateLimiter({
    id: options.id,
    client,
    fallback: options.fallback,
    connectTimeoutMs: options.connectTimeoutMs,
    onWarning: options.onWarning,
    heartbeatMs: options.heartbeatMs,
    jobExpirationMs: options.jobExpirationMs,
    requestsPerMinute,
    maxConcurrent: options.maxConcurrent ?? 5,
    burst: options.burst ?? Math.max(1, Math.floor(requestsPerMinute)),
    clock: options.clock,
  });
  const tokenStore = new RedisTokenStore({
    client,
    fallback: options.fallback,
    connectTimeoutMs: options.connectTimeoutMs,
    onWarning: options.onWarning,
    clock: options.clock,
    ...(options.tokenKeyPrefix !== undefined ? { keyPrefix: options.tokenKeyPrefix } : {}),
  });
  return { limiter, tokenStore, close: () => limiter.disconnect() };
}
