/**
 * InteractionSearch (docs/design-intent.md seed 004). The platform has no interaction-search endpoint (docs/platform-notes.md section f): a search is the
 * synchronous details query, paged by `pageNumber`, with the seed's filter tree compiled to real predicates and what
 * the platform cannot express applied to the returned conversations. docs/search.md is the guide.
 *
 * ```ts
 * const search = new InteractionSearch(client);
 * await search.ready();
 * for await (const conv of search.query({ filter, interval })) handle(conv);
 * ```
 */
import { checkClient } from '../internal/parse-options';
import { nodeCrypto } from '../internal/node-builtins';
import { clockOf } from '../internal/clock';
import { runAggregate, type AggregateGroup, type SearchAggregateOptions } from './aggregate';
import { detailsQueryCount, type DetailsQuery } from '../analytics/details-query';
import { ReportQueries, type ReportExtraction } from '../analytics/report-jobs';
import type { AnalyticsConversation } from '../analytics/schemas';
import type { GenesysClient } from '../client';
import { ValidationError } from '../errors';
import { applyResidual } from '../filters/evaluate';
import { parseInterval } from '../helpers/intervals';
import { countedIterable, operationIterable, operationSpan } from '../telemetry/registry';
import { announce, throwIfSearchAborted } from './notifications';
import { planCount, planQuery, type QueryPlan, type SearchPlan } from './plan';
import { pagesWaitingOutRebuilds, probeReady } from './readiness';
import type { SearchBatch, SearchConversation, SearchCountOptions, SearchQueryOptions, SearchReadyOptions, SearchReadyResult } from './schemas';

export type { SearchPlan } from './plan';

/**
 * Searches conversations through the analytics details query. Inputs are validated completely before the first
 * request; results stream as an `AsyncIterable` so memory stays flat; each page emits a `progress` event and can
 * notify a function or a signed HTTP callback.
 */
export class InteractionSearch {
  readonly #client: GenesysClient;

  constructor(client: GenesysClient) {
    checkClient(client, 'InteractionSearch arguments');
    this.#client = client;
  }

  /**
   * Conversations that started in `interval` and match `filter`, in `order` of conversation start. Throws a
   * `ValidationError` here, at the call, for any bad input: nothing has been sent by then.
   */
  query(options: SearchQueryOptions): AsyncGenerator<SearchConversation> {
    const plan = planQuery(options, clockOf(this.#client).now());
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
    const plan = planCount(options, clockOf(this.#client).now());
    return operationSpan(this.#client, 'search.count', {}, () => this.#count(plan));
  }

  async #count(plan: SearchPlan & { signal: AbortSignal | undefined }): Promise<number> {
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
   * Counts and metrics grouped by dimensions, computed by the platform (docs/design-intent.md seed 004's `group_by`): one aggregates query
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
    const plan = planQuery(options, clockOf(this.#client).now());
    if (plan.source === 'job') this.#extraction(plan);
    const { interval, source, windows, query, residual, notes } = plan;
    return { interval, source, windows, query, residual, notes };
  }

  /**
   * The seed's readiness probe: a pageSize-1 details query over the last hour, repeated with backoff while the
   * index answers 503, until `timeoutMs`, then a `TimeoutError` (src/search/readiness.ts).
   */
  async ready(options: SearchReadyOptions = {}): Promise<SearchReadyResult> {
    return probeReady(this.#client, options);
  }

  async *#run(plan: QueryPlan): AsyncGenerator<SearchConversation> {
    const searchId = nodeCrypto().randomUUID();
    let page = 0;
    let matched = 0;
    let scanned = 0;
    for (const window of plan.windows) {
      const query: DetailsQuery = { ...plan.query, interval: window };
      for await (const p of pagesWaitingOutRebuilds(this.#client, query, plan)) {
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
          throwIfSearchAborted(plan.signal);
        }
        // Announced only once the consumer has taken the whole batch: "batch done" means handled downstream.
        await announce(this.#client, plan, batch);
        if (reachedLimit) {
          await announce(this.#client, plan, { type: 'complete', searchId, interval: plan.interval, pages: page, matched, scanned, reason: 'limit' });
          return;
        }
      }
    }
    await announce(this.#client, plan, { type: 'complete', searchId, interval: plan.interval, pages: page, matched, scanned, reason: 'exhausted' });
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
      await announce(this.#client, plan, batch);
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
        throwIfSearchAborted(plan.signal);
        if (plan.limit !== undefined && matched >= plan.limit) {
          await flush();
          await announce(this.#client, plan, { type: 'complete', searchId, interval: plan.interval, pages: page, matched, scanned, reason: 'limit' });
          return;
        }
      }
      if (pageScanned >= plan.pageSize) await flush();
    }
    if (pageScanned > 0) await flush();
    await announce(this.#client, plan, { type: 'complete', searchId, interval: plan.interval, pages: page, matched, scanned, reason: 'exhausted' });
  }
}
