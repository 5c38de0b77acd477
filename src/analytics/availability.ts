/**
 * The seed's `partial` status made real: async jobs read the datalake, and only data before
 * `dataAvailabilityDate` is guaranteed to be there (docs/platform-notes.md section d). Before submitting, an extract reads
 * `/jobs/availability` and, when its interval ends later, applies a policy:
 * - `clip`: run jobs up to the availability date only; the summary says which range is complete;
 * - `wait`: poll the availability date (same schedule as job polling) until it passes the end, or maxWait;
 * - `fill`: jobs up to the availability date, the uncovered tail through the synchronous details query;
 * - `error`: refuse with DataAvailabilityError before submitting anything.
 */
import type { GenesysClient } from '../client';
import { GcError, TimeoutError } from '../errors';
import { formatInterval, formatInstant } from '../helpers/intervals';
import { detailsQueryPages } from './details-query';
import { endMsOf, startMsOf, type RunnerPage } from './job-runner';
import { JOBS_PATH, pollBackoff, type ReportRuntime } from './report-job';
import { pollUntil } from '../internal/waits';
import { DataAvailability, type AvailabilityPolicy, type ConversationQueryFilters, type ExtractCheckpointState } from './schemas';

export type ExtractPlan = ExtractCheckpointState['plan'];
export type TailState = NonNullable<ExtractCheckpointState['tail']>;

/** The interval ends after the data availability date and the policy is `error`. Nothing was submitted. */
export class DataAvailabilityError extends GcError {
  override readonly name: string = 'DataAvailabilityError';
  readonly interval: string;
  readonly dataAvailabilityDate: string;
  constructor(interval: string, dataAvailabilityDate: string) {
    super(
      `The interval ${interval} ends after the data availability date ${dataAvailabilityDate}: the datalake does not hold ` +
        `its tail yet. Use availability 'clip' (stop at the date), 'wait' (until it passes) or 'fill' (tail through the sync query).`,
    );
    this.interval = interval;
    this.dataAvailabilityDate = dataAvailabilityDate;
  }
  override toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, interval: this.interval, dataAvailabilityDate: this.dataAvailabilityDate };
  }
}

/** `GET .../jobs/availability` as epoch ms (undefined when the platform does not say). */
export async function readAvailability(client: GenesysClient, signal?: AbortSignal): Promise<number | undefined> {
  const res = await client.request({ path: `${JOBS_PATH}/availability`, schema: DataAvailability, ...(signal ? { signal } : {}) });
  if (!res.dataAvailabilityDate) return undefined;
  const ms = Date.parse(res.dataAvailabilityDate);
  return Number.isNaN(ms) ? undefined : ms;
}

export interface PlanInput {
  client: GenesysClient;
  runtime: ReportRuntime;
  startMs: number;
  endMs: number;
  policy: AvailabilityPolicy;
  fillLookbackMs: number;
  maxWaitMs: number;
  poll: ReportRuntime['poll'];
  signal: AbortSignal | undefined;
}

export async function planExtract(input: PlanInput): Promise<ExtractPlan> {
  const { client, startMs, endMs, signal } = input;
  const interval = formatInterval(startMs, endMs);
  let avail = await readAvailability(client, signal);
  const plan = (jobEndMs: number, tail?: ExtractPlan['tail']): ExtractPlan => ({
    startMs,
    endMs,
    jobEndMs,
    ...(avail !== undefined ? { dataAvailabilityDate: formatInstant(avail) } : {}),
    ...(tail ? { tail } : {}),
  });
  if (avail === undefined || avail >= endMs) return plan(endMs);
  const availText = formatInstant(avail);
  const jobEndMs = Math.max(startMs, avail);
  switch (input.policy) {
    case 'error':
      throw new DataAvailabilityError(interval, availText);
    case 'clip': {
      client.emit('warning', {
        code: 'availability-clipped',
        message:
          jobEndMs > startMs
            ? `${interval} ends after the data availability date ${availText}: exporting ${formatInterval(startMs, jobEndMs)} only`
            : `${interval} lies entirely after the data availability date ${availText}: nothing can be exported yet`,
        details: { interval, dataAvailabilityDate: availText, ...(jobEndMs > startMs ? { complete: formatInterval(startMs, jobEndMs) } : {}) },
      });
      return plan(jobEndMs);
    }
    case 'fill': {
      const tail = { queryStartMs: jobEndMs - input.fillLookbackMs, fromMs: jobEndMs, toMs: endMs };
      client.emit('warning', {
        code: 'availability-filled',
        message: `${interval} ends after the data availability date ${availText}: ${formatInterval(jobEndMs, endMs)} is read through the synchronous details query`,
        details: { interval, dataAvailabilityDate: availText, filled: formatInterval(jobEndMs, endMs) },
      });
      return plan(jobEndMs, tail);
    }
    case 'wait': {
      const clock = input.runtime.clock;
      const lastSeen = () => (avail === undefined ? undefined : formatInstant(avail));
      const progress = (nextPollMs: number) =>
        client.emit('progress', { operation: 'analytics.extract', phase: 'waiting-for-availability', interval, dataAvailabilityDate: lastSeen(), nextPollMs });
      await pollUntil<true>(
        async () => {
          avail = await readAvailability(client, signal);
          return avail !== undefined && avail >= endMs ? { done: true, value: true } : { done: false };
        },
        {
          clock,
          backoff: pollBackoff(input.poll),
          deadline: clock.now() + input.maxWaitMs,
          signal,
          what: 'Waiting for the data availability date',
          onWait: progress,
          onDeadline: () =>
            new TimeoutError(
              `The data availability date did not pass the end of ${interval} within maxWaitMs (${input.maxWaitMs} ms); last seen ${lastSeen() ?? 'none'}`,
              { kind: 'deadline', timeoutMs: input.maxWaitMs, method: 'GET', path: `${JOBS_PATH}/availability` },
            ),
        },
      );
      return plan(endMs);
    }
  }
}

/** Tail pages as RunnerPage-like items, with the tail state to save once each page is consumed. */
export interface TailPage extends Omit<RunnerPage, 'state'> {
  tail: TailState;
}

/**
 * The `fill` tail through the sync details query. The query selects by conversationStart, so it starts
 * `fillLookback` before the availability date to catch conversations that began earlier and were still running
 * then (the jobs leave those out); rows that ended before the availability date were the jobs' and are dropped.
 */
export async function* runTail(
  client: GenesysClient,
  tail: NonNullable<ExtractPlan['tail']>,
  filters: ConversationQueryFilters,
  state: TailState,
  signal: AbortSignal | undefined,
): AsyncGenerator<TailPage> {
  const query = { ...filters, interval: formatInterval(tail.queryStartMs, tail.toMs), order: 'asc' as const, orderBy: 'conversationStart' as const };
  for await (const page of detailsQueryPages(client, query, { startPage: state.nextPage, signal })) {
    const rows = page.items.filter((c) => {
      const end = endMsOf(c);
      const start = startMsOf(c);
      return !(end <= tail.fromMs) && !(start >= tail.toMs);
    });
    let owned = 0;
    for (const c of rows) {
      const start = startMsOf(c);
      if (start >= tail.fromMs && start < tail.toMs) owned++;
    }
    yield { rows, unit: { s: tail.fromMs, e: tail.toMs }, owned, tail: { nextPage: page.pageNumber + 1, done: false } };
  }
}
