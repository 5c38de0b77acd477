/**
 * What a failed request becomes for the caller. transport.ts decides *whether* an attempt failed and whether to
 * retry (retry.ts); this file only builds the error: a `TimeoutError`, a `NetworkError`, or the `ApiError` subclass
 * for the status, whose body and headers went through the redactor first (redact.ts), plus the translation of the
 * deadline and of the caller's abort.
 */
import { AbortError, apiErrorFor, NetworkError, RateLimitError, TimeoutError } from '../errors';
import type { Redactor } from './redact';
import type { Outcome } from './retry';

/** The per-attempt timer fired (headers or body too slow). */
export class AttemptTimedOut extends Error {
  constructor() {
    super('attempt timed out');
  }
}

/** The request's overall deadline (`deadlineMs`) fired. */
export class DeadlineReached extends Error {
  constructor() {
    super('deadline reached');
  }
}

/** An answer as the transport holds it (transport.ts `RawResponse` is one). */
export interface FailedAnswer {
  status: number;
  headers: Headers;
  text: string;
  correlationId: string | undefined;
}

export interface FailureContext {
  method: string;
  pathOnly: string;
  attempt: number;
  retryAfterMs: number | undefined;
  host: string;
  /** The attempt timeout in force, for a timeout's message. */
  timeoutMs: number;
}

/**
 * The error for an attempt that failed, built on demand: `make()` is the error for its outcome; `make(message)` is a
 * `RateLimitError` with that message (a 429 whose Retry-After is too long). The body is parsed and redacted once.
 */
export function failureFor(outcome: Outcome, result: FailedAnswer | { error: unknown }, ctx: FailureContext, redactor: Redactor): (message?: string) => Error {
  if ('error' in result) {
    if (outcome.kind === 'timeout') {
      return () =>
        new TimeoutError(`${ctx.method} ${ctx.pathOnly}: no complete response within timeoutMs (${ctx.timeoutMs} ms, headers and body) after ${ctx.attempt} attempt(s)`, {
          kind: 'attempt',
          timeoutMs: ctx.timeoutMs,
          method: ctx.method,
          path: ctx.pathOnly,
        });
    }
    return () => new NetworkError({ method: ctx.method, path: ctx.pathOnly, attempts: ctx.attempt, host: ctx.host }, result.error);
  }
  const init = {
    status: result.status,
    body: redactor.errorBody(result.text),
    correlationId: result.correlationId,
    retryAfterMs: ctx.retryAfterMs,
    headers: redactor.headers(result.headers),
    method: ctx.method,
    path: ctx.pathOnly,
    attempts: ctx.attempt,
  };
  return (message) => (message ? new RateLimitError(init, message) : apiErrorFor(init));
}

/** The deadline becomes a `TimeoutError` (kind `deadline`), the caller's abort an `AbortError`; anything else passes. */
export function translateAbort(e: unknown, userSignal: AbortSignal | undefined, deadlineMs: number, method: string, path: string): unknown {
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
