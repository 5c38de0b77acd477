/**
 * ReportQueries (docs/design-intent.md seed 003 on the real endpoints, `/api/v2/analytics/conversations/details/jobs`): submit async
 * conversation-detail jobs, wait for them, stream their results, and `extract()` long intervals as chunked, deduped,
 * resumable rows. Guide: docs/analytics.md.
 *
 * ```ts
 * const reports = new ReportQueries(client);
 * const job = await reports.submit({ interval: '2024-05-01T00:00:00Z/2024-05-02T00:00:00Z' });
 * await job.wait({ signal });
 * for await (const conversation of job.results()) { ... }
 *
 * for await (const row of reports.extract({ interval, chunk: 'PT6H', checkpoint })) sink.write(row);
 * ```
 */
import { checkClient, checkId, parseOptions } from '../internal/parse-options';
import { lazySchema } from '../internal/lazy-schema';
import * as z from 'zod';

import type { GenesysClient } from '../client';
import { GcError, ValidationError, validationErrorFromZod } from '../errors';
import { countedIterable, operationIterable } from '../telemetry/registry';
import { formatInterval, parseDuration, parseInterval, splitIntervalWindows, type IntervalInput } from '../helpers/intervals';
import type { Checkpoint } from '../sinks/checkpoint';
import type { RowSink } from '../sinks/sink';
import { readAvailability } from './availability';
import { runExtract, type ExtractConfig, type ExtractProgress, type ExtractSummary, type Projected } from './extract';
import { runConversationSync, type ConversationSyncOptions, type ConversationSyncSummary } from './sync';
import { projectConversation, type ConversationRow } from './projection';
import { clockOf, type Clock } from '../internal/clock';
import { DEFAULT_RUNTIME, JOBS_PATH, ReportJob, type JobProgress, type ReportRuntime, type ResolvedPoll } from './report-job';
import {
  AsyncConversationQuery,
  AsyncQueryResponse,
  ExtractOptionsSchema,
  ReportQueriesOptions,
  type AnalyticsConversation,
  type AvailabilityPolicy,
  type ConversationQueryFilters,
  type ExtractCheckpointState,
  type ReportPollOptions,
} from './schemas';

/** `{ signal }`, the options of submit() and availability(). */
const SignalOnly = lazySchema(() => z.strictObject({ signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, 'signal must be an AbortSignal').optional() }));

export interface ExtractOptions<R = ConversationRow> {
  /** `start/end` ISO-8601 (or `{ start, end }`), half-open. */
  interval: IntervalInput;
  /** Details filters (conversation/segment/evaluation/survey/resolution). No interval, order, paging or limit. */
  query?: ConversationQueryFilters;
  /** Window size, ISO-8601 duration or ms. Default `PT6H` (docs/design-intent.md seed 003). */
  chunk?: string | number;
  /** Windows running at once. Default 3. */
  concurrency?: number;
  /** Conversation -> row. Default: `projectConversation` (docs/analytics.md lists its columns). Return `undefined` for an expected field you did not find: it is written as null with one `schema-drift` warning. */
  project?: (conversation: AnalyticsConversation) => R;
  /** Participant attributes the default projection flattens into `attr_<key>` columns. */
  attributes?: string[];
  /** When the interval ends after the data availability date. Default `clip`. */
  availability?: AvailabilityPolicy;
  /** `fill`: how far before the availability date the sync query starts. Default `PT4H`. */
  fillLookback?: string | number;
  /** Per window, compare the jobs' count with the sync query's totalHits; warn past 5% (or `threshold`). Default off. */
  reconcile?: boolean | { threshold?: number };
  /**
   * Where progress is saved (e.g. `new FileCheckpoint(path, { kind: EXTRACT_CHECKPOINT_KIND, parse: ExtractCheckpointState.parse })`).
   * Default: none (a stopped extract starts over).
   */
  checkpoint?: Checkpoint<ExtractCheckpointState>;
  /**
   * Awaited before every checkpoint save: flush your sink here (`() => sink.flush()`), so a saved checkpoint never
   * counts rows still in a buffer. With `sink.rewindTo(saved.rows)` on restart this makes the output exactly-once.
   * `exportTo(sink, ...)` does both for its sink. Default: none.
   */
  beforeCheckpoint?: () => Promise<void>;
  /** Cancel running jobs when the extract stops early. Default: true without a checkpoint, false with one (a new process resumes them). */
  cancelOnExit?: boolean;
  pageSize?: number;
  maxWaitMs?: number;
  poll?: ReportPollOptions;
  signal?: AbortSignal;
  onProgress?: (p: ExtractProgress | JobProgress) => void;
}

const DEFAULT_CHUNK = 'PT6H';
const DEFAULT_CONCURRENCY = 3;
const DEFAULT_FILL_LOOKBACK = 'PT4H';

function durationOption(value: string | number, path: string, what: string): number {
  const ms = typeof value === 'number' ? value : parseDuration(value, path);
  if (!Number.isSafeInteger(ms) || ms < 0) throw new ValidationError(what, [{ path, message: `must be a non-negative duration, got ${String(value)}` }]);
  return ms;
}

/**
 * A running extract: iterate it once for the rows; `summary` fills in as it runs (complete range, splits,
 * resubmits, duplicates, reconcile, drift).
 */
export class ReportExtraction<R> implements AsyncIterable<Projected<R>> {
  readonly summary: ExtractSummary;
  #started = false;
  readonly #run: (summary: ExtractSummary) => AsyncGenerator<Projected<R>>;

  constructor(requested: string, availability: AvailabilityPolicy, run: (summary: ExtractSummary) => AsyncGenerator<Projected<R>>) {
    this.summary = {
      requested,
      complete: null,
      availability,
      dataAvailabilityDate: undefined,
      clipped: undefined,
      filled: undefined,
      windowsTotal: 0,
      windowsDone: 0,
      jobsSubmitted: 0,
      splits: [],
      resubmits: [],
      rows: 0,
      duplicates: 0,
      reconcile: [],
      outsideInterval: 0,
      driftFields: [],
      resumedFrom: undefined,
      finished: false,
    };
    this.#run = run;
  }

  [Symbol.asyncIterator](): AsyncIterator<Projected<R>> {
    if (this.#started) throw new GcError('An extraction can be iterated once: call reports.extract(...) again for another pass.');
    this.#started = true;
    return this.#run(this.summary);
  }
}

/**
 * The client's clock governs every wait (issue 17 section 1). The deprecated ReportQueries options `now`, `sleep` and
 * `random` still go over it where given (0.x), and say so once with a `deprecated-option` warning.
 */
function runtimeClock(
  client: GenesysClient,
  o: { now?: (() => number) | undefined; sleep?: Clock['sleep'] | undefined; random?: (() => number) | undefined },
): Clock {
  const clock = clockOf(client);
  const given = (['now', 'sleep', 'random'] as const).filter((k) => o[k] !== undefined);
  if (given.length === 0) return clock;
  client.emit('warning', {
    code: 'deprecated-option',
    message: `ReportQueries options ${given.join(', ')} are deprecated: give the client a clock instead (new GenesysClient({ clock })); they are removed in 1.0`,
    details: { where: 'ReportQueries options', options: given, replacement: 'GenesysClientOptions.clock' },
  });
  return {
    now: o.now ?? (() => clock.now()),
    sleep: o.sleep ?? ((ms, signal) => clock.sleep(ms, signal)),
    random: o.random ?? (() => clock.random()),
  };
}

export class ReportQueries {
  readonly #client: GenesysClient;
  readonly #runtime: ReportRuntime;

  constructor(client: GenesysClient, options: ReportQueriesOptions = {}) {
    checkClient(client, 'ReportQueries options');
    const parsed = ReportQueriesOptions.safeParse(options);
    if (!parsed.success) throw validationErrorFromZod('ReportQueries options', parsed.error, 'See docs/analytics.md for every option and its default.');
    const o = parsed.data;
    this.#client = client;
    this.#runtime = {
      poll: { ...DEFAULT_RUNTIME.poll, ...stripUndefined(o.poll ?? {}) },
      maxWaitMs: o.maxWaitMs ?? DEFAULT_RUNTIME.maxWaitMs,
      pageSize: o.pageSize ?? DEFAULT_RUNTIME.pageSize,
      maxSplitDepth: o.maxSplitDepth ?? DEFAULT_RUNTIME.maxSplitDepth,
      maxResubmits: o.maxResubmits ?? DEFAULT_RUNTIME.maxResubmits,
      resultRetries: o.resultRetries ?? DEFAULT_RUNTIME.resultRetries,
      resultRetryDelayMs: o.resultRetryDelayMs ?? DEFAULT_RUNTIME.resultRetryDelayMs,
      clock: runtimeClock(client, o),
    };
  }

  /** Resolved options (defaults filled in). */
  get options(): Readonly<ReportRuntime> {
    return this.#runtime;
  }

  /**
   * Validates the query (before anything is sent) and submits it. The POST is not repeated after a 5xx or a
   * network error (it may have created a job); a 429 is, since the platform did not process it.
   */
  async submit(query: AsyncConversationQuery, options: { signal?: AbortSignal | undefined } = {}): Promise<ReportJob> {
    const parsed = AsyncConversationQuery.safeParse(query);
    if (!parsed.success) throw validationErrorFromZod('ReportQueries.submit() query', parsed.error);
    parseOptions(SignalOnly, options, 'ReportQueries.submit() options');
    const body = parsed.data;
    const submittedAt = this.#runtime.clock.now();
    const res = await this.#client.request({
      method: 'POST',
      path: JOBS_PATH,
      body,
      schema: AsyncQueryResponse,
      idempotent: false,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return new ReportJob(this.#client, this.#runtime, { id: res.jobId, query: body, interval: body.interval, submittedAt });
  }

  /** A handle on an existing job (e.g. an id saved by another process). maxWait counts from `submittedAt` (default now). */
  job(jobId: string, init: { interval?: string; submittedAt?: number } = {}): ReportJob {
    checkId(jobId, 'ReportQueries.job()', 'jobId');
    return new ReportJob(this.#client, this.#runtime, { id: jobId, interval: init.interval, submittedAt: init.submittedAt });
  }

  /** `GET .../jobs/availability`: data before this date is guaranteed to be in the datalake. */
  async availability(options: { signal?: AbortSignal } = {}): Promise<Date | undefined> {
    parseOptions(SignalOnly, options, 'ReportQueries.availability() options');
    const ms = await readAvailability(this.#client, options.signal);
    return ms === undefined ? undefined : new Date(ms);
  }

  /**
   * Exports `interval` as rows: availability check, half-open windows of `chunk`, one job per window with bounded
   * parallelism, split/resubmit recovery, dedupe by conversationId, projection, optional checkpoint. Input is
   * validated here, synchronously: a bad interval, chunk or query throws a ValidationError before any request.
   */
  extract<R = ConversationRow>(options: ExtractOptions<R>): ReportExtraction<R> {
    return this.#extraction(this.resolveExtract(options));
  }

  /**
   * `extract()` into a sink, like `QualityExporter.exportTo()`: every row is written to `sink`; with a `checkpoint`,
   * the sink is flushed before each save and, when the run is started again with the same checkpoint, cut back to
   * the rows it counted (`rewindTo`, file sinks opened with `append: true`), so a killed export ends with every row
   * exactly once. The checkpoint is cleared when the export completes. The sink is flushed, not closed. Input is
   * validated before any request, as for `extract()`.
   */
  async exportTo<R = ConversationRow>(sink: RowSink<Projected<R>>, options: ExtractOptions<R>): Promise<ExtractSummary> {
    if (typeof (sink as { write?: unknown } | null | undefined)?.write !== 'function') {
      throw new ValidationError('ReportQueries.exportTo()', [{ path: 'sink', message: 'exportTo(sink, options) needs a sink with write() (CsvSink, NdjsonSink, or your own RowSink)' }]);
    }
    const extraction = this.#extraction({ ...this.resolveExtract(options), sink: sink as RowSink<never> });
    for await (const row of extraction) await sink.write(row);
    return extraction.summary;
  }

  #extraction<R>(cfg: ExtractConfig<R>): ReportExtraction<R> {
    const requested = formatInterval(cfg.startMs, cfg.endMs);
    const client = this.#client;
    return new ReportExtraction<R>(requested, cfg.policy, (summary) =>
      countedIterable(
        client,
        'analytics.extract',
        operationIterable(client, 'analytics.extract', {}, () =>
          runExtract(
            {
              client,
              runtime: this.#runtime,
              submit: (interval, filters, signal) => this.submit({ ...filters, interval, order: 'asc', orderBy: 'conversationStart' } as AsyncConversationQuery, { signal }),
              attach: (id, interval, submittedAt) => this.job(id, { interval, submittedAt }),
            },
            cfg,
            summary,
          ),
        ),
      ),
    );
  }

  /**
   * Incremental sync of conversations (issue 20): one job over the look-back window, bounded by the data
   * availability date; only new or changed conversations (by fingerprint) are handed out, keyed by conversationId,
   * in batches whose state commits after each is applied. Rules: src/analytics/sync.ts, docs/warehouse.md.
   */
  sync(options: ConversationSyncOptions): Promise<ConversationSyncSummary> {
    return runConversationSync(
      this.#client,
      { submit: (interval, filters, signal) => this.submit({ ...filters, interval, order: 'asc', orderBy: 'conversationStart' } as AsyncConversationQuery, { signal }) },
      options,
    );
  }

  private resolveExtract<R>(options: ExtractOptions<R>): ExtractConfig<R> {
    const where = 'ReportQueries.extract() options';
    const parsed = ExtractOptionsSchema.safeParse(options);
    if (!parsed.success) throw validationErrorFromZod(where, parsed.error, 'See docs/analytics.md for every extract option.');
    const o = parsed.data;
    const { startMs, endMs } = parseInterval(options.interval, 'interval');
    const chunk = options.chunk ?? DEFAULT_CHUNK;
    // Validates the chunk (zero, negative, malformed, too many windows) exactly as the run will use it.
    const first = splitIntervalWindows({ start: startMs, end: endMs }, chunk)[0];
    const chunkMs = typeof chunk === 'number' ? chunk : parseDuration(chunk, 'chunk');
    if (!first) throw new ValidationError(where, [{ path: 'chunk', message: 'gives no window' }]);
    const fillLookbackMs = durationOption(options.fillLookback ?? DEFAULT_FILL_LOOKBACK, 'fillLookback', where);
    const filters = (o.query ?? {}) as ConversationQueryFilters;
    const policy = o.availability ?? 'clip';
    const rt = this.#runtime;
    const attributes = o.attributes;
    const project = options.project ?? ((c: AnalyticsConversation) => projectConversation(c, { attributes }) as unknown as R);
    const reconcile = o.reconcile === undefined || o.reconcile === false ? undefined : o.reconcile === true ? 0.05 : (o.reconcile.threshold ?? 0.05);
    const poll: ResolvedPoll = { ...rt.poll, ...stripUndefined(o.poll ?? {}) };
    return {
      startMs,
      endMs,
      chunkMs,
      concurrency: o.concurrency ?? DEFAULT_CONCURRENCY,
      filters,
      project,
      policy,
      fillLookbackMs,
      reconcileThreshold: reconcile,
      checkpoint: options.checkpoint,
      beforeCheckpoint: options.beforeCheckpoint,
      cancelOnExit: o.cancelOnExit ?? options.checkpoint === undefined,
      pageSize: o.pageSize ?? rt.pageSize,
      maxWaitMs: o.maxWaitMs ?? rt.maxWaitMs,
      poll,
      signal: options.signal,
      onProgress: options.onProgress,
      sink: undefined,
      // Canonical JSON (key order never matters) is the fingerprint; unchanged since version 1 of the state, so a
      // checkpoint saved before the runner still resumes.
      identity: { interval: [startMs, endMs], query: filters, chunkMs, policy, fillLookbackMs: policy === 'fill' ? fillLookbackMs : undefined },
    };
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export { ReportJob };
