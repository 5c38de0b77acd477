/**
 * A minimal platform for foundation tests: a token endpoint that counts mints, plus per-test API handlers.
 * Module tests use the full simulated org from `src/testing`; these tests need exact control of each response.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { GenesysClient, type GenesysClientOptions } from '../../src/index';

export const API = 'https://api.example.test';
export const LOGIN = 'https://login.example.test';
export const CLIENT_ID = 'test-client-id';
export const CLIENT_SECRET = 'test-client-secret-do-not-leak';

export const server = setupServer();

export function useMswServer(): void {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
}

export interface TokenEndpoint {
  minted: string[];
  handler: HttpHandler;
}

/** Issues `token-1`, `token-2`, ... with `expires_in` seconds; checks Basic auth and the grant like the platform. */
export function tokenEndpoint(expiresIn = 86_400, delayMs = 0): TokenEndpoint {
  const minted: string[] = [];
  const handler = http.post(`${LOGIN}/oauth/token`, async ({ request }) => {
    const expected = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
    if (request.headers.get('authorization') !== expected) {
      return HttpResponse.json({ error: 'invalid_client', description: 'bad credentials' }, { status: 401 });
    }
    if ((await request.text()) !== 'grant_type=client_credentials') {
      return HttpResponse.json({ error: 'unsupported_grant_type' }, { status: 400 });
    }
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    const token = `token-${minted.length + 1}`;
    minted.push(token);
    return HttpResponse.json({ access_token: token, token_type: 'bearer', expires_in: expiresIn });
  });
  return { minted, handler };
}

export function makeClient(overrides: Partial<GenesysClientOptions> = {}): GenesysClient {
  return new GenesysClient({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    baseUrl: API,
    authUrl: LOGIN,
    ...overrides,
    retry: { baseDelayMs: 1, maxDelayMs: 10, ...overrides.retry },
    // These handlers send no rate-limit headers: lift the seed-001 ceiling (20/s until a budget is announced) that
    // would otherwise pace every test; test/pacing covers it.
    rateLimit: { maxRequestsPerSecond: 100_000, ...overrides.rateLimit },
  });
}

export function platformError(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return HttpResponse.json(
    { message, code, status, contextId: 'corr-123', details: [], errors: [] },
    { status, headers: { 'inin-correlation-id': 'corr-123', ...headers } },
  );
}

/** Records every event of a client, for assertions and the privacy test. */
export function recordEvents(client: GenesysClient) {
  const events: Array<{ name: string; payload: unknown }> = [];
  for (const name of ['request', 'response', 'retry', 'rateLimit', 'token', 'progress', 'warning'] as const) {
    client.on(name, (payload: unknown) => events.push({ name, payload }));
  }
  return events;
}
