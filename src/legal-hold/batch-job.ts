/**
 * One recording batch download job: `POST /api/v2/recording/batchrequests`, then `GET .../batchrequests/{jobId}`
 * polled through the shared wait layer (`pollUntil` on the client's clock, src/internal/waits.ts), each result
 * downloaded as soon as it appears (the Downloader, src/transport/download.ts), and every recording the platform
 * did not hand over recorded as missing with its reason, never dropped (docs/legal-hold.md, "Missing recordings").
 */
import type { GenesysClient } from '../client';
import { ApiError, TimeoutError } from '../errors';
import { apiPath } from '../internal/api-path';
import type { Clock } from '../internal/clock';
import { pollUntil, type Backoff } from '../internal/waits';
import { DownloadError, linkAbort, type Downloader, type DownloadProgress } from '../transport/download';
import { fileSafe, recKey, type HoldStore } from './hold-store';
import { join } from './manifest';
import { BatchJobStatus, BatchSubmissionResult, type HoldProgress, type LegalHoldOptions } from './schemas';

const BATCH_PATH = '/api/v2/recording/batchrequests';
const DONE_STATUSES = /^(completed?|done|succeeded|success|finished|fulfilled|failed|error|cancell?ed)$/i;

/** The job poll's defaults (LegalHoldPollOptions in schemas.ts documents each). */
export const DEFAULT_BATCH_POLL = { initialDelayMs: 2_000, maxDelayMs: 30_000, factor: 1.5, jitterMs: 500, maxWaitMs: 30 * 60_000 } as const;

export interface RecordingRef {
  conversationId: string;
  recordingId: string;
}

/** What a batch needs from the export that runs it. */
export interface BatchContext {
  client: GenesysClient;
  clock: Clock;
  store: HoldStore;
  downloader: Downloader;
  options: Readonly<LegalHoldOptions>;
  signal: AbortSignal | undefined;
  progress: HoldProgress;
  report: () => void;
  onDownloadProgress: ((p: DownloadProgress) => void) | undefined;
}

/** One batch job: submit, poll (downloading results as they appear), record missing ones. Returns URL refusals. */
export async function runBatch(ctx: BatchContext, batch: RecordingRef[]): Promise<Array<{ ref: RecordingRef; error: DownloadError }>> {
  // The first failure stops the batch's other downloads (their partial files stay for the next run).
  const stopBatch = new AbortController();
  // Every queued download of the batch listens to it: up to batchSize listeners, by design.
  process.getBuiltinModule('node:events').setMaxListeners(0, stopBatch.signal);
  const unlink = linkAbort(stopBatch, ctx.signal);
  try {
    return await runLinked(ctx, batch, stopBatch);
  } finally {
    unlink();
  }
}

async function runLinked(ctx: BatchContext, batch: RecordingRef[], stopBatch: AbortController): Promise<Array<{ ref: RecordingRef; error: DownloadError }>> {
  const { client, clock, store, downloader, signal, progress, report, onDownloadProgress } = ctx;
  const sig = signal ? { signal } : {};
  const submitted = await client.requestWithResponse({
    method: 'POST',
    path: BATCH_PATH,
    body: { batchDownloadRequestList: batch.map((r) => ({ conversationId: r.conversationId, recordingId: r.recordingId })) },
    schema: BatchSubmissionResult,
    ...sig,
  });
  const jobId = submitted.data.id;
  const jobPath = apiPath`/api/v2/recording/batchrequests/${jobId}`;
  const wanted = new Map(batch.map((r) => [recKey(r), r]));
  const handled = new Set<string>();
  const downloads: Array<Promise<void>> = [];
  const refused: Array<{ ref: RecordingRef; error: DownloadError }> = [];
  let firstError: unknown;
  const poll = { ...DEFAULT_BATCH_POLL, ...ctx.options.poll };
  const backoff: Backoff = { initialDelayMs: poll.initialDelayMs, factor: poll.factor, maxDelayMs: poll.maxDelayMs, jitter: { kind: 'add', ms: poll.jitterMs } };

  const download = (ref: RecordingRef, url: string, contentType: string | undefined, correlationId: string | null) => {
    const path = `recordings/${fileSafe(ref.conversationId)}/${fileSafe(ref.recordingId)}${extensionFor(contentType)}`;
    return downloader
      .download({ url, dest: join(store.folder, path), signal: stopBatch.signal, ...(onDownloadProgress ? { onProgress: onDownloadProgress } : {}) })
      .then(async (d) => {
        const source = { conversationId: ref.conversationId, recordingId: ref.recordingId, ...(contentType ? { contentType } : {}) };
        await store.record({ path, size: d.bytes, sha256: d.sha256, source, retrievedAt: store.retrievedAt(), correlationId });
        progress.recordingsReceived++;
        progress.bytes += d.bytes - d.resumedFromBytes;
        report();
      })
      .catch((e: unknown) => {
        if (e instanceof DownloadError && e.reason === 'status' && (e.status === 403 || e.status === 404 || e.status === 410)) refused.push({ ref, error: e });
        else if (firstError === undefined) {
          firstError = e;
          stopBatch.abort(e);
        }
      });
  };

  let status: BatchJobStatus;
  try {
    status = await pollUntil<BatchJobStatus>(
      async () => {
        const res = await client.requestWithResponse({ path: jobPath, schema: BatchJobStatus, ...sig });
        const s = res.data;
        const correlationId = res.correlationId ?? null;
        for (const result of s.results ?? []) {
          if (!result.conversationId || !result.recordingId) continue;
          const key = recKey({ conversationId: result.conversationId, recordingId: result.recordingId });
          const ref = wanted.get(key);
          if (!ref || handled.has(key)) continue;
          handled.add(key);
          if (result.errorMsg !== undefined || !result.resultUrl) {
            await store.addMissing({
              ...ref,
              errorMsg: result.errorMsg ?? 'the batch job returned this recording without a resultUrl or errorMsg',
              reason: 'platform-error',
              jobId,
              expectedResultCount: s.expectedResultCount,
              resultCount: s.resultCount,
            });
            progress.recordingsMissing++;
            report();
            continue;
          }
          downloads.push(download(ref, result.resultUrl, result.contentType, correlationId));
        }
        // Complete when every recording is answered, the status is terminal, or the counts say all expected results
        // are in (the platform's status values are not in the typings; the counts are).
        const counted = s.resultCount !== undefined && s.errorCount !== undefined ? s.resultCount + s.errorCount : (s.results?.length ?? 0);
        const complete = handled.size >= wanted.size || (s.status !== undefined && DONE_STATUSES.test(s.status)) || counted >= (s.expectedResultCount ?? Infinity);
        return complete || firstError !== undefined ? { done: true, value: s } : { done: false };
      },
      {
        clock,
        backoff,
        deadline: clock.now() + poll.maxWaitMs,
        signal,
        what: 'LegalHold.export()',
        onDeadline: ({ elapsedMs }) =>
          new TimeoutError(
            `Recording batch download job ${jobId} was not complete after ${elapsedMs} ms (poll.maxWaitMs ${poll.maxWaitMs}); ` +
              `${handled.size} of ${wanted.size} recordings answered. Run the export again with the same folder to resume, or raise poll.maxWaitMs.`,
            { kind: 'deadline', timeoutMs: poll.maxWaitMs, method: 'GET', path: jobPath },
          ),
      },
    );
  } catch (e) {
    // Leaving early (abort, a failed poll, the deadline): stop this batch's downloads and wait for them, so no write
    // to a .part outlives this call (a resumed run may open the same file at once).
    stopBatch.abort(e);
    await Promise.allSettled(downloads);
    throw e;
  }
  await Promise.allSettled(downloads);
  if (firstError) throw firstError;
  if (status.status !== undefined && /^(failed|error|cancell?ed)$/i.test(status.status)) {
    throw new ApiError(
      { method: 'GET', path: jobPath, status: 200, attempts: 1, body: { message: `batch download job ${jobId} ended ${status.status}`, code: 'batch.job.failed' } },
      `Recording batch download job ${jobId} ended ${status.status}; run the export again with the same folder to resume`,
    );
  }
  // Complete, and these were never mentioned: the platform left them out (e.g. sensitive-data redaction).
  for (const [key, ref] of wanted) {
    if (handled.has(key)) continue;
    await store.addMissing({
      ...ref,
      errorMsg: `not in the results of batch job ${jobId} (expectedResultCount ${status.expectedResultCount ?? '?'}, resultCount ${status.resultCount ?? '?'}, errorCount ${status.errorCount ?? '?'}): left out by the platform, e.g. sensitive-data redaction for a caller without recording:recording:viewSensitiveData`,
      reason: 'not-returned',
      jobId,
      expectedResultCount: status.expectedResultCount,
      resultCount: status.resultCount,
    });
    progress.recordingsMissing++;
  }
  report();
  return refused;
}

const EXTENSIONS: Record<string, string> = {
  'audio/ogg': '.ogg',
  'audio/opus': '.opus',
  'audio/wav': '.wav',
  'audio/x-wav': '.wav',
  'audio/wave': '.wav',
  'audio/mpeg': '.mp3',
  'audio/mp3': '.mp3',
  'audio/webm': '.webm',
  'video/webm': '.webm',
  'video/mp4': '.mp4',
  'application/json': '.json',
  'text/plain': '.txt',
};

function extensionFor(contentType: string | undefined): string {
  const base = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return EXTENSIONS[base] ?? '.bin';
}
