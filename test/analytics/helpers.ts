/** Shared setup of the analytics tests: the simulated org fixture (test/support/sim.ts) with analytics defaults, fast or fake-time ReportQueries. */
import { http, HttpResponse } from 'msw';
import type { SetupServer as SetupServerApi } from 'msw/node';
import { afterEach, vi } from 'vitest';
import type { GenesysClient, GenesysClientOptions } from '../../src/index';
import { ReportQueries } from '../../src/analytics/report-jobs';
import type { ReportQueriesOptions } from '../../src/analytics/schemas';
import { RESET, createFakeClock, type SimulatedOrgHandle, type SimulatedOrgOptions } from '../../src/testing/index';
import { useSimulatedOrg as useSharedSimulatedOrg, type SimFixture } from '../support/sim';

export { collect } from '../support/sim';

export const JOBS = '/api/v2/analytics/conversations/details/jobs';
export const DETAILS = '/api/v2/analytics/conversations/details/query';
export const DAY = 86_400_000;
export const HOUR = 3_600_000;

const fixtures = new WeakMap<SimulatedOrgHandle, SimFixture>();

/**
 * A small org (a few hundred conversations a day, anchored at the clock) whose jobs finish at once unless told
 * otherwise, through the shared fixture; its clients (`simClient`) have no practical rate limit and fast retries.
 */
export function useSimulatedOrg(options: SimulatedOrgOptions = {}): { sim: SimulatedOrgHandle; server: SetupServerApi } {
  const fixture = useSharedSimulatedOrg(
    {
      seed: 3,
      anchor: 'now',
      days: 4,
      conversationsPerDay: 200,
      rateLimit: false,
      tokenRateLimit: false,
      ...options,
      jobs: { queuedMs: 0, pendingMs: 0, ...options.jobs },
    },
    { client: { rateLimit: { requestsPerMinute: 1_000_000, maxConcurrent: 5 }, retry: { maxDelayMs: 5 } } },
  );
  // Registered after the fixture's hooks, so it runs before them: the org is reset on the real clock.
  afterEach(() => vi.useRealTimers());
  fixtures.set(fixture.org, fixture);
  return { sim: fixture.org, server: fixture.server };
}

/** A fresh client of the org's fixture (closed after the test). */
export function simClient(sim: SimulatedOrgHandle, overrides: Partial<GenesysClientOptions> = {}): GenesysClient {
  const fixture = fixtures.get(sim);
  if (!fixture) throw new Error('simClient: the org does not come from useSimulatedOrg()');
  return fixture.client(overrides);
}

/**
 * For tests where time does not matter: polls every second (the minimum, MIN_POLL_DELAY_MS), no jitter, on a fake
 * clock that jumps to each wait's end at once (createFakeClock autoAdvance), so no test sleeps in real time.
 */
export function fastReports(client: GenesysClient, options: ReportQueriesOptions = {}): ReportQueries {
  const clock = createFakeClock({ autoAdvance: true });
  return new ReportQueries(client, {
    poll: { initialDelayMs: 1000, maxDelayMs: 1000, jitterMs: 0 },
    resultRetryDelayMs: 1,
    now: clock.now,
    sleep: clock.sleep,
    random: clock.random,
    ...options,
  });
}

/**
 * Fake time: Date is faked (the simulated org and the SDK read it), and ReportQueries' waits advance it instead
 * of sleeping, recording each requested delay. The transport's own timers stay real, so requests run normally.
 */
export function fakeTime(start = Date.now()): { delays: number[]; sleep: (ms: number, signal?: AbortSignal) => Promise<void> } {
  vi.useFakeTimers({ toFake: ['Date'], now: start });
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      delays.push(ms);
      vi.advanceTimersByTime(ms);
    },
  };
}

/** `[start, end)` ISO interval of whole UTC days ending `daysBack` days before the org's last full day. */
export function dayInterval(sim: SimulatedOrgHandle, daysBack = 1, days = 1): string {
  const end = Math.floor(sim.data.end / DAY) * DAY - (daysBack - 1) * DAY;
  return `${new Date(end - days * DAY).toISOString()}/${new Date(end).toISOString()}`;
}

/** Requests the org saw for a route template, e.g. `GET ${JOBS}/{jobId}/results`. */
export function routeCount(sim: SimulatedOrgHandle, route: string, status?: number): number {
  return sim.stats.count(route, status);
}

export interface SimJobInfo {
  id: string;
  seq: number;
  start: number;
  end: number;
}

export function jobInfo(sim: SimulatedOrgHandle, id: string): SimJobInfo | undefined {
  const job = sim.org.jobs.get(id);
  return job ? { id: job.id, seq: job.seq, start: job.selection.interval.start, end: job.selection.interval.end } : undefined;
}

/**
 * Per-test override of `GET .../jobs/{id}`: `pick` returns the status to answer for a job, or undefined to let the
 * simulated org answer. (The org decides FAILED/EXPIRED per job by a seeded rate; tests need to choose which job.)
 */
export function overrideJobStatus(
  server: SetupServerApi,
  sim: SimulatedOrgHandle,
  pick: (job: SimJobInfo) => Record<string, unknown> | undefined,
): void {
  server.use(
    http.get(`${sim.apiBaseUrl}${JOBS}/:jobId`, ({ params }) => {
      const id = String(params.jobId);
      if (id === 'availability') return undefined;
      const info = jobInfo(sim, id);
      const status = info ? pick(info) : undefined;
      return status ? HttpResponse.json(status) : undefined;
    }),
  );
}

/** Runs a request through the org directly and lets the test rewrite the JSON body (schema drift, inflated counts). */
export async function viaOrg(sim: SimulatedOrgHandle, request: Request, rewrite: (body: Record<string, unknown>) => void): Promise<Response> {
  const res = await sim.handle(request);
  if (res === RESET) return HttpResponse.error();
  if (res.status !== 200) return res;
  const body = (await res.json()) as Record<string, unknown>;
  rewrite(body);
  return HttpResponse.json(body, { status: res.status, headers: res.headers });
}
