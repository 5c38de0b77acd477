/**
 * The explicit download path for pre-signed URLs (recording `resultUrl`s): a URL on another host whose query string
 * is the credential. It is deliberately not the API transport, which refuses foreign hosts and adds the bearer token:
 * a download never carries an `Authorization` header (nor any header a caller could add: there is no headers
 * option), only `Range`, `Accept-Encoding: identity` and `User-Agent`.
 *
 * Per file: the body is streamed to `<dest>.part` (memory stays flat whatever the size), its sha256 computed while
 * streaming, the file fsynced and renamed to `<dest>` (and the directory fsynced) only when every byte the server
 * announced has arrived. A failed or interrupted attempt leaves the `.part`; the next attempt (or a later run) asks
 * for the rest with `Range: bytes=N-` and re-hashes the bytes it keeps; a server that answers 200 instead of 206
 * restarts the file. Each attempt is bounded by `timeoutMs`, which covers the body, not just the headers.
 *
 * Retries (408, 429, 5xx, network errors, timeouts, bodies cut short) reuse the SDK's policy pieces: `classify`,
 * `computeDelay` and `parseRetryAfter` from retry.ts. An attempt that added bytes does not count towards the
 * limit: a flaky connection that makes progress finishes. Concurrency is the downloader's own, separate from the
 * API's rate limiter (the object store is not the API).
 *
 * The URL's query string (the signature) never appears in an error or event: only origin and path.
 */
import type { FileHandle } from 'node:fs/promises';
import * as z from 'zod';
import { lazySchema } from '../internal/lazy-schema';
import { AbortError, GcError, validationErrorFromZod, ValidationError } from '../errors';
import { fsPromises, nodeCrypto } from '../internal/node-builtins';
import { fsyncDir } from '../sinks/durable';
import { classify, computeDelay, parseRetryAfter } from './retry';
import { abortableSleep } from './sleep';

export interface DownloadRetryOptions {
  /** Retries of attempts that made no progress. Default 5. */
  limit: number;
  /** Retries after 429. Default 10. */
  rateLimitLimit: number;
  /** First backoff step. Default 500 ms. */
  baseDelayMs: number;
  /** Cap of a computed delay. Default 30,000 ms. */
  maxDelayMs: number;
  /** A Retry-After above this fails instead of waiting. Default 300,000 ms. */
  maxRetryAfterMs: number;
}

export interface DownloaderOptions {
  /** Files downloaded at once. Default 4. */
  concurrency?: number;
  /** Per attempt, headers and body. Default 300,000 ms. */
  timeoutMs?: number;
  retry?: Partial<DownloadRetryOptions>;
  /** Custom fetch (tests, proxies). Default: the global fetch. */
  fetch?: typeof fetch;
  /** Added to the User-Agent. */
  userAgent?: string;
}

export interface DownloadProgress {
  /** Where the file goes (without `.part`). */
  dest: string;
  /** Bytes of the file received so far (in the `.part`, or in the write buffer of at most 1 MiB). */
  bytes: number;
  /** The file's size when the server announced it. */
  totalBytes: number | undefined;
  attempt: number;
}

export interface DownloadRequest {
  /** An absolute http(s) URL: pre-signed, fetched without credentials. */
  url: string;
  /** Final path of the file. `<dest>.part` holds it while it downloads. */
  dest: string;
  signal?: AbortSignal;
  /** Reuse an existing `<dest>.part` (Range request). Default true; false starts the file over. */
  resume?: boolean;
  /** Called after every chunk written. An exception stops the download (the `.part` is kept) and is rethrown. */
  onProgress?: (p: DownloadProgress) => void;
}

export interface DownloadResult {
  dest: string;
  bytes: number;
  sha256: string;
  contentType: string | undefined;
  attempts: number;
  /** Bytes of an existing `.part` that were kept (0 when the file was fetched from the start). */
  resumedFromBytes: number;
  /** Times the file had to start over (the server ignored or refused the Range). */
  restarts: number;
}

export type DownloadFailure = 'status' | 'network' | 'timeout' | 'size' | 'retry-after';

/** A download failed after its retries, or for a reason retries cannot fix (403: an expired or bad signature). */
export class DownloadError extends GcError {
  override readonly name: string = 'DownloadError';
  readonly reason: DownloadFailure;
  /** Origin and path of the URL; never the query string, which carries the signature. */
  readonly url: string;
  readonly status: number | undefined;
  readonly attempts: number;
  readonly dest: string;
  constructor(init: { reason: DownloadFailure; url: string; status?: number | undefined; attempts: number; dest: string; detail: string }, options?: { cause?: unknown }) {
    super(`Download of ${init.url} to ${init.dest} failed after ${init.attempts} attempt(s): ${init.detail}`, options);
    this.reason = init.reason;
    this.url = init.url;
    this.status = init.status;
    this.attempts = init.attempts;
    this.dest = init.dest;
  }
  override toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, reason: this.reason, url: this.url, status: this.status, attempts: this.attempts, dest: this.dest };
  }
}

/** Bytes gathered before one write to the .part file. */
const WRITE_BATCH = 1024 * 1024;

const DEFAULT_RETRY: DownloadRetryOptions = { limit: 5, rateLimitLimit: 10, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 300_000 };

// Built on first use, not at import (test/internal/import-builds-no-schemas.test.ts).
const OptionsSchema = lazySchema(() => z.strictObject({
  concurrency: z.number().int().min(1).max(64).optional(),
  timeoutMs: z.number().int().positive().optional(),
  retry: z
    .strictObject({
      limit: z.number().int().min(0).optional(),
      rateLimitLimit: z.number().int().min(0).optional(),
      baseDelayMs: z.number().int().min(0).optional(),
      maxDelayMs: z.number().int().min(0).optional(),
      maxRetryAfterMs: z.number().int().min(0).optional(),
    })
    .optional(),
  fetch: z.custom<typeof fetch>((v) => typeof v === 'function', { error: 'fetch must be a function' }).optional(),
  userAgent: z.string().max(200).optional(),
}));

/** Origin + path of a URL, without the query (a pre-signed URL's query is a credential). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`.slice(0, 300);
  } catch {
    return '(not a URL)';
  }
}

/** Checks a download URL: absolute http(s), no user info. Returns the problem, or undefined. */
export function downloadUrlProblem(url: unknown): string | undefined {
  if (typeof url !== 'string' || url === '') return 'must be a non-empty string';
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not an absolute URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `must be http(s), not ${u.protocol}`;
  if (u.username || u.password) return 'must not carry user info';
  return undefined;
}

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

/** The caller's own exception (from onProgress): passed through untouched. */
class CallerError extends Error {
  constructor(readonly error: unknown) {
    super('caller');
  }
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
  #running = 0;
  readonly #queue: Array<() => void> = [];
  #stats = { files: 0, bytes: 0, attempts: 0, retries: 0, restarts: 0 };

  constructor(options: DownloaderOptions = {}) {
    const parsed = OptionsSchema.safeParse(options);
    if (!parsed.success) throw validationErrorFromZod('Downloader options', parsed.error);
    const o = parsed.data;
    this.concurrency = o.concurrency ?? 4;
    this.timeoutMs = o.timeoutMs ?? 300_000;
    const retry = { ...DEFAULT_RETRY };
    for (const [k, v] of Object.entries(o.retry ?? {})) if (v !== undefined) retry[k as keyof DownloadRetryOptions] = v;
    this.retry = Object.freeze(retry);
    this.#fetch = o.fetch;
    this.#userAgent = `gc-data-download node/${process.versions.node}${o.userAgent ? ` ${o.userAgent}` : ''}`;
  }

  /** Files, bytes, attempts, retries and restarts so far. */
  stats(): { files: number; bytes: number; attempts: number; retries: number; restarts: number } {
    return { ...this.#stats };
  }

  /** Downloads one URL to `dest` (waits for a free slot first). */
  async download(request: DownloadRequest): Promise<DownloadResult> {
    const problem = downloadUrlProblem(request?.url);
    const issues = [];
    if (problem) issues.push({ path: 'url', message: `url ${problem}` });
    if (typeof request?.dest !== 'string' || request.dest === '') issues.push({ path: 'dest', message: 'dest must be a file path' });
    if (request?.signal !== undefined && !(request.signal instanceof AbortSignal)) issues.push({ path: 'signal', message: 'signal must be an AbortSignal' });
    if (issues.length) throw new ValidationError('Downloader.download() request', issues);
    await this.#acquire(request.signal);
    try {
      return await this.#download(request);
    } finally {
      this.#release();
    }
  }

  async #acquire(signal: AbortSignal | undefined): Promise<void> {
    if (this.#running < this.concurrency) {
      this.#running++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const go = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const i = this.#queue.indexOf(go);
        if (i >= 0) this.#queue.splice(i, 1);
        reject(new AbortError('A download waiting for a free slot was aborted by the caller\'s signal', { cause: signal?.reason }));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(go);
    });
    // The slot was handed over by #release (still counted in #running): nobody can take it in between.
  }

  #release(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#running--;
  }

  async #download(request: DownloadRequest): Promise<DownloadResult> {
    const { url, dest, signal } = request;
    const shown = redactUrl(url);
    const part = `${dest}.part`;
    const fs = fsPromises();
    await fs.mkdir(dirnameOf(dest), { recursive: true });
    if (request.resume === false) await fs.rm(part, { force: true });
    let attempts = 0;
    let failedAttempts = 0;
    let rateLimited = 0;
    let restarts = 0;
    let resumedFromBytes = -1;
    for (;;) {
      attempts++;
      this.#stats.attempts++;
      const before = await sizeOf(part);
      if (resumedFromBytes < 0) resumedFromBytes = before;
      try {
        const r = await this.#attempt(url, dest, part, signal, request.onProgress, attempts);
        restarts += r.restarts;
        this.#stats.files++;
        this.#stats.restarts += r.restarts;
        return { dest, bytes: r.bytes, sha256: r.sha256, contentType: r.contentType, attempts, resumedFromBytes, restarts };
      } catch (e) {
        if (e instanceof CallerError) throw e.error;
        if (signal?.aborted) throw new AbortError(`Download of ${shown} was aborted by the caller's signal (the partial file ${part} is kept for resuming)`, { cause: signal.reason });
        if (!(e instanceof Attempt)) throw e;
        if (e.outcome.kind === 'status' && e.outcome.status === 429) rateLimited++;
        const progressed = (await sizeOf(part)) > before;
        if (!progressed && !(e.outcome.kind === 'status' && e.outcome.status === 429)) failedAttempts++;
        const decision = classify(e.outcome, { idempotent: true, attempt: failedAttempts + rateLimited, rateLimitedAttempts: rateLimited }, {
          limit: this.retry.limit,
          rateLimitLimit: this.retry.rateLimitLimit,
          budget: false,
        });
        const reason: DownloadFailure = e.outcome.kind === 'status' ? 'status' : e.outcome.kind === 'timeout' ? 'timeout' : e.detail.startsWith('size') ? 'size' : 'network';
        const status = e.outcome.kind === 'status' ? e.outcome.status : undefined;
        if (!decision.retry) {
          const hint = status === 403 ? ' (the pre-signed URL expired or its signature was refused: request a fresh URL)' : '';
          throw new DownloadError({ reason, url: shown, status, attempts, dest, detail: `${e.detail}${hint}` }, { cause: e.cause });
        }
        if (e.retryAfterMs !== undefined && e.retryAfterMs > this.retry.maxRetryAfterMs) {
          throw new DownloadError({ reason: 'retry-after', url: shown, status, attempts, dest, detail: `the server asked to wait ${e.retryAfterMs} ms, more than retry.maxRetryAfterMs (${this.retry.maxRetryAfterMs} ms)` });
        }
        this.#stats.retries++;
        const delay = progressed
          ? 0
          : computeDelay({ attempt: Math.max(1, failedAttempts), retryAfterMs: e.retryAfterMs, status, options: { ...this.retry, serviceUnavailableFactor: 1 } });
        try {
          await abortableSleep(delay, signal);
        } catch (err) {
          throw new AbortError(`Download of ${shown} was aborted by the caller's signal (the partial file ${part} is kept for resuming)`, { cause: err });
        }
      }
    }
  }

  async #attempt(
    url: string,
    dest: string,
    part: string,
    callerSignal: AbortSignal | undefined,
    onProgress: DownloadRequest['onProgress'],
    attempt: number,
  ): Promise<{ bytes: number; sha256: string; contentType: string | undefined; restarts: number }> {
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
    let restarts = 0;
    const fail = (e: unknown, what: string): never => {
      if (e instanceof Attempt || e instanceof CallerError) throw e;
      if (callerSignal?.aborted) throw e;
      if (timeout.signal.aborted) throw new Attempt({ kind: 'timeout' }, `no complete answer within timeoutMs (${this.timeoutMs} ms) while ${what}`);
      throw new Attempt({ kind: 'network' }, `network error while ${what}: ${describe(e)}`, undefined, { cause: e });
    };
    try {
      let have = await sizeOf(part);
      const hash = nodeCrypto().createHash('sha256');
      if (have > 0) await hashFile(part, hash);
      const headers: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': this.#userAgent };
      if (have > 0) headers.range = `bytes=${have}-`;
      let res: Response;
      try {
        res = await (this.#fetch ?? globalThis.fetch)(url, { method: 'GET', headers, signal, redirect: 'follow' });
      } catch (e) {
        return fail(e, 'connecting');
      }
      const contentType = res.headers.get('content-type') ?? undefined;
      let total: number | undefined;
      if (have > 0 && res.status === 416) {
        // Nothing after `have`: complete if the server's size is exactly what we hold, else start over.
        await res.body?.cancel().catch(() => undefined);
        const size = /\/(\d+)\s*$/.exec(res.headers.get('content-range') ?? '')?.[1];
        if (size !== undefined && Number(size) === have) return await this.#finish(part, dest, have, hash, contentType, restarts);
        await fs.rm(part, { force: true });
        throw new Attempt({ kind: 'network' }, `the server refused the range bytes=${have}- (416); starting the file over`);
      }
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        throw new Attempt({ kind: 'status', status: res.status }, `the server answered ${res.status}`, parseRetryAfter(res.headers));
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
      const fileHash = reset ? nodeCrypto().createHash('sha256') : hash;
      if (range && range[3] !== '*') total = Number(range[3]);
      else if (res.status === 200) {
        const len = res.headers.get('content-length');
        if (len !== null && /^\d+$/.test(len)) total = Number(len);
      }
      handle = await fs.open(part, have > 0 ? 'a' : 'w');
      if (res.body) {
        const reader = res.body.getReader();
        // Chunks are written in runs of up to WRITE_BATCH bytes (one writev), not one awaited write per chunk:
        // memory stays bounded per download and the disk sees large writes.
        let pending: Uint8Array[] = [];
        let pendingBytes = 0;
        const flush = async () => {
          if (pendingBytes === 0) return;
          const chunks = pending;
          pending = [];
          pendingBytes = 0;
          await handle!.writev(chunks);
        };
        // One abort listener for the whole body: a read is raced against it (undici can leave a read pending
        // forever when the fetch is aborted after the last bytes arrived but before the stream closed).
        let rejectAborted: (e: unknown) => void = () => undefined;
        const aborted = new Promise<never>((_, reject) => (rejectAborted = reject));
        aborted.catch(() => undefined);
        const onAbort = () => rejectAborted(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        if (signal.aborted) onAbort();
        let ended = false;
        try {
          for (;;) {
            let chunk: ReadableStreamReadResult<Uint8Array>;
            try {
              // An abort (e.g. from onProgress) wins over a read that could complete at once.
              if (signal.aborted) throw signal.reason;
              chunk = await Promise.race([reader.read(), aborted]);
            } catch (e) {
              return fail(e, `reading the body after ${have} byte(s)`);
            }
            if (chunk.done) {
              ended = true;
              break;
            }
            const bytes = chunk.value;
            fileHash.update(bytes);
            pending.push(bytes);
            pendingBytes += bytes.length;
            have += bytes.length;
            this.#stats.bytes += bytes.length;
            if (pendingBytes >= WRITE_BATCH) await flush();
            if (onProgress) {
              try {
                onProgress({ dest, bytes: have, totalBytes: total, attempt });
              } catch (e) {
                throw new CallerError(e);
              }
            }
          }
          await flush();
        } finally {
          signal.removeEventListener('abort', onAbort);
          // Stopped early (abort, timeout, a callback's exception): keep the bytes received in the .part for the
          // next attempt, and close the connection. The cancel is not awaited (see above).
          if (!ended) {
            await flush().catch(() => undefined);
            void reader.cancel().catch(() => undefined);
          }
          reader.releaseLock();
        }
      }
      await handle.sync();
      await handle.close();
      handle = undefined;
      if (total !== undefined && have !== total) {
        throw new Attempt({ kind: 'network' }, `size mismatch: the body ended after ${have} of ${total} byte(s)`);
      }
      return await this.#finish(part, dest, have, fileHash, contentType, restarts);
    } finally {
      clearTimeout(timer);
      unlink();
      await handle?.close().catch(() => undefined);
    }
  }

  async #finish(
    part: string,
    dest: string,
    bytes: number,
    hash: import('node:crypto').Hash,
    contentType: string | undefined,
    restarts: number,
  ): Promise<{ bytes: number; sha256: string; contentType: string | undefined; restarts: number }> {
    await fsPromises().rename(part, dest);
    await fsyncDir(dirnameOf(dest));
    return { bytes, sha256: hash.digest('hex'), contentType, restarts };
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

function dirnameOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i <= 0 ? (i === 0 ? '/' : '.') : path.slice(0, i);
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await fsPromises().stat(path)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
}

/** Feeds a file into a hash, 1 MiB at a time. */
async function hashFile(path: string, hash: import('node:crypto').Hash): Promise<void> {
  const handle = await fsPromises().open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1024 * 1024);
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
}

/** sha256 (hex) and size of a file, read in 1 MiB pieces. */
export async function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = nodeCrypto().createHash('sha256');
  await hashFile(path, hash);
  return { sha256: hash.digest('hex'), bytes: await sizeOf(path) };
}

function describe(e: unknown): string {
  const code = (e as { cause?: { code?: unknown } })?.cause?.code ?? (e as { code?: unknown })?.code;
  const msg = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
  return `${typeof code === 'string' ? `${code}: ` : ''}${msg}`.slice(0, 200);
}
