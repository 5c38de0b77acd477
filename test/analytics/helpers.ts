/**
 * Shared setup of the analytics tests: the simulated org fixture (test/support/sim.ts) with analytics defaults, and
 * clients on a fake clock (the client's `clock` option, issue 17 section 1), the one clock every wait of the SDK
 * runs on; the simulated org follows the clock of `fakeTime()` so its job states move with the SDK's waits.
 */
import { http, HttpResponse } from 'msw';
import type { SetupServer as SetupServerApi } from 'msw/node';
import { afterEach, expect, vi } from 'vitest';
import type { GenesysClient, GenesysClientOptions, WarningEvent } from '../../src/index';
import { ReportQueries, type ExtractOptions, type ReportExtraction } from '../../src/analytics/report-jobs';
import type { ReportQueriesOptions } from '../../src/analytics/schemas';
import { RESET, createFakeClock, type FakeClock, type SimulatedOrgHandle, type SimulatedOrgOptions } from '../../src/testing/index';
import { collect, useSimulatedOrg as useSharedSimulatedOrg, type SimFixture } from '../support/sim';

export { collect } from '../support/sim';

export const JOBS = '/api/v2/analytics/conversations/details/jobs';
export const DETAILS = '/api/v2/analytics/conversations/details/query';
export const DAY = 86_400_000;
export const HOUR = 3_600_000;

const fixtures = new WeakMap<SimulatedOrgHandle, SimFixture>();

/** The clock of the running test's `fakeTime()`, which the org reads as its time; none: the org reads `Date.now()`. */
let orgClock: FakeClock | undefined;

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
      now: () => (orgClock ? orgClock.now() : Date.now()),
      // The org's data is available up to its clock. With the platform's lag (the org's default: 1 h) the last full
      // UTC day (dayInterval) is not all available in the first hour or so after midnight UTC, and the tests that
      // move the org's clock past it read another truth than their jobs did: 5 tests failed at 00:05 UTC. The tests
      // of availability itself set the lag (report-extract-availability.test.ts).
      dataAvailabilityLagMs: 0,
      ...options,
      jobs: { queuedMs: 0, pendingMs: 0, ...options.jobs },
    },
    { client: { rateLimit: { requestsPerMinute: 1_000_000, maxConcurrent: 5 }, retry: { maxDelayMs: 5 } } },
  );
  // Registered after the fixture's hooks, so it runs before them: the org is reset on the real clock.
  afterEach(() => {
    orgClock = undefined;
    vi.useRealTimers();
  });
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
 * A client whose waits end at once: a fake clock that jumps to each wait's end (createFakeClock autoAdvance), so
 * `now()` still moves by the time slept (deadlines and elapsed times stay consistent) and no test sleeps in real time.
 */
export function fastClient(sim: SimulatedOrgHandle, overrides: Partial<GenesysClientOptions> = {}): GenesysClient {
  return simClient(sim, { clock: createFakeClock({ autoAdvance: true }), ...overrides });
}

/**
 * ReportQueries for tests where time does not matter: polls every second (the minimum, MIN_POLL_DELAY_MS), no
 * jitter, on the client's fake clock (`fastClient()` or `fakeTime()`): a client on real time would make each poll
 * wait a real second, so it is refused.
 */
export function fastReports(client: GenesysClient, options: ReportQueriesOptions = {}): ReportQueries {
  if (typeof (client.clock as Partial<FakeClock>).advance !== 'function') {
    throw new Error('fastReports: give it a client on a fake clock (fastClient(sim) or simClient(sim, { clock: fakeTime() }))');
  }
  return new ReportQueries(client, { poll: { initialDelayMs: 1000, maxDelayMs: 1000, jitterMs: 0 }, resultRetryDelayMs: 1, ...options });
}

/**
 * Fake time shared by the SDK and the org: a fake clock to give the client (`simClient(sim, { clock })`), which the
 * simulated org also reads as its time for the rest of the test (job states, availability, token expiry). Each wait
 * ends at once with time jumping to it (`autoAdvance`, earliest first) unless `autoAdvance: false`, when the test
 * moves time itself (`advance`, `runNext`). `clock.sleeps` is every wait asked of the client's clock, in order.
 * Jitter draws are 0 unless `random` is given.
 */
export function fakeTime(options: { random?: () => number; autoAdvance?: boolean } = {}): FakeClock {
  const clock = createFakeClock({ autoAdvance: options.autoAdvance ?? true, random: options.random ?? (() => 0) });
  orgClock = clock;
  return clock;
}

/** `[start, end)` ISO interval of whole UTC days ending `daysBack` days before the org's last full day. */
export function dayInterval(sim: SimulatedOrgHandle, daysBack = 1, days = 1): string {
  const end = Math.floor(sim.data.end / DAY) * DAY - (daysBack - 1) * DAY;
  return `${new Date(end - days * DAY).toISOString()}/${new Date(end).toISOString()}`;
}

/** Every `warning` event `client` emits from now on, in order. */
export function recordWarnings(client: GenesysClient): WarningEvent[] {
  const warnings: WarningEvent[] = [];
  client.on('warning', (w) => warnings.push(w));
  return warnings;
}

/** `reports.extract(options)` projected to conversation ids: the ids in the order yielded, and the extraction (its summary). */
export async function extractIds(reports: ReportQueries, options: Omit<ExtractOptions<string>, 'project'>): Promise<{ ids: string[]; extraction: ReportExtraction<string> }> {
  const extraction = reports.extract({ ...options, project: (c) => c.conversationId });
  return { ids: await collect(extraction), extraction };
}

/** `ids` holds every conversation with activity in `interval` (the org's truth), each exactly once. */
export function expectEachConversationOnce(sim: SimulatedOrgHandle, ids: string[], interval: string): void {
  expect(ids, 'no conversation twice').toHaveLength(new Set(ids).size);
  expect(new Set(ids)).toEqual(new Set(sim.truth.conversations({ interval, activity: true })));
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
