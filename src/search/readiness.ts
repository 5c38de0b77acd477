/**
 * InteractionSearch's second job: the search index's readiness (docs/design-intent.md seed 004). `ready()` probes until the index answers
 * and query() waits out a rebuild (503) mid-search, both continuing the transport's 503 backoff where its own
 * retries stopped, on the client's clock (src/internal/waits.ts).
 */
import { detailsQueryCount, detailsQueryPages, DETAILS_QUERY_PATH, type DetailsPage, type DetailsQuery } from '../analytics/details-query';
import type { GenesysClient } from '../client';
import { ServerError, TimeoutError, ValidationError } from '../errors';
import { formatInterval } from '../helpers/intervals';
import { clockOf } from '../internal/clock';
import { backoffDelay, pollUntil, sleepOrAbort, type Backoff } from '../internal/waits';
import type { RetryOptions } from '../transport/retry';
import { checkInterval, zodIssues, type QueryPlan } from './plan';
import { SearchReadySchema, type SearchReadyOptions, type SearchReadyResult } from './schemas';

const HOUR_MS = 3_600_000;

/**
 * Waits after a 503 the transport gave up on: its 503 backoff continued (step n is
 * `baseDelayMs * serviceUnavailableFactor * 2^(limit + n)`, capped at `maxDelayMs`) with equal jitter, so a probe is
 * never fired straight after a failed one. A Retry-After, when given, is used instead.
 */
export function indexBackoff(retry: Pick<RetryOptions, 'baseDelayMs' | 'serviceUnavailableFactor' | 'limit' | 'maxDelayMs'>): Backoff {
  return {
    initialDelayMs: retry.baseDelayMs * retry.serviceUnavailableFactor * 2 ** retry.limit,
    factor: 2,
    maxDelayMs: retry.maxDelayMs,
    jitter: { kind: 'equal' },
  };
}

/**
 * The seed's readiness probe: a pageSize-1 details query over the last hour. A 503 (index not ready) is retried
 * by the transport with its longer 503 backoff; when those retries run out, the probe is repeated with backoff
 * until `timeoutMs` (by the client's clock), then a `TimeoutError`. Any other error is thrown at once (a 401 will
 * not fix itself).
 */
export async function probeReady(client: GenesysClient, options: SearchReadyOptions = {}): Promise<SearchReadyResult> {
  const parsed = SearchReadySchema.safeParse(options);
  const issues = parsed.success ? [] : zodIssues(parsed.error.issues);
  let interval: string | undefined;
  if (options?.interval !== undefined) interval = checkInterval(options.interval, issues);
  if (!parsed.success || issues.length > 0) throw new ValidationError('InteractionSearch.ready() input', issues);
  const { timeoutMs, signal } = parsed.data;
  const clock = clockOf(client);
  const started = clock.now();
  const deadline = started + timeoutMs;
  const nowS = Math.floor(started / 1000) * 1000;
  const probeInterval = interval ?? formatInterval(nowS - HOUR_MS, nowS);
  const backoff = indexBackoff(client.options.retry);
  let probes = 0;
  let lastStatus: number | undefined;
  const gaveUp = () =>
    new TimeoutError(`The search index was not ready within ${timeoutMs} ms (${probes} probe(s)${lastStatus ? `, last answer ${lastStatus}` : ''})`, {
      kind: 'deadline',
      timeoutMs,
      method: 'POST',
      path: DETAILS_QUERY_PATH,
    });
  return pollUntil<SearchReadyResult>(
    async ({ poll }) => {
      // A probe started at the deadline could only answer after it.
      if (poll > 1 && clock.now() >= deadline) throw gaveUp();
      probes = poll;
      try {
        // The probe (and the transport's own 503 retries inside it) may not outlast the deadline either.
        await detailsQueryCount(client, { interval: probeInterval }, signal, Math.max(1, deadline - clock.now()));
        return { done: true, value: { ready: true, latencyMs: Math.round(clock.now() - started), probes } };
      } catch (e) {
        if (e instanceof TimeoutError && e.kind === 'deadline' && !signal?.aborted) throw gaveUp();
        if (!(e instanceof ServerError && e.status === 503)) throw e;
        lastStatus = e.status;
        const delayMs = e.retryAfterMs ?? backoffDelay(backoff, probes - 1, () => clock.random());
        client.emit('progress', { operation: 'search.ready', probe: probes, status: e.status, elapsedMs: Math.round(clock.now() - started), nextProbeInMs: delayMs });
        return { done: false, retryAfterMs: delayMs };
      }
    },
    { clock, backoff, deadline, signal, immediate: true, what: 'InteractionSearch.ready()', onDeadline: gaveUp },
  );
}

/**
 * The details query's pages, with a search index that answers 503 while it rebuilds waited out (docs/design-intent.md seed 004): once
 * the transport's 503 retries are spent, the same page is asked for again with the transport's 503 backoff
 * (continued, capped at its maxDelayMs, or the Retry-After), resuming at that page, until `indexWaitMs` has passed
 * since the first 503 of the streak (by the client's clock). Any other error, and a 503 past the wait, is thrown
 * as it is. (A generator resumes mid-stream, so this is a loop over the wait layer's pieces, not retryOperation.)
 */
export async function* pagesWaitingOutRebuilds(client: GenesysClient, query: DetailsQuery, plan: QueryPlan): AsyncGenerator<DetailsPage> {
  const clock = clockOf(client);
  const backoff = indexBackoff(client.options.retry);
  let nextPage = 1;
  let streakStart: number | undefined;
  let waits = 0;
  for (;;) {
    try {
      for await (const p of detailsQueryPages(client, query, { pageSize: plan.pageSize, startPage: nextPage, signal: plan.signal })) {
        streakStart = undefined;
        waits = 0;
        nextPage = p.pageNumber + 1;
        yield p;
      }
      return;
    } catch (e) {
      if (!(e instanceof ServerError && e.status === 503) || plan.indexWaitMs === 0) throw e;
      const now = clock.now();
      streakStart ??= now;
      const waited = now - streakStart;
      if (waited >= plan.indexWaitMs) throw e;
      const delayMs = Math.min(plan.indexWaitMs - waited, e.retryAfterMs ?? backoffDelay(backoff, waits, () => clock.random()));
      waits++;
      client.emit('warning', {
        code: 'search-index-rebuilding',
        message: `the search index answered 503 (rebuilding?) for page ${nextPage}; asking again in ${delayMs} ms (waited ${waited} of ${plan.indexWaitMs} ms)`,
        details: { page: nextPage, waitedMs: waited, indexWaitMs: plan.indexWaitMs, nextTryInMs: delayMs },
      });
      await sleepOrAbort(clock, delayMs, plan.signal, 'InteractionSearch.query()');
    }
  }
}
