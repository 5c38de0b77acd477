/**
 * `exporter.sync()`: incremental sync of quality evaluations (issue 20). Each run re-discovers the look-back window
 * with the details query, one UTC day at a time, compares each evaluation's discovery fingerprint with the state of
 * the last run, GETs only the new or changed ones (through the exporter's fetch: entity checks, 404 handling), and
 * hands out changes in batches; each batch's state is committed only after the batch is applied.
 *
 * Discovery is always the details query (the fingerprint comes from it), whatever the exporter's `strategy`.
 *
 * Rules (docs/warehouse.md, "Sync rules"):
 * - Window: the UTC days from `now - lookback` (rounded down to midnight) to `now`, oldest first. Evaluations of
 *   conversations that started before it are no longer looked at: their state is dropped (`aged`), their rows stay.
 * - Fingerprint: (evaluationId, eventTime, evaluationStatus, released, rescored, deleted, calibrationId) from the
 *   details query, plus the day. Same fingerprint: unchanged, no GET. Otherwise new (no state) or changed: one GET.
 * - In the filter: not `deleted`, a status the exporter exports (`evaluationStatus`, default Finished), and not a
 *   calibration under `calibrations: 'exclude'`, in a conversation the request's filters keep.
 * - Deletions: a synced evaluation that is flagged `deleted` or 404s on its GET (reason `deleted`, at its eventTime
 *   or the run's time), that is discovered outside the filter (`left-filter`, e.g. no longer Finished; at its
 *   eventTime), or that is no longer discovered at all while its day is inside the window (`vanished`, at the run's
 *   time), yields `{ op: 'delete' }`. One that comes back later is new again.
 * - Commit: a batch (at most `batchSize` changes; a day's last batch also carries the day's watermark) is applied by
 *   `apply(batch)` (or by the store, when it is the destination), then its state is committed. A run killed or aborted
 *   at any point leaves the state of the batches applied so far: the next run finds exactly the rest.
 */
import { clockOf } from '../internal/clock';
import * as z from 'zod';
import type { GenesysClient } from '../client';
import { detailsQueryPages } from '../analytics/details-query';
import type { AnalyticsConversation, AnalyticsEvaluation } from '../analytics/schemas';
import { throwIfCallerAborted } from '../errors';
import { applyResidual } from '../filters/evaluate';
import { formatInterval } from '../helpers/intervals';
import { mapConcurrent } from '../internal/map-concurrent';
import { dayKey, DAY_MS, fingerprint, windowOf } from '../sync/fingerprint';
import { batchApplier, resolveSyncOptions, SyncBatcher, syncOptionsSchema, syncSummary, warnOnGap } from '../sync/run';
import type { EvaluationSyncChange, SyncProgress, SyncRunOptions, SyncSummary } from '../sync/types';
import { planExport } from './export-request';
import type { EvaluationResponse, ExportRequest, ResolvedQualityExporterOptions } from './schemas';

/** `exporter.sync()` options: the shared ones (SyncRunOptions: lookback, state, apply, now, batchSize, signal, onProgress) and these. */
export interface QualitySyncOptions extends SyncRunOptions<EvaluationSyncChange> {
  /** State stream name: one per destination (and per exporter configuration). @default 'quality.evaluations' */
  stream?: string;
  /** Fetch each evaluation with its form's question groups (question contextIds for the warehouse). Default true. */
  expandForm?: boolean;
  /** As in exportTo: segment media types, extra filters. */
  mediaTypes?: ExportRequest['mediaTypes'];
  filters?: ExportRequest['filters'];
}

/** What sync needs of the exporter: its GET with entity checks (undefined on a 404). */
export type SyncFetch = (
  ref: { conversationId: string; evaluationId: string; calibration: boolean; mediaType: string | undefined; pass: string },
  signal: AbortSignal | undefined,
  expandForm: boolean,
) => Promise<{ evaluation: EvaluationResponse } | undefined>;

const WHERE = 'QualityExporter.sync() options';
// mediaTypes and filters are checked where every export request is: planExport.
const Schema = syncOptionsSchema(() => ({ expandForm: z.boolean().optional(), mediaTypes: z.unknown().optional(), filters: z.unknown().optional() }));
export const QUALITY_SYNC_STREAM = 'quality.evaluations';

/** The discovery fields that make an evaluation's fingerprint (docs/platform-notes.md section i). */
function evaluationFingerprint(day: string, ev: AnalyticsEvaluation): string {
  return fingerprint(day, [ev.evaluationId.toLowerCase(), ev.eventTime, ev.evaluationStatus?.toUpperCase(), ev.released, ev.rescored, ev.deleted, ev.calibrationId]);
}

export async function runQualitySync(
  client: GenesysClient,
  exporterOptions: Readonly<ResolvedQualityExporterOptions>,
  options: QualitySyncOptions,
  fetch: SyncFetch,
): Promise<SyncSummary> {
  const { o, lookbackMs, nowMs, stream, batchSize, state, signal } = resolveSyncOptions(Schema, options, WHERE, QUALITY_SYNC_STREAM, clockOf(client));
  const expandForm = o.expandForm ?? true;
  const onProgress = o.onProgress as ((p: SyncProgress) => void) | undefined;
  const startMs = Math.floor((nowMs - lookbackMs) / DAY_MS) * DAY_MS;
  // Every day's query is planned (and so validated) before the first request.
  const days: Array<{ key: string; plan: ReturnType<typeof planExport> }> = [];
  for (let d = startMs; d < nowMs; d += DAY_MS) {
    const request: Record<string, unknown> = { interval: formatInterval(d, Math.min(d + DAY_MS, nowMs)) };
    if (o.mediaTypes !== undefined) request.mediaTypes = o.mediaTypes;
    if (o.filters !== undefined) request.filters = o.filters;
    days.push({ key: dayKey(d), plan: planExport(request, exporterOptions, WHERE) });
  }
  const applyBatch = batchApplier<EvaluationSyncChange>(o, state, state.applyEvaluations?.bind(state), WHERE);

  const startedMs = clockOf(client).now();
  const requestsBefore = client.stats().requests;
  const runAt = new Date(nowMs).toISOString();
  const snapshot = await state.load(stream);
  warnOnGap(client, snapshot.watermarks, startMs, nowMs, stream);
  const batcher = new SyncBatcher<EvaluationSyncChange>({ stream, batchSize, signal }, snapshot.fingerprints, applyBatch, 'QualityExporter.sync()');
  const known = batcher.known;
  const counts = { new: 0, changed: 0, deleted: 0, unchanged: 0, ignored: 0, discovered: 0, fetched: 0, aged: batcher.ageOut(dayKey(startMs)) };
  let windowsDone = 0;
  const progress = (window: string) =>
    onProgress?.({ operation: 'quality.sync', stream, window, windowsDone, windowsTotal: days.length, discovered: counts.discovered, new: counts.new, changed: counts.changed, deleted: counts.deleted, unchanged: counts.unchanged, fetched: counts.fetched, batches: batcher.batches });
  const remove = async (evaluationId: string, at: string, reason: 'deleted' | 'left-filter' | 'vanished') => {
    counts.deleted++;
    await batcher.add({ op: 'delete', evaluationId, at, reason }, evaluationId, null);
  };

  // Fetching goes on while the batch before is written (SyncBatcher).
  await batcher.run(async () => {
    for (const day of days) {
      throwIfCallerAborted(signal, 'QualityExporter.sync()');
      const seen = new Set<string>();
      const toFetch: Array<{ conversationId: string; ev: AnalyticsEvaluation; fp: string; calibration: boolean; isNew: boolean }> = [];
      const leaving: Array<{ id: string; at: string; reason: 'deleted' | 'left-filter' }> = [];
      for (const pass of day.plan.passes) {
        for await (const page of detailsQueryPages(client, pass.query, { pageSize: exporterOptions.pageSize, signal })) {
          for (const conv of page.items as AnalyticsConversation[]) {
            // A conversation the residual filter drops is not discovered: a synced evaluation of it vanishes.
            if (pass.residual && !applyResidual(pass.residual, conv)) continue;
            for (const ev of conv.evaluations ?? []) {
              const id = ev.evaluationId.toLowerCase();
              if (seen.has(id)) continue;
              seen.add(id);
              counts.discovered++;
              const prev = known.get(id);
              const calibration = Boolean(ev.calibrationId);
              const inFilter =
                !ev.deleted &&
                ev.evaluationStatus !== undefined &&
                day.plan.statuses.has(ev.evaluationStatus.toUpperCase()) &&
                !(calibration && exporterOptions.calibrations === 'exclude');
              if (!inFilter) {
                if (prev !== undefined) leaving.push({ id, at: ev.eventTime ?? runAt, reason: ev.deleted ? 'deleted' : 'left-filter' });
                else counts.ignored++;
                continue;
              }
              const fp = evaluationFingerprint(day.key, ev);
              if (prev === fp) {
                counts.unchanged++;
                continue;
              }
              toFetch.push({ conversationId: conv.conversationId, ev, fp, calibration, isNew: prev === undefined });
            }
          }
        }
      }
      for (const l of leaving) await remove(l.id, l.at, l.reason);
      // Synced evaluations of this day that discovery no longer shows.
      for (const [key, fp] of known) {
        if (windowOf(fp) === day.key && !seen.has(key)) await remove(key, runAt, 'vanished');
      }
      const fetched = mapConcurrent(
        fromArray(toFetch),
        async (item) => {
          const got = await fetch(
            { conversationId: item.conversationId, evaluationId: item.ev.evaluationId, calibration: item.calibration, mediaType: undefined, pass: 'all' },
            signal,
            expandForm,
          );
          return { item, got };
        },
        exporterOptions.concurrency,
      );
      for await (const { item, got } of fetched) {
        counts.fetched++;
        const id = item.ev.evaluationId.toLowerCase();
        if (got === undefined) {
          // 404: deleted between discovery and the GET.
          if (!item.isNew) await remove(id, runAt, 'deleted');
          continue;
        }
        const changedMs = Date.parse(got.evaluation.changedDate ?? item.ev.eventTime ?? '');
        if (item.isNew) counts.new++;
        else counts.changed++;
        await batcher.add({ op: 'upsert', row: got.evaluation, changedAt: Number.isFinite(changedMs) ? new Date(changedMs).toISOString() : runAt }, id, item.fp);
        if ((counts.fetched & 63) === 0) progress(day.key);
      }
      await batcher.flush([{ stream, window: day.key, watermark: runAt, state: { discovered: seen.size } }]);
      windowsDone++;
      progress(day.key);
    }
  });
  return syncSummary(client, { stream, window: formatInterval(startMs, nowMs), startedMs, requestsBefore, batches: batcher.batches }, counts);
}

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
