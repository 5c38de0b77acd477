/**
 * What both syncs (quality/sync.ts, analytics/sync.ts) share: one options schema and resolver, the batcher that
 * applies a batch then commits its state, the look-back's aged state, the gap warning, and the summary.
 */
import { clockOf, systemClock, type Clock } from '../internal/clock';
import * as z from 'zod';
import type { GenesysClient } from '../client';
import { throwIfCallerAborted, ValidationError } from '../errors';
import { parseDuration } from '../helpers/intervals';
import { lazySchema } from '../internal/lazy-schema';
import { parseOptions } from '../internal/parse-options';
import { DAY_MS, windowOf } from './fingerprint';
import type { SyncBatch, SyncStateStore, SyncStateWrite, SyncSummary } from './types';

const isFunction = (v: unknown): v is (...args: never[]) => unknown => typeof v === 'function';
const isStore = (v: unknown): v is SyncStateStore => typeof v === 'object' && v !== null && isFunction((v as SyncStateStore).load) && isFunction((v as SyncStateStore).commit);
const validLookback = (v: string) => {
  try {
    return parseDuration(v, 'lookback') > 0;
  } catch {
    return false;
  }
};

/** The options every sync takes (each sync adds its own keys). Their type and defaults: SyncRunOptions in ./types.ts. */
export const syncOptionsShape = () => ({
  lookback: z
    .union([
      z.string().refine(validLookback, { error: 'must be an ISO-8601 duration of days or less, e.g. P30D' }),
      z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    ])
    .optional(),
  state: z.custom<SyncStateStore>(isStore, {
    error: 'is required: a SyncStateStore (new FileSyncStateStore(path), postgresSyncState(warehouse), or your own with load() and commit())',
  }),
  apply: z.custom<(batch: never) => unknown>(isFunction, { error: 'must be a function (batch) => Promise<void>' }).optional(),
  stream: z.string().min(1).max(200).optional(),
  now: z.union([z.number(), z.string(), z.date(), z.custom<() => number>(isFunction)]).optional(),
  batchSize: z.number().int().min(1).max(100_000).optional(),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, { error: 'must be an AbortSignal' }).optional(),
  onProgress: z.custom<(p: never) => void>(isFunction, { error: 'must be a function' }).optional(),
});

type Shape = ReturnType<typeof syncOptionsShape>;

/** A sync's schema: the shared options plus `extra`, strict (an unknown key is an issue naming it). */
export const syncOptionsSchema = <E extends z.ZodRawShape>(extra: () => E) => lazySchema(() => z.strictObject({ ...syncOptionsShape(), ...extra() }));

export interface ResolvedSync<O> {
  o: O;
  lookbackMs: number;
  nowMs: number;
  stream: string;
  batchSize: number;
  state: SyncStateStore;
  signal: AbortSignal | undefined;
}

/** Checks a sync's options (every problem at once, before any request) and resolves the shared ones. */
export function resolveSyncOptions<O extends z.infer<z.ZodObject<Shape>>>(schema: z.ZodType<O>, options: unknown, where: string, defaultStream: string, clock: Clock = systemClock): ResolvedSync<O> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ValidationError(where, [{ path: '', message: "sync() needs an options object, e.g. { lookback: 'P30D', state: new FileSyncStateStore('.gc-data/sync-state.log') }" }]);
  }
  const o = parseOptions(schema, options, where);
  const lookbackMs = o.lookback === undefined ? 30 * DAY_MS : typeof o.lookback === 'number' ? o.lookback : parseDuration(o.lookback, 'lookback');
  let nowMs = clock.now();
  if (o.now !== undefined) {
    const v = typeof o.now === 'function' ? (o.now as () => unknown)() : o.now;
    nowMs = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : v instanceof Date ? v.getTime() : NaN;
    if (!Number.isFinite(nowMs)) throw new ValidationError(where, [{ path: 'now', message: `must be epoch ms, an ISO date-time, a Date or a function returning one, got ${String(v).slice(0, 100)}` }]);
  }
  return { o, lookbackMs, nowMs, stream: o.stream ?? defaultStream, batchSize: o.batchSize ?? 500, state: o.state, signal: o.signal };
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

/**
 * Applies a batch and commits its state. `pipelined`: it may be called again before the previous call settled (the
 * store commits in call order and refuses a batch after a failed one: SyncStateStore.pipelined).
 */
export type BatchApplier<C> = ((batch: SyncBatch<C>) => Promise<void>) & { readonly pipelined: boolean };

/** Applies a batch (the caller's apply, else the store's), then commits its state. */
export function batchApplier<C>(
  o: { apply?: unknown },
  state: SyncStateStore,
  storeApply: ((batch: SyncBatch<C>) => Promise<void>) | undefined,
  what: string,
): BatchApplier<C> {
  const apply = o.apply as ((batch: SyncBatch<C>) => Promise<void> | void) | undefined;
  if (apply) {
    // One batch at a time: a caller's apply and the store's commit are two steps, in order only if never overlapped.
    return Object.assign(
      async (batch: SyncBatch<C>) => {
        await apply(batch);
        // Nothing between the apply and the commit: an abort cannot separate them.
        await state.commit(batch.state);
      },
      { pipelined: false },
    );
  }
  if (storeApply) return Object.assign((batch: SyncBatch<C>) => storeApply(batch), { pipelined: state.pipelined === true });
  throw new ValidationError(what, [
    { path: 'apply', message: `is required: give apply(batch) to write the changes somewhere, or a state store that is the destination too (postgresSyncState(warehouse)); this ${state.kind} store only keeps state` },
  ]);
}

type FingerprintWrite = { stream: string; key: string; fingerprint: string | null };

/**
 * Collects changes and their fingerprints into batches of `batchSize`. `flush()` hands a batch over to be applied
 * (and its state committed: one step, see batchApplier) and returns without waiting for it, so the sync fetches the
 * next batch while this one is written. At most one batch is in flight, or two when the applier is `pipelined` (the
 * Postgres store: the next batch is checked, encoded, staged and, when it shares no row, merged while the previous
 * one is written, and commits after it; src/postgres/batch-order.ts); a batch's error is thrown by the next add(),
 * flush() or run(). `known` holds the fingerprints as of the batches handed over. The sync's loop runs inside `run()`,
 * which waits for every batch in flight.
 */
export class SyncBatcher<C> {
  private changes: C[] = [];
  private fingerprints: FingerprintWrite[] = [];
  /** Batches handed over and not settled, oldest first. */
  private readonly inFlight: Array<Promise<void>> = [];
  private failed: { error: unknown } | undefined;
  /** Batches applied (their state committed). */
  batches = 0;

  constructor(
    private readonly r: { stream: string; batchSize: number; signal: AbortSignal | undefined },
    readonly known: Map<string, string>,
    private readonly applyBatch: BatchApplier<C>,
    private readonly what: string,
  ) {}

  /** Batches that may be in flight at once. */
  get depth(): number {
    return this.applyBatch.pipelined ? 2 : 1;
  }

  /** Drops the state of keys whose day is before `firstDay` (their rows stay): it goes with the first batch. */
  ageOut(firstDay: string): number {
    let aged = 0;
    for (const [key, fp] of this.known) {
      const w = windowOf(fp);
      if (w !== '' && w < firstDay) {
        this.fingerprints.push({ stream: this.r.stream, key, fingerprint: null });
        aged++;
      }
    }
    return aged;
  }

  /** A change and its key's new fingerprint (null: the key leaves the state); flushes a full batch. */
  async add(change: C, key: string, fingerprint: string | null): Promise<void> {
    // A batch that failed in the background ends the run now, not after the next batchSize fetches.
    if (this.failed) throw this.failed.error;
    this.changes.push(change);
    this.fingerprints.push({ stream: this.r.stream, key, fingerprint });
    if (this.changes.length >= this.r.batchSize) await this.flush();
  }

  /** Hands over what is pending (with `watermarks`, even when nothing else is) once there is room in flight. */
  async flush(watermarks?: SyncStateWrite['watermarks']): Promise<void> {
    if (this.changes.length === 0 && this.fingerprints.length === 0 && !watermarks) return;
    throwIfCallerAborted(this.r.signal, this.what);
    while (this.inFlight.length >= this.depth) await this.inFlight.shift();
    // An earlier batch failed (a pipelined store refuses the later ones): hand nothing more over.
    if (this.failed) throw this.failed.error;
    throwIfCallerAborted(this.r.signal, this.what);
    const previous = this.inFlight[this.inFlight.length - 1];
    const batch: SyncBatch<C> = {
      changes: this.changes,
      state: { fingerprints: this.fingerprints, ...(watermarks ? { watermarks } : {}) },
      // The store commits this batch only if that one is written (a failure there is reported by it, not again here).
      ...(previous ? { after: previous } : {}),
    };
    for (const f of this.fingerprints) {
      if (f.fingerprint === null) this.known.delete(f.key);
      else this.known.set(f.key, f.fingerprint);
    }
    this.changes = [];
    this.fingerprints = [];
    const run = this.applyBatch(batch).then(
      () => {
        this.batches++;
      },
      (error: unknown) => {
        // The first failure is the one reported: a later batch refused because of it says less.
        this.failed ??= { error };
        throw this.failed.error;
      },
    );
    // Awaited by a later flush() or run(); until then a failure is held in `failed`, not reported as unhandled.
    run.catch(() => {});
    this.inFlight.push(run);
  }

  /** Waits for every batch in flight; throws the first failure. */
  private async drain(): Promise<void> {
    while (this.inFlight.length > 0) await this.inFlight.shift();
  }

  /**
   * Runs the sync's loop, then waits for the batches in flight (the first error, if any, is thrown). A loop that
   * fails (an error, an abort) first lets the batches being written finish, so nothing is still writing when the
   * sync rejects.
   */
  async run(loop: () => Promise<void>): Promise<void> {
    try {
      await loop();
      await this.drain();
    } catch (e) {
      await Promise.allSettled(this.inFlight.splice(0));
      throw e;
    }
  }
}

/** The summary both syncs return. */
export function syncSummary(
  client: Pick<GenesysClient, 'stats'>,
  run: { stream: string; window: string; startedMs: number; requestsBefore: number; batches: number },
  counts: { new: number; changed: number; deleted?: number; unchanged: number; ignored?: number; discovered: number; fetched: number; aged: number },
): SyncSummary {
  const finished = clockOf(client).now();
  return {
    stream: run.stream,
    window: run.window,
    new: counts.new,
    changed: counts.changed,
    deleted: counts.deleted ?? 0,
    unchanged: counts.unchanged,
    ignored: counts.ignored ?? 0,
    discovered: counts.discovered,
    fetched: counts.fetched,
    aged: counts.aged,
    batches: run.batches,
    requests: client.stats().requests - run.requestsBefore,
    startedAt: new Date(run.startedMs).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - run.startedMs,
  };
}
