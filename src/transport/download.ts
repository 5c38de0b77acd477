/**
 * The explicit download path for pre-signed URLs (recording `resultUrl`s): a URL on another host whose query string
 * is the credential. It is deliberately not the API transport, which refuses foreign hosts and adds the bearer token.
 * Its request goes through the one HTTP file (http.ts, `sendOnce`) like every other, but on its own terms:
 * - never an `Authorization` header (nor any header a caller could add: there is no headers option), only `Range`,
 *   `Accept-Encoding: identity` and `User-Agent`;
 * - its own origin rule: the request goes to the origin of the URL the platform handed out, and a redirect is
 *   followed only on that same origin (at most 5 hops, checked by url-guard.ts like the API's); a redirect anywhere
 *   else is a `DownloadError` with reason `redirect`, and nothing is sent there;
 * - its own concurrency (separate from the API's rate limiter: the object store is not the API) and retries.
 *
 * Per file: the body is streamed to `<dest>.part` with its sha256 computed on the way (download-file.ts: the write
 * path and why it is shaped for throughput); once every byte the server announced has arrived, the network slot goes
 * to the next file and the `.part` joins the next group fsync, then is renamed to `<dest>` (download-durable.ts).
 * `download()` resolves only when the file is durable under its final name. A failed or interrupted attempt leaves the `.part`; the next attempt (or a later run) asks
 * for the rest with `Range: bytes=N-` and re-hashes the bytes it keeps; a server that answers 200 instead of 206
 * restarts the file. Each attempt is bounded by `timeoutMs`, which covers the body, not just the headers.
 *
 * Retries (408, 429, 5xx, network errors, timeouts, bodies cut short) run on the one wait layer (`retryOperation`,
 * src/internal/waits.ts, on the downloader's clock) with retry.ts's `classify` and `parseRetryAfter`; an attempt
 * that added bytes does not count towards the limit and is retried at once (a flaky connection that makes progress
 * finishes). The URL's query string (the signature) never appears in an error or event: origin and path only.
 */
import type { FileHandle } from 'node:fs/promises';
import { AbortError, ValidationError } from '../errors';
import { systemClock, type Clock } from '../internal/clock';
import { fsPromises } from '../internal/node-builtins';
import { retryOperation } from '../internal/waits';
import { DurableGroups, dirnameOf, Slots } from './download-durable';
import { PartWriteError, receiveBody, sizeOf } from './download-file';
import { openStreamHash, type StreamHash } from './hash-lane';
import { sendOnce } from './http';
import { classify, parseRetryAfter } from './retry';
import { resolveSameOrigin } from './url-guard';

import {
  DEFAULT_RETRY,
  DownloadError,
  downloadUrlProblem,
  parseDownloaderOptions,
  redactUrl,
  type DownloaderOptions,
  type DownloadFailure,
  type DownloadRequest,
  type DownloadResult,
  type DownloadRetryOptions,
} from './download-options';

export { sha256File } from './download-file';
export { DownloadError, downloadUrlProblem, redactUrl } from './download-options';
export type { DownloaderOptions, DownloadFailure, DownloadProgress, DownloadRequest, DownloadResult, DownloadRetryOptions } from './download-options';

class Attempt extends Error {
  constructor(
    readonly outcome: { kind: 'status'; status: number } | { kind: 'network' } | { kind: 'timeout' },
    readonly detail: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(detail, options);
  }
}

/** An attempt failure the retry layer may retry: `afterMs` is the wait it asks for (0 after progress). */
class Retry extends Error {
  constructor(readonly afterMs: number | undefined) {
    super('retry');
  }
}

/** The caller's own exception (from onProgress): passed through untouched. */
class CallerError extends Error {
  constructor(readonly error: unknown) {
    super('caller');
  }
}

/** Redirects followed within one attempt, all on the URL's own origin; more is a loop. */
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** What one successful attempt hands to the durable step: the open .part (or none: a previous run completed it). */
interface Received {
  handle: FileHandle | undefined;
  bytes: number;
  sha256: string;
  contentType: string | undefined;
  restarts: number;
}

/**
 * Downloads pre-signed URLs to files with its own concurrency, retries and per-attempt timeout.
 *
 * ```ts
 * const downloader = new Downloader({ concurrency: 4 });
 * const { sha256, bytes } = await downloader.download({ url: result.resultUrl, dest: 'recordings/a.ogg' });
 * ```
 */
export class Downloader {
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly retry: Readonly<DownloadRetryOptions>;
  readonly #fetch: typeof fetch | undefined;
  readonly #userAgent: string;
  readonly #clock: Clock;
  /** Network slots: a file holds one while its bytes arrive. */
  readonly #slots: Slots;
  /**
   * Files started and not yet durable, at most 4 x concurrency: room for one group being fsynced and the next
   * gathering while the network runs; a disk slower than the network then holds the network back instead of the
   * unsynced files (each an open handle) piling up.
   */
  readonly #unsynced: Slots;
  readonly #durable = new DurableGroups();
  #stats = { files: 0, bytes: 0, attempts: 0, retries: 0, restarts: 0 };

  constructor(options: DownloaderOptions = {}) {
    const o = parseDownloaderOptions(options);
    this.concurrency = o.concurrency ?? 4;
    this.timeoutMs = o.timeoutMs ?? 300_000;
    const retry = { ...DEFAULT_RETRY };
    for (const [k, v] of Object.entries(o.retry ?? {})) if (v !== undefined) retry[k as keyof DownloadRetryOptions] = v;
    this.retry = Object.freeze(retry);
    this.#fetch = o.fetch;
    this.#clock = o.clock ?? systemClock;
    this.#userAgent = `gc-data-download node/${process.versions.node}${o.userAgent ? ` ${o.userAgent}` : ''}`;
    this.#slots = new Slots(this.concurrency);
    this.#unsynced = new Slots(4 * this.concurrency);
  }

  /** Files, bytes, attempts, retries and restarts so far, and the group fsyncs that made the files durable. */
  stats(): { files: number; bytes: number; attempts: number; retries: number; restarts: number; syncGroups: number } {
    return { ...this.#stats, syncGroups: this.#durable.groups };
  }

  /** Downloads one URL to `dest` (waits for a free slot first). */
  async download(request: DownloadRequest): Promise<DownloadResult> {
    const problem = downloadUrlProblem(request?.url);
    const issues = [];
    if (problem) issues.push({ path: 'url', message: `url ${problem}` });
    if (typeof request?.dest !== 'string' || request.dest === '') issues.push({ path: 'dest', message: 'dest must be a file path' });
    if (request?.signal !== undefined && !(request.signal instanceof AbortSignal)) issues.push({ path: 'signal', message: 'signal must be an AbortSignal' });
    if (issues.length) throw new ValidationError('Downloader.download() request', issues);
    const { dest, signal } = request;
    const part = `${dest}.part`;
    const waiting = () => new AbortError("A download waiting for a free slot was aborted by the caller's signal", { cause: signal?.reason });
    await this.#unsynced.acquire(signal, waiting);
    try {
      let received: Received & { attempts: number; resumedFromBytes: number };
      await this.#slots.acquire(signal, waiting);
      try {
        received = await this.#receive(request);
      } finally {
        this.#slots.release();
      }
      // The bytes are all here: the network slot goes to the next file while this one waits for its group fsync. Not
      // abortable: a complete file is finished rather than left as a .part.
      await this.#durable.commit(part, dest, received.handle);
      return this.#done(dest, received);
    } finally {
      this.#unsynced.release();
    }
  }

  #done(dest: string, received: Received & { attempts: number; resumedFromBytes: number }): DownloadResult {
    this.#stats.files++;
    this.#stats.restarts += received.restarts;
    const { bytes, sha256, contentType, attempts, resumedFromBytes, restarts } = received;
    return { dest, bytes, sha256, contentType, attempts, resumedFromBytes, restarts };
  }

  /** Attempts (with retries) until every byte of the file is in its .part. */
  async #receive(request: DownloadRequest): Promise<Received & { attempts: number; resumedFromBytes: number }> {
    const { url, dest, signal } = request;
    const shown = redactUrl(url);
    const part = `${dest}.part`;
    const fs = fsPromises();
    await fs.mkdir(dirnameOf(dest), { recursive: true });
    if (request.resume === false) await fs.rm(part, { force: true });
    let attempts = 0;
    let failedAttempts = 0;
    let rateLimited = 0;
    let resumedFromBytes = -1;
    const aborted = (cause: unknown) => new AbortError(`Download of ${shown} was aborted by the caller's signal (the partial file ${part} is kept for resuming)`, { cause });
    // Decides after a failed attempt: a Retry (with the wait the server asked for, 0 after progress) or the error
    // that ends the download.
    const judge = async (e: unknown, before: number): Promise<unknown> => {
      if (e instanceof CallerError) return e.error;
      if (signal?.aborted) return aborted(signal.reason);
      if (!(e instanceof Attempt)) return e;
      const is429 = e.outcome.kind === 'status' && e.outcome.status === 429;
      if (is429) rateLimited++;
      const progressed = (await sizeOf(part)) > before;
      if (!progressed && !is429) failedAttempts++;
      const decision = classify(e.outcome, { idempotent: true, attempt: failedAttempts + rateLimited, rateLimitedAttempts: rateLimited }, {
        limit: this.retry.limit,
        rateLimitLimit: this.retry.rateLimitLimit,
        budget: false,
      });
      const reason: DownloadFailure = e.outcome.kind === 'status' ? 'status' : e.outcome.kind === 'timeout' ? 'timeout' : e.detail.startsWith('size') ? 'size' : 'network';
      const status = e.outcome.kind === 'status' ? e.outcome.status : undefined;
      if (!decision.retry) {
        const hint = status === 403 ? ' (the pre-signed URL expired or its signature was refused: request a fresh URL)' : '';
        return new DownloadError({ reason, url: shown, status, attempts, dest, detail: `${e.detail}${hint}` }, { cause: e.cause });
      }
      if (e.retryAfterMs !== undefined && e.retryAfterMs > this.retry.maxRetryAfterMs) {
        return new DownloadError({ reason: 'retry-after', url: shown, status, attempts, dest, detail: `the server asked to wait ${e.retryAfterMs} ms, more than retry.maxRetryAfterMs (${this.retry.maxRetryAfterMs} ms)` });
      }
      return new Retry(progressed ? 0 : e.retryAfterMs);
    };
    const received = await retryOperation(
      async (attempt) => {
        attempts = attempt;
        this.#stats.attempts++;
        const before = await sizeOf(part);
        if (resumedFromBytes < 0) resumedFromBytes = before;
        try {
          return await this.#attempt(url, dest, part, signal, request.onProgress, attempt);
        } catch (e) {
          throw await judge(e, before);
        }
      },
      {
        clock: this.#clock,
        // Full jitter over base * 2^n, capped (retry.ts computeDelay's step), n counting attempts without progress.
        backoff: { initialDelayMs: this.retry.baseDelayMs, factor: 2, maxDelayMs: this.retry.maxDelayMs, jitter: { kind: 'full' } },
        backoffStep: () => Math.max(1, failedAttempts) - 1,
        // The limits are classify()'s (retry.limit, retry.rateLimitLimit), applied in judge().
        retries: Infinity,
        retryable: (e) => e instanceof Retry,
        retryAfterMs: (e) => (e as Retry).afterMs,
        signal,
        what: `Download of ${shown} (the partial file ${part} is kept for resuming)`,
        onRetry: () => this.#stats.retries++,
      },
    );
    return { ...received, attempts, resumedFromBytes };
  }

  /** GET of the URL, redirects followed by hand on the URL's own origin only. */
  async #send(url: string, headers: Record<string, string>, signal: AbortSignal, attempts: number, dest: string): Promise<Response> {
    let target = url;
    for (let hops = 0; ; hops++) {
      const res = await sendOnce(target, { method: 'GET', headers, signal, redirect: 'manual', fetch: this.#fetch });
      const location = REDIRECT_STATUSES.has(res.status) ? res.headers.get('location') : null;
      if (location === null) return res;
      await res.body?.cancel().catch(() => undefined);
      const next = resolveSameOrigin('GET', location, target, url);
      const refuse = (detail: string) => new DownloadError({ reason: 'redirect', url: redactUrl(url), status: res.status, attempts, dest, detail });
      if (!next) {
        throw refuse(`the server redirected to ${redactUrl(new URL(location, target).href)}, another origin than the pre-signed URL's ${new URL(url).origin}: not followed (a download goes only where the platform pointed it)`);
      }
      if (hops + 1 > MAX_REDIRECTS) throw refuse(`more than ${MAX_REDIRECTS} redirects (a loop): not followed`);
      target = next.href;
    }
  }

  async #attempt(
    url: string,
    dest: string,
    part: string,
    callerSignal: AbortSignal | undefined,
    onProgress: DownloadRequest['onProgress'],
    attempt: number,
  ): Promise<Received> {
    const fs = fsPromises();
    // One controller per attempt, aborted by the timer or by the caller's signal. Not AbortSignal.any: on Node 20 a
    // derived signal nobody else references can be collected, and its abort then never reaches the body read.
    const timeout = new AbortController();
    const stop = new AbortController();
    const signal = stop.signal;
    const timer = setTimeout(() => {
      timeout.abort(new Error('attempt timeout'));
      stop.abort(timeout.signal.reason);
    }, this.timeoutMs);
    const unlink = linkAbort(stop, callerSignal);
    let handle: FileHandle | undefined;
    let keepHandle = false;
    let restarts = 0;
    const fail = (e: unknown, what: string): never => {
      if (e instanceof Attempt || e instanceof CallerError || e instanceof DownloadError) throw e;
      if (e instanceof PartWriteError) throw e.error;
      if (callerSignal?.aborted) throw e;
      if (timeout.signal.aborted) throw new Attempt({ kind: 'timeout' }, `no complete answer within timeoutMs (${this.timeoutMs} ms) while ${what}`);
      throw new Attempt({ kind: 'network' }, `network error while ${what}: ${describe(e)}`, undefined, { cause: e });
    };
    // Hashes of this attempt: dropped unless the attempt completes (the next one re-hashes the .part it keeps).
    const hashes: StreamHash[] = [];
    const newHash = () => {
      const h = openStreamHash();
      hashes.push(h);
      return h;
    };
    try {
      let have = await sizeOf(part);
      const hash = newHash();
      if (have > 0) await hash.prefix(part, have);
      const headers: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': this.#userAgent };
      if (have > 0) headers.range = `bytes=${have}-`;
      let res: Response;
      try {
        res = await this.#send(url, headers, signal, attempt, dest);
      } catch (e) {
        return fail(e, 'connecting');
      }
      const contentType = res.headers.get('content-type') ?? undefined;
      let total: number | undefined;
      if (have > 0 && res.status === 416) {
        // Nothing after `have`: complete if the server's size is exactly what we hold, else start over.
        await res.body?.cancel().catch(() => undefined);
        const size = /\/(\d+)\s*$/.exec(res.headers.get('content-range') ?? '')?.[1];
        if (size !== undefined && Number(size) === have) {
          keepHandle = true;
          return { handle: undefined, bytes: have, sha256: await hash.digest(), contentType, restarts };
        }
        await fs.rm(part, { force: true });
        throw new Attempt({ kind: 'network' }, `the server refused the range bytes=${have}- (416); starting the file over`);
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        throw new Attempt({ kind: 'status', status: res.status }, `the server answered ${res.status}`, parseRetryAfter(res.headers, this.#clock.now()));
      }
      const range = res.status === 206 ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers.get('content-range')?.trim() ?? '') : null;
      let reset = have > 0 && (res.status !== 206 || !range || Number(range[1]) !== have);
      if (res.status === 206 && !range && have === 0) reset = true;
      if (reset) {
        // The server sent the whole file (200) or another range: keep nothing of the .part.
        if (res.status === 206) {
          await res.body?.cancel().catch(() => undefined);
          await fs.rm(part, { force: true });
          throw new Attempt({ kind: 'network' }, 'the server answered a range other than the one asked for; starting the file over');
        }
        restarts++;
        have = 0;
      }
      // A restart drops the hash of the bytes it discards at once: an open stream keeps the hash worker referenced.
      if (reset) hash.drop();
      const fileHash = reset ? newHash() : hash;
      if (range && range[3] !== '*') total = Number(range[3]);
      else if (res.status === 200) {
        const len = res.headers.get('content-length');
        if (len !== null && /^\d+$/.test(len)) total = Number(len);
      }
      handle = await fs.open(part, have > 0 ? 'a' : 'w');
      if (res.body) {
        let got = have;
        try {
          have = await receiveBody(res.body, handle, fileHash, have, signal, (bytes, chunk) => {
            got = bytes;
            this.#stats.bytes += chunk;
            if (!onProgress) return;
            try {
              onProgress({ dest, bytes, totalBytes: total, attempt });
            } catch (e) {
              throw new CallerError(e);
            }
          });
        } catch (e) {
          return fail(e, `reading the body after ${got} byte(s)`);
        }
      }
      if (total !== undefined && have !== total) {
        throw new Attempt({ kind: 'network' }, `size mismatch: the body ended after ${have} of ${total} byte(s)`);
      }
      const sha256 = await fileHash.digest();
      keepHandle = true;
      return { handle, bytes: have, sha256, contentType, restarts };
    } finally {
      clearTimeout(timer);
      unlink();
      if (!keepHandle) {
        for (const h of hashes) h.drop();
        await handle?.close().catch(() => undefined);
      }
    }
  }
}

/** Aborts `controller` when `signal` aborts (now, if it already has); returns the function that undoes the link. */
export function linkAbort(controller: AbortController, signal: AbortSignal | undefined): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    controller.abort(signal.reason);
    return () => undefined;
  }
  const onAbort = () => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

function describe(e: unknown): string {
  const code = (e as { cause?: { code?: unknown } })?.cause?.code ?? (e as { code?: unknown })?.code;
  const msg = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
  return `${typeof code === 'string' ? `${code}: ` : ''}${msg}`.slice(0, 200);
}
