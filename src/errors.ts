/**
 * The one error hierarchy of @org/gc-data. Every error the SDK throws is a `GcError`; `instanceof` tells
 * what happened, and the fields say where. No error carries a token, a client secret or an Authorization header:
 * messages are built from the platform's error body, the method and the path (never the query string), and
 * `toJSON()` lists only safe fields.
 *
 * Over 400 lines on purpose: this is the whole taxonomy of what can go wrong, one short class per failure, and it
 * is read as one list (docs/errors.md follows it); split across files, a reader would lose the hierarchy.
 */
import { describeIssue, describeUnknownKey, expandUnions, type DescribeContext, type ZodLikeIssue } from './internal/describe-issues';

/** One problem found while validating input, with the path of the offending field (`interval`, `rateLimit.maxConcurrent`). */
export interface ValidationIssue {
  path: string;
  message: string;
  code?: string;
}

/** The platform's `ErrorBody` (docs/platform-notes.md section h). Every field is optional: bodies vary by service. */
export interface PlatformErrorBody {
  message?: string;
  code?: string;
  status?: number;
  entityId?: string;
  entityName?: string;
  messageWithParams?: string;
  messageParams?: Record<string, string>;
  contextId?: string;
  details?: Array<{ errorCode?: string; fieldName?: string; entityId?: string; entityName?: string }>;
  errors?: PlatformErrorBody[];
  limit?: { key?: string; namespace?: string; value?: number };
  [key: string]: unknown;
}

/** Base of every error thrown by the SDK. */
export class GcError extends Error {
  override readonly name: string = 'GcError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  /** Safe, structured form for logs: never contains secrets. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message };
  }
}

/**
 * Input rejected before anything was sent: bad options, a malformed interval, an unknown filter field.
 * `issues` lists every problem at once, each with its field path.
 */
export class ValidationError extends GcError {
  override readonly name: string = 'ValidationError';
  /** What was being validated, e.g. `GenesysClient options` or `QualityExporter.evaluations() input`. */
  readonly where: string;
  readonly issues: ValidationIssue[];

  constructor(where: string, issues: ValidationIssue[], hint?: string) {
    const lines = issues.map((i) => `  ✖ ${i.message}${i.path ? `\n    → at ${i.path}` : ''}`);
    super(`Invalid ${where}:\n${lines.join('\n')}${hint ? `\n${hint}` : ''}`);
    this.where = where;
    this.issues = issues;
  }

  override toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, where: this.where, issues: this.issues };
  }
}

/** What the transport knows about the request that failed. */
export interface RequestContext {
  method: string;
  /** Path only, never the query string (which may carry identifiers a caller considers sensitive). */
  path: string;
  attempts: number;
}

export interface ApiErrorInit extends RequestContext {
  status: number;
  body?: PlatformErrorBody | string | undefined;
  correlationId?: string | undefined;
  retryAfterMs?: number | undefined;
  headers?: Record<string, string> | undefined;
}

/** Headers worth keeping on an error; everything else (cookies, auth) is dropped. */
const SAFE_HEADER = /^(inin-|x-ratelimit-|x-rate-limit-|retry-after|content-type|date)/i;

/** The platform answered with a non-2xx status. Subclasses by meaning; `status` is always set. */
export class ApiError extends GcError {
  override readonly name: string = 'ApiError';
  readonly status: number;
  /** The platform's error code, e.g. `too.many.requests.retry.after`, `bad.request`. */
  readonly code: string | undefined;
  readonly messageWithParams: string | undefined;
  readonly details: PlatformErrorBody['details'];
  /** `ININ-Correlation-Id` of the response (or the body's `contextId`): quote it to Genesys support. */
  readonly correlationId: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly attempts: number;
  readonly method: string;
  readonly path: string;
  /** The parsed error body (or its text when it was not JSON). */
  readonly body: PlatformErrorBody | string | undefined;
  /** Rate-limit and correlation headers of the response; no cookies, no auth. */
  readonly headers: Record<string, string>;

  constructor(init: ApiErrorInit, messageOverride?: string) {
    const body = init.body;
    const platformMessage =
      typeof body === 'object' && body !== null && typeof body.message === 'string'
        ? body.message
        : typeof body === 'string' && body.length > 0 && body.length < 300
          ? body
          : undefined;
    const correlationId =
      init.correlationId ?? (typeof body === 'object' && body !== null ? body.contextId : undefined);
    const base =
      messageOverride ??
      `${init.method} ${init.path} failed with ${init.status}${platformMessage ? `: ${platformMessage}` : ''}`;
    const suffix = correlationId ? ` (correlation id ${correlationId})` : '';
    super(base + suffix);
    this.status = init.status;
    this.body = body;
    this.code = typeof body === 'object' && body !== null ? body.code : undefined;
    this.messageWithParams = typeof body === 'object' && body !== null ? body.messageWithParams : undefined;
    this.details = typeof body === 'object' && body !== null ? body.details : undefined;
    this.correlationId = correlationId;
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts;
    this.method = init.method;
    this.path = init.path;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(init.headers ?? {})) if (SAFE_HEADER.test(k)) headers[k.toLowerCase()] = v;
    this.headers = headers;
  }

  override toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      code: this.code,
      messageWithParams: this.messageWithParams,
      details: this.details,
      correlationId: this.correlationId,
      retryAfterMs: this.retryAfterMs,
      attempts: this.attempts,
      method: this.method,
      path: this.path,
      body: this.body,
    };
  }
}

/** 400: the platform refused the request's content. `details` names the fields. */
export class BadRequestError extends ApiError {
  override readonly name: string = 'BadRequestError';
}
/** 401/403, or the token endpoint refused the credentials. Check client id/secret, grants and roles. */
export class AuthError extends ApiError {
  override readonly name: string = 'AuthError';
}
/** 401: credentials or token not accepted (after one refresh-and-replay). */
export class AuthenticationError extends AuthError {
  override readonly name: string = 'AuthenticationError';
}
/** 403: the OAuth client lacks a permission for this endpoint. */
export class PermissionDeniedError extends AuthError {
  override readonly name: string = 'PermissionDeniedError';
  /** The permissions the platform said were missing (`quality:evaluation:view` ...), when it said which. */
  readonly permissions: string[];
  constructor(init: ApiErrorInit, messageOverride?: string) {
    const permissions = missingPermissions(init.body);
    super(
      init,
      messageOverride ??
        (permissions.length > 0
          ? `${init.method} ${init.path} failed with 403: missing permission(s) ${permissions.join(', ')}; add them to a role of the OAuth client`
          : undefined),
    );
    this.permissions = permissions;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), permissions: this.permissions };
  }
}

/** Permission names (`domain:entity:action`) in a 403 body's messageParams or message. */
function missingPermissions(body: PlatformErrorBody | string | undefined): string[] {
  const texts: string[] = [];
  if (typeof body === 'string') texts.push(body);
  else if (body) {
    for (const v of Object.values(body.messageParams ?? {})) if (typeof v === 'string') texts.push(v);
    if (typeof body.message === 'string') texts.push(body.message);
  }
  const found = new Set<string>();
  for (const t of texts) for (const m of t.slice(0, 2_000).matchAll(/\b[a-z][A-Za-z]*:[A-Za-z*][A-Za-z*]*:[A-Za-z*][A-Za-z*]*\b/g)) found.add(m[0]);
  return [...found].slice(0, 20);
}
/** 404 */
export class NotFoundError extends ApiError {
  override readonly name: string = 'NotFoundError';
}
/** 409: a concurrent writer changed the resource (optimistic `version`). */
export class ConflictError extends ApiError {
  override readonly name: string = 'ConflictError';
}
/** 429 that could not be waited out: retries or budget exhausted, or Retry-After beyond `retry.maxRetryAfterMs`. */
export class RateLimitError extends ApiError {
  override readonly name: string = 'RateLimitError';
}
/** 5xx after retries (or not retried because the request was not safe to repeat). */
export class ServerError extends ApiError {
  override readonly name: string = 'ServerError';
}

/** The connection failed (reset, refused, DNS) before a response arrived. */
export class NetworkError extends GcError {
  override readonly name: string = 'NetworkError';
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  /** The system error code when the runtime gave one: `ECONNRESET`, `ECONNREFUSED`, `ENOTFOUND`, `ETIMEDOUT` ... */
  readonly code: string | undefined;
  /** The host (and port) the connection was for. */
  readonly host: string | undefined;
  constructor(ctx: RequestContext & { host?: string | undefined }, cause: unknown) {
    const code = networkErrorCode(cause);
    // Node's fetch says only "fetch failed"; the reason is in its cause (undici's error with a code).
    const inner = cause instanceof Error && cause.cause instanceof Error ? cause.cause.message : undefined;
    const outer = cause instanceof Error ? cause.message : String(cause);
    const why = [code, inner && inner !== code ? inner : undefined].filter(Boolean).join(': ') || outer;
    super(
      `${ctx.method} ${ctx.path}: network error${ctx.host ? ` talking to ${ctx.host}` : ''} after ${ctx.attempts} attempt(s): ${why.slice(0, 200)}`,
      { cause },
    );
    this.method = ctx.method;
    this.path = ctx.path;
    this.attempts = ctx.attempts;
    this.code = code;
    this.host = ctx.host;
  }
  override toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, method: this.method, path: this.path, attempts: this.attempts, code: this.code, host: this.host };
  }
}

/** The first `code` (`ECONNRESET`, `UND_ERR_SOCKET` ...) on an error or its chain of causes. */
function networkErrorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && typeof cur === 'object' && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code.slice(0, 40);
  }
  return undefined;
}

/** A per-attempt timeout (`timeoutMs`) or the overall deadline (`deadlineMs`, `maxWait`) ran out. */
export class TimeoutError extends GcError {
  override readonly name: string = 'TimeoutError';
  readonly kind: 'attempt' | 'deadline';
  readonly timeoutMs: number;
  readonly method: string | undefined;
  readonly path: string | undefined;
  constructor(
    message: string,
    init: { kind: 'attempt' | 'deadline'; timeoutMs: number; method?: string; path?: string },
  ) {
    super(message);
    this.kind = init.kind;
    this.timeoutMs = init.timeoutMs;
    this.method = init.method;
    this.path = init.path;
  }
  override toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, kind: this.kind, timeoutMs: this.timeoutMs, method: this.method, path: this.path };
  }
}

/**
 * The platform answered no request successfully for `retry.giveUpAfterMs` (default 5 minutes) while requests kept
 * failing with 5xx, 408, network errors or timeouts. Until then a failure storm only slows the client down
 * (src/transport/storm.ts). `cause` is the last failure (a `ServerError`, `NetworkError` or `TimeoutError`). Exports
 * save their checkpoint before this reaches the caller: rerun later and they resume.
 */
export class PlatformUnavailableError extends GcError {
  override readonly name: string = 'PlatformUnavailableError';
  readonly method: string;
  readonly path: string;
  /** Attempts of the request that gave up. */
  readonly attempts: number;
  /** How long no request had succeeded when it gave up. */
  readonly failingForMs: number;
  /** `retry.giveUpAfterMs`. */
  readonly giveUpAfterMs: number;
  /** The status of the last failure, when it was an HTTP answer. */
  readonly status: number | undefined;
  constructor(
    init: { method: string; path: string; attempts: number; failingForMs: number; giveUpAfterMs: number; status?: number | undefined },
    cause: unknown,
  ) {
    const last = cause instanceof Error ? cause.message.slice(0, 300) : String(cause);
    super(
      `${init.method} ${init.path}: the platform has answered no request successfully for ${Math.round(init.failingForMs / 1000)} s ` +
        `(retry.giveUpAfterMs is ${init.giveUpAfterMs} ms); giving up after ${init.attempts} attempt(s). Last failure: ${last}`,
      { cause },
    );
    this.method = init.method;
    this.path = init.path;
    this.attempts = init.attempts;
    this.failingForMs = init.failingForMs;
    this.giveUpAfterMs = init.giveUpAfterMs;
    this.status = init.status;
  }
  override toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      method: this.method,
      path: this.path,
      attempts: this.attempts,
      failingForMs: this.failingForMs,
      giveUpAfterMs: this.giveUpAfterMs,
      status: this.status,
    };
  }
}

/** The caller's AbortSignal fired. `reason` is the signal's reason. */
export class AbortError extends GcError {
  override readonly name: string = 'AbortError';
  constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** `AbortError` for `what` (e.g. `ReportQueries.extract()`), when the caller's `signal` has aborted. */
export function throwIfCallerAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new AbortError(`${what} was aborted by the caller's signal`, { cause: signal.reason });
}

/** An analytics job ended FAILED, CANCELLED or EXPIRED and could not be recovered by splitting or resubmitting. */
export class JobFailedError extends GcError {
  override readonly name: string = 'JobFailedError';
  readonly jobId: string | undefined;
  readonly state: string;
  readonly interval: string | undefined;
  readonly errorMessage: string | undefined;
  constructor(init: { jobId?: string; state: string; interval?: string; errorMessage?: string }, message?: string) {
    super(
      message ??
        `Analytics job ${init.jobId ?? '(unsubmitted)'} ended ${init.state}` +
          (init.interval ? ` for interval ${init.interval}` : '') +
          (init.errorMessage ? `: ${init.errorMessage}` : ''),
    );
    this.jobId = init.jobId;
    this.state = init.state;
    this.interval = init.interval;
    this.errorMessage = init.errorMessage;
  }
  override toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, jobId: this.jobId, state: this.state, interval: this.interval, errorMessage: this.errorMessage };
  }
}

/**
 * A request refused before anything was sent (no token minted, no byte on the wire): its URL resolves to an origin
 * other than the API's (or the login host's, for the token call), or a path, header name or value holds a control
 * character, or an id put into a path is empty, `.` or `..`. `reason` says which.
 */
export class UnsafeRequestError extends GcError {
  override readonly name: string = 'UnsafeRequestError';
  readonly reason: 'foreign-origin' | 'control-character' | 'path-segment' | 'not-a-path';
  readonly method: string;
  /** A short excerpt of the offending path (no query string). */
  readonly path: string;
  constructor(init: { reason: UnsafeRequestError['reason']; method: string; path: string }, message: string) {
    super(message);
    this.reason = init.reason;
    this.method = init.method;
    this.path = init.path;
  }
  override toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, reason: this.reason, method: this.method, path: this.path };
  }
}

/**
 * The platform answered with a redirect the SDK does not follow: to another origin (the token and a POST body
 * never go to a host we did not choose), or a same-origin one the method does not allow. `location` is the target's
 * origin and path, without its query string.
 */
export class RedirectError extends GcError {
  override readonly name: string = 'RedirectError';
  readonly status: number;
  readonly location: string | undefined;
  readonly method: string;
  readonly path: string;
  constructor(init: { status: number; location: string | undefined; method: string; path: string }, message: string) {
    super(message);
    this.status = init.status;
    this.location = init.location;
    this.method = init.method;
    this.path = init.path;
  }
  override toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, status: this.status, location: this.location, method: this.method, path: this.path };
  }
}

/** A response body grew past `maxResponseBytes`. Not retried: the same request would bring the same body. */
export class ResponseTooLargeError extends GcError {
  override readonly name: string = 'ResponseTooLargeError';
  readonly limitBytes: number;
  readonly method: string;
  readonly path: string;
  constructor(init: { limitBytes: number; method: string; path: string }) {
    super(
      `${init.method} ${init.path}: the response body exceeded maxResponseBytes (${init.limitBytes} bytes); ` +
        'no page of the platform is that large: raise maxResponseBytes only if you expect it',
    );
    this.limitBytes = init.limitBytes;
    this.method = init.method;
    this.path = init.path;
  }
  override toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, limitBytes: this.limitBytes, method: this.method, path: this.path };
  }
}

/**
 * What arrived does not add up to what the platform declared: a page came back empty or short while `totalHits`
 * (or `pageCount`, `total`) says there is more, or a cursor kept handing out empty pages or repeated itself. Short
 * pages are retried first; this is thrown when they stay short. Nothing after the named page was written, so a
 * resumable job resumes from its checkpoint.
 */
export class IncompleteDataError extends GcError {
  override readonly name: string = 'IncompleteDataError';
  /** What was being paged, e.g. `details query`, `job results`, `search`. */
  readonly what: string;
  /** The page number (or cursor page index) where it went wrong. */
  readonly page: number | undefined;
  /** What the platform declared (e.g. totalHits), when it declared something. */
  readonly declared: number | undefined;
  /** What arrived up to and including that page. */
  readonly received: number | undefined;
  constructor(init: { what: string; page?: number | undefined; declared?: number | undefined; received?: number | undefined }, message: string) {
    super(message);
    this.what = init.what;
    this.page = init.page;
    this.declared = init.declared;
    this.received = init.received;
  }
  override toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, what: this.what, page: this.page, declared: this.declared, received: this.received };
  }
}

/** A fetched entity is not the one that was asked for (another id, or none), after one retry. */
export class EntityMismatchError extends GcError {
  override readonly name: string = 'EntityMismatchError';
  /** e.g. `evaluation`. */
  readonly entity: string;
  readonly requestedId: string;
  /** The id in the body (a short excerpt), or undefined when the body had none. */
  readonly receivedId: string | undefined;
  constructor(init: { entity: string; requestedId: string; receivedId: string | undefined; method?: string; path?: string }) {
    const got = init.receivedId === undefined ? 'a body without an id' : `id "${init.receivedId.slice(0, 100)}"`;
    super(
      `${init.method && init.path ? `${init.method} ${init.path}: ` : ''}asked for ${init.entity} "${init.requestedId}" ` +
        `and got ${got} (after one retry); nothing was written for it`,
    );
    this.entity = init.entity;
    this.requestedId = init.requestedId;
    this.receivedId = init.receivedId === undefined ? undefined : init.receivedId.slice(0, 100);
  }
  override toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, entity: this.entity, requestedId: this.requestedId, receivedId: this.receivedId };
  }
}

/** Picks the ApiError subclass for a status. */
export function apiErrorFor(init: ApiErrorInit, messageOverride?: string): ApiError {
  const s = init.status;
  if (s === 400) return new BadRequestError(init, messageOverride);
  if (s === 401) return new AuthenticationError(init, messageOverride);
  if (s === 403) return new PermissionDeniedError(init, messageOverride);
  if (s === 404) return new NotFoundError(init, messageOverride);
  if (s === 409) return new ConflictError(init, messageOverride);
  if (s === 429) return new RateLimitError(init, messageOverride);
  if (s >= 500) return new ServerError(init, messageOverride);
  return new ApiError(init, messageOverride);
}

/**
 * Turns zod issues into a ValidationError, in the SDK's wording (src/internal/describe-issues.ts): each unknown key
 * is its own issue whose path is the key, with where it belongs or the closest real key when `context` gives the
 * schema; zod's default wording is replaced by what was expected and what was received. Kept free of a zod import
 * so helpers can use it alone: it takes the issue shape zod 4 produces.
 */
export function validationErrorFromZod(
  where: string,
  error: { issues: ReadonlyArray<ZodLikeIssue> },
  hint?: string,
  context: DescribeContext = {},
): ValidationError {
  return new ValidationError(
    where,
    expandUnions(error.issues).flatMap((i) => {
      const code = i.code ? { code: i.code } : {};
      // zod reports unknown keys at the object that holds them; name each key, so `concurency` is the path itself.
      if (i.code === 'unrecognized_keys' && Array.isArray(i.keys) && i.keys.length > 0) {
        return i.keys.map((k) => ({ path: formatPath([...i.path, String(k)]), message: describeUnknownKey(String(k), i.path, context), ...code }));
      }
      return [{ path: formatPath(i.path), message: describeIssue(i, context), ...code }];
    }),
    hint,
  );
}

/** `['rateLimit', 'headers', 0]` -> `rateLimit.headers[0]` */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/**
 * The platform answered 2xx but the body did not have the shape the SDK relies on (a required field missing or of
 * the wrong type). Added fields never cause this; `issues` names the missing or wrong ones.
 */
export class UnexpectedResponseError extends GcError {
  override readonly name: string = 'UnexpectedResponseError';
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly correlationId: string | undefined;
  readonly issues: ValidationIssue[];
  constructor(init: { method: string; path: string; status: number; correlationId?: string; issues: ValidationIssue[] }) {
    const lines = init.issues.slice(0, 10).map((i) => `  ✖ ${i.message}${i.path ? ` → at ${i.path}` : ''}`);
    super(
      `${init.method} ${init.path} returned ${init.status} with an unexpected body:\n${lines.join('\n')}` +
        (init.correlationId ? `\n(correlation id ${init.correlationId})` : ''),
    );
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.correlationId = init.correlationId;
    this.issues = init.issues;
  }
  override toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, method: this.method, path: this.path, status: this.status, correlationId: this.correlationId, issues: this.issues };
  }
}
