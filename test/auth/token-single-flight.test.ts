import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, makeClient, server, tokenEndpoint, useMswServer } from '../support/platform';

useMswServer();

describe('token single-flight', () => {
  it('mints one token for 100 concurrent requests', async () => {
    const token = tokenEndpoint(86_400, 50);
    const seen = new Set<string>();
    server.use(
      token.handler,
      http.get(`${API}/api/v2/ping`, ({ request }) => {
        seen.add(request.headers.get('authorization') ?? '');
        return HttpResponse.json({ ok: true });
      }),
    );
    const client = makeClient({ rateLimit: { maxConcurrent: 20, requestsPerMinute: 100_000 } });
    await Promise.all(Array.from({ length: 100 }, () => client.request({ path: '/api/v2/ping' })));
    expect(token.minted).toEqual(['token-1']);
    expect([...seen]).toEqual(['Bearer token-1']);
    await client.close();
  });

  it('sends client credentials as the platform takes them (Basic header, form body)', async () => {
    const token = tokenEndpoint();
    server.use(token.handler, http.get(`${API}/api/v2/ping`, () => HttpResponse.json({})));
    const client = makeClient();
    await client.request({ path: '/api/v2/ping' });
    // tokenEndpoint() refuses anything but Basic base64(id:secret) + grant_type=client_credentials.
    expect(token.minted).toHaveLength(1);
    await client.close();
  });
});
