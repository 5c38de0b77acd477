import { clockOf } from '../internal/clock';
import type { GenesysClient } from '../client';
import { countedIterable, operationIterable, operationSpan, telemetryOf } from '../telemetry/registry';
import { EntityMismatchError, NotFoundError, throwIfCallerAborted, ValidationError, validationErrorFromZod } from '../errors';
import { flattenScorecard, type FlattenScorecardOptions, type ScorecardRow } from './scorecard';
import { apiPath } from '../internal/api-path';
import { mapConcurrent } from '../internal/map-concurrent';
import type { Checkpoint } from '../sinks/checkpoint';
import { openRun } from '../sinks/resumable-run';
import type { RowSink } from '../sinks/sink';
import { discoverRefs, FROM_START, newCounters, searchEvaluations, type Counters, type DiscoveryStart, type EvaluationRef, type PageMark } from './discovery';
import { CALIBRATION_SINK, CursorTracker, parseQualityState, upgradeQualityState, type QualityExportState } from './export-checkpoint';
import { checkExportToExtras, checkFlatten, planExport, requestObject, type ExportPlan } from './export-request';
import { runQualitySync, type QualitySyncOptions } from './sync';
import { warmEvaluationDecode } from './warm-up';
import type { SyncSummary } from '../sync/types';
import { EvaluationResponse, QualityExporterOptionsSchema, type ExportRequest, type QualityExporterOptions, type ResolvedQualityExporterOptions } from './schemas';

export type { EvaluationRef } from './discovery';
export type { QualityExportCursor, QualityExportState } from './export-checkpoint';

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
  /** With `calibrations: 'separate'`: calibration rows go here instead of `sink` (docs/design-intent.md seed 001's qm_calibrations). */
  calibrationSink?: RowSink<ScorecardRow>;
  onProgress?: (p: ExportProgress) => void;
  /**
   * Save the checkpoint every this many rows (and at the end). Each save writes a state of bounded size (the page
   * in flight), so saving often costs little. Default 100.
   */
  checkpointEvery?: number;
}

export interface ExportSummary {
  interval: string;
  strategy: 'details' | 'search';
  calibrations: 'exclude' | 'include' | 'separate';
  rows: number;
  calibrationRows: number;
  discovered: number;
  skippedCalibrations: number;
  /** Rows the sinks held from earlier runs of this export (a resumed export does not discover or fetch them again). */
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

/** A row on its way to a sink, with its conversation's start for the checkpoint cursor. */
type Exported = ExportedEvaluation & { startMs: number };

const WHERE = 'QualityExporter request';
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
    for await (const { evaluation } of rowsOnly(this.exported(planExport(request, this.options, WHERE), FROM_START, newCounters()))) {
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
    for await (const item of rowsOnly(this.exported(plan, FROM_START, newCounters(), undefined, flatten?.keyBy === 'contextId'))) {
      yield this.toRow(item, flatten);
    }
  }

  /**
   * Writes every row to `sink` (calibrations to `calibrationSink` under `separate`), saving progress to
   * `checkpoint`. Started again with the same checkpoint after a crash or abort, it writes each remaining row
   * exactly once: a resumed file sink is first cut back to the rows the checkpoint counted, and discovery restarts
   * at the page the checkpoint was in (src/sinks/resumable-run.ts, export-checkpoint.ts). The sinks are flushed,
   * not closed.
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
    const started = clockOf(this.client).now();
    const before = this.client.stats();
    const run = await openRun<QualityExportState>({
      where: 'checkpoint',
      checkpoint,
      identity: this.identity(plan, flatten),
      parse: parseQualityState,
      upgrade: upgradeQualityState,
      sink,
      sinks: { [CALIBRATION_SINK]: calibrationSink },
    });
    const state = run.saved;
    const rowsBefore = state?.rows ?? 0;
    const calibrationRowsBefore = state?.sinks?.[CALIBRATION_SINK] ?? 0;
    const cursor = new CursorTracker(state?.cursor);
    const counters = newCounters();
    const passRows = new Map<string, number>();
    let rows = 0;
    let calibrationRows = 0;
    let first: string | undefined;
    let last: string | undefined;
    let sinceSave = 0;
    const snapshot = () => ({
      rows: rowsBefore + rows,
      sinks: { [CALIBRATION_SINK]: calibrationRowsBefore + calibrationRows },
      cursor: cursor.toJSON(),
    });
    const save = async () => {
      sinceSave = 0;
      await run.commit(snapshot());
    };
    const progress = (pass: string) => {
      const p: ExportProgress = { operation: 'quality.export', pass, ...counters, fetched: counters.fetched, written: rows + calibrationRows };
      onProgress?.(p);
      this.client.emit('progress', { ...p });
    };

    if (!state?.finished) {
      counters.skippedAlreadyWritten = rowsBefore + calibrationRowsBefore;
      try {
        let n = 0;
        for await (const item of this.exported(plan, cursor.start, counters, progress, flatten?.keyBy === 'contextId')) {
          if ('mark' in item) {
            cursor.mark(item);
            continue;
          }
          const toCalibrationSink = item.ref.calibration && calibrationSink !== undefined;
          await (toCalibrationSink ? calibrationSink : sink).write(this.toRow(item, flatten));
          cursor.wrote(item.ref.evaluationId, item.startMs);
          if (toCalibrationSink) calibrationRows++;
          else rows++;
          passRows.set(item.ref.pass, (passRows.get(item.ref.pass) ?? 0) + 1);
          const date = item.evaluation.conversationDate;
          if (date) {
            if (!first || date < first) first = date;
            if (!last || date > last) last = date;
          }
          if (++sinceSave >= checkpointEvery) await save();
          if (++n % 50 === 0) progress(item.ref.pass);
        }
      } catch (e) {
        // Aborted or failed: record what was written so far, so a rerun resumes instead of starting over.
        if (checkpoint) await save().catch(() => undefined);
        throw e;
      }
    }
    // Kept, marked finished: a rerun with this checkpoint writes nothing (the CLI removes its implicit checkpoints).
    await run.finish(state?.finished ? state : snapshot(), { keep: true });
    progress('done');
    const after = this.client.stats();
    const finished = clockOf(this.client).now();
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

  private toRow(item: ExportedEvaluation, flatten: FlattenScorecardOptions | undefined): ScorecardRow {
    const row = flattenScorecard(item.evaluation, flatten) as ScorecardRow;
    if (item.ref.pass !== 'all' && item.ref.mediaType) row.media_type = item.ref.mediaType;
    return row;
  }

  /** Discovery (discovery.ts) + fetch, in discovery order, from `start`, with the page marks between rows. */
  private exported(plan: ExportPlan, start: DiscoveryStart, counters: Counters, progress?: (pass: string) => void, expandForm = false): AsyncGenerator<Exported | PageMark> {
    const ctx = { client: this.client, options: this.options, plan, start, counters, progress };
    if (this.options.strategy === 'search') return stopWhenAborted(searchEvaluations(ctx), plan.signal);
    warmEvaluationDecode();
    const fetched = mapConcurrent(
      discoverRefs(ctx),
      async (d): Promise<Exported | PageMark | undefined> => {
        if ('mark' in d) return d;
        const item = await this.fetch(d.ref, plan.signal, counters, expandForm);
        return item && { ...item, startMs: d.startMs };
      },
      this.options.concurrency,
      // Rows are written in discovery order, so finished GETs wait behind one that is retrying; with the default
      // window (4 per slot: 20 rows, 0.4 s at 50 requests/s) a 5xx's backoff (a 503's first two retries wait up to 2
      // and 4 s) stopped the whole export. 64 per slot (320 evaluations, a few MB) covers it (issue 19, faults run:
      // bench/pacing/faults.ts).
      64 * this.options.concurrency,
    );
    return stopWhenAborted(dropMissing(fetched), plan.signal);
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

  /** What identifies an export for its checkpoint (concurrency is not part of it: it may change on a rerun). */
  private identity(plan: ExportPlan, flatten: FlattenScorecardOptions | undefined): unknown {
    return {
      export: 'quality',
      interval: plan.interval,
      passes: plan.passes.map((p) => [p.name, p.mediaTypes ?? null]),
      filters: plan.filters ?? null,
      options: { ...this.options, concurrency: undefined },
      flatten: flatten ? { ...flatten, onInvalid: undefined } : null,
    };
  }
}


async function* dropMissing<T>(source: AsyncIterable<T | undefined>): AsyncGenerator<T> {
  for await (const x of source) if (x !== undefined) yield x;
}

/** The rows of an export stream, without its page marks (rows() and evaluations() keep no checkpoint). */
async function* rowsOnly(source: AsyncIterable<Exported | PageMark>): AsyncGenerator<Exported> {
  for await (const x of source) if (!('mark' in x)) yield x;
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
