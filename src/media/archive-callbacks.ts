/**
 * Archive synchronisation callbacks (docs/design-intent.md seed 002 step 3). After a successful write each callback is awaited in
 * registration order (the seed's "deterministic alignment"), each with its own timeout and abort signal. A callback
 * that throws, rejects or times out is recorded and reported as a `warning`; it never stops the next callback and
 * never undoes or fails the write, which has already happened.
 */
import type { GenesysClient } from '../client';
import { systemClock } from '../internal/clock';
import type { ArchiveCallback, ArchiveEventData, ArchiveEventName } from './schemas';

export interface ArchiveCallbackResult {
  /** Position in registration order. */
  index: number;
  /** The function's name, or `callback#<index>`. */
  name: string;
  status: 'ok' | 'error' | 'timeout';
  durationMs: number;
  /** `Error.message` of a failure (first 500 characters). */
  error?: string;
}

class CallbackTimeout extends Error {}

export async function runArchiveCallbacks(
  client: GenesysClient,
  callbacks: readonly ArchiveCallback[],
  event: ArchiveEventName,
  data: ArchiveEventData,
  timeoutMs: number,
): Promise<ArchiveCallbackResult[]> {
  const results: ArchiveCallbackResult[] = [];
  for (const [index, cb] of callbacks.entries()) {
    const name = cb.name || `callback#${index}`;
    const controller = new AbortController();
    // Real time on purpose (the system clock, not the client's): it bounds user code, like the transport's
    // per-attempt timeout bounds network I/O; a fake clock in tests must not time a callback out.
    const stopTimer = new AbortController();
    const started = performance.now();
    let result: ArchiveCallbackResult;
    try {
      const timeout = systemClock.sleep(timeoutMs, stopTimer.signal).then(() => {
        const err = new CallbackTimeout(`archive callback ${name} did not finish within ${timeoutMs} ms`);
        controller.abort(err);
        throw err;
      });
      timeout.catch(() => undefined);
      // A private copy per callback: one callback mutating its data cannot change what the next one sees.
      const run = Promise.resolve().then(() => cb(event, structuredClone(data), { signal: controller.signal }));
      await Promise.race([run, timeout]);
      result = { index, name, status: 'ok', durationMs: performance.now() - started };
    } catch (e) {
      const timedOut = e instanceof CallbackTimeout;
      const message = (e instanceof Error ? e.message : String(e)).slice(0, 500);
      result = { index, name, status: timedOut ? 'timeout' : 'error', durationMs: performance.now() - started, error: message };
      client.emit('warning', {
        code: timedOut ? 'archive-callback-timeout' : 'archive-callback-failed',
        message: `archive callback ${name} ${timedOut ? 'timed out' : 'failed'} on ${event}; the write stands and the other callbacks ran`,
        details: { event, conversationId: data.conversationId, callback: name, index, error: message },
      });
    } finally {
      stopTimer.abort();
    }
    results.push({ ...result, durationMs: Math.round(result.durationMs * 100) / 100 });
  }
  return results;
}
