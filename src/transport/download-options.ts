/**
 * The downloader's options, request and result types, its error, and the checks of a pre-signed URL (download.ts
 * is the downloader itself). Options are checked before any request (ValidationError naming the field).
 */
import * as z from 'zod';
import { GcError, validationErrorFromZod } from '../errors';
import { isClock, type Clock } from '../internal/clock';
import { lazySchema } from '../internal/lazy-schema';

export interface DownloadRetryOptions {
  /** Retries of attempts that made no progress. @default 5 */
  limit: number;
  /** Retries after 429. @default 10 */
  rateLimitLimit: number;
  /** First backoff step, ms. @default 500 */
  baseDelayMs: number;
  /** Cap of a computed delay, ms. @default 30_000 */
  maxDelayMs: number;
  /** A Retry-After above this (ms) fails instead of waiting. @default 300_000 */
  maxRetryAfterMs: number;
}

export interface DownloaderOptions {
  /** Files downloaded at once (each also holds one of as many slots while it is fsynced). @default 4 */
  concurrency?: number;
  /** Per attempt, headers and body, ms (real time). @default 300_000 */
  timeoutMs?: number;
  /** @default { limit: 5, rateLimitLimit: 10, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 300_000 } */
  retry?: Partial<DownloadRetryOptions>;
  /** Custom fetch (tests, proxies), handed to the HTTP library (src/transport/http.ts). @default the global fetch */
  fetch?: typeof fetch;
  /** Added to the User-Agent. @default none */
  userAgent?: string;
  /**
   * The clock of the retry waits and their jitter (a LegalHold passes its client's). The per-attempt timeout stays on
   * real time: it guards real network I/O.
   * @default the system clock
   */
  clock?: Clock;
}

export interface DownloadProgress {
  /** Where the file goes (without `.part`). */
  dest: string;
  /** Bytes of the file received so far (in the `.part`, or in the write buffers of at most 2 MiB). */
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
  /** Reuse an existing `<dest>.part` (Range request); false starts the file over. @default true */
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

/** `redirect`: the server redirected to another origin than the URL's own (not followed), or more than 5 times. */
export type DownloadFailure = 'status' | 'network' | 'timeout' | 'size' | 'retry-after' | 'redirect';

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

export const DEFAULT_RETRY: DownloadRetryOptions = { limit: 5, rateLimitLimit: 10, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 300_000 };

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
  clock: z.custom<Clock>(isClock, { error: 'clock must have now(), sleep() and random()' }).optional(),
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

/** The checked options, or a ValidationError naming the field. */
export function parseDownloaderOptions(options: DownloaderOptions): DownloaderOptions & { retry?: Partial<DownloadRetryOptions> } {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) throw validationErrorFromZod('Downloader options', parsed.error);
  return parsed.data as DownloaderOptions;
}
