/**
 * `ReportQueries.extract()`: a long interval -> half-open windows -> one job per window (at most `concurrency` at
 * once) -> deduped conversations -> flat rows, yielded as pages arrive. Memory is bounded by the windows in flight
 * (one page being consumed and one prefetched per window), never by the number of rows.
 *
 * Dedupe. A job returns the conversations *with activity* in its interval, so one that crosses a boundary comes
 * back from both sides. A conversation lying entirely inside its job's interval cannot come back from another
 * (the job intervals of an extract never overlap), so only the others, the "spanners", are remembered by id with
 * their end; an id is forgotten once no unfinished window starts before its end. That is exact, and costs memory in
 * proportion to the conversations crossing open boundaries instead of every id ever emitted.
 */
import type { GenesysClient } from '../client';
import { GcError, throwIfCallerAborted } from '../errors';
import { formatInterval, splitIntervalWindows, type IntervalWindow } from '../helpers/intervals';
import type { Checkpoint } from '../sinks/checkpoint';
import { openRun } from '../sinks/resumable-run';
import type { RowSink } from '../sinks/sink';
import { parseExtractState } from './extract-checkpoint';
import { planExtract, runTail, type ExtractPlan, type TailPage } from './availability';
import { reconcile, WindowIds, type ReconcileRecord } from './reconcile';
import { endMsOf, runWindow, startMsOf, type ResubmitRecord, type RunnerHooks, type RunnerPage, type SplitRecord } from './job-runner';
import { DriftTracker } from './projection';
import { addDone, isDone, mergeBounded } from './merge-windows';
import { ReportJob, type JobProgress, type ReportRuntime } from './report-job';
import type { AnalyticsConversation, AvailabilityPolicy, ConversationQueryFilters, ExtractCheckpointState, WindowState } from './schemas';

export type ExtractProgress = {
  operation: 'analytics.extract';
  windowsTotal: number;
  windowsDone: number;
  /** Rows yielded by this process. */
  rows: number;
  duplicates: number;
  jobsRunning: number;
};

export type { ReconcileRecord } from './reconcile';

export interface ExtractSummary {
  /** The interval asked for. */
  requested: string;
  /** The range whose rows are complete: the whole interval, or up to the availability date under `clip`; null if none. */
  complete: string | null;
  availability: AvailabilityPolicy;
  dataAvailabilityDate: string | undefined;
  /** Left out by `clip`. */
  clipped: string | undefined;
  /** Read through the sync details query by `fill`. */
  filled: string | undefined;
  windowsTotal: number;
  windowsDone: number;
  jobsSubmitted: number;
  /** Intervals re-run as halves, and why (FAILED, or cancelled after maxWait). */
  splits: SplitRecord[];
  /** Jobs resubmitted after EXPIRED (or gone). */
  resubmits: ResubmitRecord[];
  /** Rows yielded by this process. */
  rows: number;
  /** Conversations skipped because another window (or an earlier job of a resubmitted one) had yielded them. */
  duplicates: number;
  reconcile: ReconcileRecord[];
  /**
   * Rows whose conversation started outside the requested interval (jobs return conversations with activity in a
   * window, so a conversation that started earlier and was still running is among them): yielded, counted here, and
   * announced by one `rows-outside-interval` warning per window that had any (docs/design-intent.md seed 003: "alert when result
   * timestamps fall outside the requested window").
   */
  outsideInterval: number;
  /** Columns reported by a `schema-drift` warning. */
  driftFields: string[];
  /** Resumed from a checkpoint, with the rows and duplicates counted before. */
  resumedFrom: { rows: number; duplicates: number } | undefined;
  /** True once every window (and tail) is done. */
  finished: boolean;
}

/** Resolved, validated options (see ExtractOptions in report-jobs.ts for the documented, public form). */
export interface ExtractConfig<R> {
  startMs: number;
  endMs: number;
  chunkMs: number;
  concurrency: number;
  filters: ConversationQueryFilters;
  project: (c: AnalyticsConversation) => R;
  policy: AvailabilityPolicy;
  fillLookbackMs: number;
  reconcileThreshold: number | undefined;
  checkpoint: Checkpoint<ExtractCheckpointState> | undefined;
  beforeCheckpoint: (() => Promise<void>) | undefined;
  /** `exportTo()`: the sink the rows go to; the runner cuts it back on resume and flushes it before each save. */
  sink: Pick<RowSink<never>, 'flush' | 'rewindTo'> | undefined;
  cancelOnExit: boolean;
  pageSize: number;
  maxWaitMs: number;
  poll: ReportRuntime['poll'];
  signal: AbortSignal | undefined;
  onProgress: ((p: ExtractProgress | JobProgress) => void) | undefined;
  /** What identifies this extract; its canonical JSON is the checkpoint's fingerprint. */
  identity: unknown;
}

export interface ExtractDeps {
  client: GenesysClient;
  runtime: ReportRuntime;
  submit(interval: string, filters: ConversationQueryFilters, signal: AbortSignal | undefined): Promise<ReportJob>;
  attach(id: string, interval: string, submittedAt: number): ReportJob;
}

/** A projected row as yielded: fields the projection left `undefined` arrive as `null` (schema drift). */
export type Projected<R> = R extends object ? { [K in keyof R]: undefined extends R[K] ? Exclude<R[K], undefined> | null : R[K] } : R;

type SourcePage = { kind: 'window'; page: RunnerPage } | { kind: 'tail'; page: TailPage };

/** The body of ReportExtraction's iterator. `summary` is updated as it goes. */
export async function* runExtract<R>(deps: ExtractDeps, cfg: ExtractConfig<R>, summary: ExtractSummary): AsyncGenerator<Projected<R>> {
  const { client } = deps;
  const stopAll = new AbortController();
  const signal = cfg.signal ? AbortSignal.any([cfg.signal, stopAll.signal]) : stopAll.signal;

  const run = await openRun<ExtractCheckpointState>({
    where: 'extract checkpoint',
    checkpoint: cfg.checkpoint,
    identity: cfg.identity,
    parse: parseExtractState,
    upgrade: parseExtractState,
    sink: cfg.sink,
    beforeCommit: cfg.beforeCheckpoint,
  });
  const saved = run.saved;
  const plan: ExtractPlan =
    saved?.plan ??
    (await planExtract({
      client,
      runtime: deps.runtime,
      startMs: cfg.startMs,
      endMs: cfg.endMs,
      policy: cfg.policy,
      fillLookbackMs: cfg.fillLookbackMs,
      maxWaitMs: cfg.maxWaitMs,
      poll: cfg.poll,
      signal: cfg.signal,
    }));
  const windows: IntervalWindow[] = plan.jobEndMs > plan.startMs ? splitIntervalWindows({ start: plan.startMs, end: plan.jobEndMs }, cfg.chunkMs) : [];
  const tailIndex = plan.tail ? windows.length : -1;
  const state: ExtractCheckpointState = saved ?? {
    v: 2,
    fingerprint: run.fingerprint,
    plan,
    windowsTotal: windows.length,
    done: [],
    active: {},
    ...(plan.tail ? { tail: { nextPage: 1, done: false } } : {}),
    spanners: [],
    rows: 0,
    duplicates: 0,
  };
  Object.assign(summary, {
    complete: plan.tail || plan.jobEndMs === plan.endMs ? formatInterval(plan.startMs, plan.endMs) : plan.jobEndMs > plan.startMs ? formatInterval(plan.startMs, plan.jobEndMs) : null,
    dataAvailabilityDate: plan.dataAvailabilityDate,
    clipped: !plan.tail && plan.jobEndMs < plan.endMs ? formatInterval(plan.jobEndMs, plan.endMs) : undefined,
    filled: plan.tail ? formatInterval(plan.tail.fromMs, plan.tail.toMs) : undefined,
    windowsTotal: windows.length,
    windowsDone: windows.filter((_, i) => isDone(state.done, i)).length,
    resumedFrom: saved ? { rows: saved.rows, duplicates: saved.duplicates } : undefined,
  } satisfies Partial<ExtractSummary>);

  const spanners = new Map<string, number | null>(state.spanners);
  // With reconcile on, the ids each open window returned (reconcile.ts: what a narrower re-run may add to).
  const windowIds = cfg.reconcileThreshold !== undefined ? new WindowIds(Object.keys(state.active).map(Number)) : undefined;
  const liveJobs = new Set<string>();
  const drift = new DriftTracker(client, { operation: 'analytics.extract' });
  const progress = (p: ExtractProgress | JobProgress) => cfg.onProgress?.(p);

  const hooks: RunnerHooks = {
    submit: async (interval, s) => {
      const job = await deps.submit(interval, cfg.filters, s);
      summary.jobsSubmitted++;
      return job;
    },
    attach: (job) => deps.attach(job.id, formatInterval(job.s, job.e), job.submittedAt),
    onJobStarted: (id) => liveJobs.add(id),
    onJobEnded: (id) => liveJobs.delete(id),
    onSplit: (record) => {
      summary.splits.push(record);
      client.emit('warning', {
        code: 'job-split',
        message: `job ${record.jobId} for ${record.interval} ${record.reason === 'FAILED' ? 'FAILED' : `was cancelled after maxWaitMs (${cfg.maxWaitMs} ms)`}; re-running it as ${record.halves.join(' and ')}`,
        details: { ...record },
      });
    },
    onResubmit: (record) => {
      summary.resubmits.push(record);
      client.emit('warning', {
        code: 'job-resubmitted',
        message:
          record.reason === 'FAILED'
            ? `job ${record.jobId} for ${record.interval} FAILED; resubmitting the same interval after a backoff before splitting it`
            : `job ${record.jobId} for ${record.interval} ${record.reason === 'EXPIRED' ? 'expired' : 'is gone'}; resubmitting it (the ${record.rowsBefore} row(s) already emitted are skipped)`,
        details: { ...record },
      });
    },
    onProgress: progress,
    onSkipped: (count) => {
      summary.duplicates += count;
      state.duplicates += count;
    },
  };

  const open = (index: number): AsyncIterator<SourcePage> => {
    if (index === tailIndex && plan.tail && state.tail) {
      const tail = plan.tail;
      const from = state.tail;
      return (async function* () {
        for await (const page of runTail(client, tail, cfg.filters, from, signal)) yield { kind: 'tail' as const, page };
      })();
    }
    const w = windows[index] as IntervalWindow;
    const initial: WindowState = state.active[index] ?? { pending: [{ s: w.startMs, e: w.endMs, d: 0 }], owned: 0 };
    const ctx = { client, runtime: deps.runtime, hooks, pageSize: cfg.pageSize, maxWaitMs: cfg.maxWaitMs, poll: cfg.poll, signal };
    return (async function* () {
      for await (const page of runWindow(ctx, initial)) yield { kind: 'window' as const, page };
    })();
  };

  /** An id can recur only in a window that starts before the conversation's end; no unfinished one does: forget it. */
  const prune = () => {
    let minStart = Number.POSITIVE_INFINITY;
    for (let i = 0; i < windows.length; i++) {
      if (!isDone(state.done, i)) {
        minStart = (windows[i] as IntervalWindow).startMs;
        break;
      }
    }
    if (plan.tail && state.tail && !state.tail.done) minStart = Math.min(minStart, plan.tail.queryStartMs);
    for (const [id, end] of spanners) if (end !== null && end <= minStart) spanners.delete(id);
  };

  // Commit = flush the sink (and the caller's beforeCheckpoint), then save: the runner's one contract.
  const save = async () => {
    if (!cfg.checkpoint && !cfg.sink) return;
    state.spanners = [...spanners];
    await run.commit(state);
  };

  const emitProgress = () => {
    const p: ExtractProgress = {
      operation: 'analytics.extract',
      windowsTotal: windows.length,
      windowsDone: summary.windowsDone,
      rows: summary.rows,
      duplicates: summary.duplicates,
      jobsRunning: liveJobs.size,
    };
    client.emit('progress', p);
    progress(p);
  };

  const todo: number[] = [];
  for (let i = 0; i < windows.length; i++) if (!isDone(state.done, i)) todo.push(i);
  if (plan.tail && state.tail && !state.tail.done) todo.push(tailIndex);

  let finished = false;
  try {
    for await (const event of mergeBounded(todo, open, cfg.concurrency, () => stopAll.abort(new GcError('extract stopped')))) {
      // Rows already read are not handed out after an abort; the checkpoint only counts whole pages, so none is lost.
      throwIfCallerAborted(cfg.signal, 'ReportQueries.extract()');
      if ('done' in event) {
        if (event.index === tailIndex && state.tail) {
          state.tail = { ...state.tail, done: true };
        } else {
          const owned = state.active[event.index]?.owned ?? 0;
          state.done = addDone(state.done, event.index);
          delete state.active[event.index];
          summary.windowsDone++;
          if (windowIds && cfg.reconcileThreshold !== undefined) {
            const window = windows[event.index] as IntervalWindow;
            const recovered = await reconcile({
              client,
              filters: cfg.filters,
              threshold: cfg.reconcileThreshold,
              window,
              jobCount: owned,
              signal,
              seen: windowIds.take(event.index),
              spanners,
              rerun: (pending) => runWindow({ client, runtime: deps.runtime, hooks, pageSize: cfg.pageSize, maxWaitMs: cfg.maxWaitMs, poll: cfg.poll, signal }, { pending, owned: 0 }),
              onRecord: (record) => summary.reconcile.push(record),
            });
            // Conversations the first pass missed (they start in this window, so no other window yields them).
            for (const c of recovered) {
              if (isSpanner(c, { s: window.startMs, e: window.endMs })) spanners.set(c.conversationId, Number.isNaN(endMsOf(c)) ? null : endMsOf(c));
              summary.rows++;
              state.rows++;
              yield drift.normalize(cfg.project(c), c.conversationId) as Projected<R>;
            }
          }
        }
        prune();
        await save();
        emitProgress();
        continue;
      }
      const { page } = event.value;
      let outside = 0;
      for (const c of page.rows) {
        if (event.value.kind === 'window') windowIds?.add(event.index, c.conversationId);
        if (isSpanner(c, page.unit)) {
          if (spanners.has(c.conversationId)) {
            summary.duplicates++;
            state.duplicates++;
            continue;
          }
          const end = endMsOf(c);
          spanners.set(c.conversationId, Number.isNaN(end) ? null : end);
        }
        const row = drift.normalize(cfg.project(c), c.conversationId) as Projected<R>;
        throwIfCallerAborted(cfg.signal, 'ReportQueries.extract()');
        const start = startMsOf(c);
        if (!(start >= cfg.startMs && start < cfg.endMs)) outside++;
        summary.rows++;
        state.rows++;
        yield row;
      }
      if (outside > 0) {
        summary.outsideInterval += outside;
        client.emit('warning', {
          code: 'rows-outside-interval',
          message: `${outside} conversation(s) of a page started outside the requested interval ${summary.requested} (still active in it, so the job returned them); they are yielded, their conversationStart tells them apart`,
          details: { count: outside, requested: summary.requested, unit: formatInterval(page.unit.s, page.unit.e) },
        });
      }
      // Every row of the page has been handed over and the consumer asked for more: the page counts as done.
      if (event.value.kind === 'tail') state.tail = event.value.page.tail;
      else if (event.value.page.state) state.active[event.index] = event.value.page.state;
      else throw new GcError('internal: a window page was handed on before its rows were read');
      summary.driftFields = [...drift.missing];
      await save();
      emitProgress();
    }
    finished = true;
    summary.finished = true;
    await run.finish(state);
  } finally {
    summary.driftFields = [...drift.missing];
    if (!finished) {
      stopAll.abort(new GcError('extract stopped'));
      if (cfg.cancelOnExit && liveJobs.size > 0) {
        // Best effort and without the caller's (possibly aborted) signal: leaving jobs running wastes the org's capacity.
        await Promise.allSettled([...liveJobs].map((id) => deps.attach(id, '', 0).cancel()));
      }
    }
  }
}

function isSpanner(c: AnalyticsConversation, unit: { s: number; e: number }): boolean {
  const start = startMsOf(c);
  const end = endMsOf(c);
  // NaN compares false, so a conversation with an unknown start or end counts as a spanner: it is remembered.
  return !(start >= unit.s && end <= unit.e);
}
