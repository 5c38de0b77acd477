/**
 * Runs one window of an extract to completion as async jobs, with docs/design-intent.md seed 003's recovery rules:
 * - FAILED: the same interval is resubmitted once after a backoff (the platform's own message for a transient
 *   failure reads "Please try again"), then split in two and the halves re-run, each with the same budget, down to
 *   `maxSplitDepth`; an interval that cannot be split further is resubmitted up to FAILED_RESUBMITS_AT_MIN_SIZE
 *   times before the extract fails;
 * - still running after maxWait (the job is cancelled first): split at once (a slow interval stays slow);
 * - EXPIRED (before or while reading results): the same interval is resubmitted, skipping the rows already emitted;
 * - a state saved by an earlier process: the saved job is reattached and read on from its saved cursor.
 * It yields pages together with the window state to save once the page has been consumed, so a checkpoint never
 * runs ahead of the rows the caller has actually handled.
 */
import type { GenesysClient } from '../client';
import { GcError, JobFailedError, ServerError, NetworkError, NotFoundError } from '../errors';
import { formatInterval, halveInterval, parseInterval } from '../helpers/intervals';
import { JobTimeoutError, resultRetryBackoff, runtimeSleep, type JobProgress, type ReportJob, type ReportRuntime } from './report-job';
import { backoffDelay, retryOperation } from '../internal/waits';
import type { ConversationReader } from './results-page';
import type { ActiveJobState, AnalyticsConversation, UnitState, WindowState } from './schemas';

export interface SplitRecord {
  interval: string;
  reason: 'FAILED' | 'timeout';
  jobId: string;
  /** Depth of the halves (1 = first split). */
  depth: number;
  halves: [string, string];
  errorMessage?: string | undefined;
}

export interface ResubmitRecord {
  interval: string;
  jobId: string;
  reason: 'EXPIRED' | 'gone' | 'FAILED';
  /** Rows of this interval already emitted before the resubmission. */
  rowsBefore: number;
}

export interface RunnerHooks {
  submit(interval: string, signal: AbortSignal | undefined): Promise<ReportJob>;
  attach(job: ActiveJobState): ReportJob;
  onJobStarted(jobId: string): void;
  onJobEnded(jobId: string): void;
  onSplit(record: SplitRecord): void;
  onResubmit(record: ResubmitRecord): void;
  onProgress(p: JobProgress): void;
  /** Rows skipped because a resubmitted job returned them again. */
  onSkipped(count: number): void;
}

export interface RunnerPage {
  /** Read once, in order; each conversation is parsed when reached. */
  rows: Iterable<AnalyticsConversation>;
  /** The job interval the rows came from (dedupe treats rows reaching outside it as possible duplicates). */
  unit: { s: number; e: number };
  /** The window state to save, set once every row has been read (undefined before). */
  state: WindowState | undefined;
  /** Rows whose conversationStart lies in the unit: what the sync query's totalHits counts (reconcile); set with `state`. */
  owned: number;
}

export interface RunnerContext {
  client: GenesysClient;
  runtime: ReportRuntime;
  hooks: RunnerHooks;
  pageSize: number;
  maxWaitMs: number;
  poll: ReportRuntime['poll'];
  signal: AbortSignal | undefined;
}

const SUBMIT_RETRIES = 2;
/** Resubmissions of an interval whose job ended FAILED, before it is split. */
const FAILED_RESUBMITS = 1;
/** ... and of one that cannot be split further, before the extract fails. */
const FAILED_RESUBMITS_AT_MIN_SIZE = 3;

export function startMsOf(c: AnalyticsConversation): number {
  return typeof c.conversationStart === 'string' ? Date.parse(c.conversationStart) : Number.NaN;
}

export function endMsOf(c: AnalyticsConversation): number {
  return typeof c.conversationEnd === 'string' ? Date.parse(c.conversationEnd) : Number.NaN;
}

function copyUnit(u: UnitState): UnitState {
  return { s: u.s, e: u.e, d: u.d, ...(u.f ? { f: u.f } : {}), ...(u.skip ? { skip: { beforeMs: u.skip.beforeMs, ids: [...u.skip.ids] } } : {}) };
}

/** A deep copy small enough to take per page (pending units, one job, a handful of tie ids). */
export function copyWindowState(w: WindowState): WindowState {
  return {
    pending: w.pending.map(copyUnit),
    owned: w.owned,
    ...(w.job
      ? { job: { ...w.job, ...copyUnit(w.job), ...(w.job.lastIds ? { lastIds: [...w.job.lastIds] } : {}) } }
      : {}),
  };
}

/** After a resubmission: rows emitted before are those that started earlier than the last emitted one, plus the ties. */
function skipFor(job: ActiveJobState): UnitState['skip'] {
  if (job.lastStart === undefined) return job.skip;
  return { beforeMs: job.lastStart, ids: [...(job.lastIds ?? [])] };
}

export async function* runWindow(ctx: RunnerContext, initial: WindowState): AsyncGenerator<RunnerPage> {
  const state = copyWindowState(initial);
  const { hooks, signal } = ctx;
  // A job this process just resubmitted: waited on like a new one (first poll after the initial delay).
  let resubmitted: ReportJob | undefined;
  for (;;) {
    let job: ReportJob;
    let attached = false;
    if (resubmitted && state.job) {
      job = resubmitted;
      resubmitted = undefined;
    } else if (state.job) {
      job = hooks.attach(state.job);
      attached = true;
    } else {
      const unit = state.pending.shift();
      if (!unit) return;
      job = await submitWithRetry(ctx, formatInterval(unit.s, unit.e));
      state.job = { ...unit, id: job.id, submittedAt: job.submittedAt, rows: 0, resubmits: 0 };
    }
    const active: ActiveJobState = state.job;
    hooks.onJobStarted(active.id);
    const interval = formatInterval(active.s, active.e);

    const outcome = await waitFor(ctx, job, attached);
    if (outcome !== 'ready') {
      hooks.onJobEnded(active.id);
      if (outcome.kind === 'split') {
        if (outcome.error instanceof JobFailedError && (await retryFailed(ctx, state, active, outcome.error))) continue;
        splitActive(ctx, state, active, outcome.error);
      } else {
        resubmitted = await resubmit(ctx, state, active, outcome.kind === 'gone' ? 'gone' : 'EXPIRED');
      }
      continue;
    }

    try {
      for await (const page of job.lazyPages({ pageSize: ctx.pageSize, cursor: active.cursor, signal })) {
        const out: RunnerPage = { rows: [], unit: { s: active.s, e: active.e }, state: undefined, owned: 0 };
        out.rows = readPage(state, active, page, hooks, out);
        yield out;
      }
      delete state.job;
      hooks.onJobEnded(active.id);
    } catch (err) {
      hooks.onJobEnded(active.id);
      if (err instanceof JobFailedError && (err.state === 'EXPIRED' || err.state === 'CANCELLED')) {
        state.job = active;
        resubmitted = await resubmit(ctx, state, active, err.state === 'EXPIRED' ? 'EXPIRED' : 'gone');
        continue;
      }
      throw annotate(err, interval);
    }
  }
}

type WaitOutcome = 'ready' | { kind: 'split'; error: JobFailedError | JobTimeoutError } | { kind: 'expired' } | { kind: 'gone' };

async function waitFor(ctx: RunnerContext, job: ReportJob, attached: boolean): Promise<WaitOutcome> {
  try {
    await job.wait({
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      maxWaitMs: ctx.maxWaitMs,
      poll: ctx.poll,
      immediate: attached,
      onProgress: ctx.hooks.onProgress,
    });
    return 'ready';
  } catch (err) {
    if (err instanceof JobTimeoutError) return { kind: 'split', error: err };
    if (err instanceof JobFailedError) {
      if (err.state === 'FAILED') return { kind: 'split', error: err };
      if (err.state === 'EXPIRED') return { kind: 'expired' };
      // Cancelled by someone else while we still wanted it: the work is not done, so run it again.
      if (err.state === 'CANCELLED' && attached) return { kind: 'gone' };
    }
    // A reattached job the platform no longer knows (purged after expiry).
    if (attached && err instanceof NotFoundError) return { kind: 'gone' };
    throw err;
  }
}

/**
 * The page's rows, each parsed when the consumer reaches it; rows a resubmitted job returns again are dropped
 * (ordered by conversationStart, so the skip ends at the first later row). Once every row has been read, the
 * window state to save is put on `out`: the checkpoint never runs ahead of the rows handed out.
 */
function* readPage(
  state: WindowState,
  active: ActiveJobState,
  page: { items: ConversationReader[]; nextCursor: string | undefined },
  hooks: RunnerHooks,
  out: RunnerPage,
): Generator<AnalyticsConversation> {
  let skipped = 0;
  let count = 0;
  let owned = 0;
  for (const read of page.items) {
    const c = read();
    const start = startMsOf(c);
    const skip = active.skip;
    if (skip) {
      if (start < skip.beforeMs || (start === skip.beforeMs && skip.ids.includes(c.conversationId))) {
        skipped++;
        continue;
      }
      if (start > skip.beforeMs) delete active.skip;
    }
    count++;
    if (start >= active.s && start < active.e) owned++;
    if (!Number.isNaN(start)) {
      if (active.lastStart === undefined || start > active.lastStart) {
        active.lastStart = start;
        active.lastIds = [c.conversationId];
      } else if (start === active.lastStart) {
        (active.lastIds ??= []).push(c.conversationId);
      }
    }
    yield c;
  }
  if (skipped > 0) hooks.onSkipped(skipped);
  active.rows += count;
  state.owned += owned;
  if (page.nextCursor) active.cursor = page.nextCursor;
  else delete state.job;
  out.owned = owned;
  out.state = copyWindowState(state);
}

function cannotSplit(ctx: RunnerContext, unit: UnitState): boolean {
  return unit.d >= ctx.runtime.maxSplitDepth || unit.e - unit.s < 2;
}

/**
 * A FAILED job within its interval's budget: wait (exponential backoff with jitter, like every retry), then put the
 * same interval back at the front of the queue with one more failure counted. False when the budget is spent.
 */
async function retryFailed(ctx: RunnerContext, state: WindowState, active: ActiveJobState, error: JobFailedError): Promise<boolean> {
  const failures = active.f ?? 0;
  const budget = cannotSplit(ctx, active) ? FAILED_RESUBMITS_AT_MIN_SIZE : FAILED_RESUBMITS;
  if (failures >= budget) return false;
  const interval = formatInterval(active.s, active.e);
  const delay = backoffDelay(resultRetryBackoff(ctx.runtime), failures, () => ctx.runtime.clock.random());
  delete state.job;
  const skip = skipFor(active);
  state.pending.unshift({ s: active.s, e: active.e, d: active.d, f: failures + 1, ...(skip ? { skip } : {}) });
  ctx.hooks.onResubmit({ interval, jobId: active.id, reason: 'FAILED', rowsBefore: active.rows });
  await runtimeSleep(ctx.runtime, delay, ctx.signal, `Waiting to resubmit the failed job for ${interval}`);
  return true;
}

function splitActive(ctx: RunnerContext, state: WindowState, active: ActiveJobState, error: JobFailedError | JobTimeoutError): void {
  const interval = formatInterval(active.s, active.e);
  const reason = error instanceof JobTimeoutError ? 'timeout' : 'FAILED';
  const errorMessage = error instanceof JobFailedError ? error.errorMessage : undefined;
  delete state.job;
  if (cannotSplit(ctx, active)) {
    const tries = active.f ? `; failed ${active.f + 1} time(s) at this size` : '';
    error.message += ` (split depth ${active.d} reached maxSplitDepth ${ctx.runtime.maxSplitDepth}: not splitting further${tries})`;
    throw error;
  }
  const halves = halveInterval(interval);
  const [a, b] = halves.map((h) => parseInterval(h)) as [ReturnType<typeof parseInterval>, ReturnType<typeof parseInterval>];
  const skip = skipFor(active);
  const d = active.d + 1;
  state.pending.unshift(
    { s: a.startMs, e: a.endMs, d, ...(skip ? { skip } : {}) },
    { s: b.startMs, e: b.endMs, d, ...(skip ? { skip: { beforeMs: skip.beforeMs, ids: [...skip.ids] } } : {}) },
  );
  ctx.hooks.onSplit({ interval, reason, jobId: active.id, depth: d, halves, errorMessage });
}

async function resubmit(ctx: RunnerContext, state: WindowState, active: ActiveJobState, reason: 'EXPIRED' | 'gone'): Promise<ReportJob> {
  const interval = formatInterval(active.s, active.e);
  if (active.resubmits >= ctx.runtime.maxResubmits) {
    delete state.job;
    throw new JobFailedError(
      { jobId: active.id, state: 'EXPIRED', interval },
      `Analytics job ${active.id} for ${interval} expired ${active.resubmits + 1} time(s) (maxResubmits ${ctx.runtime.maxResubmits})`,
    );
  }
  ctx.hooks.onResubmit({ interval, jobId: active.id, reason, rowsBefore: active.rows });
  const skip = skipFor(active);
  const job = await submitWithRetry(ctx, interval);
  state.job = {
    s: active.s,
    e: active.e,
    d: active.d,
    ...(skip ? { skip } : {}),
    id: job.id,
    submittedAt: job.submittedAt,
    rows: active.rows,
    resubmits: active.resubmits + 1,
    ...(active.lastStart !== undefined ? { lastStart: active.lastStart, lastIds: [...(active.lastIds ?? [])] } : {}),
  };
  return job;
}

/**
 * Submission is a POST the transport does not repeat after a 5xx (it may have created a job). Here a failed submit
 * is retried a couple of times anyway: the worst case is an orphan job that expires on its own, which is better than
 * failing a long extract.
 */
async function submitWithRetry(ctx: RunnerContext, interval: string): Promise<ReportJob> {
  return retryOperation(() => ctx.hooks.submit(interval, ctx.signal), {
    clock: ctx.runtime.clock,
    backoff: resultRetryBackoff(ctx.runtime),
    retries: SUBMIT_RETRIES,
    retryable: (err) => err instanceof ServerError || err instanceof NetworkError,
    signal: ctx.signal,
    what: `Submitting the job for ${interval}`,
    onRetry: ({ attempt, delayMs, error }) =>
      ctx.client.emit('warning', {
        code: 'submit-retry',
        message: `submitting the job for ${interval} failed (${(error as Error).message}); submitting again in ${delayMs} ms (a job may have been created and left to expire)`,
        details: { interval, attempt, delayMs },
      }),
  });
}

function annotate(err: unknown, interval: string): unknown {
  if (err instanceof GcError && !(err instanceof JobFailedError) && !err.message.includes(interval)) {
    (err as { message: string }).message += ` (while reading the job for ${interval})`;
  }
  return err;
}
