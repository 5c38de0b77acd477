/**
 * `reports.sync()`: incremental sync of conversations through the analytics jobs API (issue 20). Each run reads the
 * data availability date, submits ONE details job for the look-back window (from `now - lookback`, rounded down to
 * a UTC midnight, to the availability date: the datalake holds nothing certain after it), reads its results, and
 * compares each conversation's fingerprint (a hash of its canonical JSON: participants, segments, metrics and its
 * `evaluations[]`) with the last run's state. New or changed conversations are upserts keyed by `conversationId`
 * (`changedAt` = the availability date of the run), applied in batches; each batch's state commits after it is
 * applied (see SyncStateStore). The watermark (window `jobs`) is the availability date the run covered.
 *
 * Conversations are not deleted by a sync: one that is no longer returned (a changed filter, retention) keeps its
 * row; its state is dropped once its day leaves the look-back (`aged`).
 */
import { clockOf } from '../internal/clock';
import * as z from 'zod';
import type { GenesysClient } from '../client';
import { canonicalJson } from '../helpers/canonical-json';
import { formatInterval } from '../helpers/intervals';
import { positiveInt } from '../internal/schema-fragments';
import { dayKey, DAY_MS, fingerprint } from '../sync/fingerprint';
import { batchApplier, resolveSyncOptions, SyncBatcher, syncOptionsSchema, syncSummary, warnOnGap } from '../sync/run';
import type { ConversationSyncChange, SyncProgress, SyncRunOptions, SyncSummary } from '../sync/types';
import { readAvailability } from './availability';
import type { ReportJob } from './report-job';
import type { AnalyticsConversation, ConversationQueryFilters } from './schemas';

/**
 * `reports.sync()` options: the shared ones (SyncRunOptions: lookback, state, apply, now, batchSize, signal,
 * onProgress; the window ends at the availability date when that is before `now`) and these.
 */
export interface ConversationSyncOptions extends SyncRunOptions<ConversationSyncChange> {
  /** State stream name. @default 'analytics.conversations' */
  stream?: string;
  /** Details filters for the job (conversation/segment/evaluation/...). */
  query?: ConversationQueryFilters;
  /** Job results page size. Default: ReportQueries' pageSize. */
  pageSize?: number;
  /** How long to wait for the job (ms). Default: ReportQueries' maxWaitMs. */
  maxWaitMs?: number;
}

export interface ConversationSyncSummary extends SyncSummary {
  /** The data availability date that bounded the window (ISO), or undefined when the platform gave none. */
  dataAvailabilityDate: string | undefined;
  jobId: string | undefined;
}

const WHERE = 'ReportQueries.sync() options';
// query is checked where every job's filters are: when the job is submitted, before any request.
const Schema = syncOptionsSchema(() => ({ query: z.record(z.string(), z.unknown()).optional(), pageSize: positiveInt().optional(), maxWaitMs: positiveInt().optional() }));
export const CONVERSATION_SYNC_STREAM = 'analytics.conversations';
export const JOBS_WINDOW = 'jobs';

export interface ConversationSyncDeps {
  submit(interval: string, filters: ConversationQueryFilters, signal: AbortSignal | undefined): Promise<ReportJob>;
}

export async function runConversationSync(client: GenesysClient, deps: ConversationSyncDeps, options: ConversationSyncOptions): Promise<ConversationSyncSummary> {
  const { o, lookbackMs, nowMs, stream, batchSize, state, signal } = resolveSyncOptions(Schema, options, WHERE, CONVERSATION_SYNC_STREAM, clockOf(client));
  const onProgress = o.onProgress as ((p: SyncProgress) => void) | undefined;
  const applyBatch = batchApplier<ConversationSyncChange>(o, state, state.applyConversations?.bind(state), WHERE);
  const filters = (o.query ?? {}) as ConversationQueryFilters;
  const startedMs = clockOf(client).now();
  const requestsBefore = client.stats().requests;
  const startMs = Math.floor((nowMs - lookbackMs) / DAY_MS) * DAY_MS;
  const available = await readAvailability(client, signal);
  // The datalake holds nothing certain after the availability date: the window (and the watermark) stop there.
  const endMs = available === undefined ? nowMs : Math.min(nowMs, available);
  const runAt = new Date(endMs).toISOString();
  const snapshot = await state.load(stream);
  warnOnGap(client, snapshot.watermarks, startMs, nowMs, stream);
  const firstDay = dayKey(startMs);
  const batcher = new SyncBatcher<ConversationSyncChange>({ stream, batchSize, signal }, snapshot.fingerprints, applyBatch, 'ReportQueries.sync()');
  const known = batcher.known;
  const counts = { new: 0, changed: 0, unchanged: 0, discovered: 0, aged: batcher.ageOut(firstDay) };
  const windowText = endMs > startMs ? formatInterval(startMs, endMs) : `${new Date(startMs).toISOString()}/${runAt}`;
  const progress = (done: number) =>
    onProgress?.({ operation: 'analytics.sync', stream, window: windowText, windowsDone: done, windowsTotal: 1, discovered: counts.discovered, new: counts.new, changed: counts.changed, deleted: 0, unchanged: counts.unchanged, fetched: counts.discovered, batches: batcher.batches });

  let jobId: string | undefined;
  // Results are read on while the batch before is written (SyncBatcher).
  await batcher.run(async () => {
    if (endMs > startMs) {
      const job = await deps.submit(windowText, filters, signal);
      jobId = job.id;
      await job.wait({ ...(signal ? { signal } : {}), ...(o.maxWaitMs !== undefined ? { maxWaitMs: o.maxWaitMs as number } : {}) });
      const seen = new Set<string>();
      for await (const conv of job.results({ ...(signal ? { signal } : {}), ...(o.pageSize !== undefined ? { pageSize: o.pageSize as number } : {}) }) as AsyncGenerator<AnalyticsConversation>) {
        const id = conv.conversationId.toLowerCase();
        if (seen.has(id)) continue;
        seen.add(id);
        counts.discovered++;
        const startedAt = Date.parse(conv.conversationStart ?? '');
        // Activity in the window: a conversation that started the day before belongs to that day's state.
        const fp = fingerprint(Number.isFinite(startedAt) ? dayKey(Math.max(startedAt, startMs)) : firstDay, [canonicalJson(conv)]);
        const prev = known.get(id);
        if (prev === fp) {
          counts.unchanged++;
          continue;
        }
        if (prev === undefined) counts.new++;
        else counts.changed++;
        const before = batcher.batches;
        await batcher.add({ op: 'upsert', row: conv, changedAt: runAt }, id, fp);
        if (batcher.batches > before) progress(0);
      }
    }
    await batcher.flush([{ stream, window: JOBS_WINDOW, watermark: runAt, state: { window: windowText, conversations: counts.discovered } }]);
  });
  progress(1);
  return {
    ...syncSummary(client, { stream, window: windowText, startedMs, requestsBefore, batches: batcher.batches }, { ...counts, fetched: counts.discovered }),
    dataAvailabilityDate: available === undefined ? undefined : new Date(available).toISOString(),
    jobId,
  };
}
