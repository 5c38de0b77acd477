/** What both syncs share: option checks and the apply-then-commit step. */
import { ValidationError } from '../errors';
import { parseDuration } from '../helpers/intervals';
import { DAY_MS } from './fingerprint';
import type { SyncBatch, SyncStateStore } from './types';

/** Checks the options shared by both syncs; every problem at once. */
export function resolveSyncOptions(
  options: unknown,
  where: string,
  keys: readonly string[],
  defaultStream: string,
): { o: Record<string, unknown>; lookbackMs: number; nowMs: number; stream: string; batchSize: number; state: SyncStateStore } {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValidationError(where, [{ path: '', message: "sync() needs an options object, e.g. { lookback: 'P30D', state: new FileSyncStateStore('.gc-data/sync-state.log') }" }]);
  }
  const o = options as Record<string, unknown>;
  const issues: Array<{ path: string; message: string }> = [];
  for (const k of Object.keys(o)) if (!keys.includes(k)) issues.push({ path: k, message: `unknown option "${k}": options are ${keys.join(', ')}` });
  let lookbackMs = 30 * DAY_MS;
  if (o.lookback !== undefined) {
    try {
      lookbackMs = typeof o.lookback === 'number' ? o.lookback : parseDuration(o.lookback as string, 'lookback');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      issues.push(...e.issues.map((i) => ({ path: 'lookback', message: i.message })));
    }
    if (!Number.isSafeInteger(lookbackMs) || lookbackMs <= 0) issues.push({ path: 'lookback', message: `must be a positive duration (e.g. P30D), got ${String(o.lookback).slice(0, 100)}` });
  }
  const state = o.state as SyncStateStore | undefined;
  if (state === undefined || state === null || typeof state.load !== 'function' || typeof state.commit !== 'function') {
    issues.push({ path: 'state', message: 'is required: a SyncStateStore (new FileSyncStateStore(path), postgresSyncState(warehouse), or your own with load() and commit())' });
  }
  if (o.apply !== undefined && typeof o.apply !== 'function') issues.push({ path: 'apply', message: 'must be a function (batch) => Promise<void>' });
  const stream = o.stream ?? defaultStream;
  if (typeof stream !== 'string' || stream.length === 0 || stream.length > 200) issues.push({ path: 'stream', message: 'must be a non-empty string of at most 200 characters' });
  let nowMs = Date.now();
  if (o.now !== undefined) {
    const v = typeof o.now === 'function' ? (o.now as () => unknown)() : o.now;
    nowMs = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : v instanceof Date ? v.getTime() : NaN;
    if (!Number.isFinite(nowMs)) issues.push({ path: 'now', message: `must be epoch ms, an ISO date-time, a Date or a function returning one, got ${String(v).slice(0, 100)}` });
  }
  const batchSize = o.batchSize ?? 500;
  if (typeof batchSize !== 'number' || !Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 100_000) issues.push({ path: 'batchSize', message: `must be an integer from 1 to 100000, got ${String(batchSize).slice(0, 100)}` });
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) issues.push({ path: 'signal', message: 'must be an AbortSignal' });
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') issues.push({ path: 'onProgress', message: 'must be a function' });
  if (issues.length) throw new ValidationError(where, issues);
  return { o, lookbackMs, nowMs, stream: stream as string, batchSize: batchSize as number, state: state as SyncStateStore };
}

/**
 * Warns (`sync-gap`) when the last run's watermark is older than this run's window: conversations that started in
 * between were never looked at. Returns the last watermark (ISO) or undefined.
 */
export function warnOnGap(
  client: { emit(event: 'warning', e: { code: string; message: string; details?: Record<string, unknown> }): unknown },
  watermarks: ReadonlyMap<string, { watermark: string | null }>,
  startMs: number,
  nowMs: number,
  stream: string,
): string | undefined {
  let last: string | undefined;
  for (const { watermark } of watermarks.values()) if (watermark !== null && (last === undefined || watermark > last)) last = watermark;
  if (last !== undefined && Date.parse(last) < startMs) {
    const days = Math.ceil((nowMs - Date.parse(last)) / DAY_MS) + 1;
    client.emit('warning', {
      code: 'sync-gap',
      message:
        `the last ${stream} sync covered data up to ${last}, before this run's window (${new Date(startMs).toISOString()}): ` +
        `what changed in between was never looked at; run once with a longer lookback (e.g. P${days}D) to close the gap`,
      details: { stream, lastWatermark: last, windowStart: new Date(startMs).toISOString() },
    });
  }
  return last;
}

/** Applies a batch (the caller's apply, else the store's), then commits its state. */
export function batchApplier<C>(
  o: { apply?: unknown },
  state: SyncStateStore,
  storeApply: ((batch: SyncBatch<C>) => Promise<void>) | undefined,
  what: string,
): (batch: SyncBatch<C>) => Promise<void> {
  const apply = o.apply as ((batch: SyncBatch<C>) => Promise<void> | void) | undefined;
  if (apply) {
    return async (batch) => {
      await apply(batch);
      // Nothing between the apply and the commit: an abort cannot separate them.
      await state.commit(batch.state);
    };
  }
  if (storeApply) return storeApply;
  throw new ValidationError(what, [
    { path: 'apply', message: `is required: give apply(batch) to write the changes somewhere, or a state store that is the destination too (postgresSyncState(warehouse)); this ${state.kind} store only keeps state` },
  ]);
}
