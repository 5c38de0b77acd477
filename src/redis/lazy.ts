/**
 * `rateLimit.redis` of GenesysClient. The main entry imports this file, so it must not import ioredis or anything
 * that does: the Redis pieces are loaded with a dynamic import on the first request (tsup puts them, and ioredis, in
 * a separate chunk), and users who never ask for Redis never load them.
 */
import type { StoredToken, TokenStore } from '../auth/token-store';
import type { RateLimitSnapshot, WarningEvent } from '../events';
import type { RateLimiter, RateLimiterStats, ScheduleOptions } from '../transport/rate-limiter';
import type { RedisLimits } from './create';
import { systemClock, type Clock } from '../internal/clock';
import { describeTarget, errorText, RedisUnavailableError } from './errors';
import type { RedisRateLimitOption, SharedLimits } from './options';

export interface LazyRedisLimits {
  limiter: RateLimiter;
  tokenStore: TokenStore;
}

/** `clock` is the client's: the limiter's waits and a pause noted before Redis is loaded run on it. */
export function lazyRedisLimits(option: RedisRateLimitOption, limits: SharedLimits, onWarning: (w: WarningEvent) => void, clock: Clock = systemClock): LazyRedisLimits {
  let loading: Promise<RedisLimits> | undefined;
  let loaded: RedisLimits | undefined;
  let earlyPause: { until: number; after: number | undefined } | undefined;
  const load = (): Promise<RedisLimits> =>
    (loading ??= import('./create').then(
      (m) => {
        loaded = m.createRedisLimits({
          id: option.id,
          ...(option.url !== undefined ? { url: option.url } : {}),
          ...(option.client !== undefined ? { client: option.client } : {}),
          fallback: option.fallback,
          connectTimeoutMs: option.connectTimeoutMs,
          requestsPerMinute: limits.requestsPerMinute,
          maxConcurrent: limits.maxConcurrent,
          burst: limits.burst,
          onWarning,
          clock,
        });
        if (earlyPause && earlyPause.until > clock.now()) loaded.limiter.pause(earlyPause.until - clock.now(), earlyPause.after);
        return loaded;
      },
      (e: unknown) => {
        throw new RedisUnavailableError(
          /ioredis/.test(errorText(e))
            ? 'rateLimit.redis needs the optional peer dependency ioredis: npm install ioredis'
            : `rateLimit.redis: the Redis support could not be loaded (${errorText(e)})`,
          { reason: 'missing-ioredis', target: describeTarget(option.url, option.client), cause: e },
        );
      },
    ));

  const limiter: RateLimiter = {
    async schedule<T>(fn: () => Promise<T>, options?: ScheduleOptions): Promise<T> {
      return (await load()).limiter.schedule(fn, options);
    },
    observe(snapshot: RateLimitSnapshot, inFlight: number) {
      return loaded ? loaded.limiter.observe(snapshot, inFlight) : { exhausted: false, pausedForMs: 0 };
    },
    pause(ms: number, availableAfter?: number) {
      if (loaded) loaded.limiter.pause(ms, availableAfter);
      else earlyPause = { until: clock.now() + ms, after: availableAfter };
    },
    get running() {
      return loaded?.limiter.running ?? 0;
    },
    stats(): RateLimiterStats {
      return loaded?.limiter.stats() ?? { queued: 0, running: 0, serverAvailable: undefined, pausedUntil: earlyPause?.until ?? 0 };
    },
    async disconnect() {
      if (!loading) return;
      const l = await loading.catch(() => undefined);
      await l?.close();
    },
  };

  const tokenStore: TokenStore = {
    async get(key: string) {
      return (await load()).tokenStore.get(key);
    },
    async set(key: string, token: StoredToken) {
      return (await load()).tokenStore.set(key, token);
    },
    async delete(key: string, accessToken: string) {
      return (await load()).tokenStore.delete(key, accessToken);
    },
    async lock(key: string, ttlMs: number) {
      return (await load()).tokenStore.lock(key, ttlMs);
    },
  };

  return { limiter, tokenStore };
}
