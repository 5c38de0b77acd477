import * as z from 'zod';
import { validationErrorFromZod, ValidationError } from './errors';
import { parseRegion } from './regions';
import { DEFAULT_RATE_LIMIT_HEADERS, type RateLimitHeaderNames } from './transport/rate-limit-headers';
import type { RateLimiter } from './transport/rate-limiter';
import { DEFAULT_RETRY, type RetryOptions } from './transport/retry';
import type { TokenStore } from './auth/token-store';
import type { RedisClientLike, RedisRateLimitOption } from './redis/options';
import { lazySchema } from './internal/lazy-schema';
import { nonNegInt, positiveInt } from './internal/schema-fragments';
import type { Logger } from './client-observer';
import type { TelemetryOptions } from './telemetry/options';
import { isClock, systemClock, type Clock } from './internal/clock';

/** Options of `new GenesysClient(...)`. Every default is listed in docs/rate-limits-and-retries.md and the README. */
export interface GenesysClientOptions {
  clientId: string;
  /** Kept in a private field; never appears in errors, events or logs. */
  clientSecret: string;
  /** Region key (`eu_west_1`, `eu-west-1`) or host (`mypurecloud.ie`). Default `us_east_1` when no baseUrl is given. */
  region?: string;
  /** API origin for gateways and tests (`https://gateway.example.com`); needs `authUrl` too. http only on loopback. */
  baseUrl?: string;
  /** Login origin that serves `/oauth/token`. */
  authUrl?: string;
  /** Per-attempt timeout. Default 30,000 ms. */
  timeoutMs?: number;
  /** Overall deadline of one request, across retries and waits. Default 600,000 ms. */
  deadlineMs?: number;
  retry?: Partial<Omit<RetryOptions, 'budget'>> & { budget?: Partial<Exclude<RetryOptions['budget'], false>> | false };
  rateLimit?: {
    /** Budget per minute for this client. Default 300 (the platform's per-token limit). */
    requestsPerMinute?: number;
    /** Requests in flight at once. Default 5 (docs/design-intent.md seed 001). */
    maxConcurrent?: number;
    /** Requests allowed at once before pacing. Default `requestsPerMinute`. */
    burst?: number;
    /**
     * Ceiling while the server has announced no budget (no rate-limit headers at all): at most this many requests in
     * any one second. Once responses carry rate-limit headers the server's budget governs instead. A value you set
     * always holds in that phase.
     * @default 20 (docs/design-intent.md seed 001: "never exceed 15-20 requests per second")
     */
    maxRequestsPerSecond?: number;
    /** Response header names read for pacing. */
    headers?: Partial<RateLimitHeaderNames>;
    /** A ready limiter (e.g. shared through Redis) used instead of the in-memory one. */
    limiter?: RateLimiter;
    /**
     * Share these limits with every client of the same `id`, in any process, through Redis:
     * `{ url | client, id, fallback?: 'error' | 'local', shareToken? }`. Needs the optional peer dependency
     * `ioredis`, loaded on the first request. Also shares the access token unless `tokenStore` is given or
     * `shareToken` is false. See docs/shared-limits.md.
     */
    redis?: RedisRateLimitOption;
  };
  /** Where tokens are cached. Default: in memory, per client. */
  tokenStore?: TokenStore;
  /** Refresh a token this long before it expires. Default 300,000 ms (docs/design-intent.md seed 002). */
  refreshAheadMs?: number;
  /** Custom fetch (proxies, instrumentation). Default: the global fetch, resolved per request. */
  fetch?: typeof fetch;
  /** Appended to the User-Agent header. */
  userAgent?: string;
  /**
   * A response body larger than this is abandoned with a `ResponseTooLargeError` (not retried), before it is held
   * in memory. No page of the platform comes near it: an analytics job results page of 1,000 conversations is a
   * few MB.
   * @default 134_217_728 (128 MiB)
   */
  maxResponseBytes?: number;
  /**
   * Where the SDK logs what its events say (retries and rate-limit waits at info, warnings at warn, requests and
   * token refreshes at debug): any object with `debug`, `info`, `warn` and `error` (console, pino, winston).
   * @default undefined (silent)
   */
  logger?: Logger;
  /**
   * OpenTelemetry: a span per module operation with a child span per HTTP request, and request, 429, limiter-wait,
   * token and item metrics (docs/observability.md). `true` uses the providers registered globally with
   * `@opentelemetry/api` (an optional peer dependency, loaded on the first request only when this is set).
   * @default undefined (off: nothing is loaded, no cost)
   */
  telemetry?: true | TelemetryOptions;
  /**
   * Time and randomness for every wait of the SDK: job polls, backoffs and Retry-After waits, the transcoding wait,
   * token freshness, deadlines counted across waits (`{ now(), sleep(ms, signal?), random() }`). Tests give a fake
   * one (`createFakeClock()` from `@org/gc-data/testing`) and advance it instead of racing real time. The
   * per-attempt `timeoutMs` stays on real time (it guards real network I/O); the request `deadlineMs` is kept on
   * both: a real timer for the I/O, and this clock for the waits between attempts (no retry starts past it).
   * @default the system clock (`Date.now`, `setTimeout`, `Math.random`)
   */
  clock?: Clock;
}

export interface ResolvedClientOptions {
  clientId: string;
  clientSecret: string;
  apiBaseUrl: string;
  authBaseUrl: string;
  region: string | undefined;
  timeoutMs: number;
  deadlineMs: number;
  retry: RetryOptions;
  requestsPerMinute: number;
  maxConcurrent: number;
  burst: number;
  /** True when neither requestsPerMinute nor burst was given: the client's defaults give way to the server's budget. */
  serverGoverns: boolean;
  maxRequestsPerSecond: number;
  headerNames: RateLimitHeaderNames;
  limiter: RateLimiter | undefined;
  redis: RedisRateLimitOption | undefined;
  tokenStore: TokenStore | undefined;
  refreshAheadMs: number;
  fetch: typeof fetch | undefined;
  userAgent: string | undefined;
  maxResponseBytes: number;
  logger: Logger | undefined;
  telemetry: TelemetryOptions | undefined;
  clock: Clock;
}

/** See `rateLimit.maxRequestsPerSecond` (docs/design-intent.md seed 001). */
export const DEFAULT_MAX_REQUESTS_PER_SECOND = 20;

/** See `maxResponseBytes`. */
export const DEFAULT_MAX_RESPONSE_BYTES = 128 * 1024 * 1024;

const headerList = () => z.array(z.string().min(1)).min(1);

const Schema = lazySchema(() =>
  z
    .object({
      clientId: z.string({ error: 'clientId is required: the OAuth client id (client credentials grant)' }).min(1),
      clientSecret: z.string({ error: 'clientSecret is required: the OAuth client secret' }).min(1),
      region: z.string().min(1).optional(),
      baseUrl: z.url({ error: 'baseUrl must be an absolute URL, e.g. https://api.mypurecloud.com' }).optional(),
      authUrl: z.url({ error: 'authUrl must be an absolute URL, e.g. https://login.mypurecloud.com' }).optional(),
      timeoutMs: positiveInt().optional(),
      deadlineMs: positiveInt().optional(),
      retry: z
        .strictObject({
          limit: nonNegInt().optional(),
          rateLimitLimit: nonNegInt().optional(),
          baseDelayMs: nonNegInt().optional(),
          maxDelayMs: nonNegInt().optional(),
          maxRetryAfterMs: nonNegInt().optional(),
          serviceUnavailableFactor: z.number().min(1).optional(),
          giveUpAfterMs: positiveInt().optional(),
          budget: z
            .union([
              z.literal(false),
              z.strictObject({
                capacity: nonNegInt().optional(),
                retryCost: nonNegInt().optional(),
                timeoutCost: nonNegInt().optional(),
                successRefund: nonNegInt().optional(),
              }),
            ])
            .optional(),
        })
        .optional(),
      rateLimit: z
        .strictObject({
          requestsPerMinute: z.number().positive().optional(),
          maxConcurrent: positiveInt().optional(),
          burst: positiveInt().optional(),
          maxRequestsPerSecond: z.number().positive().optional(),
          headers: z
            .strictObject({ remaining: headerList().optional(), limit: headerList().optional(), count: headerList().optional(), reset: headerList().optional() })
            .optional(),
          limiter: z.custom<RateLimiter>((v) => typeof v === 'object' && v !== null && typeof (v as RateLimiter).schedule === 'function', {
            error: 'rateLimit.limiter must implement the RateLimiter interface (schedule, observe, pause, stats, disconnect)',
          }).optional(),
          redis: z
            .strictObject({
              url: z.string().regex(/^rediss?:\/\/\S+$/i, { error: 'rateLimit.redis.url must be a redis:// or rediss:// URL' }).optional(),
              client: z
                .custom<RedisClientLike>((v) => typeof v === 'object' && v !== null && typeof (v as RedisClientLike).duplicate === 'function', {
                  error: 'rateLimit.redis.client must be an ioredis client (new Redis(...))',
                })
                .optional(),
              id: z.string({ error: 'rateLimit.redis.id is required: it names the budget every worker shares' }).min(1),
              fallback: z.enum(['error', 'local']).optional(),
              connectTimeoutMs: positiveInt().optional(),
              shareToken: z.boolean().optional(),
            })
            .refine((r) => (r.url === undefined) !== (r.client === undefined), { error: 'rateLimit.redis needs exactly one of url or client' })
            .optional(),
        })
        .optional(),
      tokenStore: z
        .custom<TokenStore>((v) => typeof v === 'object' && v !== null && typeof (v as TokenStore).get === 'function', {
          error: 'tokenStore must implement get/set/delete',
        })
        .optional(),
      refreshAheadMs: nonNegInt().optional(),
      fetch: z.custom<typeof fetch>((v) => typeof v === 'function', { error: 'fetch must be a function' }).optional(),
      userAgent: z.string().regex(/^[^\u0000-\u001f\u007f]*$/, { error: 'userAgent must not hold control characters (CR, LF, ...)' }).optional(),
      maxResponseBytes: positiveInt().optional(),
      logger: z
        .custom<Logger>(
          (v) => typeof v === 'object' && v !== null && ['debug', 'info', 'warn', 'error'].every((m) => typeof (v as Record<string, unknown>)[m] === 'function'),
          { error: 'logger must have debug, info, warn and error methods (console, pino and winston loggers do)' },
        )
        .optional(),
      telemetry: z
        .union([
          z.literal(true),
          z.strictObject({
            tracerProvider: z
              .custom<NonNullable<TelemetryOptions['tracerProvider']>>((v) => typeof v === 'object' && v !== null && typeof (v as { getTracer?: unknown }).getTracer === 'function', {
                error: 'telemetry.tracerProvider must be an OpenTelemetry TracerProvider (getTracer)',
              })
              .optional(),
            meterProvider: z
              .custom<NonNullable<TelemetryOptions['meterProvider']>>((v) => typeof v === 'object' && v !== null && typeof (v as { getMeter?: unknown }).getMeter === 'function', {
                error: 'telemetry.meterProvider must be an OpenTelemetry MeterProvider (getMeter)',
              })
              .optional(),
          }),
        ])
        .optional(),
      clock: z
        .custom<Clock>((v) => isClock(v), { error: 'clock must have now(), sleep(ms, signal) and random() methods (createFakeClock() from @org/gc-data/testing has them)' })
        .optional(),
    })
    .strict(),
);

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

function checkOrigin(url: string, option: 'baseUrl' | 'authUrl'): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // The schema names it too; this keeps a bad URL from becoming a TypeError here.
    return `${option} must be an absolute URL with a scheme, e.g. https://${option === 'baseUrl' ? 'api' : 'login'}.mypurecloud.com`;
  }
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:' && LOOPBACK.test(u.hostname)) return undefined;
  return `${option} must use https (plain http is allowed only for loopback hosts such as 127.0.0.1): got ${u.protocol}//${u.host}`;
}

interface Endpoints {
  issues: { path: string; message: string }[];
  apiBaseUrl?: string | undefined;
  authBaseUrl?: string | undefined;
}

/**
 * The checks that span several options (region vs baseUrl + authUrl, limiter vs redis). They read the raw input
 * loosely so they also run when the schema has failed: every bad option is named in one error, not one per try.
 */
function crossOptionChecks(input: unknown): Endpoints {
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const baseUrl = str(o.baseUrl);
  const authUrl = str(o.authUrl);
  const out: Endpoints = { issues: [] };
  if (o.baseUrl !== undefined || o.authUrl !== undefined) {
    if (o.baseUrl === undefined) out.issues.push({ path: 'baseUrl', message: 'baseUrl is required when authUrl is given' });
    if (o.authUrl === undefined) out.issues.push({ path: 'authUrl', message: 'authUrl is required when baseUrl is given (the origin serving /oauth/token)' });
    if (o.region !== undefined) out.issues.push({ path: 'region', message: 'give either region or baseUrl + authUrl, not both' });
    for (const [opt, url] of [['baseUrl', baseUrl], ['authUrl', authUrl]] as const) {
      const problem = url ? checkOrigin(url, opt) : undefined;
      if (problem) out.issues.push({ path: opt, message: problem });
    }
    out.apiBaseUrl = baseUrl?.replace(/\/+$/, '');
    out.authBaseUrl = authUrl?.replace(/\/+$/, '');
  } else if (o.region === undefined || typeof o.region === 'string') {
    try {
      const region = parseRegion((o.region as string | undefined) ?? 'us_east_1');
      out.apiBaseUrl = region.apiBaseUrl;
      out.authBaseUrl = region.authBaseUrl;
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      out.issues.push(...e.issues);
    }
  }
  const rateLimit = (typeof o.rateLimit === 'object' && o.rateLimit !== null ? o.rateLimit : {}) as Record<string, unknown>;
  if (rateLimit.limiter !== undefined && rateLimit.redis !== undefined) {
    out.issues.push({ path: 'rateLimit.redis', message: 'give either rateLimit.limiter or rateLimit.redis, not both' });
  }
  return out;
}

/** Validates and fills defaults; throws a ValidationError naming each bad option. Sends nothing. */
export function resolveClientOptions(input: unknown): ResolvedClientOptions {
  const parsed = Schema.safeParse(input ?? {});
  const cross = crossOptionChecks(input);
  const hint = 'See the README section "Options" for every option and its default.';
  if (!parsed.success) {
    const schemaIssues = validationErrorFromZod('GenesysClient options', parsed.error, undefined, { schema: Schema, input }).issues;
    // A cross-option problem on a path the schema already rejected would only repeat it.
    const extra = cross.issues.filter((c) => !schemaIssues.some((i) => i.path === c.path || c.path.startsWith(`${i.path}.`)));
    throw new ValidationError('GenesysClient options', [...schemaIssues, ...extra], hint);
  }
  const o = parsed.data;
  const { issues, apiBaseUrl, authBaseUrl } = cross;
  const rpm = o.rateLimit?.requestsPerMinute ?? 300;
  if (issues.length > 0 || !apiBaseUrl || !authBaseUrl) throw new ValidationError('GenesysClient options', issues, hint);
  const budget = o.retry?.budget === false ? false : { ...(DEFAULT_RETRY.budget as object), ...(o.retry?.budget ?? {}) };
  return {
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    apiBaseUrl,
    authBaseUrl,
    region: o.region,
    timeoutMs: o.timeoutMs ?? 30_000,
    deadlineMs: o.deadlineMs ?? 600_000,
    retry: { ...DEFAULT_RETRY, ...o.retry, budget } as RetryOptions,
    requestsPerMinute: rpm,
    maxConcurrent: o.rateLimit?.maxConcurrent ?? 5,
    burst: o.rateLimit?.burst ?? Math.max(1, Math.floor(rpm)),
    // "The server governs": defaults apply only until the server announces its budget; a user-set value holds.
    serverGoverns: o.rateLimit?.requestsPerMinute === undefined && o.rateLimit?.burst === undefined,
    maxRequestsPerSecond: o.rateLimit?.maxRequestsPerSecond ?? DEFAULT_MAX_REQUESTS_PER_SECOND,
    headerNames: { ...DEFAULT_RATE_LIMIT_HEADERS, ...o.rateLimit?.headers },
    limiter: o.rateLimit?.limiter,
    redis: o.rateLimit?.redis,
    tokenStore: o.tokenStore,
    refreshAheadMs: o.refreshAheadMs ?? 300_000,
    fetch: o.fetch,
    userAgent: o.userAgent,
    maxResponseBytes: o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    logger: o.logger,
    telemetry: o.telemetry === true ? {} : o.telemetry,
    clock: o.clock ?? systemClock,
  };
}
