import { EventEmitter } from 'eventemitter3';
import { TokenProvider } from './auth/token-provider';
import { MemoryTokenStore } from './auth/token-store';
import { resolveClientOptions, type GenesysClientOptions, type ResolvedClientOptions } from './client-options';
import type { GcEventMap } from './events';
import { lazyRedisLimits } from './redis/lazy';
import { LocalRateLimiter, type RateLimiter, type RateLimiterStats } from './transport/rate-limiter';
import { parseJsonBody, safePath, Transport, type HttpMethod, type QueryParams } from './transport/transport';
import { Redactor } from './transport/redact';
import { decode } from './transport/decode';
import { checkRequestOptions } from './request-options';
import { authenticate, type AuthenticateOptions, type AuthenticateResult } from './authenticate';
import { paginate, type PaginateOptions, type PaginateRequest } from './client-paginate';
import { ClientObserver, type RequestCounters } from './client-observer';
import type { GcEventName } from './events';
import { Telemetry } from './telemetry/telemetry';
import { registerTelemetry } from './telemetry/registry';
import type { Clock } from './internal/clock';

export const SDK_VERSION = '0.1.0';

/**
 * What `request({ schema })` needs from a schema: zod's `safeParse`. Any zod 3 or zod 4 schema fits, whichever
 * zod version your project uses, and so does anything else with the same method.
 */
export interface ResponseSchema<T> {
  safeParse(data: unknown):
    | { success: true; data: T }
    | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; code?: string }> } };
}

/** One call to the platform through the client's pipeline. */
export interface RequestOptions<T = unknown> {
  /** Default GET. */
  method?: HttpMethod;
  /** `/api/v2/...` (a relative `nextUri` works too). Absolute URLs are accepted only for the client's API origin. */
  path: string;
  query?: QueryParams;
  /** Sent as JSON. */
  body?: unknown;
  /** Validates the response body: a zod schema (fields it does not name are tolerated by zod's default), or anything with `safeParse`. */
  schema?: ResponseSchema<T>;
  /**
   * Safe to repeat after a 5xx, timeout or network error. Default: true for GET/PUT/DELETE/HEAD, false for POST and
   * PATCH. Mark read-only POST queries (details query, searches) `idempotent: true`.
   */
  idempotent?: boolean;
  signal?: AbortSignal;
  /** Per-attempt timeout for this call (default: the client's `timeoutMs`). */
  timeoutMs?: number;
  /** Overall deadline for this call across retries (default: the client's `deadlineMs`). */
  deadlineMs?: number;
  headers?: Record<string, string>;
  /**
   * This call's retry limits, over the client's `retry.limit` / `retry.rateLimitLimit` (e.g. `{ limit: 0 }` for a
   * probe that should fail fast). Backoff, budget and `maxRetryAfterMs` stay the client's.
   */
  retry?: { limit?: number; rateLimitLimit?: number };
}

/**
 * The body `requestBytes` returns: a Node `Buffer` at run time. Typed as `Buffer` where Node's types are loaded and
 * as `Uint8Array` (which Buffer extends) where they are not, so the declarations need no `@types/node`.
 */
export type ResponseBytes = typeof globalThis extends { Buffer: { isBuffer(obj: any): obj is infer B } } ? B : Uint8Array;

export interface ApiResponse<T> {
  data: T;
  status: number;
  headers: Headers;
  /** `ININ-Correlation-Id`: quote it to Genesys support. */
  correlationId: string | undefined;
  attempts: number;
}

/** Counters a progress display or a test can read at any time. */
export interface ClientStats extends RequestCounters {
  limiter: RateLimiterStats;
}

/**
 * The entry point: options -> auth + rate-limited, retrying transport + typed events. Every module talks to the
 * platform through `request()`, so each request gets auth, limits, retries, events and redaction in one place.
 *
 * ```ts
 * const client = new GenesysClient({ clientId, clientSecret, region: 'eu_west_1' });
 * client.on('retry', (e) => log.warn(e));
 * const me = await client.request({ path: '/api/v2/organizations/me' });
 * ```
 */
export class GenesysClient extends EventEmitter<GcEventMap> {
  /** Resolved API origin, e.g. `https://api.mypurecloud.ie`. */
  readonly apiBaseUrl: string;
  readonly authBaseUrl: string;
  /** Validated options with defaults (the secret is not among them). */
  readonly options: Readonly<Omit<ResolvedClientOptions, 'clientSecret' | 'tokenStore' | 'limiter' | 'redis' | 'fetch' | 'logger' | 'telemetry' | 'clock'>>;
  /**
   * The clock every wait of this client and its modules runs on (the `clock` option; default the system clock).
   * Modules read time only through it (src/internal/clock.ts).
   */
  readonly clock: Clock;
  readonly #transport: Transport;
  readonly #limiter: RateLimiter;
  readonly #observer: ClientObserver;
  readonly #auth: TokenProvider;

  constructor(options: GenesysClientOptions) {
    super();
    const o = resolveClientOptions(options);
    const telemetry = new Telemetry(o.telemetry, SDK_VERSION);
    registerTelemetry(this, telemetry);
    this.#observer = new ClientObserver(o.logger, telemetry);
    // `redis` stays out of the public options: its URL may carry a password.
    const { clientSecret, tokenStore, limiter, redis, fetch: _fetch, logger: _logger, telemetry: _telemetry, clock, ...safe } = o;
    this.options = Object.freeze(safe);
    this.clock = clock;
    this.apiBaseUrl = o.apiBaseUrl;
    this.authBaseUrl = o.authBaseUrl;
    const shared = redis
      ? lazyRedisLimits(redis, { requestsPerMinute: o.requestsPerMinute, maxConcurrent: o.maxConcurrent, burst: o.burst }, (w) => this.emit('warning', w), clock)
      : undefined;
    this.#limiter =
      limiter ?? shared?.limiter ?? new LocalRateLimiter({
        requestsPerMinute: o.requestsPerMinute,
        maxConcurrent: o.maxConcurrent,
        burst: o.burst,
        serverGoverns: o.serverGoverns,
        maxRequestsPerSecond: o.maxRequestsPerSecond,
        clock,
      });
    const store = tokenStore ?? (shared && redis?.shareToken !== false ? shared.tokenStore : new MemoryTokenStore());
    const redactor = new Redactor();
    const common = {
      timeoutMs: o.timeoutMs,
      deadlineMs: o.deadlineMs,
      retry: o.retry,
      headerNames: o.headerNames,
      fetch: o.fetch,
      userAgent: `gc-data/${SDK_VERSION} node/${process.versions.node}${o.userAgent ? ` ${o.userAgent}` : ''}`,
      maxResponseBytes: o.maxResponseBytes,
      maxConcurrent: o.maxConcurrent,
      redactor,
      telemetry,
      clock,
    };
    // The token call has a transport of its own: bound to the login origin, no bearer auth, outside the API budget.
    const login = new Transport({ ...common, baseUrl: o.authBaseUrl }, undefined, undefined, this);
    const auth = new TokenProvider(
      { clientId: o.clientId, authBaseUrl: o.authBaseUrl, refreshAheadMs: o.refreshAheadMs, store, clock },
      clientSecret,
      (req) => login.send(req),
      this,
      redactor,
    );
    this.#auth = auth;
    this.#transport = new Transport({ ...common, baseUrl: o.apiBaseUrl }, this.#limiter, auth, this);
  }

  /**
   * Checks credentials and permissions up front: mints a token (a wrong id, secret or region throws
   * `AuthenticationError`), then sends one cheap probe per module named in `checks` and reports each missing
   * permission by name, instead of a job failing on its first 403 an hour in.
   *
   * ```ts
   * const r = await client.authenticate({ checks: ['analytics', 'quality'] });
   * if (!r.ok) console.error(r.checks.filter((c) => !c.ok).map((c) => c.message));
   * ```
   */
  async authenticate(options?: AuthenticateOptions): Promise<AuthenticateResult> {
    return authenticate(
      this,
      async (signal) => {
        await this.#auth.getToken(signal);
        return { expiresAt: this.#auth.currentExpiry() };
      },
      options,
    );
  }

  /**
   * Every event, from the transport or a module, passes here: it is counted for `stats()` and logged to the
   * `logger` option before the listeners get it, so `removeAllListeners()` changes neither.
   */
  override emit<K extends EventEmitter.EventNames<GcEventMap>>(event: K, ...args: EventEmitter.EventArgs<GcEventMap, K>): boolean {
    this.#observer?.observe(event as GcEventName, args[0] as never);
    return super.emit(event, ...args);
  }

  /** Sends one request and returns the parsed, validated body. */
  async request<T = unknown>(options: RequestOptions<T>): Promise<T> {
    return (await this.requestWithResponse(options)).data;
  }

  /** Like `request`, plus status, headers, correlation id and attempts. */
  async requestWithResponse<T = unknown>(options: RequestOptions<T>): Promise<ApiResponse<T>> {
    const { res, method, shown } = await this.send(options, 'text');
    const raw = parseJsonBody(res, method, shown);
    const data = options.schema ? decode(raw, options.schema, { method, path: shown, status: res.status, correlationId: res.correlationId }) : (raw as T);
    return { data, status: res.status, headers: res.headers, correlationId: res.correlationId, attempts: res.attempts };
  }

  /**
   * Like `requestWithResponse`, but a successful body comes back as the bytes received: not decoded, parsed or
   * validated. For large bodies read piece by piece (ReportJob.results() parses one conversation at a time from
   * them, so a 1,000-conversation page never exists as one object tree). Errors are the same typed errors.
   */
  async requestBytes(options: Omit<RequestOptions, 'schema'>): Promise<ApiResponse<ResponseBytes>> {
    const { res } = await this.send(options, 'bytes');
    return { data: res.bytes ?? Buffer.alloc(0), status: res.status, headers: res.headers, correlationId: res.correlationId, attempts: res.attempts };
  }

  private async send(input: Omit<RequestOptions, 'schema'>, responseType: 'text' | 'bytes') {
    const options = checkRequestOptions(input, `GenesysClient.${responseType === 'bytes' ? 'requestBytes' : 'request'}() options`);
    const method = options.method;
    const path = options.path;
    const res = await this.#transport.send({
      method,
      path,
      query: options.query,
      body: options.body,
      headers: options.headers,
      idempotent: options.idempotent,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      deadlineMs: options.deadlineMs,
      retry: options.retry,
      responseType,
    });
    return { res, method, shown: safePath(path) };
  }

  /**
   * Every item of a paged endpoint the modules do not wrap, in one loop, over the SDK's guarded pagers: each page
   * checked against the declared total/pageCount (short pages re-fetched, then IncompleteDataError), repeated pages
   * and cursors refused, `nextUri` followed on the API origin only.
   *
   * ```ts
   * for await (const user of client.paginate({ path: '/api/v2/users' }, { style: 'pageNumber', pageSize: 100 })) ...
   * ```
   */
  paginate<T = unknown>(request: PaginateRequest, options: PaginateOptions<T>): AsyncGenerator<T> {
    return paginate<T>(this as never, request, options);
  }

  /** Counters since the client was created. */
  stats(): ClientStats {
    const c = this.#observer.counters;
    return { ...c, byStatus: { ...c.byStatus }, limiter: this.#limiter.stats() };
  }

  /** Releases the limiter's timers (and Redis connections when shared). The client is unusable afterwards. */
  async close(): Promise<void> {
    await this.#limiter.disconnect();
  }

}
