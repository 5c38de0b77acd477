/**
 * The recordings of a hold: each conversation's recording metadata (stored as the bytes received), then the
 * recordings themselves through batch download jobs (batch-job.ts), with fresh URLs for refused ones.
 */
import type { GenesysClient } from '../client';
import { NotFoundError, throwIfCallerAborted } from '../errors';
import { apiPath } from '../internal/api-path';
import { mapConcurrent } from '../internal/map-concurrent';
import { fsPromises } from '../internal/node-builtins';
import { decode, parseJson } from '../transport/decode';
import { linkAbort, type DownloadError } from '../transport/download';
import { runBatch, type BatchContext, type RecordingRef } from './batch-job';
import { fileSafe, recKey, type HoldStore } from './hold-store';
import { join } from './manifest';
import { RecordingMetadataList } from './schemas';

/** recordings/<cid>/metadata.json for every conversation (the bytes received), and the recordings they list. */
export async function recordingMetadata(client: GenesysClient, store: HoldStore, ids: string[], concurrency: number, signal: AbortSignal | undefined): Promise<RecordingRef[]> {
  const fs = fsPromises();
  const results = mapConcurrent(
    iterate(ids),
    async (cid): Promise<RecordingRef[]> => {
      const path = `recordings/${fileSafe(cid)}/metadata.json`;
      let bytes: Buffer;
      if (store.has(path)) bytes = await fs.readFile(join(store.folder, path));
      else {
        const apiPathOf = apiPath`/api/v2/conversations/${cid}/recordingmetadata`;
        let res;
        try {
          res = await client.requestBytes({ path: apiPathOf, ...(signal ? { signal } : {}) });
        } catch (e) {
          // A conversation without recordings (or gone) has no metadata: recorded as an empty list, with the reason.
          if (e instanceof NotFoundError) {
            await store.writeJson(path, [], { conversationId: cid }, e.correlationId ?? null);
            return [];
          }
          throw e;
        }
        bytes = res.data;
        parseMetadata(bytes, apiPathOf, res.status, res.correlationId);
        await store.writeBytes(path, bytes, { conversationId: cid }, res.correlationId ?? null);
      }
      return parseMetadata(bytes, path, 200, undefined).map((r) => ({ conversationId: cid, recordingId: r.id.toLowerCase() }));
    },
    concurrency,
  );
  const refs: RecordingRef[] = [];
  for await (const list of results) refs.push(...list);
  return refs;
}

/**
 * Downloads `pending` in batch jobs of `batchSize`; a recording whose pre-signed URL was refused (403/404/410) is
 * asked for again in a later job (a fresh URL), up to `maxUrlRefreshes` times.
 */
export async function downloadRecordings(ctx: BatchContext, pending: RecordingRef[]): Promise<void> {
  const { client, options } = ctx;
  const batchSize = options.batchSize ?? 100;
  const refreshes = new Map<string, number>();
  const maxRefreshes = options.maxUrlRefreshes ?? 2;
  let queue = pending;
  while (queue.length > 0) {
    const batches: RecordingRef[][] = [];
    for (let i = 0; i < queue.length; i += batchSize) batches.push(queue.slice(i, i + batchSize));
    const retry: RecordingRef[] = [];
    for (const f of await runTwoInFlight(ctx, batches)) {
      const key = recKey(f.ref);
      const n = (refreshes.get(key) ?? 0) + 1;
      refreshes.set(key, n);
      if (n > maxRefreshes) throw f.error;
      client.emit('warning', {
        code: 'legal-hold-url-refresh',
        message: `recording ${f.ref.recordingId} of conversation ${f.ref.conversationId}: its download URL was refused (${f.error.status}); requesting a fresh one (${n} of ${maxRefreshes})`,
        details: { ...f.ref, status: f.error.status },
      });
      retry.push(f.ref);
    }
    queue = retry;
  }
}

/** Batch jobs in flight at once: one whose files download while the next is submitted and polled. */
export const BATCH_JOBS_IN_FLIGHT = 2;

/**
 * Runs `batches` with BATCH_JOBS_IN_FLIGHT jobs at a time, so the downloader never waits on a job's submission and
 * polls: while one job's files download, the next job is submitted and polled, and its results join the
 * downloader's queue as they appear. Bounded: at most 2 x batchSize recordings are asked for and not yet on disk
 * (pre-signed URLs expire; docs/platform-notes.md, "Recording batch download"). The first failure stops the other
 * job (its partial files stay for the next run) and is what this throws; refused URLs are returned.
 */
async function runTwoInFlight(ctx: BatchContext, batches: RecordingRef[][]): Promise<Array<{ ref: RecordingRef; error: DownloadError }>> {
  const stop = new AbortController();
  const unlink = linkAbort(stop, ctx.signal);
  const inner: BatchContext = { ...ctx, signal: stop.signal };
  const refused: Array<{ ref: RecordingRef; error: DownloadError }> = [];
  let next = 0;
  let failed = false;
  let firstError: unknown;
  const lane = async () => {
    while (!failed && next < batches.length) {
      const batch = batches[next++]!;
      try {
        throwIfCallerAborted(ctx.signal, 'LegalHold.export()');
        refused.push(...(await runBatch(inner, batch)));
      } catch (e) {
        if (!failed) {
          failed = true;
          firstError = e;
          stop.abort(e);
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: BATCH_JOBS_IN_FLIGHT }, lane));
  } finally {
    unlink();
  }
  if (failed) throw firstError;
  return refused;
}

function parseMetadata(bytes: Buffer, path: string, status: number, correlationId: string | undefined): Array<{ id: string }> {
  const ctx = { method: 'GET', path, status, correlationId };
  return decode(parseJson(bytes, ctx), RecordingMetadataList, ctx);
}

async function* iterate<T>(items: T[]): AsyncGenerator<T> {
  for (const x of items) yield x;
}
