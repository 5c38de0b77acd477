/**
 * Module tests run against the simulated org over msw: one org per test file, a fresh client per test.
 * After each test the fixture resets the msw handlers and the org (tokens, jobs, attributes, faults, stats)
 * and closes the clients it made, so tests do not depend on one another.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { GenesysClient, type GenesysClientOptions } from '../../src/index';
import { createSimulatedOrg, type SimulatedOrgHandle, type SimulatedOrgOptions } from '../../src/testing/index';

export interface SimFixture {
  org: SimulatedOrgHandle;
  /** The msw server, for per-test overrides (`sim.server.use(...)`), reset after each test. */
  server: ReturnType<typeof setupServer>;
  client(overrides?: Partial<GenesysClientOptions>): GenesysClient;
}

/** A fixed anchor keeps every test's data identical run after run. */
export const ANCHOR = '2026-06-01T00:00:00Z';

/**
 * The org's options, plus `anchor: 'now'`: no anchor, so the dataset ends at the org's clock when it is created
 * (the simulator's own default), for tests whose data must be recent relative to the real clock.
 * Without `seed` or `anchor` the fixture uses seed 7 and {@link ANCHOR}.
 */
export type SimOrgOptions = Omit<SimulatedOrgOptions, 'anchor'> & { anchor?: SimulatedOrgOptions['anchor'] | 'now' };

export interface SimFixtureOptions {
  /**
   * Defaults for every `client()` of this fixture, e.g. a rate limit or retry settings; a test's own overrides
   * win over them, and `retry` is merged field by field (fast retries unless a field is given).
   */
  client?: Partial<GenesysClientOptions>;
  /**
   * Hostnames msw lets through when no handler matches, for real servers a test starts (e.g. `['127.0.0.1']`);
   * any other unhandled request is an error.
   */
  allowHosts?: string[];
}

function orgOptions(options: SimOrgOptions): SimulatedOrgOptions {
  if (options.anchor !== 'now') return { seed: 7, anchor: ANCHOR, ...options };
  const { anchor: _now, ...rest } = options;
  return { seed: 7, ...rest };
}

export function useSimulatedOrg(options: SimOrgOptions = {}, fixture: SimFixtureOptions = {}): SimFixture {
  const org = createSimulatedOrg(orgOptions(options));
  const defaults = fixture.client ?? {};
  const server = setupServer(...org.handlers);
  const clients: GenesysClient[] = [];
  const allowHosts = fixture.allowHosts ?? [];
  beforeAll(() =>
    server.listen({
      onUnhandledRequest: allowHosts.length
        ? (request, print) => {
            if (!allowHosts.includes(new URL(request.url).hostname)) print.error();
          }
        : 'error',
    }),
  );
  afterEach(async () => {
    server.resetHandlers();
    org.reset();
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(() => server.close());
  return {
    org,
    server,
    client(overrides = {}) {
      const c = new GenesysClient({
        clientId: org.clientId,
        clientSecret: org.clientSecret,
        baseUrl: org.apiBaseUrl,
        authUrl: org.authBaseUrl,
        ...defaults,
        ...overrides,
        retry: { baseDelayMs: 1, maxDelayMs: 20, ...defaults.retry, ...overrides.retry },
        // An org without rate limits answers without rate-limit headers, where the client's seed-001 ceiling (20 requests
        // per second until the server announces a budget) would slow every test; test/pacing covers the ceiling.
        rateLimit: { maxRequestsPerSecond: 100_000, ...defaults.rateLimit, ...overrides.rateLimit },
      });
      clients.push(c);
      return c;
    },
  };
}

/** Requests the org saw on one route template, all statuses. */
export function routeCount(org: SimulatedOrgHandle, route: string): number {
  return Object.values(org.stats.byRoute[route] ?? {}).reduce((a, b) => a + b, 0);
}

export const EVAL_ROUTE = 'GET /api/v2/quality/conversations/{conversationId}/evaluations/{evaluationId}';
export const DETAILS_ROUTE = 'POST /api/v2/analytics/conversations/details/query';

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** In-memory sink for assertions. */
export function arraySink<Row>() {
  const rows: Row[] = [];
  return {
    rows,
    get rowsWritten() {
      return rows.length;
    },
    async write(row: Row) {
      rows.push(row);
    },
    async close() {},
  };
}
