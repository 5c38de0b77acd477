import type { KyInstance } from 'ky';

/**
 * ky is loaded on the first request, not at import: it is ESM-only, and a `require()` of an ES module boots Node's
 * ESM loader, which cost ~35 ms of every CommonJS user's start-up (bench/footprint) before a single request.
 */
let kyLoading: Promise<typeof import('ky')> | undefined;
let kyTimeoutError: (new (...args: never[]) => Error) | undefined;
async function loadKy(): Promise<KyInstance> {
  const loaded = await (kyLoading ??= import('ky'));
  // In the CommonJS build ky is a CommonJS chunk, and import() of CommonJS hands back its exports object as
  // `default` (so `default.default` is ky); in ESM, and from sources, `default` is ky itself.
  const m = typeof loaded.default === 'function' ? loaded : (loaded.default as unknown as typeof import('ky'));
  kyTimeoutError = m.TimeoutError;
  return m.default;
}
import type { EventEmitter } from 'eventemitter3';
import {
  AbortError,
  apiErrorFor,
  NetworkError,
  RateLimitError,
  TimeoutError,
  UnexpectedResponseError,
  type PlatformErrorBody,
} from '../errors';
import type { GcEventMap } from '../events';
import { parseRateLimitHeaders, type RateLimitHeaderNames } from './rate-limit-headers';
import type { RateLimiter } from './rate-limiter';
import { classify, computeDelay, isIdempotentMethod, parseRetryAfter, RetryBudget, type Outcome, type RetryOptions } from './retry';
import { abortableSleep } from './sleep';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string | number | boolean>;
export type QueryParams = Record<string, QueryValue>;

/** Bearer tokens for API calls; implemented by the auth layer. */
export interface AuthSource {
  getToken(signal?: AbortSignal): Promise<string>;
  /** The token was refused with a 401: forget it so the next call mints another. */
  invalidate(token: string): Promise<void>;
}

export interface TransportConfig {
  apiBaseUrl: string;
  timeoutMs: number;
  deadlineMs: number;
  retry: RetryOptions;
  headerNames: RateLimitHeaderNames;
  fetch: typeof fetch | undefined;
  userAgent: string;
}

export interface SendOptions {
  method: HttpMethod;
  /** Path on the API host (`/api/v2/...`), or an absolute URL for the token endpoint. */
  path: string;
  query?: QueryParams | undefined;
  /** JSON-serialised unless `rawBody` is used. */
  body?: unknown;
  rawBody?: { text: string; contentType: string } | undefined;
  headers?: Record<string, string> | undefined;
  /** Safe to repeat after a 5xx/timeout/network error. Defaults from the method (GET/PUT/DELETE/HEAD). */
  idempotent?: boolean | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  deadlineMs?: number | undefined;
  /**
   * 'bytes': a successful body is kept as the bytes received (`RawResponse.bytes`, `text` empty) instead of being
   * decoded to one string; error bodies are still decoded. For large JSON read piecewise (analytics job results).
   */
  responseType?: 'text' | 'bytes' | undefined;
  /** Internal: the token endpoint is called without bearer auth and outside the API budget. */
  auth?: boolean;
  limited?: boolean;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body as received, when `responseType: 'bytes'` and the status is below 400. */
  bytes?: Buffer;
  correlationId: string | undefined;
  attempts: number;
}

let requestCounter = 0;

/**
 * The one request pipeline: limiter -> ky (one attempt, per-attempt timeout) -> classify -> retry or fail ->
 * events. ky's own retry is off because it never retries POSTs and its timeout is per attempt only; the policy
 * lives in retry.ts.
 */
export class Transport {
  private readonly budget: RetryBudget;

  constructor(
    private readonly config: TransportConfig,
    private readonly limiter: RateLimiter,
    private readonly auth: AuthSource,
    private readonly events: EventEmitter<GcEventMap>,
  ) {
    this.budget = new RetryBudget(config.retry.budget);
  }

  /** Tokens left in the retry budget (for stats and tests). */
  get retryBudget(): number {
    return this.budget.available;
  }

  async send(options: SendOptions): Promise<RawResponse> {
    const method = options.method;
    const pathOnly = safePath(options.path);
    const idempotent = options.idempotent ?? isIdempotentMethod(method);
    const requestId = `req_${(++requestCounter).toString(36)}`;
    const deadlineMs = options.deadlineMs ?? this.config.deadlineMs;
    const deadline = new AbortController();
    const deadlineTimer = setTimeout(() => deadline.abort(new DeadlineReached()), deadlineMs);
    (deadlineTimer as { unref?: () => void }).unref?.();
    const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
    const url = this.buildUrl(options.path, options.query);
    const useAuth = options.auth ?? true;
    const limited = options.limited ?? true;

    let attempt = 0;
    let rateLimitedAttempts = 0;
    // True while the last attempt was the replay of a 401: a 401 straight after it means the new token is refused too.
    let replayingAfter401 = false;
    try {
      for (;;) {
        attempt++;
        let token: string | undefined;
        const run = async (): Promise<RawResponse | { error: unknown }> => {
          token = useAuth ? await this.auth.getToken(signal) : undefined;
          return this.attempt({ method, url, pathOnly, options, token, requestId, attempt, idempotent, signal, limited });
        };
        const result = limited
          ? await this.limiter.schedule(run, { signal, priority: attempt > 1 ? 4 : 5 })
          : await run();

        let outcome: Outcome;
        let retryAfterMs: number | undefined;
        let correlationId: string | undefined;
        if ('error' in result) {
          if (signal.aborted) throw result.error;
          outcome = kyTimeoutError && result.error instanceof kyTimeoutError ? { kind: 'timeout' } : { kind: 'network' };
        } else {
          if (result.status < 400) {
            this.budget.recordSuccess();
            return { ...result, attempts: attempt };
          }
          correlationId = result.correlationId;
          retryAfterMs = parseRetryAfter(result.headers);
          if (result.status === 401 && useAuth && token && !replayingAfter401) {
            // An expired or revoked token: mint another and replay once. A 401 again at once is the caller's problem;
            // one after other failures (a 5xx, a 429 wait) is a token that expired meanwhile and gets its replay too.
            replayingAfter401 = true;
            await this.auth.invalidate(token);
            this.events.emit('retry', { requestId, method, path: pathOnly, attempt, delayMs: 0, reason: 'unauthorized', status: 401, correlationId });
            continue;
          }
          outcome = { kind: 'status', status: result.status };
          if (result.status === 429) rateLimitedAttempts++;
        }

        replayingAfter401 = false;
        const decision = classify(outcome, { idempotent, attempt, rateLimitedAttempts }, this.config.retry);
        const failed = this.failure(outcome, result, { method, pathOnly, attempt, retryAfterMs });
        if (!decision.retry) throw failed();
        if (decision.rateLimited && retryAfterMs !== undefined && retryAfterMs > this.config.retry.maxRetryAfterMs) {
          throw failed(
            `${method} ${pathOnly}: the platform asked to wait ${Math.ceil(retryAfterMs / 1000)} s (Retry-After), ` +
              `more than retry.maxRetryAfterMs (${this.config.retry.maxRetryAfterMs} ms). Raise it or retry later.`,
          );
        }
        const status = outcome.kind === 'status' ? outcome.status : undefined;
        const delayMs = computeDelay({ attempt, retryAfterMs, status, options: this.config.retry });
        if (decision.rateLimited) {
          const pausedForMs = retryAfterMs ?? delayMs;
          if (limited) this.limiter.pause(pausedForMs);
          this.events.emit('rateLimit', { kind: 'retry-after', method, path: pathOnly, pausedForMs, status: 429, correlationId });
        } else if (!this.budget.tryAcquire(decision.cost)) {
          throw failed(undefined, ' (retry budget exhausted: the platform is failing repeatedly; not retrying)');
        }
        this.events.emit('retry', {
          requestId,
          method,
          path: pathOnly,
          attempt,
          delayMs,
          reason: outcome.kind === 'status' ? 'status' : outcome.kind,
          status,
          correlationId,
        });
        await abortableSleep(delayMs, signal);
      }
    } catch (e) {
      throw this.translateAbort(e, options.signal, deadlineMs, method, pathOnly);
    } finally {
      clearTimeout(deadlineTimer);
    }
  }

  private async attempt(a: {
    method: HttpMethod;
    url: string;
    pathOnly: string;
    options: SendOptions;
    token: string | undefined;
    requestId: string;
    attempt: number;
    idempotent: boolean;
    signal: AbortSignal;
    limited: boolean;
  }): Promise<RawResponse | { error: unknown }> {
    const { method, pathOnly, options } = a;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.config.userAgent, ...options.headers };
    if (a.token) headers.authorization = `Bearer ${a.token}`;
    let body: string | undefined;
    if (options.rawBody) {
      body = options.rawBody.text;
      headers['content-type'] = options.rawBody.contentType;
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    this.events.emit('request', { requestId: a.requestId, method, path: pathOnly, attempt: a.attempt, idempotent: a.idempotent });
    const started = performance.now();
    let response: Response;
    let text = '';
    let bytes: Buffer | undefined;
    try {
      const ky = await loadKy();
      response = await ky(a.url, {
        method,
        headers,
        body,
        retry: 0,
        timeout: options.timeoutMs ?? this.config.timeoutMs,
        throwHttpErrors: false,
        signal: a.signal,
        ...(this.config.fetch ? { fetch: this.config.fetch } : {}),
      });
      if (options.responseType === 'bytes' && response.status < 400) bytes = Buffer.from(await response.arrayBuffer());
      else text = await response.text();
    } catch (error) {
      return { error };
    }
    const latencyMs = Math.round(performance.now() - started);
    const correlationId = response.headers.get('inin-correlation-id') ?? undefined;
    let rateLimit = undefined;
    if (a.limited) {
      rateLimit = parseRateLimitHeaders(response.headers, this.config.headerNames);
      if (rateLimit && response.status !== 429) {
        const { exhausted, pausedForMs } = this.limiter.observe(rateLimit, this.limiter.running - 1);
        if (exhausted) {
          this.events.emit('rateLimit', { kind: 'exhausted', method, path: pathOnly, pausedForMs, status: response.status, correlationId });
        }
      }
    }
    this.events.emit('response', {
      requestId: a.requestId,
      method,
      path: pathOnly,
      attempt: a.attempt,
      status: response.status,
      latencyMs,
      correlationId,
      rateLimit,
    });
    return { status: response.status, headers: response.headers, text, ...(bytes ? { bytes } : {}), correlationId, attempts: a.attempt };
  }

  private failure(
    outcome: Outcome,
    result: RawResponse | { error: unknown },
    ctx: { method: string; pathOnly: string; attempt: number; retryAfterMs: number | undefined },
  ): (message?: string, suffix?: string) => Error {
    if ('error' in result) {
      const rc = { method: ctx.method, path: ctx.pathOnly, attempts: ctx.attempt };
      if (outcome.kind === 'timeout') {
        return (_message, suffix) =>
          withSuffix(
            new TimeoutError(`${ctx.method} ${ctx.pathOnly}: no response within timeoutMs after ${ctx.attempt} attempt(s)`, {
              kind: 'attempt',
              timeoutMs: this.config.timeoutMs,
              method: ctx.method,
              path: ctx.pathOnly,
            }),
            suffix,
          );
      }
      return (_message, suffix) => withSuffix(new NetworkError(rc, result.error), suffix);
    }
    const body = parseErrorBody(result.text);
    const headers: Record<string, string> = {};
    result.headers.forEach((v, k) => (headers[k] = v));
    return (message, suffix) => {
      const init = {
        status: result.status,
        body,
        correlationId: result.correlationId,
        retryAfterMs: ctx.retryAfterMs,
        headers,
        method: ctx.method,
        path: ctx.pathOnly,
        attempts: ctx.attempt,
      };
      if (message) return new RateLimitError(init, message);
      return withSuffix(apiErrorFor(init), suffix);
    };
  }

  private translateAbort(e: unknown, userSignal: AbortSignal | undefined, deadlineMs: number, method: string, path: string): unknown {
    if (e instanceof DeadlineReached) {
      return new TimeoutError(`${method} ${path}: gave up after the overall deadline of ${deadlineMs} ms (deadlineMs)`, {
        kind: 'deadline',
        timeoutMs: deadlineMs,
        method,
        path,
      });
    }
    if (userSignal?.aborted && e === userSignal.reason) {
      return new AbortError(`${method} ${path} was aborted by the caller's signal`, { cause: e });
    }
    return e;
  }

  private buildUrl(path: string, query: QueryParams | undefined): string {
    const url = /^https?:\/\//.test(path) ? new URL(path) : new URL(path, this.config.apiBaseUrl);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, String(item));
      else url.searchParams.append(k, String(v));
    }
    return url.toString();
  }
}

class DeadlineReached extends Error {
  constructor() {
    super('deadline reached');
  }
}

function parseErrorBody(text: string): PlatformErrorBody | string | undefined {
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as PlatformErrorBody) : text;
  } catch {
    return text.slice(0, 1000);
  }
}

/** The path of a URL or path, without query or fragment: what events and errors may show. */
export function safePath(pathOrUrl: string): string {
  const noQuery = pathOrUrl.split(/[?#]/)[0] ?? '';
  return noQuery.replace(/^https?:\/\/[^/]+/, '') || '/';
}

/** Parses a response body as JSON; an empty body is `undefined`. */
export function parseJsonBody(res: RawResponse, method: string, path: string): unknown {
  if (!res.text) return undefined;
  try {
    return JSON.parse(res.text);
  } catch {
    throw new UnexpectedResponseError({
      method,
      path,
      status: res.status,
      ...(res.correlationId ? { correlationId: res.correlationId } : {}),
      issues: [{ path: '', message: 'body is not valid JSON' }],
    });
  }
}

/** Adds why retrying stopped (e.g. the retry budget) to an error's message; without it "after 1 attempt(s)" reads as if no retry was tried. */
function withSuffix<E extends Error>(err: E, suffix: string | undefined): E {
  if (suffix) (err as { message: string }).message += suffix;
  return err;
}
