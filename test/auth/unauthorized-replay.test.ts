import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthenticationError, AuthError } from '../../src/index';
import { API, makeClient, platformError, recordEvents, server, tokenEndpoint, useMswServer, type TokenEndpoint } from '../support/platform';

useMswServer();

/** The platform's answer to a token it no longer accepts. */
const unauthorized = () => platformError(401, 'authentication.required', 'Authentication required');

/** The token endpoint and `GET /api/v2/ping` answered by `answer`; the token endpoint says what it minted. */
function servePing(answer: (request: Request) => Response): TokenEndpoint {
  const token = tokenEndpoint();
  server.use(token.handler, http.get(`${API}/api/v2/ping`, ({ request }) => answer(request)));
  return token;
}

describe('401 refresh and replay', () => {
  it('refreshes the token once and replays the request', async () => {
    const token = servePing((request) => (request.headers.get('authorization') === 'Bearer token-1' ? unauthorized() : HttpResponse.json({ ok: true })));
    const client = makeClient();
    const events = recordEvents(client);
    await expect(client.request({ path: '/api/v2/ping' })).resolves.toEqual({ ok: true });
    expect(token.minted).toEqual(['token-1', 'token-2']);
    expect(events.some((e) => e.name === 'token' && (e.payload as { kind: string }).kind === 'invalidated')).toBe(true);
    await client.close();
  });

  it('a second 401 is an AuthenticationError, not a loop', async () => {
    let calls = 0;
    const token = servePing(() => {
      calls++;
      return unauthorized();
    });
    const client = makeClient();
    const err = await client.request({ path: '/api/v2/ping' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthenticationError).status).toBe(401);
    expect((err as AuthenticationError).correlationId).toBe('corr-123');
    expect(calls).toBe(2);
    expect(token.minted).toHaveLength(2);
    await client.close();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('a token that expires again after a retried failure gets its own replay (a 401 only straight after a replay fails)', async () => {
    // Only Date is faked: the test moves the clock past token-2's lifetime instead of waiting for it.
    vi.useFakeTimers({ toFake: ['Date'] });
    const seen: string[] = [];
    const token = servePing((request) => {
      const auth = request.headers.get('authorization') ?? '';
      seen.push(auth);
      // token-1 expired; token-2 meets a 502, then most of a day passes and it too has been revoked; token-3 works.
      if (auth === 'Bearer token-1') return unauthorized();
      if (auth === 'Bearer token-2') {
        if (seen.filter((a) => a === auth).length === 1) {
          vi.setSystemTime(Date.now() + 0.6 * 86_400_000);
          return platformError(502, 'bad.gateway', 'Bad gateway');
        }
        return unauthorized();
      }
      return HttpResponse.json({ ok: true });
    });
    const client = makeClient({ retry: { baseDelayMs: 1, maxDelayMs: 5 } });
    // The request's deadline is kept on the client's clock too (Date here): give it longer than the 0.6 day the clock jumps.
    await expect(client.request({ path: '/api/v2/ping', deadlineMs: 86_400_000 })).resolves.toEqual({ ok: true });
    expect(token.minted).toEqual(['token-1', 'token-2', 'token-3']);
    expect(seen).toEqual(['Bearer token-1', 'Bearer token-2', 'Bearer token-2', 'Bearer token-3']);
    await client.close();
  });

  it('a 401/503 storm mints at most one replacement token: a fresh replacement refused again is an AuthenticationError', async () => {
    let calls = 0;
    const token = servePing(() => {
      calls++;
      return calls % 2 === 1 ? unauthorized() : platformError(503, 'service.unavailable', 'Unavailable');
    });
    const client = makeClient({ retry: { limit: 10, budget: false } });
    const results = await Promise.all(Array.from({ length: 5 }, () => client.request({ path: '/api/v2/ping' }).catch((e: unknown) => e)));
    for (const err of results) {
      expect(err).toBeInstanceOf(AuthenticationError);
    }
    // token-1 at first use, token-2 after the first 401; never a third, however many 401s follow.
    expect(token.minted).toEqual(['token-1', 'token-2']);
    expect(client.stats().tokensIssued).toBe(2);
    await client.close();
  });

  it('bad client credentials are an AuthenticationError that names what to check', async () => {
    server.use(tokenEndpoint().handler);
    const client = makeClient({ clientSecret: 'wrong-secret' });
    const err = (await client.request({ path: '/api/v2/ping' }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.message).toMatch(/clientId, clientSecret/);
    expect(err.message).not.toContain('wrong-secret');
    await client.close();
  });
});
