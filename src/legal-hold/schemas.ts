/** Options of LegalHold, validated with zod before any request (ValidationError naming the field). */
import * as z from 'zod';
import type { FilterBuilder, FilterNode } from '../filters/builder';
import type { IntervalInput } from '../helpers/intervals';
import { lazySchema } from '../internal/lazy-schema';
import { MIN_POLL_DELAY_MS } from '../internal/waits';
import type { DownloaderOptions, DownloadProgress } from '../transport/download';
import type { HmacKey } from './manifest';

/** Platform batch sizes (assumed: the typings give none; a 400 from the platform names the real one). */
export const RECORDING_BATCH_MAX = 100;
export const PROTECTION_BATCH_MAX = 100;

/**
 * How a batch download job is polled (through the shared wait layer, on the client's clock: src/internal/waits.ts).
 * Like every job poll of the SDK, no wait is shorter than MIN_POLL_DELAY_MS (1,000 ms): shorter polls flood the
 * status endpoint (issue 18).
 */
export interface LegalHoldPollOptions {
  /** First wait before polling a batch download job; at least 1,000 ms. @default 2_000 */
  initialDelayMs?: number;
  /** Cap of the growing wait; at least 1,000 ms. @default 30_000 */
  maxDelayMs?: number;
  /** Growth per poll. @default 1.5 */
  factor?: number;
  /** Random extra wait, up to this. @default 500 */
  jitterMs?: number;
  /** A batch job not complete this long after submission is a TimeoutError (rerun to resume). @default 1_800_000 (30 min) */
  maxWaitMs?: number;
}

export interface LegalHoldOptions {
  /** Conversations that started in this interval (with `filters`). Exactly one of `interval` and `conversationIds`. */
  interval?: IntervalInput;
  /** A filter tree or FilterBuilder (compileFilter): every media type unless the filter excludes some. */
  filters?: FilterNode | FilterBuilder;
  /** Or: exactly these conversations. */
  conversationIds?: string[];
  /** Export evaluations (every status, calibrations included). Default true. */
  evaluations?: boolean;
  /** Export recording metadata and download the recordings. Default true. */
  recordings?: boolean;
  /** Recordings per batch download job (max 100). Default 100. */
  batchSize?: number;
  /** Conversations per deletion-protection call (max 100). Default 100. */
  protectionBatchSize?: number;
  /** API requests at once (details documents, recording metadata, evaluations). Default 4. */
  concurrency?: number;
  poll?: LegalHoldPollOptions;
  /** The download path for `resultUrl`s (its own concurrency, retries and per-attempt timeout). */
  download?: Omit<DownloaderOptions, 'fetch'> & { fetch?: typeof fetch };
  /** Times a recording whose pre-signed URL was refused (403/404/410) is requested again in a new batch job. Default 2. */
  maxUrlRefreshes?: number;
}

export interface HoldProgress {
  operation: 'legal-hold.export';
  phase: 'select' | 'protect' | 'evaluations' | 'metadata' | 'recordings' | 'manifest' | 'done';
  conversations: number;
  evaluations: number;
  recordingsExpected: number;
  recordingsReceived: number;
  recordingsMissing: number;
  /** Recording bytes written by this run. */
  bytes: number;
}

export interface ExportHoldOptions {
  /** The hold's folder. Run again with the same folder to resume a killed export. */
  out: string;
  /** HMAC-SHA256 key: signs manifest.jsonl into manifest.hmac. */
  key?: HmacKey;
  /** Protect (and confirm) the conversations' recordings before exporting. Default false. */
  protect?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: HoldProgress) => void;
  /** Called after every chunk of a recording download (an exception stops the export; the partial file is kept). */
  onDownloadProgress?: (p: DownloadProgress) => void;
}

const fn = (what: string) => z.custom<(...a: never[]) => unknown>((v) => typeof v === 'function', `${what} must be a function`);
// A function, not a module-level schema: nothing is built at import (test/internal/import-builds-no-schemas.test.ts).
const intervalInput = () =>
  z.union([
    z.string().min(1),
    z.strictObject({ start: z.union([z.string(), z.number(), z.date()]), end: z.union([z.string(), z.number(), z.date()]) }),
  ]);
/** What apiPath accepts, a little stricter: platform ids are GUIDs. */
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

export const LegalHoldOptionsSchema = lazySchema(() =>
  z
    .strictObject({
      interval: intervalInput().optional(),
      filters: z.custom<FilterNode | FilterBuilder>((v) => typeof v === 'object' && v !== null, 'filters must be a filter tree or a FilterBuilder').optional(),
      conversationIds: z
        .array(z.string().regex(ID, 'a conversation id is a GUID-like string: letters, digits, - and _ (1-100 characters)'))
        .min(1, 'conversationIds is empty: list at least one conversation')
        .max(1_000_000)
        .optional(),
      evaluations: z.boolean().optional(),
      recordings: z.boolean().optional(),
      batchSize: z.number().int().min(1).max(RECORDING_BATCH_MAX).optional(),
      protectionBatchSize: z.number().int().min(1).max(PROTECTION_BATCH_MAX).optional(),
      concurrency: z.number().int().min(1).max(32).optional(),
      poll: z
        .strictObject({
          initialDelayMs: z.number().int().min(MIN_POLL_DELAY_MS, { error: `must be at least ${MIN_POLL_DELAY_MS} ms: shorter polls flood the status endpoint (issue 18)` }).optional(),
          maxDelayMs: z.number().int().min(MIN_POLL_DELAY_MS, { error: `must be at least ${MIN_POLL_DELAY_MS} ms: shorter polls flood the status endpoint (issue 18)` }).optional(),
          factor: z.number().min(1).optional(),
          jitterMs: z.number().int().min(0).optional(),
          maxWaitMs: z.number().int().positive().optional(),
        })
        .optional(),
      download: z.looseObject({}).optional(),
      maxUrlRefreshes: z.number().int().min(0).max(10).optional(),
    })
    .superRefine((o, ctx) => {
      if ((o.interval === undefined) === (o.conversationIds === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['interval'], message: 'give exactly one of interval (with optional filters) and conversationIds' });
      }
      if (o.filters !== undefined && o.interval === undefined) {
        ctx.addIssue({ code: 'custom', path: ['filters'], message: 'filters apply to an interval selection; with conversationIds the list is the selection' });
      }
    }),
);

/** `protect()` / `release()` / `conversationIds()` options. */
export const SelectionCallOptionsSchema = lazySchema(() =>
  z.strictObject({
    conversationIds: z
      .array(z.string().regex(ID, 'a conversation id is a GUID-like string: letters, digits, - and _ (1-100 characters)'))
      .min(1, 'conversationIds is empty: list at least one conversation')
      .max(1_000_000)
      .optional(),
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, 'signal must be an AbortSignal').optional(),
  }),
);

export const ExportHoldOptionsSchema = lazySchema(() =>
  z.strictObject({
    out: z.string().min(1, 'out must be the path of the hold folder'),
    key: z
      .union([z.string().min(1), z.custom<Uint8Array>((v) => v instanceof Uint8Array && v.length > 0)], { error: 'key must be a non-empty string or bytes' })
      .optional(),
    protect: z.boolean().optional(),
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, 'signal must be an AbortSignal').optional(),
    onProgress: fn('onProgress').optional(),
    onDownloadProgress: fn('onDownloadProgress').optional(),
  }),
);

/** `{ conversationId, ... }` shapes of the platform, as far as the hold reads them (official SDK typings). */
export const DeleteProtectionResult = lazySchema(() =>
  z.looseObject({
    failedUpdates: z
      .array(z.looseObject({ conversation: z.looseObject({ id: z.string().optional() }).optional(), errorMessage: z.string().optional(), errorCode: z.string().optional() }))
      .optional(),
  }),
);
export const EntityRefList = lazySchema(() => z.array(z.looseObject({ id: z.string().optional(), selfUri: z.string().optional() })));
export const BatchSubmissionResult = lazySchema(() => z.looseObject({ id: z.string().min(1), selfUri: z.string().optional() }));
export const BatchJobResult = lazySchema(() =>
  z.looseObject({
    conversationId: z.string().optional(),
    recordingId: z.string().optional(),
    resultUrl: z.string().optional(),
    contentType: z.string().optional(),
    errorMsg: z.string().optional(),
  }),
);
export const BatchJobStatus = lazySchema(() =>
  z.looseObject({
    id: z.string().optional(),
    jobId: z.string().optional(),
    expectedResultCount: z.number().optional(),
    resultCount: z.number().optional(),
    errorCount: z.number().optional(),
    status: z.string().optional(),
    results: z.array(BatchJobResult).optional(),
  }),
);
export type BatchJobStatus = z.infer<typeof BatchJobStatus>;
export const RecordingMetadataList = lazySchema(() => z.array(z.looseObject({ id: z.string(), conversationId: z.string().optional(), media: z.string().optional() })));
