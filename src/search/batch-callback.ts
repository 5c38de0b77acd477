/**
 * The seed's webhook intent on our side: the platform has no webhook-registration endpoint (docs/platform-notes.md section f), so
 * after each batch the SDK itself POSTs a signed JSON notification to the caller's own URL.
 *
 * Contract (docs/search.md, "Batch callbacks"):
 * - `POST <url>`, body JSON (a `SearchNotification`), `content-type: application/json`.
 * - `x-gc-data-timestamp`: Unix seconds when this attempt was signed.
 * - `x-gc-data-signature`: `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`.
 * - `x-gc-data-delivery`: `<searchId>:<page|complete>`, the same on every retry of one notification (dedupe key).
 * - `x-gc-data-attempt`: 1, 2, ...
 * - Any 2xx within `timeoutMs` (default 5 s) is delivered. Timeouts, network errors, 408, 429, 500, 502, 503 and
 *   504 are retried with backoff; any other status, and any redirect, fails at once.
 *
 * This is a call to the user's endpoint, not to the platform, so it uses the global fetch directly rather than the
 * platform transport: it carries no bearer token, and the platform's rate limiter must not be spent on it.
 */
import { nodeCrypto } from '../internal/node-builtins';
import { expected, refuse } from '../internal/parse-options';
import { formatPath, GcError, throwIfCallerAborted, ValidationError, type ValidationIssue } from '../errors';
import { parseRetryAfter } from '../transport/retry';
import { systemClock, type Clock } from '../internal/clock';
import { retryOperation, type Backoff } from '../internal/waits';
import { BatchCallbackSchema, type BatchCallbackOptions, type ResolvedBatchCallbackOptions, type SearchNotification } from './schemas';

export const SIGNATURE_HEADER = 'x-gc-data-signature';
export const TIMESTAMP_HEADER = 'x-gc-data-timestamp';
export const DELIVERY_HEADER = 'x-gc-data-delivery';
export const ATTEMPT_HEADER = 'x-gc-data-attempt';
/** Receivers reject older signatures by default: long enough for clock skew, short enough to stop replays. */
export const DEFAULT_SIGNATURE_MAX_AGE_SECONDS = 300;

const RESERVED_HEADERS = new Set([SIGNATURE_HEADER, TIMESTAMP_HEADER, DELIVERY_HEADER, ATTEMPT_HEADER, 'content-type', 'content-length', 'host']);
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** `sha256=<hex>` for a body signed at `timestamp` (Unix seconds). Receivers normally call `verifyBatchSignature`. */
export function signBatch(secret: string, timestamp: string, body: string | Uint8Array): string {
  const where = 'signBatch arguments';
  if (typeof secret !== 'string' || secret === '') throw refuse(where, 'secret', expected('a non-empty secret', secret));
  // verifyBatchSignature accepts only 1-15 digits: a signature over anything else could never verify.
  if (typeof timestamp !== 'string' || !/^\d{1,15}$/.test(timestamp)) throw refuse(where, 'timestamp', expected('Unix seconds as a string of digits', timestamp), 'invalid_format');
  checkBody(body, where);
  return `sha256=${hmacHex(secret, timestamp, body)}`;
}

function checkBody(body: unknown, where: string): void {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) throw refuse(where, 'body', expected('the raw body (a string or bytes)', body));
}

function hmacHex(secret: string, timestamp: string, body: string | Uint8Array): string {
  return nodeCrypto().createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

export interface VerifyBatchSignatureOptions {
  /** Reject signatures older (or further in the future) than this. Default 300 s. */
  maxAgeSeconds?: number;
  /** Clock for the age check, epoch ms. Default: now by the system clock. */
  now?: number;
}

/**
 * For receivers: true when `header` is a valid signature of the raw `body` at `timestamp` under `secret` (or any of
 * several secrets, during a rotation) and the timestamp is within `maxAgeSeconds` of now. Pass the body exactly as
 * received: re-serialised JSON does not verify. Comparison is constant-time.
 */
export function verifyBatchSignature(
  secret: string | readonly string[],
  timestamp: string | null | undefined,
  body: string | Uint8Array,
  header: string | null | undefined,
  options: VerifyBatchSignatureOptions = {},
): boolean {
  // The timestamp and header come from the request (a bad one is `false`); the receiver's own arguments are checked.
  const where = 'verifyBatchSignature arguments';
  // An empty list verifies nothing (`false`, as an empty secret does); a secret that is not a string is a bug.
  const keys: unknown = secret;
  if (typeof keys !== 'string' && !Array.isArray(keys)) throw refuse(where, 'secret', expected('a secret or a list of secrets', keys));
  if (Array.isArray(keys)) {
    const i = keys.findIndex((s) => typeof s !== 'string');
    if (i >= 0) throw refuse(where, `secret[${i}]`, expected('a secret (a string)', keys[i]));
  }
  checkBody(body, where);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw refuse(where, 'options', expected('an object such as { maxAgeSeconds: 300 }', options));
  for (const k in options) if (k !== 'maxAgeSeconds' && k !== 'now') throw refuse(where, k, `unknown option ${JSON.stringify(k.slice(0, 100))}: the options are maxAgeSeconds, now`, 'unrecognized_keys');
  if (options.maxAgeSeconds !== undefined && !(Number.isFinite(options.maxAgeSeconds) && options.maxAgeSeconds >= 0)) throw refuse(where, 'maxAgeSeconds', expected('a number of seconds, 0 or more', options.maxAgeSeconds));
  if (options.now !== undefined && !Number.isFinite(options.now)) throw refuse(where, 'now', expected('epoch ms', options.now));
  if (typeof timestamp !== 'string' || !/^\d{1,15}$/.test(timestamp)) return false;
  if (typeof header !== 'string') return false;
  const maxAgeMs = (options.maxAgeSeconds ?? DEFAULT_SIGNATURE_MAX_AGE_SECONDS) * 1000;
  const now = options.now ?? systemClock.now();
  if (Math.abs(now - Number(timestamp) * 1000) > maxAgeMs) return false;
  const given = header
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^sha256=[0-9a-f]{64}$/i.test(s))
    .map((s) => Buffer.from(s.slice(7).toLowerCase(), 'hex'));
  if (given.length === 0) return false;
  const secrets = typeof secret === 'string' ? [secret] : secret;
  let ok = false;
  // Every pair is compared, so the time taken does not reveal which secret or which signature matched.
  for (const s of secrets) {
    if (typeof s !== 'string' || s.length === 0) continue;
    const expected = Buffer.from(hmacHex(s, timestamp, body), 'hex');
    for (const g of given) if (nodeCrypto().timingSafeEqual(expected, g)) ok = true;
  }
  return ok;
}

/** A batch notification could not be delivered: the receiver kept failing, refused it, or redirected. */
export class BatchCallbackError extends GcError {
  override readonly name: string = 'BatchCallbackError';
  /** Origin and path only: a query string may carry the receiver's own credentials. */
  readonly url: string;
  readonly attempts: number;
  readonly status: number | undefined;
  readonly reason: 'status' | 'redirect' | 'timeout' | 'network';
  readonly deliveryId: string;

  constructor(init: { url: string; attempts: number; status?: number; reason: BatchCallbackError['reason']; deliveryId: string; detail?: string }, options?: { cause?: unknown }) {
    const what =
      init.reason === 'timeout'
        ? 'no answer within the timeout'
        : init.reason === 'network'
          ? `network error${init.detail ? ` (${init.detail})` : ''}`
          : init.reason === 'redirect'
            ? `redirect ${init.status ?? ''} (redirects are not followed: give the final URL)`
            : `status ${init.status ?? '?'}`;
    super(`Batch callback ${init.deliveryId} to ${init.url} failed after ${init.attempts} attempt(s): ${what}`, options);
    this.url = init.url;
    this.attempts = init.attempts;
    this.status = init.status;
    this.reason = init.reason;
    this.deliveryId = init.deliveryId;
  }

  override toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, url: this.url, attempts: this.attempts, status: this.status, reason: this.reason, deliveryId: this.deliveryId };
  }
}

/** Validates callback options (shape, URL scheme, reserved headers) and fills defaults. Sends nothing. */
export function resolveBatchCallbackOptions(input: BatchCallbackOptions, where = 'batch callback options', prefix = ''): ResolvedBatchCallbackOptions {
  const issues = batchCallbackIssues(input, prefix);
  if (issues.length > 0) throw new ValidationError(where, issues);
  return BatchCallbackSchema.parse(input);
}

/** The problems of callback options, with paths under `prefix` (e.g. `callback.`), for merging into a larger report. */
export function batchCallbackIssues(input: unknown, prefix = ''): ValidationIssue[] {
  const parsed = BatchCallbackSchema.safeParse(input);
  if (!parsed.success) {
    return parsed.error.issues.map((i) => {
      const path = formatPath(i.path);
      return { path: path ? `${prefix}${path}` : prefix.replace(/\.$/, ''), message: i.message, code: i.code };
    });
  }
  const o = parsed.data;
  const issues: ValidationIssue[] = [];
  const u = new URL(o.url);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && (LOOPBACK.test(u.hostname) || o.allowHttp))) {
    issues.push({
      path: `${prefix}url`,
      code: 'insecure_url',
      message: `callback.url must use https (http only on loopback hosts, or with allowHttp: true): got ${u.protocol}//${u.host}`,
    });
  }
  for (const name of Object.keys(o.headers)) {
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      issues.push({ path: `${prefix}headers.${name}`, code: 'reserved_header', message: `header ${name} is set by the SDK and cannot be overridden` });
    }
  }
  if (o.maxDelayMs < o.baseDelayMs) {
    issues.push({ path: `${prefix}maxDelayMs`, code: 'too_small', message: 'maxDelayMs must be at least baseDelayMs' });
  }
  return issues;
}

export interface DeliveryResult {
  delivered: true;
  status: number;
  attempts: number;
  latencyMs: number;
  deliveryId: string;
}

export interface DeliveryRetry {
  deliveryId: string;
  attempt: number;
  delayMs: number;
  reason: 'status' | 'timeout' | 'network';
  status: number | undefined;
}

/** `<searchId>:<page>` or `<searchId>:complete`: stable across retries, so a receiver can drop duplicates. */
export function deliveryIdOf(n: SearchNotification): string {
  return `${n.searchId}:${n.type === 'batch' ? n.page : 'complete'}`;
}

const MAX_DRAINED_BYTES = 64 * 1024;

/**
 * The receiver's answer is not used, but reading it lets the connection be reused. A long body is cut off without
 * awaiting the cancel (fetch interceptors such as msw never settle it); a slow one is ended by the attempt's timeout.
 */
async function discardBody(res: Response): Promise<void> {
  if (!res.body) return;
  const reader = res.body.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      bytes += value.byteLength;
      if (bytes > MAX_DRAINED_BYTES) {
        void reader.cancel().catch(() => undefined);
        return;
      }
    }
  } catch {
    // A body that fails or times out says nothing the status did not.
  }
}

function safeUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

/**
 * POSTs one notification, signed afresh on every attempt (so a late retry still passes the receiver's age check),
 * and returns once a 2xx arrives. Throws `BatchCallbackError` when it cannot, `AbortError` when `signal` fires.
 */
export async function deliverBatchCallback(
  notification: SearchNotification,
  options: ResolvedBatchCallbackOptions,
  ctx: { signal?: AbortSignal | undefined; onRetry?: (r: DeliveryRetry) => void; userAgent?: string; clock?: Clock | undefined } = {},
): Promise<DeliveryResult> {
  const body = JSON.stringify(notification);
  const deliveryId = deliveryIdOf(notification);
  const shown = safeUrl(options.url);
  const clock = ctx.clock ?? systemClock;
  const started = performance.now();
  const maxAttempts = options.retries + 1;
  try {
    return await retryOperation(
      async (attempt) => {
        throwIfCallerAborted(ctx.signal, `Batch callback ${deliveryId}`);
        const timestamp = String(Math.floor(clock.now() / 1000));
        // Real time on purpose: it bounds the receiver's network I/O, like the transport's per-attempt timeout.
        const timeout = AbortSignal.timeout(options.timeoutMs);
        const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
        let res: Response;
        try {
          res = await fetch(options.url, {
            method: 'POST',
            headers: {
              ...options.headers,
              'content-type': 'application/json',
              'user-agent': ctx.userAgent ?? 'gc-data',
              [TIMESTAMP_HEADER]: timestamp,
              [SIGNATURE_HEADER]: signBatch(options.secret, timestamp, body),
              [DELIVERY_HEADER]: deliveryId,
              [ATTEMPT_HEADER]: String(attempt),
            },
            body,
            redirect: 'manual',
            signal,
          });
          await discardBody(res);
        } catch (e) {
          throwIfCallerAborted(ctx.signal, `Batch callback ${deliveryId}`);
          throw new FailedAttempt(
            timeout.aborted
              ? { reason: 'timeout', cause: e }
              : { reason: 'network', detail: e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e), cause: e },
          );
        }
        if (res.status >= 200 && res.status < 300) {
          return { delivered: true as const, status: res.status, attempts: attempt, latencyMs: Math.round(performance.now() - started), deliveryId };
        }
        if ((res.status >= 300 && res.status < 400) || res.type === 'opaqueredirect') {
          throw new BatchCallbackError({ url: shown, attempts: attempt, reason: 'redirect', deliveryId, ...(res.status ? { status: res.status } : {}) });
        }
        if (!RETRYABLE_STATUS.has(res.status)) {
          throw new BatchCallbackError({ url: shown, attempts: attempt, status: res.status, reason: 'status', deliveryId });
        }
        throw new FailedAttempt({ reason: 'status', status: res.status }, parseRetryAfter(res.headers, clock.now()));
      },
      {
        clock,
        backoff: callbackBackoff(options),
        retries: options.retries,
        retryable: (e) => e instanceof FailedAttempt,
        // A receiver's Retry-After is honoured (plus up to 10%, like the transport's), never past maxDelayMs.
        retryAfterMs: (e) => (e as FailedAttempt).retryAfterMs,
        maxRetryAfterMs: options.maxDelayMs,
        signal: ctx.signal,
        what: `Batch callback ${deliveryId}`,
        onRetry: ({ attempt, delayMs, error }) => {
          const last = (error as FailedAttempt).last;
          ctx.onRetry?.({ deliveryId, attempt, delayMs, reason: last.reason, status: last.status });
        },
      },
    );
  } catch (e) {
    if (!(e instanceof FailedAttempt)) throw e;
    const last = e.last;
    throw new BatchCallbackError(
      {
        url: shown,
        attempts: maxAttempts,
        reason: last.reason,
        deliveryId,
        ...(last.status !== undefined ? { status: last.status } : {}),
        ...(last.detail !== undefined ? { detail: last.detail } : {}),
      },
      { cause: last.cause },
    );
  }
}

/** Retries of a delivery: `baseDelayMs` doubling to `maxDelayMs`, full jitter. */
export function callbackBackoff(options: Pick<ResolvedBatchCallbackOptions, 'baseDelayMs' | 'maxDelayMs'>): Backoff {
  return { initialDelayMs: options.baseDelayMs, factor: 2, maxDelayMs: options.maxDelayMs, jitter: { kind: 'full' } };
}

/** One attempt that may be retried: what went wrong, and the receiver's Retry-After if it sent one. */
class FailedAttempt extends Error {
  constructor(
    readonly last: { reason: 'status' | 'timeout' | 'network'; status?: number; detail?: string; cause?: unknown },
    readonly retryAfterMs?: number,
  ) {
    super(`batch callback attempt failed (${last.reason})`);
  }
}
