/**
 * `@org/gc-data/redis`: limits shared by every worker process through Redis. Needs the optional peer dependency
 * `ioredis`; nothing here is loaded by the main entry unless `rateLimit.redis` is used. See docs/shared-limits.md.
 */
export { RedisRateLimiter } from './redis-rate-limiter';
export type { RedisRateLimiterOptions, SharedLimiterState, LimiterState } from './redis-rate-limiter';
export { RedisTokenStore } from './redis-token-store';
export type { RedisTokenStoreOptions } from './redis-token-store';
export { createRedisLimits } from './create';
export type { CreateRedisLimitsOptions, RedisLimits } from './create';
export { RedisUnavailableError } from './errors';
export type { RedisUnavailableReason } from './errors';
export type { RedisClientLike, RedisConnectionOptions, RedisFallback, RedisRateLimitOption, SharedLimits } from './options';
