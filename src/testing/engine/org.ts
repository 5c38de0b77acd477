/**
 * The simulated org: one `handle(Request)` behind both the msw handlers and the node:http server.
 *
 * Pipeline of an /api/v2 request: latency -> redirect fault -> bearer check (401) -> 429 storm -> token bucket (429)
 * -> 5xx fault -> route (page and body faults) -> slow fault -> connection-reset fault -> huge/drip body faults; any
 * error response then echoes the Authorization header under `echoAuthorization`. A reset drops the connection *after* the route ran (the request was
 * processed, the answer lost), the case that tests idempotency. Every response carries `ININ-Correlation-Id`; every
 * response past the bearer check carries the rate-limit headers (a 401 has no token, hence no bucket to report).
 */
import { TokenRegistry, type IssuedToken } from './auth';
import { echoAuthorization, reshapeBody } from '../faults/body-faults';
import type { OrgCore, RouteContext } from './context';
import { AttributeStore } from '../state/customattributes-store';
import { Dataset } from '../data/dataset';
import { durationToMs } from '../data/evolution';
import { sleep } from './delay';
import { Faults } from '../faults/faults';
import { ApiProblem, RESET, empty, errorBody, json, type HandleResult } from './http';
import { JobStore } from '../state/jobs';
import { MediaStore } from '../state/media-store';
import { parseFaults, resolveOptions, toEpochMs, type FaultOptions, type ResolvedOptions, type SimulatedOrgOptions } from './options';
import { QueryEngine } from '../oracle/query';
import { RATE_LIMIT_CODE, rateLimitHeaders, rateLimitMessage, type BucketResult } from '../faults/rate-limit';
import { uuidFor } from '../data/rng';
import { Router, type RouteMatch } from './router';
import { controlRoutes } from '../routes/control';
import { customAttributeRoutes } from '../routes/customattributes';
import { detailsQueryRoutes } from '../routes/details-query';
import { aggregatesRoutes } from '../routes/aggregates';
import { evaluationSearchRoutes } from '../routes/evaluation-search';
import { jobRoutes } from '../routes/jobs';
import { mediaRoutes } from '../routes/media';
import { TokenEndpoint } from '../routes/oauth';
import { qualityRoutes } from '../routes/quality';
import { conversationDetailsRoutes } from '../routes/conversation-details';
import { recordingBatchRoutes } from '../routes/recording-batch';
import { recordingsProtectionRoutes } from '../routes/recordings-protection';
import { resetLegalHoldSim } from '../state/legal-hold-sim';
import { SimStats } from './stats';
import { ID_KIND } from '../data/streams';

const SERVER_ERRORS: Record<number, [string, string]> = {
  500: ['internal.server.error', 'The server encountered an unexpected condition.'],
  502: ['bad.gateway', 'The upstream service returned an invalid response.'],
  503: ['service.unavailable', 'The service is temporarily unavailable.'],
  504: ['gateway.timeout', 'The upstream service did not respond in time.'],
};

function isAbort(e: unknown): boolean {
  return (e instanceof DOMException || e instanceof Error) && (e.name === 'AbortError' || e.name === 'TimeoutError');
}

export class SimulatedOrg implements OrgCore {
  readonly options: ResolvedOptions;
  readonly data: Dataset;
  readonly queries: QueryEngine;
  readonly jobs: JobStore;
  readonly media = new MediaStore();
  readonly attributes = new AttributeStore();
  readonly faults: Faults;
  readonly stats = new SimStats();
  readonly tokens: TokenRegistry;
  private readonly api = new Router();
  private readonly control = new Router();
  private readonly tokenEndpoint = new TokenEndpoint();
  private correlationSeq = 0;
  private generation = 0;
  private availabilityOverride: number | undefined;
  private advancedMs = 0;

  constructor(input: SimulatedOrgOptions = {}) {
    const o = resolveOptions(input);
    this.options = o;
    this.data = new Dataset(o);
    this.queries = new QueryEngine(this.data);
    this.jobs = new JobStore(o.seed, o.jobs);
    this.faults = new Faults(o.seed, o.faults, o.now());
    this.tokens = new TokenRegistry(o.seed, o.tokenTtlSeconds, o.rateLimit);
    // Literal paths before parameterised ones: `jobs/availability` must not match `jobs/{jobId}`.
    this.api.add([...detailsQueryRoutes(), ...aggregatesRoutes(), ...jobRoutes(), ...qualityRoutes(), ...evaluationSearchRoutes(), ...mediaRoutes(), ...customAttributeRoutes()]);
    this.api.add([...conversationDetailsRoutes(), ...recordingsProtectionRoutes(), ...recordingBatchRoutes()]);
    this.control.add(controlRoutes(this));
  }

  /** The org's clock: the `now` option (default Date.now) plus everything `advance()` added. */
  now(): number {
    return this.options.now() + this.advancedMs;
  }

  /**
   * Moves the org's time forward by an ISO-8601 duration (`'P2D'`, `'PT6H'`) or ms: the clock (tokens, limits,
   * jobs, the data availability date) and the data. Evaluations then change as the lifecycle in evolution.ts says
   * (late ones created, pending ones finished, released, rescored, retracted, deleted), deterministically from the
   * seed; truth follows. Live tokens keep the lifetime they had left (a client keeps working). Returns the total
   * time advanced since creation (or the last reset()).
   */
  advance(duration: number | string): number {
    const ms = durationToMs(duration);
    this.tokens.shift(ms, this.now());
    this.advancedMs += ms;
    this.data.elapsedMs = this.advancedMs;
    // Filtered match lists were computed from the old state.
    this.queries.clear();
    return this.advancedMs;
  }

  /** How far advance() has moved the org since creation (ms). */
  elapsed(): number {
    return this.advancedMs;
  }

  dataAvailabilityDate(): number {
    return this.availabilityOverride ?? this.options.dataAvailabilityDate ?? this.now() - this.options.dataAvailabilityLagMs;
  }

  /** Pins the data availability date (epoch ms, ISO or Date); `undefined` returns to the option/default. */
  setDataAvailabilityDate(date: number | string | Date | undefined): void {
    this.availabilityOverride = date === undefined ? undefined : toEpochMs(date);
  }

  setFaults(partial: FaultOptions): void {
    this.faults.set(partial, this.now());
  }

  /** Every token issued so far stops working now (401 on next use); returns how many were live. */
  expireTokens(): number {
    return this.tokens.expireAll(this.now());
  }

  /** A valid bearer token without going through /oauth/token (not counted in stats). */
  issueToken(): string {
    return this.tokens.issue(this.options.clientId, this.now()).token;
  }

  /** Back to the state right after creation: tokens, jobs, custom attributes, annotations, polls, faults, stats, time. */
  reset(): void {
    this.generation++;
    this.correlationSeq = 0;
    this.tokens.clear();
    this.jobs.clear();
    this.media.clear();
    this.attributes.clear();
    this.queries.clear();
    this.tokenEndpoint.clear();
    this.faults.reset(parseFaults(this.options.faults), this.now());
    this.availabilityOverride = undefined;
    this.advancedMs = 0;
    this.data.elapsedMs = 0;
    this.stats.reset();
    resetLegalHoldSim(this);
  }

  async handle(request: Request): Promise<HandleResult> {
    const url = new URL(request.url);
    const path = url.pathname;
    const correlationId = uuidFor(this.options.seed, ID_KIND.correlation, this.generation, this.correlationSeq++);
    if (this.options.controlRoutes && path.startsWith('/__sim/')) {
      // Control routes steer the simulation; they are not platform traffic, so they are neither counted nor delayed.
      const result = await this.dispatch(this.control.match(request.method, path), request, url, correlationId);
      result.headers.set('ININ-Correlation-Id', correlationId);
      return result;
    }
    let route = `${request.method} ${path}`;
    let outcome: number | 'reset' = 500;
    this.stats.begin();
    try {
      if (this.options.latencyMs > 0) await sleep(this.options.latencyMs, request.signal);
      let result: HandleResult;
      if (path === '/oauth/token') {
        route = 'POST /oauth/token';
        result = await this.tokenEndpoint.handle(this, request, correlationId);
      } else if (path.startsWith('/api/v2/')) {
        const m = this.api.match(request.method, path);
        route = m.kind === 'none' ? `${request.method} /api/v2/(unmatched)` : `${request.method} ${m.template}`;
        result = await this.handleApi(request, url, m, correlationId);
      } else {
        route = `${request.method} (unmatched)`;
        result = json(404, errorBody(404, 'not.found', `No resource at ${path}.`, correlationId));
      }
      if (result !== RESET) {
        if (result.status >= 400 && this.faults.options.echoAuthorization && this.faults.applies(path)) {
          const echoed = await echoAuthorization(result, request.headers.get('authorization'));
          if (echoed) {
            this.stats.faults.echoAuthorization++;
            result = echoed;
          }
        }
        result.headers.set('ININ-Correlation-Id', correlationId);
      }
      outcome = result === RESET ? 'reset' : result.status;
      return result;
    } catch (e) {
      if (isAbort(e)) {
        outcome = 'reset';
        return RESET;
      }
      throw e;
    } finally {
      this.stats.end(route, outcome);
    }
  }

  private async handleApi(request: Request, url: URL, match: RouteMatch, correlationId: string): Promise<HandleResult> {
    const now = this.now();
    const eligible = this.faults.applies(url.pathname);
    const redirect = eligible ? this.faults.options.redirectTo : null;
    if (redirect) {
      // A misbehaving platform or proxy: a redirect before anything else, wherever it points.
      this.stats.faults.redirect++;
      const location = redirect.keepPath ? redirect.location.replace(/\/$/, '') + url.pathname + url.search : redirect.location;
      return empty(redirect.status, { location });
    }
    const auth = this.tokens.verify(request.headers.get('authorization'), now);
    if (!auth.ok) return json(401, errorBody(401, auth.code, auth.message, correlationId));

    const stormSeconds = eligible ? this.faults.storm(now) : undefined;
    if (stormSeconds !== undefined) {
      this.stats.faults.storm++;
      this.stats.rateLimitedBy('storm');
      const headers = { ...this.bucketHeaders(auth.token, now), 'Retry-After': String(stormSeconds) };
      return json(429, errorBody(429, RATE_LIMIT_CODE, rateLimitMessage(stormSeconds), correlationId), headers);
    }

    // A failure storm answers before the bucket: a request it fails does not use the token's budget.
    const stormFailure = eligible ? this.faults.errorStorm(now) : undefined;
    if (stormFailure) {
      this.stats.faults.errorStorm++;
      if (stormFailure.kind === 'reset') return RESET;
      const [code, message] = SERVER_ERRORS[stormFailure.status] ?? ['server.error', 'The server failed to handle the request.'];
      return json(stormFailure.status, errorBody(stormFailure.status, code, message, correlationId));
    }

    const bucket = auth.token.bucket?.take(now);
    const limitHeaders = bucket ? rateLimitHeaders(bucket) : {};
    if (bucket && !bucket.allowed) {
      this.stats.bucketEmptyArrivals++;
      this.stats.rateLimitedBy('limiter');
      return json(429, errorBody(429, RATE_LIMIT_CODE, rateLimitMessage(bucket.retryAfterSeconds), correlationId), limitHeaders);
    }

    const fault = eligible ? this.faults.draw() : { reset: false, serverError: undefined, slowMs: 0 };
    let response: Response;
    if (fault.serverError !== undefined) {
      this.stats.faults.serverError++;
      const [code, message] = SERVER_ERRORS[fault.serverError] ?? ['server.error', 'The server failed to handle the request.'];
      const retryAfter = this.faults.options.serverErrorRetryAfterSeconds;
      response = json(fault.serverError, errorBody(fault.serverError, code, message, correlationId), fault.serverError === 503 && retryAfter !== undefined ? { 'Retry-After': String(retryAfter) } : {});
    } else {
      response = await this.dispatch(match, request, url, correlationId);
    }
    if (fault.slowMs > 0) {
      this.stats.faults.slow++;
      await sleep(fault.slowMs, request.signal);
    }
    if (fault.reset) {
      this.stats.faults.connectionReset++;
      return RESET;
    }
    for (const [k, v] of Object.entries(limitHeaders)) response.headers.set(k, v);
    const f = this.faults.options;
    if (eligible && response.status >= 200 && response.status < 300 && response.status !== 204 && (f.hugeBodyBytes > 0 || f.dripBodyMs > 0)) {
      if (f.hugeBodyBytes > 0) this.stats.faults.hugeBody++;
      if (f.dripBodyMs > 0) this.stats.faults.drip++;
      response = await reshapeBody(response, { hugeBytes: f.hugeBodyBytes, dripMs: f.dripBodyMs, dripChunks: f.dripChunks, signal: request.signal });
    }
    return response;
  }

  /** Headers describing the bucket without using it (a storm 429 does not consume the client's budget). */
  private bucketHeaders(token: IssuedToken, now: number): Record<string, string> {
    const b: BucketResult | undefined = token.bucket?.peek(now);
    return b ? rateLimitHeaders({ ...b, allowed: true }) : {};
  }

  private async dispatch(m: RouteMatch, request: Request, url: URL, correlationId: string): Promise<Response> {
    try {
      if (m.kind === 'none') throw new ApiProblem(404, 'not.found', `No resource at ${url.pathname}.`);
      if (m.kind === 'method') throw new ApiProblem(405, 'method.not.allowed', `${request.method} is not allowed on ${m.template}.`, [], { allow: m.allow.join(', ') });
      const ctx: RouteContext = { org: this, request, url, params: m.params, now: this.now() };
      return await m.handler(ctx);
    } catch (e) {
      if (e instanceof ApiProblem) return json(e.status, errorBody(e.status, e.code, e.message, correlationId, e.details), e.headers);
      if (isAbort(e)) throw e;
      const message = e instanceof Error ? `Simulator error: ${e.message}` : 'Simulator error.';
      return json(500, errorBody(500, 'internal.server.error', message, correlationId));
    }
  }
}
