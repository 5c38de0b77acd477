import type { GenesysClient } from '../client';
import { detailsQueryPages } from '../analytics/details-query';
import type { AnalyticsConversation } from '../analytics/schemas';
import { countedIterable, operationIterable, operationSpan, telemetryOf } from '../telemetry/registry';
import { decode } from '../transport/decode';
import { EntityMismatchError, NotFoundError, throwIfCallerAborted, ValidationError, validationErrorFromZod, type ValidationIssue } from '../errors';
import { applyResidual } from '../filters/evaluate';
import { checkFlattenOptions, flattenScorecard, normalizeMediaType, type FlattenScorecardOptions, type ScorecardRow } from './scorecard';
import { apiPath } from '../internal/api-path';
import { mapConcurrent } from '../internal/map-concurrent';
import type { Checkpoint } from '../sinks/checkpoint';
import type { RowSink } from '../sinks/sink';
import { paginateByPageNumber } from '../transport/paginate';
import { planExport, searchBodies, type ExportPass, type ExportPlan } from './export-request';
import { runQualitySync, type QualitySyncOptions } from './sync';
import type { SyncSummary } from '../sync/types';
import {
  EvaluationResponse,
  EvaluationSearchResponse,
  QualityExporterOptionsSchema,
  type ExportRequest,
  type QualityExporterOptions,
  type ResolvedQualityExporterOptions,
} from './schemas';

/** An evaluation found at discovery, before it is fetched. */
export interface EvaluationRef {
  conversationId: string;
  evaluationId: string;
  /** Calibration evaluations carry `calibrationId` in analytics and a `calibration` reference in the Quality API. */
  calibration: boolean;
  /** Segment media type of the conversation (voice, chat, ...), when discovery saw it. */
  mediaType: string | undefined;
  /** `all`, or the channel group of a `splitByMediaType` pass. */
  pass: string;
}

export interface ExportedEvaluation {
  evaluation: EvaluationResponse;
  ref: EvaluationRef;
}

export interface RowsRequest extends ExportRequest {
  /** Options passed to `flattenScorecard` (pivot keys, dates as epoch ms, per-question columns). */
  flatten?: FlattenScorecardOptions;
}

export interface ExportProgress {
  operation: 'quality.export';
  pass: string;
  pages: number;
  discovered: number;
  fetched: number;
  written: number;
  skippedCalibrations: number;
  skippedAlreadyWritten: number;
  missing: number;
}

export interface ExportToOptions extends RowsRequest {
  /** Where progress is saved; the same checkpoint makes a killed export finish with every row exactly once. */
  checkpoint?: Checkpoint<QualityExportState>;
  /** With `calibrations: 'separate'`: calibration rows go here instead of `sink` (seed 001's qm_calibrations). */
  calibrationSink?: RowSink<ScorecardRow>;
  onProgress?: (p: ExportProgress) => void;
  /** Save the checkpoint every this many rows (and at the end). Default 100. */
  checkpointEvery?: number;
}

/** What a checkpoint of this exporter holds. */
export interface QualityExportState {
  /** Identifies the export (interval, channels, filters, options): a checkpoint of another export is refused. */
  fingerprint: string;
  /** Evaluation ids already written (to either sink). */
  written: string[];
  /** Rows in each sink when the checkpoint was saved (a resumed file sink is cut back to this). */
  sinkRows: number;
  calibrationSinkRows: number;
  done: boolean;
}

export interface ExportSummary {
  interval: string;
  strategy: 'details' | 'search';
  calibrations: 'exclude' | 'include' | 'separate';
  rows: number;
  calibrationRows: number;
  discovered: number;
  skippedCalibrations: number;
  skippedAlreadyWritten: number;
  /** Evaluations that disappeared between discovery and fetch (404), reported as `warning` events. */
  missing: number;
  pages: number;
  /** Requests this export sent (from the client's counters) and 429s it received. */
  requests: number;
  rateLimited: number;
  resumed: boolean;
  passes: Array<{ name: string; mediaTypes: string[] | undefined; rows: number }>;
  /** Earliest and latest `conversationDate` of the rows written, ISO UTC. */
  conversationRange: { first: string | undefined; last: string | undefined };
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

interface Counters {
  pages: number;
  discovered: number;
  fetched: number;
  skippedCalibrations: number;
  skippedAlreadyWritten: number;
  missing: number;
}

const WHERE = 'QualityExporter request';
const SEARCH_PATH = '/api/v2/quality/evaluations/search';
const EVAL_PATH = (cid: string, eid: string) => apiPath`/api/v2/quality/conversations/${cid}/evaluations/${eid}`;

/** Ids compare as the platform's GUIDs do: without regard to case. */
const sameId = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();

/**
 * Why a fetched evaluation is not the one asked for: another id, no id, or the right id under another conversation.
 * Undefined when it is the one.
 */
function mismatchOf(evaluation: EvaluationResponse, ref: EvaluationRef): { receivedId: string | undefined } | undefined {
  const id = typeof evaluation.id === 'string' && evaluation.id !== '' ? evaluation.id : undefined;
  if (!sameId(id, ref.evaluationId)) return { receivedId: id };
  const cid = evaluation.conversation?.id;
  if (cid !== undefined && !sameId(cid, ref.conversationId)) return { receivedId: `${id} (of conversation ${cid})` };
  return undefined;
}

/**
 * Quality evaluations out of Genesys Cloud as typed objects or flat warehouse rows (seeds 001 and 000).
 *
 * Discovery runs the analytics details query with `evaluationFilters` on `evaluationStatus` (paged, each page
 * checked against `totalHits`: a page that stays short is an IncompleteDataError, never a quiet end); each
 * evaluation is then fetched with `GET /api/v2/quality/conversations/{cid}/evaluations/{eid}` through the client's
 * limiter and checked to be the one asked for (EntityMismatchError otherwise). Calibrations are
 * decided at discovery, so excluded ones are never fetched. `strategy: 'search'` uses the quality search endpoint
 * instead, which returns answers with each result: far fewer requests.
 *
 * ```ts
 * const exporter = new QualityExporter(client, { calibrations: 'exclude' });
 * const summary = await exporter.exportTo(createCsvSink('evaluations.csv'), { interval: lastFullUtcDay() });
 * ```
 */
export class QualityExporter {
  readonly options: Readonly<ResolvedQualityExporterOptions>;

  constructor(
    private readonly client: GenesysClient,
    options: QualityExporterOptions = {},
  ) {
    if (typeof (client as { request?: unknown } | null)?.request !== 'function') {
      throw new ValidationError('QualityExporter options', [{ path: 'client', message: 'the first argument must be a GenesysClient' }]);
    }
    const parsed = QualityExporterOptionsSchema.safeParse(options);
    if (!parsed.success) throw validationErrorFromZod('QualityExporter options', parsed.error, undefined, { schema: QualityExporterOptionsSchema, input: options });
    this.options = Object.freeze(parsed.data);
  }

  /** Typed evaluations (`EvaluationResponse`) for conversations that started in `interval`. */
  evaluations(request: ExportRequest): AsyncGenerator<EvaluationResponse> {
    const client = this.client;
    return countedIterable(client, 'quality.evaluations', operationIterable(client, 'quality.evaluations', {}, () => this.#evaluations(request)));
  }

  async *#evaluations(request: ExportRequest): AsyncGenerator<EvaluationResponse> {
    for await (const { evaluation } of this.exported(planExport(request, this.options, WHERE), new Set(), newCounters())) {
      yield evaluation;
    }
  }

  /** Flat scorecard rows (see `flattenScorecard`); with `splitByMediaType`, `media_type` is the segment channel. */
  rows(request: RowsRequest): AsyncGenerator<ScorecardRow> {
    const client = this.client;
    return countedIterable(client, 'quality.rows', operationIterable(client, 'quality.rows', {}, () => this.#rows(request)));
  }

  async *#rows(request: RowsRequest): AsyncGenerator<ScorecardRow> {
    const { flatten, ...rest } = requestObject(request, 'rows');
    checkFlatten(flatten);
    const plan = planExport(rest, this.options, WHERE);
    for await (const item of this.exported(plan, new Set(), newCounters(), undefined, flatten?.keyBy === 'contextId')) {
      yield this.toRow(item, flatten);
    }
  }

  /**
   * Writes every row to `sink` (calibrations to `calibrationSink` under `separate`), saving progress to
   * `checkpoint`. Started again with the same checkpoint after a crash or abort, it writes each remaining row
   * exactly once: rows already written are skipped, and a resumed file sink is first cut back to the rows the
   * checkpoint knows about. The sinks are flushed, not closed.
   */
  async exportTo(sink: RowSink<ScorecardRow>, request: ExportToOptions): Promise<ExportSummary> {
    return operationSpan(this.client, 'quality.export', {}, async () => {
      const summary = await this.#exportTo(sink, request);
      telemetryOf(this.client).countItems('quality.export', summary.rows);
      return summary;
    });
  }

  async #exportTo(sink: RowSink<ScorecardRow>, request: ExportToOptions): Promise<ExportSummary> {
    const { checkpoint, calibrationSink, onProgress, flatten, checkpointEvery = 100, ...exportRequest } = requestObject(request, 'exportTo');
    checkExportToExtras({ checkpoint, calibrationSink, onProgress, checkpointEvery });
    checkFlatten(flatten);
    if (typeof (sink as { write?: unknown } | undefined)?.write !== 'function') {
      throw new ValidationError(WHERE, [{ path: 'sink', message: 'exportTo(sink, request) needs a sink with write() (CsvSink, NdjsonSink, or your own RowSink)' }]);
    }
    if (calibrationSink && this.options.calibrations !== 'separate') {
      throw new ValidationError(WHERE, [{ path: 'calibrationSink', message: "calibrationSink needs the exporter option calibrations: 'separate'" }]);
    }
    const plan = planExport(exportRequest, this.options, WHERE);
    const fingerprint = this.fingerprint(plan, flatten);
    const started = Date.now();
    const before = this.client.stats();
    const state = await checkpoint?.load();
    if (state && state.fingerprint !== fingerprint) {
      throw new ValidationError('checkpoint', [
        { path: 'fingerprint', message: 'this checkpoint belongs to a different export (interval, channels, filters or options differ)' },
      ], 'Use another checkpoint path for this export, or delete the old checkpoint to start over.');
    }
    const written = new Set(state?.written ?? []);
    if (checkpoint) {
      // The checkpoint is the record of what is in the sinks: rows written after its last save (or before the
      // first one) are cut, then re-exported, so none is lost or duplicated.
      await rewind(sink, state?.sinkRows ?? 0);
      if (calibrationSink) await rewind(calibrationSink, state?.calibrationSinkRows ?? 0);
    }
    const counters = newCounters();
    const passRows = new Map<string, number>();
    let rows = 0;
    let calibrationRows = 0;
    let first: string | undefined;
    let last: string | undefined;
    let sinceSave = 0;
    const save = async (done: boolean) => {
      await sink.flush?.();
      await calibrationSink?.flush?.();
      await checkpoint?.save({
        fingerprint,
        written: [...written],
        sinkRows: (state?.sinkRows ?? 0) + rows,
        calibrationSinkRows: (state?.calibrationSinkRows ?? 0) + calibrationRows,
        done,
      });
      sinceSave = 0;
    };
    const progress = (pass: string) => {
      const p: ExportProgress = { operation: 'quality.export', pass, ...counters, fetched: counters.fetched, written: rows + calibrationRows };
      onProgress?.(p);
      this.client.emit('progress', { ...p });
    };

    if (!state?.done) {
      try {
        await this.writeAll(plan, written, counters, progress, flatten, sink, calibrationSink, (item) => {
          if (item.calibration) calibrationRows++;
          else rows++;
          passRows.set(item.pass, (passRows.get(item.pass) ?? 0) + 1);
          if (item.date) {
            if (!first || item.date < first) first = item.date;
            if (!last || item.date > last) last = item.date;
          }
          return ++sinceSave >= checkpointEvery ? save(false) : undefined;
        });
      } catch (e) {
        // Aborted or failed: record what was written so far, so a rerun resumes instead of starting over.
        await save(false).catch(() => undefined);
        throw e;
      }
    }
    await save(true);
    progress('done');
    const after = this.client.stats();
    const finished = Date.now();
    return {
      interval: plan.interval,
      strategy: this.options.strategy,
      calibrations: this.options.calibrations,
      rows,
      calibrationRows,
      discovered: counters.discovered,
      skippedCalibrations: counters.skippedCalibrations,
      skippedAlreadyWritten: counters.skippedAlreadyWritten,
      missing: counters.missing,
      pages: counters.pages,
      requests: after.requests - before.requests,
      rateLimited: after.rateLimited - before.rateLimited,
      resumed: state !== undefined,
      passes: plan.passes.map((p) => ({ name: p.name, mediaTypes: p.mediaTypes, rows: passRows.get(p.name) ?? 0 })),
      conversationRange: { first, last },
      startedAt: new Date(started).toISOString(),
      finishedAt: new Date(finished).toISOString(),
      durationMs: finished - started,
    };
  }

  /**
   * Incremental sync (issue 20): re-discovers the look-back window, GETs only new or changed evaluations (through the
   * same fetch and entity checks as the exports), and hands out upserts and deletions in batches whose state is
   * committed after each batch is applied. Rules and the commit contract: src/quality/sync.ts, docs/warehouse.md.
   */
  sync(options: QualitySyncOptions): Promise<SyncSummary> {
    return operationSpan(this.client, 'quality.sync', {}, () =>
      runQualitySync(this.client, this.options, options, (ref, signal, expandForm) => this.fetch({ ...ref }, signal, newCounters(), expandForm)),
    );
  }

  /** Writes each exported row to its sink, then reports it (the caller counts and checkpoints). */
  private async writeAll(
    plan: ExportPlan,
    written: Set<string>,
    counters: Counters,
    progress: (pass: string) => void,
    flatten: FlattenScorecardOptions | undefined,
    sink: RowSink<ScorecardRow>,
    calibrationSink: RowSink<ScorecardRow> | undefined,
    onWritten: (w: { calibration: boolean; pass: string; date: string | undefined }) => Promise<void> | undefined,
  ): Promise<void> {
    let n = 0;
    for await (const item of this.exported(plan, written, counters, progress, flatten?.keyBy === 'contextId')) {
      const toCalibrationSink = item.ref.calibration && calibrationSink !== undefined;
      await (toCalibrationSink ? calibrationSink : sink).write(this.toRow(item, flatten));
      written.add(item.ref.evaluationId);
      await onWritten({ calibration: toCalibrationSink, pass: item.ref.pass, date: item.evaluation.conversationDate });
      if (++n % 50 === 0) progress(item.ref.pass);
    }
  }

  private toRow(item: ExportedEvaluation, flatten: FlattenScorecardOptions | undefined): ScorecardRow {
    const row = flattenScorecard(item.evaluation, flatten) as ScorecardRow;
    if (item.ref.pass !== 'all' && item.ref.mediaType) row.media_type = item.ref.mediaType;
    return row;
  }

  /** Discovery + fetch, in discovery order, skipping ids in `skip`. */
  private exported(
    plan: ExportPlan,
    skip: Set<string>,
    counters: Counters,
    progress?: (pass: string) => void,
    expandForm = false,
  ): AsyncGenerator<ExportedEvaluation> {
    if (this.options.strategy === 'search') return stopWhenAborted(this.searched(plan, skip, counters, progress), plan.signal);
    const refs = this.discover(plan, skip, counters, progress);
    const fetched = mapConcurrent(refs, (ref) => this.fetch(ref, plan.signal, counters, expandForm), this.options.concurrency);
    return stopWhenAborted(dropMissing(fetched), plan.signal);
  }

  private async *discover(
    plan: ExportPlan,
    skip: Set<string>,
    counters: Counters,
    progress?: (pass: string) => void,
  ): AsyncGenerator<EvaluationRef> {
    const seen = new Set<string>();
    for (const pass of plan.passes) {
      for await (const page of detailsQueryPages(this.client, pass.query, { pageSize: this.options.pageSize, signal: plan.signal })) {
        counters.pages++;
        for (const conv of page.items) {
          if (pass.residual && !applyResidual(pass.residual, conv)) continue;
          for (const ref of this.refsOf(conv, pass, plan)) {
            if (seen.has(ref.evaluationId)) continue;
            seen.add(ref.evaluationId);
            counters.discovered++;
            if (ref.calibration && this.options.calibrations === 'exclude') {
              counters.skippedCalibrations++;
              continue;
            }
            if (skip.has(ref.evaluationId)) {
              counters.skippedAlreadyWritten++;
              continue;
            }
            yield ref;
          }
        }
        progress?.(pass.name);
      }
    }
  }

  /** The platform returns every evaluation of a matching conversation: re-check status and deletion here. */
  private *refsOf(conv: AnalyticsConversation, pass: ExportPass, plan: ExportPlan): Generator<EvaluationRef> {
    const mediaType = mediaTypeOf(conv, pass.mediaTypes);
    for (const ev of conv.evaluations ?? []) {
      if (ev.deleted) continue;
      if (!ev.evaluationStatus || !plan.statuses.has(ev.evaluationStatus.toUpperCase())) continue;
      yield {
        conversationId: conv.conversationId,
        evaluationId: ev.evaluationId,
        calibration: Boolean(ev.calibrationId),
        mediaType,
        pass: pass.name,
      };
    }
  }

  private async fetch(
    ref: EvaluationRef,
    signal: AbortSignal | undefined,
    counters: Counters,
    expandForm: boolean,
  ): Promise<ExportedEvaluation | undefined> {
    const path = EVAL_PATH(ref.conversationId, ref.evaluationId);
    try {
      // The body must be the evaluation asked for: another evaluation's body (or a stub `{"id":"x"}`) is fetched
      // once more, then an EntityMismatchError; it is never written as a row.
      for (let attempt = 0; ; attempt++) {
        const evaluation = await this.client.request({
          path,
          // contextId pivot keys need the form version's question groups.
          ...(expandForm ? { query: { expand: 'evaluationForm' } } : {}),
          schema: EvaluationResponse,
          ...(signal ? { signal } : {}),
        });
        const mismatch = mismatchOf(evaluation, ref);
        if (!mismatch) {
          counters.fetched++;
          return { evaluation, ref };
        }
        if (attempt >= 1) {
          throw new EntityMismatchError({ entity: 'evaluation', requestedId: ref.evaluationId, receivedId: mismatch.receivedId, method: 'GET', path });
        }
        this.client.emit('warning', {
          code: 'entity-mismatch-retry',
          message: `GET ${path} returned ${mismatch.receivedId === undefined ? 'a body without an id' : `evaluation ${mismatch.receivedId.slice(0, 100)}`}; fetching it once more`,
          details: { entity: 'evaluation', requestedId: ref.evaluationId, receivedId: mismatch.receivedId?.slice(0, 100) },
        });
      }
    } catch (e) {
      if (e instanceof NotFoundError) {
        // Deleted between discovery and fetch: nothing to export, but say so.
        counters.missing++;
        this.client.emit('warning', {
          code: 'evaluation-missing',
          message: `evaluation ${ref.evaluationId} of conversation ${ref.conversationId} was not found (deleted after discovery?)`,
          details: { ...ref, correlationId: e.correlationId },
        });
        return undefined;
      }
      throw e;
    }
  }

  private async *searched(
    plan: ExportPlan,
    skip: Set<string>,
    counters: Counters,
    progress?: (pass: string) => void,
  ): AsyncGenerator<ExportedEvaluation> {
    const seen = new Set<string>();
    const pageSize = this.options.searchPageSize;
    for (const pass of plan.passes) {
      for (const body of searchBodies(plan, pass, pageSize)) {
        const pages = paginateByPageNumber<EvaluationResponse>(
          async (pageNumber) => {
            const res = await this.client.request({
              method: 'POST',
              path: SEARCH_PATH,
              body: { ...body, pageNumber },
              schema: EvaluationSearchResponse,
              idempotent: true,
              ...(plan.signal ? { signal: plan.signal } : {}),
            });
            // Each result is checked here, before the page is yielded: one that is not an evaluation fails the
            // export (it was skipped quietly before: a missing row with exit 0).
            const items = res.results?.map((raw, i) => decode(raw, EvaluationResponse, { method: 'POST', path: SEARCH_PATH, status: 200 }, ['results', i]));
            return { items, total: res.total };
          },
          {
            what: `quality evaluation search (${pass.name})`,
            pageSize,
            retryDelayMs: Math.max(this.client.options.retry.baseDelayMs, 1),
            ...(plan.signal ? { signal: plan.signal } : {}),
            onShortPage: (s) =>
              this.client.emit('warning', {
                code: 'short-page-retry',
                message: `quality evaluation search page ${s.page} came back ${s.reason === 'repeated-page' ? 'identical to the previous one' : `with ${s.got} of ${s.expected} results`}; fetching it again in ${s.delayMs} ms (attempt ${s.attempt})`,
                details: { pass: pass.name, ...s },
              }),
          },
        );
        for await (const page of pages) {
          counters.pages++;
          for (const evaluation of page.items) {
            if (seen.has(evaluation.id)) continue;
            seen.add(evaluation.id);
            counters.discovered++;
            const calibration = Boolean(evaluation.calibration?.id);
            if (calibration && this.options.calibrations === 'exclude') {
              counters.skippedCalibrations++;
              continue;
            }
            if (skip.has(evaluation.id)) {
              counters.skippedAlreadyWritten++;
              continue;
            }
            counters.fetched++;
            yield {
              evaluation,
              ref: {
                conversationId: evaluation.conversation?.id ?? '',
                evaluationId: evaluation.id,
                calibration,
                mediaType: evaluation.mediaType?.[0] ? normalizeMediaType(evaluation.mediaType[0]) : undefined,
                pass: pass.name,
              },
            };
          }
          progress?.(pass.name);
        }
      }
    }
  }

  private fingerprint(plan: ExportPlan, flatten: FlattenScorecardOptions | undefined): string {
    return JSON.stringify({
      v: 1,
      interval: plan.interval,
      passes: plan.passes.map((p) => [p.name, p.mediaTypes]),
      filters: plan.filters ?? null,
      options: { ...this.options, concurrency: undefined },
      flatten: flatten ? { ...flatten, onInvalid: undefined } : null,
    });
  }
}

/** `rows()` / `exportTo()` called without their request object: say so instead of a destructuring TypeError. */
function requestObject<T>(request: T, method: string): T {
  if (typeof request !== 'object' || request === null) {
    throw new ValidationError(WHERE, [{ path: '', message: `${method}() needs a request object, e.g. { interval: '2024-05-01/2024-05-02' }` }]);
  }
  return request;
}

/**
 * The options exportTo() adds to an export request, checked before any request: a `checkpointEvery` of 0 or NaN
 * saved on every row or never, an `onProgress` that is not a function failed at the first page, a `checkpoint`
 * without load/save/clear failed with a TypeError.
 */
function checkExportToExtras(o: { checkpoint: unknown; calibrationSink: unknown; onProgress: unknown; checkpointEvery: unknown }): void {
  const issues: ValidationIssue[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (o.checkpoint !== undefined && !(isObj(o.checkpoint) && ['load', 'save', 'clear'].every((m) => typeof (o.checkpoint as Record<string, unknown>)[m] === 'function'))) {
    issues.push({ path: 'checkpoint', message: 'checkpoint must have load(), save() and clear() (FileCheckpoint, MemoryCheckpoint, or your own)' });
  }
  if (o.calibrationSink !== undefined && !(isObj(o.calibrationSink) && typeof o.calibrationSink.write === 'function')) {
    issues.push({ path: 'calibrationSink', message: 'calibrationSink must be a sink with write() (CsvSink, NdjsonSink, or your own RowSink)' });
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') issues.push({ path: 'onProgress', message: 'onProgress must be a function' });
  const every = o.checkpointEvery;
  if (typeof every !== 'number' || !Number.isInteger(every) || every < 1 || every > 1_000_000) {
    issues.push({ path: 'checkpointEvery', message: `checkpointEvery must be a whole number of rows from 1 to 1,000,000 (got ${typeof every === 'number' ? every : typeof every})` });
  }
  if (issues.length > 0) throw new ValidationError(WHERE, issues);
}

/** Flatten options are checked before discovery: a bad one found at the first row would come after requests. */
function checkFlatten(flatten: FlattenScorecardOptions | undefined): void {
  try {
    checkFlattenOptions(flatten);
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(WHERE, e.issues.map((i) => ({ ...i, path: `flatten.${i.path}` })));
    throw e;
  }
}

function newCounters(): Counters {
  return { pages: 0, discovered: 0, fetched: 0, skippedCalibrations: 0, skippedAlreadyWritten: 0, missing: 0 };
}

async function* dropMissing<T>(source: AsyncIterable<T | undefined>): AsyncGenerator<T> {
  for await (const x of source) if (x !== undefined) yield x;
}

/** The conversation's segment media type: the first session's within the pass's channels, else the first. */
function mediaTypeOf(conv: AnalyticsConversation, wanted: string[] | undefined): string | undefined {
  let firstSeen: string | undefined;
  for (const p of conv.participants ?? []) {
    for (const s of p.sessions ?? []) {
      if (!s.mediaType) continue;
      firstSeen ??= s.mediaType;
      if (!wanted || wanted.includes(s.mediaType)) return s.mediaType;
    }
  }
  return firstSeen;
}

/** Cuts a resumed sink back to the rows a checkpoint knows about, when the sink can (our file sinks can). */
async function rewind(sink: RowSink<ScorecardRow>, rows: number): Promise<void> {
  if (sink.rewindTo) await sink.rewindTo(rows);
}

/**
 * Evaluations already fetched are not handed out after an abort: the caller asked to stop now, not once the
 * requests in flight run out (and a checkpoint then records exactly what was written).
 */
async function* stopWhenAborted<T>(items: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  for await (const item of items) {
    throwIfCallerAborted(signal, 'QualityExporter');
    yield item;
  }
}
