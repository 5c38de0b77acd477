/**
 * The option schemas of @org/gc-data/redis: checked before a connection is opened, so a typo or a bad value is a
 * ValidationError naming the field (src/internal/parse-options.ts), not a GcError/TypeError later or a connection
 * made with half the options ignored.
 */
import * as z from 'zod';
import { lazySchema } from '../internal/lazy-schema';
import { parseOptions } from '../internal/parse-options';
import { positiveInt } from '../internal/schema-fragments';
import { isClock, type Clock } from '../internal/clock';

const fn = (what: string) => z.custom<(...a: never[]) => unknown>((v) => typeof v === 'function', `${what} must be a function`);
const connection = () => ({
  url: z.string().regex(/^rediss?:\/\/\S+$/i, 'must be a redis:// or rediss:// URL').optional(),
  client: z
    .custom<object>(
      (v) => typeof v === 'object' && v !== null && typeof (v as { duplicate?: unknown }).duplicate === 'function' && typeof (v as { defineCommand?: unknown }).defineCommand === 'function',
      'must be an ioredis client (new Redis(...)); Redis Cluster is not supported',
    )
    .optional(),
  connectTimeoutMs: positiveInt().optional(),
  fallback: z.enum(['error', 'local']).optional(),
});
const clock = () => z.custom<Clock>(isClock, 'must be a Clock (now, sleep, random)');
const rate = () => z.number().positive().refine(Number.isFinite, 'must be a finite number');
const oneTarget = (o: { url?: unknown; client?: unknown }) => (o.url === undefined) !== (o.client === undefined);
const oneTargetIssue = { error: 'give exactly one of url (redis://host:port) or client (an ioredis client)', path: ['url'] };

const Limiter = lazySchema(() =>
  z
    .strictObject({
      ...connection(),
      id: z.string().min(1).max(200),
      requestsPerMinute: rate(),
      maxConcurrent: positiveInt(),
      burst: positiveInt().optional(),
      serverGoverns: z.boolean().optional(),
      maxRequestsPerSecond: rate().optional(),
      clock: clock().optional(),
      onWarning: fn('onWarning').optional(),
      heartbeatMs: positiveInt().optional(),
      jobExpirationMs: positiveInt().optional(),
    })
    .refine(oneTarget, oneTargetIssue),
);

const TokenStore = lazySchema(() =>
  z
    .strictObject({ ...connection(), keyPrefix: z.string().max(200).optional(), onWarning: fn('onWarning').optional(), clock: clock().optional() })
    .refine(oneTarget, oneTargetIssue),
);

const Limits = lazySchema(() =>
  z
    .strictObject({
      ...connection(),
      id: z.string().min(1).max(200),
      requestsPerMinute: rate().optional(),
      maxConcurrent: positiveInt().optional(),
      burst: positiveInt().optional(),
      onWarning: fn('onWarning').optional(),
      heartbeatMs: positiveInt().optional(),
      jobExpirationMs: positiveInt().optional(),
      tokenKeyPrefix: z.string().max(200).optional(),
      clock: clock().optional(),
    })
    .refine(oneTarget, oneTargetIssue),
);

export const checkRedisRateLimiterOptions = (o: unknown): void => void parseOptions(Limiter, o, 'RedisRateLimiter options');
export const checkRedisTokenStoreOptions = (o: unknown): void => void parseOptions(TokenStore, o, 'RedisTokenStore options');
export const checkRedisLimitsOptions = (o: unknown): void => void parseOptions(Limits, o, 'createRedisLimits options');
