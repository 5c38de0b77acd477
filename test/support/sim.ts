/**
 * Module tests run against the simulated org over msw: one org per test file, a fresh client per test.
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

export function useSimulatedOrg(options: SimulatedOrgOptions = {}): SimFixture {
  const org = createSimulatedOrg({ seed: 7, anchor: ANCHOR, ...options });
  const server = setupServer(...org.handlers);
  const clients: GenesysClient[] = [];
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
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
        ...overrides,
        retry: { baseDelayMs: 1, maxDelayMs: 20, ...overrides.retry },
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
