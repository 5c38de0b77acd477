/**
 * InteractionSearch's third job: telling the caller about each batch and the end of a search, through `notify`
 * (awaited) and the signed HTTP callback (src/search/batch-callback.ts), plus the audit `progress` event of the
 * completion. Runs after the consumer has taken a whole batch: "batch done" means handled downstream.
 */
import { SDK_VERSION, type GenesysClient } from '../client';
import { throwIfCallerAborted } from '../errors';
import { clockOf } from '../internal/clock';
import { BatchCallbackError, deliverBatchCallback } from './batch-callback';
import type { QueryPlan } from './plan';
import type { SearchComplete, SearchNotification } from './schemas';

export function throwIfSearchAborted(signal: AbortSignal | undefined): void {
  throwIfCallerAborted(signal, 'InteractionSearch.query()');
}

/** Notifies `notify` and the callback of one batch or the completion; a failed callback throws or warns per `onFailure`. */
export async function announce(client: GenesysClient, plan: QueryPlan, input: SearchNotification | Omit<SearchComplete, 'filterHash' | 'latencyMs'>): Promise<void> {
  throwIfSearchAborted(plan.signal);
  const clock = clockOf(client);
  let n = input as SearchNotification;
  if (input.type === 'complete') {
    const audit = { filterHash: plan.filterHash, latencyMs: Math.round(clock.now() - plan.startedAt) };
    n = { ...input, ...audit };
    client.emit('progress', { operation: 'search.audit', searchId: input.searchId, interval: input.interval, ...audit, pages: input.pages, results: input.matched, scanned: input.scanned, reason: input.reason });
  }
  if (plan.notify) await plan.notify(n);
  if (!plan.callback) return;
  try {
    const r = await deliverBatchCallback(n, plan.callback, {
      signal: plan.signal,
      userAgent: `gc-data/${SDK_VERSION}`,
      clock,
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
