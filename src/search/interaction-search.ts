/**
 * InteractionSearch (seed 004). The platform has no interaction-search endpoint (docs/platform-notes.md section f): a search is the
 * synchronous details query, paged by `pageNumber`, with the seed's filter tree compiled to real predicates and what
 * the platform cannot express applied to the returned conversations. docs/search.md is the guide.
 *
 * ```ts
 * const search = new InteractionSearch(client);
 * await search.ready();
 * for await (const conv of search.query({ filter, interval })) handle(conv);
 * ```
 */
import { nodeCrypto } from '../internal/node-builtins';
import { canonicalHash } from '../helpers/canonical-json';
import { runAggregate, type AggregateGroup, type SearchAggregateOptions } from './aggregate';
import { detailsQueryCount, detailsQueryPages, DETAILS_QUERY_PATH, type DetailsPage, type DetailsQuery } from '../analytics/details-query';
import { ReportQueries, type ReportExtraction } from '../analytics/report-jobs';
import type { AnalyticsConversation, ConversationQueryFilters } from '../analytics/schemas';
import { SDK_VERSION, type GenesysClient } from '../client';
import { AbortError, formatPath, throwIfCallerAborted, ServerError, TimeoutError, ValidationError, type ValidationIssue } from '../errors';
import { isFilterBuilder, type FilterNode } from '../filters/builder';
import { compileFilter, type CompiledFilter, type ResidualFilter } from '../filters/compile';
import { applyResidual } from '../filters/evaluate';
import { formatInterval, parseInterval, splitIntervalWindows, type IntervalInput } from '../helpers/intervals';
import { abortableSleep } from '../transport/sleep';
import { countedIterable, operationIterable, operationSpan } from '../telemetry/registry';
import { BatchCallbackError, batchCallbackIssues, deliverBatchCallback } from './batch-callback';
import {
  BatchCallbackSchema,
  SearchCountSchema,
  SearchQuerySchema,
  SearchReadySchema,
  type ResolvedBatchCallbackOptions,
  type SearchBatch,
  type SearchComplete,
  type SearchConversation,
  type SearchCountOptions,
  type SearchNotification,
  type SearchQueryOptions,
  type SearchJobOptions,
  type SearchReadyOptions,
  type SearchReadyResult,
  DEFAULT_SEARCH_WINDOW_MS,
} from './schemas';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** What a search will send, worked out without sending anything (`explain()`). */
export interface SearchPlan {
  /** The whole interval, canonical UTC `start/end`. */
  interval: string;
  /** `sync`: details queries, one per window; `job`: analytics jobs through ReportQueries (`largeRange: 'job'`). */
  source: 'sync' | 'job';
  /** Sync: one query per window, in the order they are read (reversed for `order: 'desc'`). Job: the interval. */
  windows: string[];
  /** The details-query body without `interval` and `paging`. */
  query: ConversationQueryFilters;
  /** What runs client-side on the returned conversations; undefined when the platform expresses the whole filter. */
  residual: ResidualFilter | undefined;
  /** The compiler's notes: every client-side decision and why. */
  notes: string[];
}

interface QueryPlan extends SearchPlan {
  job: SearchJobOptions | undefined;
  pageSize: number;
  limit: number | undefined;
  indexWaitMs: number;
  /** For the audit record: when query() was called, and the hash of the filters sent. */
  startedAt: number;
  filterHash: string;
  signal: AbortSignal | undefined;
  notify: ((n: SearchNotification) => unknown) | undefined;
  callback: ResolvedBatchCallbackOptions | undefined;
}

/**
 * Searches conversations through the analytics details query. Inputs are validated completely before the first
 * request; results stream as an `AsyncIterable` so memory stays flat; each page emits a `progress` event and can
 * notify a function or a signed HTTP callback.
 */
export class InteractionSearch {
  readonly #client: GenesysClient;

  constructor(client: GenesysClient) {
    this.#client = client;
  }

  /**
   * Conversations that started in `interval` and match `filter`, in `order` of conversation start. Throws a
   * `ValidationError` here, at the call, for any bad input: nothing has been sent by then.
   */
  query(options: SearchQueryOptions): AsyncGenerator<SearchConversation> {
    const plan = planQuery(options);
    const client = this.#client;
    const run = () => (plan.source === 'job' ? this.#runJob(plan, this.#extraction(plan)) : this.#run(plan));
    return countedIterable(client, 'search.query', operationIterable(client, 'search.query', { 'genesys.search.source': plan.source }, run));
  }

  /** `query()` collected into an array: for small searches; prefer iterating for large ones. */
  async queryAll(options: SearchQueryOptions): Promise<SearchConversation[]> {
    const out: SearchConversation[] = [];
    for await (const c of this.query(options)) out.push(c);
    return out;
  }

  /**
   * The platform's `totalHits` for the filter, in one request (one per window with `largeRange: 'split'`).
   * It counts the server's answer: when part of the filter runs client-side (see `explain().residual`) it is an
   * upper bound of what `query()` yields, and a `warning` event says so.
   */
  async count(options: SearchCountOptions): Promise<number> {
    const plan = planCount(options);
    return operationSpan(this.#client, 'search.count', {}, () => this.#count(plan));
  }

  async #count(plan: ReturnType<typeof planCount>): Promise<number> {
    if (plan.residual) {
      this.#client.emit('warning', {
        code: 'search-count-upper-bound',
        message:
          'count() returns the platform totalHits, before the client-side part of the filter; query() may yield fewer. ' +
          `Client-side: ${plan.residual.paths.join(', ')}`,
        details: { interval: plan.interval, residualPaths: plan.residual.paths },
      });
    }
    let total = 0;
    for (const window of plan.windows) {
      total += await detailsQueryCount(this.#client, { ...plan.query, interval: window }, plan.signal);
    }
    return total;
  }

  /**
   * Counts and metrics grouped by dimensions, computed by the platform (seed 004's `group_by`): one aggregates query
   * for the conversations that started in `interval` and match `filter`. See src/search/aggregate.ts.
   *
   * ```ts
   * const groups = await search.aggregate({ interval, groupBy: ['queueId'], metrics: ['nConversations', 'tHandle'] });
   * ```
   */
  async aggregate(options: SearchAggregateOptions): Promise<AggregateGroup[]> {
    return operationSpan(this.#client, 'search.aggregate', {}, () => runAggregate(this.#client, options));
  }

  /** The plan `query()` would run (windows, the body's filters, the client-side residual, notes). Sends nothing. */
  explain(options: SearchQueryOptions): SearchPlan {
    const plan = planQuery(options);
    if (plan.source === 'job') this.#extraction(plan);
    const { interval, source, windows, query, residual, notes } = plan;
    return { interval, source, windows, query, residual, notes };
  }

  /**
   * The seed's readiness probe: a pageSize-1 details query over the last hour. A 503 (index not ready) is retried
   * by the transport with its longer 503 backoff; when those retries run out, the probe is repeated with backoff
   * until `timeoutMs`, then a `TimeoutError`. Any other error is thrown at once (a 401 will not fix itself).
   */
  async ready(options: SearchReadyOptions = {}): Promise<SearchReadyResult> {
    const parsed = SearchReadySchema.safeParse(options);
    const issues = parsed.success ? [] : zodIssues(parsed.error.issues);
    let interval: string | undefined;
    if (options?.interval !== undefined) interval = checkInterval(options.interval, issues);
    if (!parsed.success || issues.length > 0) throw new ValidationError('InteractionSearch.ready() input', issues);
    const { timeoutMs, signal: userSignal } = parsed.data;
    const nowS = Math.floor(Date.now() / 1000) * 1000;
    const probeInterval = interval ?? formatInterval(nowS - HOUR_MS, nowS);

    const started = performance.now();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error('ready() deadline')), timeoutMs);
    (timer as { unref?: () => void }).unref?.();
    const signal = userSignal ? AbortSignal.any([userSignal, deadline.signal]) : deadline.signal;
    const retry = this.#client.options.retry;
    let probes = 0;
    let lastStatus: number | undefined;
    const gaveUp = (cause: unknown) =>
      userSignal?.aborted
        ? new AbortError("InteractionSearch.ready() was aborted by the caller's signal", { cause: userSignal.reason })
        : new TimeoutError(
            `The search index was not ready within ${timeoutMs} ms (${probes} probe(s)${lastStatus ? `, last answer ${lastStatus}` : ''})`,
            { kind: 'deadline', timeoutMs, method: 'POST', path: DETAILS_QUERY_PATH },
          );
    try {
      for (;;) {
        try {
          await detailsQueryCount(this.#client, { interval: probeInterval }, signal);
          probes++;
          return { ready: true, latencyMs: Math.round(performance.now() - started), probes };
        } catch (e) {
          probes++;
          if (signal.aborted) throw gaveUp(e);
          if (!(e instanceof ServerError && e.status === 503)) throw e;
          lastStatus = e.status;
          // Continue the transport's exponential 503 backoff where its own retries stopped, with equal jitter
          // so a probe is never fired straight after a failed one.
          const step = Math.min(retry.maxDelayMs, retry.baseDelayMs * retry.serviceUnavailableFactor * 2 ** (retry.limit + probes - 1));
          const delayMs = e.retryAfterMs ?? Math.ceil(step / 2 + (Math.random() * step) / 2);
          this.#client.emit('progress', {
            operation: 'search.ready',
            probe: probes,
            status: e.status,
            elapsedMs: Math.round(performance.now() - started),
            nextProbeInMs: delayMs,
          });
          try {
            await abortableSleep(delayMs, signal);
          } catch (sleepError) {
            throw gaveUp(sleepError);
          }
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  async *#run(plan: QueryPlan): AsyncGenerator<SearchConversation> {
    const searchId = nodeCrypto().randomUUID();
    let page = 0;
    let matched = 0;
    let scanned = 0;
    for (const window of plan.windows) {
      const query: DetailsQuery = { ...plan.query, interval: window };
      for await (const p of this.#pagesWaitingOutRebuilds(query, plan)) {
        page++;
        scanned += p.items.length;
        let hits = plan.residual ? p.items.filter((c) => applyResidual(plan.residual, c)) : p.items;
        const room = plan.limit === undefined ? Infinity : plan.limit - matched;
        const reachedLimit = hits.length >= room;
        if (hits.length > room) hits = hits.slice(0, room);
        matched += hits.length;
        const batch: SearchBatch = {
          type: 'batch',
          searchId,
          page,
          interval: plan.interval,
          window,
          conversations: hits.map((c) => c.conversationId),
          pageScanned: p.items.length,
          matched,
          scanned,
          totalHits: p.totalHits,
        };
        this.#client.emit('progress', {
          operation: 'search.query',
          source: 'sync',
          searchId,
          page,
          window,
          pageNumber: p.pageNumber,
          pageMatched: hits.length,
          pageScanned: p.items.length,
          matched,
          scanned,
          totalHits: p.totalHits,
        });
        for (const c of hits) {
          yield c;
          throwIfAborted(plan.signal);
        }
        // Announced only once the consumer has taken the whole batch: "batch done" means handled downstream.
        await this.#announce(plan, batch);
        if (reachedLimit) {
          await this.#announce(plan, { type: 'complete', searchId, interval: plan.interval, pages: page, matched, scanned, reason: 'limit' });
          return;
        }
      }
    }
    await this.#announce(plan, { type: 'complete', searchId, interval: plan.interval, pages: page, matched, scanned, reason: 'exhausted' });
  }

  /**
   * The details query's pages, with a search index that answers 503 while it rebuilds waited out (seed 004): once
   * the transport's 503 retries are spent, the same page is asked for again with the transport's 503 backoff
   * (continued, capped at its maxDelayMs, or the Retry-After), resuming at that page, until `indexWaitMs` has passed
   * since the first 503 of the streak. Any other error, and a 503 past the wait, is thrown as it is.
   */
  async *#pagesWaitingOutRebuilds(query: DetailsQuery, plan: QueryPlan): AsyncGenerator<DetailsPage> {
    const retry = this.#client.options.retry;
    let nextPage = 1;
    let streakStart: number | undefined;
    let waits = 0;
    for (;;) {
      try {
        for await (const p of detailsQueryPages(this.#client, query, { pageSize: plan.pageSize, startPage: nextPage, signal: plan.signal })) {
          streakStart = undefined;
          waits = 0;
          nextPage = p.pageNumber + 1;
          yield p;
        }
        return;
      } catch (e) {
        if (!(e instanceof ServerError && e.status === 503) || plan.indexWaitMs === 0) throw e;
        const now = Date.now();
        streakStart ??= now;
        const waited = now - streakStart;
        if (waited >= plan.indexWaitMs) throw e;
        const step = Math.min(retry.maxDelayMs, retry.baseDelayMs * retry.serviceUnavailableFactor * 2 ** (retry.limit + waits));
        const delayMs = Math.min(plan.indexWaitMs - waited, e.retryAfterMs ?? Math.ceil(step / 2 + (Math.random() * step) / 2));
        waits++;
        this.#client.emit('warning', {
          code: 'search-index-rebuilding',
          message: `the search index answered 503 (rebuilding?) for page ${nextPage}; asking again in ${delayMs} ms (waited ${waited} of ${plan.indexWaitMs} ms)`,
          details: { page: nextPage, waitedMs: waited, indexWaitMs: plan.indexWaitMs, nextTryInMs: delayMs },
        });
        await abortableSleep(delayMs, plan.signal);
      }
    }
  }

  /**
   * The job path's extraction, built at the call: ReportQueries.extract() validates its options synchronously,
   * so a bad chunk or poll option is still refused before any request.
   */
  #extraction(plan: QueryPlan): ReportExtraction<{ conversation: AnalyticsConversation }> {
    const job = plan.job ?? {};
    const { order: _order, ...filters } = plan.query;
    try {
      return new ReportQueries(this.#client).extract({
        interval: plan.interval,
        query: filters,
        project: (conversation) => ({ conversation }),
        availability: job.availability ?? 'fill',
        ...(job.chunk !== undefined ? { chunk: job.chunk } : {}),
        ...(job.concurrency !== undefined ? { concurrency: job.concurrency } : {}),
        ...(job.poll !== undefined ? { poll: job.poll } : {}),
        ...(plan.signal ? { signal: plan.signal } : {}),
      });
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      throw new ValidationError(
        'InteractionSearch.query() input',
        e.issues.map((i) => ({ ...i, path: i.path ? `job.${i.path}` : 'job' })),
        'job options go to ReportQueries.extract(): see docs/analytics.md',
      );
    }
  }

  /**
   * `largeRange: 'job'`. Jobs return conversations with *activity* in their window, so rows that started outside
   * the interval are dropped: the search keeps the details query's meaning (started in the interval). Rows arrive
   * one by one, so a batch is `pageSize` scanned conversations.
   */
  async *#runJob(plan: QueryPlan, extraction: ReportExtraction<{ conversation: AnalyticsConversation }>): AsyncGenerator<SearchConversation> {
    const searchId = nodeCrypto().randomUUID();
    const { startMs, endMs } = parseInterval(plan.interval);
    let page = 0;
    let matched = 0;
    let scanned = 0;
    let pageScanned = 0;
    let pageHits: string[] = [];
    const flush = async () => {
      page++;
      const batch: SearchBatch = {
        type: 'batch',
        searchId,
        page,
        interval: plan.interval,
        window: plan.interval,
        conversations: pageHits,
        pageScanned,
        matched,
        scanned,
        totalHits: undefined,
      };
      this.#client.emit('progress', {
        operation: 'search.query',
        source: 'job',
        searchId,
        page,
        window: plan.interval,
        pageMatched: pageHits.length,
        pageScanned,
        matched,
        scanned,
        totalHits: undefined,
      });
      pageHits = [];
      pageScanned = 0;
      await this.#announce(plan, batch);
    };
    for await (const { conversation: c } of extraction) {
      const start = Date.parse(c.conversationStart ?? '');
      if (!(start >= startMs && start < endMs)) continue;
      scanned++;
      pageScanned++;
      if (applyResidual(plan.residual, c)) {
        matched++;
        pageHits.push(c.conversationId);
        yield c;
        throwIfAborted(plan.signal);
        if (plan.limit !== undefined && matched >= plan.limit) {
          await flush();
          await this.#announce(plan, { type: 'complete', searchId, interval: plan.interval, pages: page, matched, scanned, reason: 'limit' });
          return;
        }
      }
      if (pageScanned >= plan.pageSize) await flush();
    }
    if (pageScanned > 0) await flush();
    await this.#announce(plan, { type: 'complete', searchId, interval: plan.interval, pages: page, matched, scanned, reason: 'exhausted' });
  }

  async #announce(plan: QueryPlan, input: SearchNotification | Omit<SearchComplete, 'filterHash' | 'latencyMs'>): Promise<void> {
    throwIfAborted(plan.signal);
    let n = input as SearchNotification;
    if (input.type === 'complete') {
      const audit = { filterHash: plan.filterHash, latencyMs: Math.round(performance.now() - plan.startedAt) };
      n = { ...input, ...audit };
      this.#client.emit('progress', { operation: 'search.audit', searchId: input.searchId, interval: input.interval, ...audit, pages: input.pages, results: input.matched, scanned: input.scanned, reason: input.reason });
    }
    if (plan.notify) await plan.notify(n);
    if (!plan.callback) return;
    const client = this.#client;
    try {
      const r = await deliverBatchCallback(n, plan.callback, {
        signal: plan.signal,
        userAgent: `gc-data/${SDK_VERSION}`,
        onRetry: (retry) =>
          client.emit('warning', {
            code: 'search-callback-retry',
            message: `batch callback ${retry.deliveryId}: attempt ${retry.attempt} failed (${retry.status ?? retry.reason}); retrying in ${retry.delayMs} ms`,
            details: { ...retry },
          }),
      });
      client.emit('progress', { operation: 'search.callback', deliveryId: r.deliveryId, status: r.status, attempts: r.attempts, latencyMs: r.latencyMs });
    } catch (e) {
      if (!(e instanceof BatchCallbackError) || plan.callback.onFailure === 'throw') throw e;
      client.emit('warning', { code: 'search-callback-failed', message: e.message, details: e.toJSON() });
    }
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  throwIfCallerAborted(signal, 'InteractionSearch.query()');
}

// ---- validation and planning ------------------------------------------------------------------------------------

function zodIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; code?: string }>): ValidationIssue[] {
  return issues.map((i) => ({ path: formatPath(i.path), message: i.message, ...(i.code ? { code: i.code } : {}) }));
}

function checkInterval(input: unknown, issues: ValidationIssue[]): string | undefined {
  if (typeof input !== 'string' && (typeof input !== 'object' || input === null)) return undefined;
  try {
    const { startMs, endMs } = parseInterval(input as IntervalInput, 'interval');
    return formatInterval(startMs, endMs);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    issues.push(...e.issues.map((i) => ({ ...i, path: 'interval' })));
    return undefined;
  }
}

function compileInput(raw: Record<string, unknown>, issues: ValidationIssue[]): CompiledFilter | undefined {
  const filter = raw.filter;
  if (filter === undefined) return { notes: [] };
  if (!isFilterBuilder(filter) && (typeof filter !== 'object' || filter === null || Array.isArray(filter))) return undefined;
  try {
    // build() inside the try: an empty builder's error is named at filter.*, like any other filter problem.
    const tree: FilterNode = isFilterBuilder(filter) ? filter.build() : (filter as FilterNode);
    return compileFilter(tree, {
      residual: raw.residual === 'error' ? 'error' : 'client',
      strictEnums: raw.strictEnums !== false,
    });
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    issues.push(...e.issues.map((i) => ({ ...i, path: i.path ? `filter.${i.path}` : 'filter' })));
    return undefined;
  }
}

interface Common {
  interval: string;
  source: 'sync' | 'job';
  windows: string[];
  query: ConversationQueryFilters;
  residual: ResidualFilter | undefined;
  notes: string[];
}

/**
 * The checks shared by query() and count(): every problem is collected (option shapes, interval, filter, range)
 * so one error lists them all.
 */
function plan(
  raw: Record<string, unknown>,
  parsed: { success: true; data: { maxSyncRangeDays: number; largeRange: string } } | { success: false },
  issues: ValidationIssue[],
  order: 'asc' | 'desc' | undefined,
): Common | undefined {
  // No interval: the last 24 hours, to the second (seed 004); explain() and the notes say so.
  const nowS = Math.floor(Date.now() / 1000) * 1000;
  const defaulted = raw.interval === undefined;
  const interval = defaulted ? formatInterval(nowS - DEFAULT_SEARCH_WINDOW_MS, nowS) : checkInterval(raw.interval, issues);
  const compiled = compileInput(raw, issues);
  if (!parsed.success || !interval || !compiled || issues.length > 0) return undefined;
  const { maxSyncRangeDays, largeRange } = parsed.data;
  const maxMs = Math.round(maxSyncRangeDays * DAY_MS);
  const { startMs, endMs } = parseInterval(interval);
  let windows = [interval];
  let source: 'sync' | 'job' = 'sync';
  if (endMs - startMs > maxMs) {
    const days = ((endMs - startMs) / DAY_MS).toFixed(1);
    if (largeRange === 'split') {
      windows = splitIntervalWindows(interval, maxMs).map((w) => w.interval);
      if (order === 'desc') windows.reverse();
    } else if (largeRange === 'job') {
      if (order === 'desc') {
        issues.push({
          path: 'order',
          code: 'unsupported',
          message: "largeRange 'job' reads results by conversationStart ascending; use order 'asc', or largeRange 'split' for descending",
        });
        return undefined;
      }
      source = 'job';
    } else {
      issues.push({
        path: 'interval',
        code: 'range_too_large',
        message:
          `interval spans ${days} days, more than maxSyncRangeDays (${maxSyncRangeDays}) for one synchronous details query; ` +
          "pass largeRange: 'split' to read it window by window, narrow the interval, or raise maxSyncRangeDays if your org allows it",
      });
      return undefined;
    }
  }
  const query: ConversationQueryFilters = {};
  for (const key of ['conversationFilters', 'segmentFilters', 'evaluationFilters', 'surveyFilters'] as const) {
    const list = compiled[key];
    if (list && list.length > 0) query[key] = list as ConversationQueryFilters[typeof key];
  }
  if (order) query.order = order;
  const notes = defaulted ? [`no interval given: the 24 hours before now, ${interval} (seed 004)`, ...compiled.notes] : compiled.notes;
  return { interval, source, windows, query, residual: compiled.residual, notes };
}

function asRecord(input: unknown, where: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError(where, [{ path: '', code: 'invalid_type', message: 'expected an options object with at least { interval }' }]);
  }
  return input as Record<string, unknown>;
}

const FILTER_HINT = "Filter fields and ops are listed in docs/filters.md; residual: 'client' applies what the platform cannot express to the results.";

/** sha256 of the filters of a details query body: canonical JSON, without the interval, paging and order. */
function filterHashOf(query: object): string {
  const { interval: _i, paging: _p, order: _o, orderBy: _ob, ...filters } = query as Record<string, unknown>;
  return canonicalHash(filters);
}

function planQuery(options: SearchQueryOptions): QueryPlan {
  const where = 'InteractionSearch.query() input';
  const raw = asRecord(options, where);
  const parsed = SearchQuerySchema.safeParse(raw);
  const issues = parsed.success ? [] : zodIssues(parsed.error.issues);
  if (raw.callback !== undefined) issues.push(...batchCallbackIssues(raw.callback, 'callback.'));
  const order = parsed.success ? parsed.data.order : undefined;
  const common = plan(raw, parsed, issues, order);
  if (!parsed.success || !common || issues.length > 0) throw new ValidationError(where, issues, hintFor(issues));
  const d = parsed.data;
  return {
    ...common,
    job: d.job as SearchJobOptions | undefined,
    pageSize: d.pageSize,
    limit: d.limit,
    indexWaitMs: d.indexWaitMs,
    startedAt: performance.now(),
    filterHash: filterHashOf(common.query),
    signal: d.signal,
    notify: d.notify,
    callback: d.callback === undefined ? undefined : BatchCallbackSchema.parse(d.callback),
  };
}

function planCount(options: SearchCountOptions): Common & { signal: AbortSignal | undefined } {
  const where = 'InteractionSearch.count() input';
  const raw = asRecord(options, where);
  const parsed = SearchCountSchema.safeParse(raw);
  const issues = parsed.success ? [] : zodIssues(parsed.error.issues);
  const common = plan(raw, parsed, issues, undefined);
  if (!parsed.success || !common || issues.length > 0) throw new ValidationError(where, issues, hintFor(issues));
  return { ...common, signal: parsed.data.signal };
}

function hintFor(issues: ValidationIssue[]): string | undefined {
  return issues.some((i) => i.path === 'filter' || i.path.startsWith('filter.')) ? FILTER_HINT : undefined;
}
