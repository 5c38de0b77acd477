/** What RedisRateLimiter needs from bottleneck's Redis clustering: its settings for a budget, and a Redis 7 fix. */
import type Bottleneck from 'bottleneck';
import type { Redis } from 'ioredis';
import type { WarningEvent } from '../events';

/**
 * Bottleneck 2.19.5 recovers from lost state (Redis restarted, its keys expired, or this limiter dropped after 10 s
 * without a heartbeat) by matching its scripts' errors exactly: `SETTINGS_KEY_NOT_FOUND` re-creates the settings,
 * `UNKNOWN_CLIENT` registers again. Redis 7 prefixes script errors with `ERR `, so neither matches and every later
 * call fails for good. Strip the prefix from those two before bottleneck looks.
 */
export function recognizeRedis7Errors(connection: Bottleneck.IORedisConnection): void {
  type Callback = (err: Error | null, replies: unknown) => void;
  const c = connection as unknown as { __scriptArgs__?: (name: string, id: string, args: unknown[], cb: Callback) => unknown[] };
  const original = c.__scriptArgs__?.bind(connection);
  if (!original) return;
  c.__scriptArgs__ = (name, id, args, cb) =>
    original(name, id, args, (err, replies) => {
      if (err) {
        const m = /^ERR (SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT)$/.exec(err.message);
        if (m?.[1]) err.message = m[1];
      }
      cb(err, replies);
    });
}

/**
 * Bottleneck settings for a budget of `requestsPerMinute`. Its Redis store applies reservoir increases lazily
 * (elapsed intervals x amount, computed in Lua on every call), so an interval of one request's worth is exact and
 * keeps the reservoir an integer, which its HINCRBY-based scripts need. Waiting jobs learn about the refill from
 * the heartbeat (`heartbeatMs`) or any other limiter's activity.
 */
export function bottleneckSettings(l: { requestsPerMinute: number; maxConcurrent: number; burst: number }) {
  const perRequestMs = 60_000 / l.requestsPerMinute;
  // Below 1 ms per request, grant whole requests per millisecond instead.
  return {
    maxConcurrent: l.maxConcurrent,
    reservoirIncreaseInterval: perRequestMs >= 1 ? perRequestMs : 1,
    reservoirIncreaseAmount: perRequestMs >= 1 ? 1 : Math.round(l.requestsPerMinute / 60_000),
    reservoirIncreaseMaximum: l.burst,
  };
}

/**
 * Makes the shared settings of an id ours. Bottleneck keeps the first limiter's settings for everyone; the newest
 * configuration wins here instead, so a redeploy with a new budget takes effect without clearing Redis by hand.
 * Returns the warning to give when other limits were in force (none when the state was simply lost).
 */
export async function alignSettings(
  client: Redis,
  bottleneck: Bottleneck,
  settingsKey: string,
  limits: { requestsPerMinute: number; maxConcurrent: number; burst: number },
  id: string,
): Promise<WarningEvent | undefined> {
  const wanted = bottleneckSettings(limits);
  const names = Object.keys(wanted) as Array<keyof typeof wanted>;
  const stored = await client.hmget(settingsKey, ...names);
  const differs = names.filter((n, i) => Number(stored[i]) !== wanted[n]);
  if (differs.length === 0) return undefined;
  await bottleneck.updateSettings(wanted);
  // No settings at all means the state was lost (Redis restarted, keys expired): nothing to warn about.
  if (!stored.some((v) => v !== null)) return undefined;
  return {
    code: 'redis-settings-changed',
    message: `Shared limiter "${id}" had other limits in Redis (${differs.join(', ')}); this worker's limits now apply to every worker of this id.`,
    details: { id, changed: differs },
  };
}
