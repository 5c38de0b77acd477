/**
 * One async conversation-details job (docs/platform-notes.md section d): its status, the docs/design-intent.md seed 003 polling state machine,
 * its results by opaque cursor, and cancellation. Recovery that needs a new job (split, resubmit) lives in
 * job-runner.ts; this file only talks to one job id.
 */
import type { GenesysClient } from '../client';
import { parseOptions } from '../internal/parse-options';
import { BadRequestError, GcError, JobFailedError, NetworkError, NotFoundError, RateLimitError, ServerError, TimeoutError, throwIfCallerAborted } from '../errors';
import { apiPath } from '../internal/api-path';
import { paginateByCursor } from '../transport/paginate';
import { systemClock, type Clock } from '../internal/clock';
import { backoffDelay, pollUntil, retryOperation, sleepOrAbort, type Backoff } from '../internal/waits';
import { readResultsPage, type ConversationReader, type ResultsPageBody } from './results-page';
import {
  AsyncQueryStatus,
  DEFAULT_POLL,
  JOB_STATES,
  ResultsOptionsSchema,
  WaitOptionsSchema,
  type AnalyticsConversation,
  type AsyncConversationQuery,
  type JobState,
} from './schemas';

export const JOBS_PATH = '/api/v2/analytics/conversations/details/jobs';

/**
 * Empty results pages in a row that may hand out a new cursor before the results are an IncompleteDataError (the
 * platform never needs that many to reach data; a cursor that repeats is an error at once).
 */
export const MAX_EMPTY_RESULT_PAGES = 3;

/** The platform's job states, exactly as it spells them (no RUNNING, no COMPLETED; CANCELLED with two Ls). */
export type ReportJobState = JobState;
export const REPORT_JOB_STATES: readonly ReportJobState[] = JOB_STATES;
const TERMINAL = new Set<string>(['FULFILLED', 'FAILED', 'CANCELLED', 'EXPIRED']);

export function isTerminalState(state: string): boolean {
  return TERMINAL.has(state);
}

/** `GET .../jobs/{id}`. `state` is one of REPORT_JOB_STATES, or a newer state kept as a string. */
export interface ReportJobStatus {
  state: ReportJobState | (string & {});
  errorMessage?: string | undefined;
  expirationDate?: string | undefined;
  submissionDate?: string | undefined;
  completionDate?: string | undefined;
}

export interface ResolvedPoll {
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
  jitterMs: number;
}

/** Options shared by every job of one ReportQueries (resolved defaults). */
export interface ReportRuntime {
  poll: ResolvedPoll;
  maxWaitMs: number;
  pageSize: number;
  maxSplitDepth: number;
  maxResubmits: number;
  resultRetries: number;
  resultRetryDelayMs: number;
  /** Every wait and every reading of time of the module: the client's clock (or the `now`/`sleep`/`random` options over it). */
  clock: Clock;
}

export const DEFAULT_RUNTIME: ReportRuntime = {
  poll: { ...DEFAULT_POLL },
  maxWaitMs: 86_400_000,
  pageSize: 1000,
  maxSplitDepth: 3,
  maxResubmits: 2,
  resultRetries: 3,
  resultRetryDelayMs: 2_000,
  clock: systemClock,
};

/** The job poll as a Backoff (src/internal/waits.ts): the step grows by `factor` to the cap, plus `random() * jitterMs`. */
export function pollBackoff(poll: ResolvedPoll): Backoff {
  return { initialDelayMs: poll.initialDelayMs, factor: poll.factor, maxDelayMs: poll.maxDelayMs, jitter: { kind: 'add', ms: poll.jitterMs } };
}

/**
 * Re-fetching a results page, resubmitting a failed job, retrying a failed submit: `resultRetryDelayMs` doubling,
 * equal jitter (half the step plus up to another half).
 */
export function resultRetryBackoff(runtime: Pick<ReportRuntime, 'resultRetryDelayMs'>): Backoff {
  return { initialDelayMs: runtime.resultRetryDelayMs, factor: 2, maxDelayMs: Infinity, jitter: { kind: 'equal' } };
}

/**
 * Wait before poll `n` (0-based): `min(initialDelayMs * factor^n, maxDelayMs)` plus `random() * jitterMs`,
 * floored to whole ms. With the defaults: 10 s, 20 s, 40 s, 80 s, 120 s, 120 s, ... each plus [0, 5 s).
 */
export function pollDelayMs(n: number, poll: ResolvedPoll, random: () => number = systemClock.random): number {
  return backoffDelay(pollBackoff(poll), n, random);
}

/** Sleeps on the runtime's clock, turning the caller's abort into the SDK's AbortError. */
export function runtimeSleep(runtime: ReportRuntime, ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  return sleepOrAbort(runtime.clock, ms, signal, what);
}

export type JobProgress = {
  operation: 'analytics.job';
  jobId: string;
  interval: string | undefined;
  state: string;
  /** Status requests made by this wait. */
  polls: number;
  /** Since submission, by the runtime clock. */
  elapsedMs: number;
  /** The wait before the next poll, when there is one. */
  nextPollMs?: number;
};

export interface WaitOptions {
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
  /** Overrides ReportQueries' maxWaitMs for this wait (counted from submission). */
  maxWaitMs?: number;
  /** Overrides parts of the polling schedule for this wait. */
  poll?: Partial<ResolvedPoll>;
  /** Poll once before the first wait (a job reattached from a checkpoint may be finished already). Default false. */
  immediate?: boolean;
}

export interface ResultsOptions {
  /** Default: ReportQueries' pageSize (1000). */
  pageSize?: number;
  /** Resume from this cursor (a `nextCursor` or `resumeCursor` saved earlier); absent = the first page. */
  cursor?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** One results page, with the cursors that fetched it and that fetch the next one. */
export interface ReportResultsPage {
  items: AnalyticsConversation[];
  /** The cursor that fetched this page (undefined for the first). */
  cursor: string | undefined;
  /** The cursor of the next page; undefined on the last page. */
  nextCursor: string | undefined;
  /** Data before this time is in the datalake (as of the job's submission). */
  dataAvailabilityDate: string | undefined;
}

/** The job ran past `maxWaitMs`: it was cancelled (DELETE) before this was thrown. */
export class JobTimeoutError extends TimeoutError {
  override readonly name: string = 'JobTimeoutError';
  readonly jobId: string;
  readonly interval: string | undefined;
  constructor(jobId: string, interval: string | undefined, maxWaitMs: number, state: string) {
    super(
      `Analytics job ${jobId}${interval ? ` for ${interval}` : ''} was still ${state} after maxWaitMs (${maxWaitMs} ms); it was cancelled`,
      { kind: 'deadline', timeoutMs: maxWaitMs, method: 'GET', path: `${JOBS_PATH}/{jobId}` },
    );
    this.jobId = jobId;
    this.interval = interval;
  }
}

/** Errors a results re-fetch from the same cursor may cure: the transport gave up, the platform may not have. */
export function isTransient(err: unknown): boolean {
  return (
    err instanceof ServerError ||
    err instanceof RateLimitError ||
    err instanceof NetworkError ||
    (err instanceof TimeoutError && !(err instanceof JobTimeoutError))
  );
}

export interface ReportJobInit {
  id: string;
  query?: AsyncConversationQuery | undefined;
  interval?: string | undefined;
  /** Epoch ms by the runtime clock; maxWait counts from here. Default: now. */
  submittedAt?: number | undefined;
}

/**
 * A submitted job. `wait()` polls until FULFILLED, `results()` streams its conversations (resumable from a cursor),
 * `cancel()` deletes it. Get one from `ReportQueries.submit(query)` or reattach with `ReportQueries.job(id)`.
 */
export class ReportJob {
  readonly id: string;
  readonly interval: string | undefined;
  readonly query: AsyncConversationQuery | undefined;
  readonly submittedAt: number;
  /** The state seen by the last status request (undefined before the first). */
  state: ReportJobState | (string & {}) | undefined;
  /** The last status seen. */
  lastStatus: ReportJobStatus | undefined;
  /**
   * Where `results()` would resume: the cursor of the first page not yet completely consumed (undefined = from the
   * start, `null` = everything was read).
   */
  resumeCursor: string | undefined | null;
  readonly #client: GenesysClient;
  readonly #runtime: ReportRuntime;
  readonly #path: string;

  /** Throws an `UnsafeRequestError` for an id that is empty, `.`, `..` or holds control characters. */
  constructor(client: GenesysClient, runtime: ReportRuntime, init: ReportJobInit) {
    this.#client = client;
    this.#runtime = runtime;
    // Built once, here: an id that would not stay one path segment is refused before any request.
    this.#path = apiPath`/api/v2/analytics/conversations/details/jobs/${init.id}`;
    this.id = init.id;
    this.query = init.query;
    this.interval = init.interval ?? init.query?.interval;
    this.submittedAt = init.submittedAt ?? runtime.clock.now();
  }

  private get path(): string {
    return this.#path;
  }

  /** One status request. */
  async status(signal?: AbortSignal): Promise<ReportJobStatus> {
    const status = await this.#client.request({ path: this.path, schema: AsyncQueryStatus, ...(signal ? { signal } : {}) });
    this.state = status.state;
    this.lastStatus = status;
    return status;
  }

  /**
   * Polls (docs/design-intent.md seed 003: first after 10 s, doubling to 120 s, plus 0-5 s jitter) until a terminal state. Resolves on
   * FULFILLED; FAILED, CANCELLED and EXPIRED reject with JobFailedError. Past `maxWaitMs` from submission the job is
   * cancelled and a JobTimeoutError (a TimeoutError, kind `deadline`) is thrown.
   */
  async wait(options: WaitOptions = {}): Promise<ReportJobStatus> {
    parseOptions(WaitOptionsSchema, options, 'ReportJob.wait() options');
    const rt = this.#runtime;
    const poll = { ...rt.poll };
    for (const [k, v] of Object.entries(options.poll ?? {})) if (v !== undefined) poll[k as keyof ResolvedPoll] = v;
    const maxWaitMs = options.maxWaitMs ?? rt.maxWaitMs;
    const deadline = this.submittedAt + maxWaitMs;
    const { signal } = options;
    const clock = rt.clock;
    return pollUntil<ReportJobStatus>(
      async ({ poll: polls, nextDelayMs }) => {
        const status = await this.status(signal);
        const progress: JobProgress = {
          operation: 'analytics.job',
          jobId: this.id,
          interval: this.interval,
          state: status.state,
          polls,
          elapsedMs: clock.now() - this.submittedAt,
          ...(!isTerminalState(status.state) ? { nextPollMs: nextDelayMs } : {}),
        };
        this.#client.emit('progress', progress);
        options.onProgress?.(progress);
        if (status.state === 'FULFILLED') return { done: true, value: status };
        if (isTerminalState(status.state)) {
          throw new JobFailedError({
            jobId: this.id,
            state: status.state,
            ...(this.interval ? { interval: this.interval } : {}),
            ...(status.errorMessage ? { errorMessage: status.errorMessage } : {}),
          });
        }
        return { done: false };
      },
      {
        clock,
        backoff: pollBackoff(poll),
        deadline,
        signal,
        immediate: options.immediate,
        what: `Waiting for analytics job ${this.id}`,
        onDeadline: async () => {
          const state = this.state ?? 'QUEUED';
          await this.cancel().catch(() => undefined);
          return new JobTimeoutError(this.id, this.interval, maxWaitMs, state);
        },
      },
    );
  }

  /** DELETE: cancels a queued or running job (and frees a finished one). A job already gone is not an error. */
  async cancel(signal?: AbortSignal): Promise<void> {
    try {
      await this.#client.request({ method: 'DELETE', path: this.path, ...(signal ? { signal } : {}) });
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    this.state = 'CANCELLED';
  }

  /**
   * Results pages, following `cursor` until it is absent. A page that fails even after the transport's retries
   * (429/5xx/network) is fetched again from the same cursor, up to `resultRetries` times: never from the start.
   * If the job expired meanwhile, a JobFailedError with state EXPIRED is thrown (ReportQueries resubmits).
   * Every conversation of a page is parsed and checked before the page is yielded. A cursor the platform returned
   * before, or more than MAX_EMPTY_RESULT_PAGES (3) empty pages in a row that each hand out a new cursor, is an
   * `IncompleteDataError` (thrown before that page is yielded: a resume from `resumeCursor` starts there).
   */
  async *pages(options: ResultsOptions = {}): AsyncGenerator<ReportResultsPage> {
    parseOptions(ResultsOptionsSchema, options, 'ReportJob.pages() options');
    for await (const page of this.lazyPages(options)) {
      yield { items: page.items.map((read) => read()), cursor: page.cursor, nextCursor: page.nextCursor, dataAvailabilityDate: page.dataAvailabilityDate };
    }
  }

  /** The job's conversations one by one; `resumeCursor` tells where a later `results({ cursor })` would pick up. */
  async *results(options: ResultsOptions = {}): AsyncGenerator<AnalyticsConversation> {
    parseOptions(ResultsOptionsSchema, options, 'ReportJob.results() options');
    this.resumeCursor = options.cursor;
    for await (const page of this.lazyPages(options)) {
      this.resumeCursor = page.cursor;
      // Parsed one at a time: a page never exists as one 1,000-conversation object tree (results-page.ts).
      for (const read of page.items) yield read();
      this.resumeCursor = page.nextCursor ?? null;
    }
  }

  /**
   * @internal Results pages whose conversations are parsed when read (`items[i]()`): `pages()`, `results()` and
   * the extract runner are built on it.
   */
  async *lazyPages(options: ResultsOptions = {}): AsyncGenerator<Omit<ReportResultsPage, 'items'> & { items: ConversationReader[] }> {
    const pageSize = options.pageSize ?? this.#runtime.pageSize;
    let dataAvailabilityDate: string | undefined;
    const pages = paginateByCursor<ConversationReader>(
      async (cursor) => {
        const page = await this.fetchPage(cursor, pageSize, options.signal);
        dataAvailabilityDate = page.dataAvailabilityDate;
        return { items: page.conversations, cursor: page.cursor };
      },
      {
        what: `results of analytics job ${this.id}`,
        ...(options.cursor ? { startCursor: options.cursor } : {}),
        maxPages: Number.MAX_SAFE_INTEGER,
        maxEmptyPages: MAX_EMPTY_RESULT_PAGES,
      },
    );
    for await (const page of pages) {
      yield { items: page.items, cursor: page.cursor, nextCursor: page.nextCursor, dataAvailabilityDate };
    }
  }

  private async fetchPage(cursor: string | undefined, pageSize: number, signal: AbortSignal | undefined): Promise<ResultsPageBody> {
    const rt = this.#runtime;
    const path = `${this.path}/results`;
    let refused: GcError | undefined;
    return retryOperation(
        async () => {
          try {
            const res = await this.#client.requestBytes({
              path,
              query: { pageSize, ...(cursor ? { cursor } : {}) },
              ...(signal ? { signal } : {}),
            });
            return readResultsPage(res, path);
          } catch (err) {
            if (err instanceof BadRequestError || err instanceof NotFoundError) refused = await this.explainRefusal(err, signal);
            throw refused ?? err;
          }
        },
        {
          clock: rt.clock,
          backoff: resultRetryBackoff(rt),
          retries: rt.resultRetries,
          retryable: (err) => err !== refused && isTransient(err),
          signal,
          what: `Reading results of analytics job ${this.id}`,
          onRetry: ({ attempt, delayMs, error }) =>
            this.#client.emit('warning', {
              code: 'results-retry',
              message: `job ${this.id}: a results page failed after the transport's retries (${(error as Error).message}); fetching it again from the same cursor in ${delayMs} ms`,
              details: { jobId: this.id, attempt, delayMs, firstPage: cursor === undefined },
            }),
        },
      );
  }

  /** A 400/404 on results usually means the job is no longer FULFILLED: say which state it is in. */
  private async explainRefusal(err: BadRequestError | NotFoundError, signal: AbortSignal | undefined): Promise<GcError> {
    let state: string;
    try {
      state = (await this.status(signal)).state;
    } catch (statusErr) {
      if (statusErr instanceof NotFoundError) state = 'EXPIRED';
      else return err;
    }
    if (state === 'FULFILLED') return err;
    return new JobFailedError(
      { jobId: this.id, state, ...(this.interval ? { interval: this.interval } : {}), errorMessage: err.message },
      `Results of analytics job ${this.id} are no longer available: the job is ${state}`,
    );
  }
}
