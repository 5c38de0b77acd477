import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeClock } from '@org/gc-data/testing';
import { API, makeClient, server, tokenEndpoint, useMswServer } from '../support/platform';

useMswServer();
afterEach(() => vi.useRealTimers());

describe('token refresh ahead of expiry', () => {
  it('reuses the token until 300 s before expiry, then mints a new one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const token = tokenEndpoint(3600);
    const used: string[] = [];
    server.use(
      token.handler,
      http.get(`${API}/api/v2/ping`, ({ request }) => {
        used.push(request.headers.get('authorization') ?? '');
        return HttpResponse.json({});
      }),
    );
    const client = makeClient();
    await client.request({ path: '/api/v2/ping' });
    vi.setSystemTime(Date.now() + (3600 - 301) * 1000);
    await client.request({ path: '/api/v2/ping' });
    expect(token.minted).toEqual(['token-1']);
    vi.setSystemTime(Date.now() + 2000);
    await client.request({ path: '/api/v2/ping' });
    expect(token.minted).toEqual(['token-1', 'token-2']);
    expect(used).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-2']);
    await client.close();
  });

  it('caps the refresh margin at half the lifetime of short-lived tokens', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const token = tokenEndpoint(60);
    server.use(token.handler, http.get(`${API}/api/v2/ping`, () => HttpResponse.json({})));
    const client = makeClient();
    await client.request({ path: '/api/v2/ping' });
    vi.setSystemTime(Date.now() + 29_000);
    await client.request({ path: '/api/v2/ping' });
    expect(token.minted).toHaveLength(1);
    vi.setSystemTime(Date.now() + 2_000);
    await client.request({ path: '/api/v2/ping' });
    expect(token.minted).toHaveLength(2);
    await client.close();
  });

  it("measures freshness on the client's clock (no global time faked)", async () => {
    const clock = createFakeClock();
    const token = tokenEndpoint(3600);
    server.use(token.handler, http.get(`${API}/api/v2/ping`, () => HttpResponse.json({})));
    const client = makeClient({ clock });
    await client.request({ path: '/api/v2/ping' });
    await clock.advance((3600 - 301) * 1000);
    await client.request({ path: '/api/v2/ping' });
    expect(token.minted).toEqual(['token-1']);
    await clock.advance(2000);
    await client.request({ path: '/api/v2/ping' });
    expect(token.minted).toEqual(['token-1', 'token-2']);
    await client.close();
  });
});
