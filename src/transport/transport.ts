import type { EventEmitter } from 'eventemitter3';
import {
  AuthenticationError,
  PlatformUnavailableError,
  RedirectError,
  ResponseTooLargeError,
  UnsafeRequestError,
  ValidationError,
} from '../errors';
import type { GcEventMap } from '../events';
import { parseRateLimitHeaders, type RateLimitHeaderNames } from './rate-limit-headers';
import type { RateLimiter } from './rate-limiter';
import { classify, computeDelay, isIdempotentMethod, parseRetryAfter, RetryBudget, type Outcome, type RetryOptions } from './retry';
import { systemClock, type Clock } from '../internal/clock';
import { FailureStorm } from './storm';
import { readBody } from './read-body';
import { sendOnce, warmHttp } from './http';
import { parseJson } from './decode';
import type { Redactor } from './redact';
import type { Telemetry } from '../telemetry/telemetry';
import { assertSafeHeaders, buildRequestUrl, type QueryParams } from './url-guard';
import { AttemptTimedOut, DeadlineReached, failureFor, translateAbort, type FailureContext } from './failure';
import { REDIRECT_STATUSES, redirectTarget } from './redirect';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
// Query types live with the URL builder that reads them (url-guard.ts), so that file needs nothing from this one.
export type { QueryParams, QueryValue } from './url-guard';

/** Bearer tokens for API calls; implemented by the auth layer. */
export interface AuthSource {
  getToken(signal?: AbortSignal): Promise<string>;
  /**
   * The token was refused with a 401: forget it so the next call mints another, and say whether a replay with a new
   * token makes sense. `false`: the token was itself minted to replace a refused one and is far from expiry, so the
   * refusal is not an expiry and minting again would only feed a 401 storm.
   */
  invalidate(token: string): Promise<boolean>;
}

export interface TransportConfig {
  /**
   * The one origin this transport sends to (the API origin, or the login origin for the token call). Every URL,
   * including redirects, is compared with it (url-guard.ts).
   */
  baseUrl: string;
  timeoutMs: number;
  deadlineMs: number;
  retry: RetryOptions;
  headerNames: RateLimitHeaderNames;
  fetch: typeof fetch | undefined;
  userAgent: string;
  /** A body larger than this is abandoned with a `ResponseTooLargeError` (not retried). */
  maxResponseBytes: number;
  /** Removes the client secret and known tokens from everything an error carries. */
  redactor: Redactor;
  /** Spans and metrics; every hook returns at once when telemetry is off. */
  telemetry: Telemetry;
  /**
   * Backoff and Retry-After waits, their jitter and HTTP-date Retry-After run on this clock (the client's). The
   * attempt timeout and the request deadline stay on real time: they guard real network I/O. Default: system clock.
   */
  clock?: Clock | undefined;
  /** Attempts in flight when the platform is healthy (`rateLimit.maxConcurrent`); a failure storm scales it down. Default 5. */
  maxConcurrent?: number | undefined;
}

export interface SendOptions {
  method: HttpMethod;
  /** Path on the transport's origin (`/api/v2/...`), or an absolute URL on that same origin. */
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
  /** This call's retry limits, over the client's. */
  retry?: { limit?: number | undefined; rateLimitLimit?: number | undefined } | undefined;
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
 * The one request pipeline: origin check -> limiter -> ky (one attempt; its timer covers headers and body) ->
 * classify -> retry or fail -> events. ky's own retry, timeout and redirect following are off: it never retries
 * POSTs, its timeout ends at the headers, and a followed redirect could carry a POST body to another host. The
 * policy lives in retry.ts, where a redirect may go in redirect.ts, what a failure becomes in failure.ts.
 *
 * A client has two: the API transport (bearer auth, rate-limited) and the login transport for the token call
 * (no auth, no API budget), each bound to its own origin.
 */
export class Transport {
  private readonly budget: RetryBudget;
  private readonly storm: FailureStorm;

  constructor(
    private readonly config: TransportConfig,
    /** Undefined for the login transport: the token call is outside the API budget. */
    private readonly limiter: RateLimiter | undefined,
    /** Undefined for the login transport: the token call carries its own Basic credential. */
    private readonly auth: AuthSource | undefined,
    private readonly events: EventEmitter<GcEventMap>,
  ) {
    this.budget = new RetryBudget(config.retry.budget);
    this.storm = new FailureStorm(this.budget, {
      maxConcurrent: config.maxConcurrent ?? 5,
      giveUpAfterMs: config.retry.giveUpAfterMs,
      idleGapMs: config.retry.maxDelayMs + config.timeoutMs,
      now: () => this.clock.now(),
    });
  }

  private get clock(): Clock {
    return this.config.clock ?? systemClock;
  }

  /** Tokens left in the retry budget (for stats and tests). */
  get retryBudget(): number {
    return this.budget.available;
  }

  async send(options: SendOptions): Promise<RawResponse> {
    const method = options.method;
    // Everything that can be refused is refused here, before a token is minted or a byte is sent.
    const url = buildRequestUrl(method, options.path, options.query, this.config.baseUrl).toString();
    const pathOnly = safePath(url);
    assertSafeHeaders(method, pathOnly, options.headers);
    const body = serializeBody(options, method, pathOnly);
    const idempotent = options.idempotent ?? isIdempotentMethod(method);
    const requestId = `req_${(++requestCounter).toString(36)}`;
    const deadlineMs = options.deadlineMs ?? this.config.deadlineMs;
    const deadline = new AbortController();
    const deadlineTimer = setTimeout(() => deadline.abort(new DeadlineReached()), deadlineMs);
    (deadlineTimer as { unref?: () => void }).unref?.();
    // The same deadline on the client's clock: with a fake clock a backoff takes no real time, so the real timer alone
    // let a request retry far past its deadline (test/search/ready-503.test.ts: 300 s of backoffs in 5 s of real time).
    const deadlineAt = this.clock.now() + deadlineMs;
    const signal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
    const limiter = this.limiter;
    const auth = this.auth;
    const retry = options.retry ? { ...this.config.retry, ...definedOnly(options.retry) } : this.config.retry;
    const loadingTelemetry = this.config.telemetry.ready();
    if (loadingTelemetry) await loadingTelemetry;
    const span = this.config.telemetry.startRequest({ method, path: pathOnly, host: new URL(url).host });
    const waits = { limiterWaitMs: 0, retryAfterWaitMs: 0, backoffWaitMs: 0 };
    // The HTTP library is loaded before the request queues at the rate gate: the gate counts a request when it passes,
    // so on a cold start (ky's import) it would otherwise leave tens of ms later than counted, and the next second's
    // requests would crowd the first's. (The token stays inside the gate: with shared limits its store is the same
    // Redis, and the limiter is the one that reports Redis down.)
    let last: { status?: number; correlationId?: string | undefined } = {};

    let attempt = 0;
    let rateLimitedAttempts = 0;
    // 503s in a row for this request: only one that keeps repeating backs off `serviceUnavailableFactor` longer (retry.ts).
    let consecutive503 = 0;
    // True while the last attempt was the replay of a 401: a 401 straight after it means the new token is refused too.
    let replayingAfter401 = false;
    try {
      await warmHttp();
      for (;;) {
        attempt++;
        let token: string | undefined;
        const queuedAt = performance.now();
        const run = async (): Promise<RawResponse | { error: unknown }> => {
          const queuedMs = limiter ? performance.now() - queuedAt : undefined;
          if (queuedMs !== undefined) waits.limiterWaitMs += queuedMs;
          token = auth ? await auth.getToken(signal) : undefined;
          return this.attempt({ method, url, pathOnly, options, body, token, requestId, attempt, idempotent, signal, queuedMs });
        };
        // In a failure storm fewer attempts run at once (storm.ts); otherwise this admits at once.
        await this.storm.admit(signal);
        let result: RawResponse | { error: unknown };
        try {
          result = limiter ? await limiter.schedule(run, { signal, priority: attempt > 1 ? 4 : 5 }) : await run();
        } finally {
          this.storm.release();
        }

        let outcome: Outcome;
        let retryAfterMs: number | undefined;
        let correlationId: string | undefined;
        if ('error' in result) {
          if (signal.aborted) throw result.error;
          outcome = result.error instanceof AttemptTimedOut ? { kind: 'timeout' } : { kind: 'network' };
          this.storm.failed();
        } else {
          last = { status: result.status, correlationId: result.correlationId };
          // The platform processed it (any answer but 408, 429 and 5xx): the storm, if any, is over for the give-up clock.
          if (result.status === 408 || result.status >= 500) this.storm.failed();
          else if (result.status !== 429) this.storm.succeeded();
          if (result.status < 400) {
            this.budget.recordSuccess();
            span?.end({ ...last, attempts: attempt, ...waits });
            return { ...result, attempts: attempt };
          }
          correlationId = result.correlationId;
          retryAfterMs = parseRetryAfter(result.headers, this.clock.now());
          if (result.status === 401 && auth && token && !replayingAfter401) {
            // An expired or revoked token: mint another and replay once. A 401 again at once is the caller's problem;
            // one after other failures (a 5xx, a 429 wait) is a token that expired meanwhile and gets its replay too,
            // unless the token provider says that token was a fresh replacement (a 401 storm, not an expiry).
            if (await auth.invalidate(token)) {
              replayingAfter401 = true;
              this.events.emit('retry', { requestId, method, path: pathOnly, attempt, delayMs: 0, reason: 'unauthorized', status: 401, correlationId });
              continue;
            }
            throw new AuthenticationError(
              { status: 401, body: this.config.redactor.errorBody(result.text), correlationId, method, path: pathOnly, attempts: attempt },
              `${method} ${pathOnly} failed with 401: the token minted moments ago to replace a refused one was refused ` +
                'too, so it is not an expired token; not minting another. Check the OAuth client\'s grants and roles',
            );
          }
          outcome = { kind: 'status', status: result.status };
          if (result.status === 429) rateLimitedAttempts++;
        }
        consecutive503 = outcome.kind === 'status' && outcome.status === 503 ? consecutive503 + 1 : 0;

        replayingAfter401 = false;
        const decision = classify(outcome, { idempotent, attempt, rateLimitedAttempts, storm: this.storm.raging }, retry);
        const context: FailureContext = { method, pathOnly, attempt, retryAfterMs, host: new URL(url).host, timeoutMs: options.timeoutMs ?? this.config.timeoutMs };
        const failed = failureFor(outcome, result, context, this.config.redactor);
        if (!decision.retry) throw failed();
        if (decision.rateLimited && retryAfterMs !== undefined && retryAfterMs > this.config.retry.maxRetryAfterMs) {
          throw failed(
            `${method} ${pathOnly}: the platform asked to wait ${Math.ceil(retryAfterMs / 1000)} s (Retry-After), ` +
              `more than retry.maxRetryAfterMs (${this.config.retry.maxRetryAfterMs} ms). Raise it or retry later.`,
          );
        }
        const status = outcome.kind === 'status' ? outcome.status : undefined;
        const delayMs = computeDelay({ attempt, retryAfterMs, status, options: retry, random: () => this.clock.random(), isolated: !this.storm.raging, consecutive503 });
        if (decision.rateLimited) {
          const pausedForMs = retryAfterMs ?? delayMs;
          limiter?.pause(pausedForMs);
          this.events.emit('rateLimit', { kind: 'retry-after', method, path: pathOnly, pausedForMs, status: 429, correlationId });
        } else if (this.storm.exhausted()) {
          throw new PlatformUnavailableError(
            { method, path: pathOnly, attempts: attempt, failingForMs: this.storm.failingForMs(), giveUpAfterMs: this.storm.giveUpAfterMs, status },
            failed(),
          );
        } else {
          this.budget.spend(decision.cost);
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
        if (decision.rateLimited) waits.retryAfterWaitMs += delayMs;
        else waits.backoffWaitMs += delayMs;
        const leftMs = deadlineAt - this.clock.now();
        if (delayMs >= leftMs) {
          // The retry would start at or after the deadline: wait until it (as the timer would) and give up.
          if (leftMs > 0) await this.clock.sleep(leftMs, signal);
          throw new DeadlineReached();
        }
        await this.clock.sleep(delayMs, signal);
      }
    } catch (e) {
      const error = translateAbort(e, options.signal, deadlineMs, method, pathOnly);
      span?.end({ ...last, error, attempts: attempt, ...waits });
      throw error;
    } finally {
      clearTimeout(deadlineTimer);
    }
  }

  private async attempt(a: {
    method: HttpMethod;
    url: string;
    pathOnly: string;
    options: SendOptions;
    body: { text: string; contentType: string } | undefined;
    token: string | undefined;
    requestId: string;
    attempt: number;
    idempotent: boolean;
    signal: AbortSignal;
    queuedMs: number | undefined;
  }): Promise<RawResponse | { error: unknown }> {
    const { method, pathOnly, options } = a;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.config.userAgent, ...options.headers };
    if (a.token) headers.authorization = `Bearer ${a.token}`;
    if (a.body) headers['content-type'] = a.body.contentType;
    this.events.emit('request', {
      requestId: a.requestId,
      method,
      path: pathOnly,
      attempt: a.attempt,
      idempotent: a.idempotent,
      ...(a.queuedMs !== undefined ? { queuedMs: Math.round(a.queuedMs) } : {}),
    });
    const started = performance.now();
    // One timer for the whole attempt, body included: ky's `timeout` stops at the headers.
    const timer = new AbortController();
    const timeout = setTimeout(() => timer.abort(new AttemptTimedOut()), options.timeoutMs ?? this.config.timeoutMs);
    const signal = AbortSignal.any([a.signal, timer.signal]);
    let response: Response;
    let text = '';
    let bytes: Buffer | undefined;
    try {
      let url = a.url;
      for (let hops = 0; ; hops++) {
        response = await sendOnce(url, { method, headers, body: a.body?.text, redirect: 'manual', signal, fetch: this.config.fetch });
        if (!REDIRECT_STATUSES.has(response.status)) break;
        await response.body?.cancel().catch(() => undefined);
        url = redirectTarget(response, { from: url, method, pathOnly, hops, baseUrl: this.config.baseUrl });
      }
      const read = await readBody(response, { limitBytes: this.config.maxResponseBytes, signal, method, path: pathOnly });
      if (options.responseType === 'bytes' && response.status < 400) bytes = read;
      else text = read.toString('utf8');
    } catch (error) {
      // Refusals are final: the same request would meet the same redirect or the same body.
      if (error instanceof RedirectError || error instanceof ResponseTooLargeError || error instanceof UnsafeRequestError) throw error;
      if (timer.signal.aborted && !a.signal.aborted) return { error: new AttemptTimedOut() };
      return { error };
    } finally {
      clearTimeout(timeout);
    }
    const latencyMs = Math.round(performance.now() - started);
    const correlationId = response.headers.get('inin-correlation-id') ?? undefined;
    let rateLimit = undefined;
    if (this.limiter) {
      rateLimit = parseRateLimitHeaders(response.headers, this.config.headerNames, this.clock.now());
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
}

/** The request body as sent, serialised once up front so a body JSON cannot hold (a cycle, a BigInt) is refused before any I/O. */
function serializeBody(options: SendOptions, method: string, path: string): { text: string; contentType: string } | undefined {
  if (options.rawBody) return options.rawBody;
  if (options.body === undefined) return undefined;
  try {
    return { text: JSON.stringify(options.body), contentType: 'application/json' };
  } catch (e) {
    throw new ValidationError(`${method} ${path} request`, [
      { path: 'body', message: `the body cannot be sent as JSON (${e instanceof Error ? e.message.slice(0, 100) : 'not serialisable'}): remove cycles and BigInt values` },
    ]);
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The path of a URL or path, without query or fragment: what events and errors may show. */
export function safePath(pathOrUrl: string): string {
  const noQuery = pathOrUrl.split(/[?#]/)[0] ?? '';
  return noQuery.replace(/^https?:\/\/[^/]+/, '') || '/';
}

/** Parses a response body as JSON; an empty body is `undefined`. */
export function parseJsonBody(res: RawResponse, method: string, path: string): unknown {
  return parseJson(res.text, { method, path, status: res.status, correlationId: res.correlationId });
}
