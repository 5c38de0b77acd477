import { delay, http, HttpResponse } from 'msw';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { API, CLIENT_SECRET, makeClient, platformError, recordEvents, server, tokenEndpoint, useMswServer } from './support/platform';

useMswServer();

describe('privacy', () => {
  it('no error or event of a failing run contains the secret or a token', async () => {
    const token = tokenEndpoint();
    let n = 0;
    server.use(
      token.handler,
      http.get(`${API}/api/v2/a`, () => platformError(401, 'authentication.required', 'no')),
      http.get(`${API}/api/v2/b`, () => (++n < 3 ? platformError(503, 'service.unavailable', 'later') : platformError(500, 'x', 'y'))),
      http.get(`${API}/api/v2/c`, () => platformError(429, 'too.many.requests.retry.after', 'wait', { 'retry-after': '0' })),
      http.get(`${API}/api/v2/d`, async () => {
        await delay(500);
        return HttpResponse.json({});
      }),
      http.get(`${API}/api/v2/e`, () => HttpResponse.error()),
      http.get(`${API}/api/v2/f`, () => HttpResponse.json({ wrong: true })),
    );
    const client = makeClient({ timeoutMs: 50, retry: { limit: 1, rateLimitLimit: 1 } });
    const events = recordEvents(client);
    const { z } = await import('zod');
    const errors = await Promise.all(
      [
        client.request({ path: '/api/v2/a?secret=1' }),
        client.request({ path: '/api/v2/b' }),
        client.request({ path: '/api/v2/c' }),
        client.request({ path: '/api/v2/d' }),
        client.request({ path: '/api/v2/e' }),
        client.request({ path: '/api/v2/f', schema: z.object({ id: z.string() }) }),
      ].map((p) => p.then(() => new Error('unexpected success'), (e: unknown) => e)),
    );
    const badClient = makeClient({ clientSecret: 'another-secret' });
    errors.push(await badClient.request({ path: '/api/v2/a' }).catch((e: unknown) => e));
    const dump = [
      ...errors.map((e) => JSON.stringify(e) + String(e) + (e as Error).stack + inspect(e, { depth: 5 })),
      JSON.stringify(events),
      inspect(client, { depth: 3 }),
    ].join('\n');
    expect(token.minted.length).toBeGreaterThan(0);
    for (const secret of [CLIENT_SECRET, 'another-secret', ...token.minted, Buffer.from(`test-client-id:${CLIENT_SECRET}`).toString('base64')]) {
      expect(dump).not.toContain(secret);
    }
    expect(dump).not.toMatch(/authorization/i);
    expect(dump).not.toContain('secret=1');
    expect(errors.map((e) => (e as Error).name)).toEqual([
      'AuthenticationError',
      'ServerError',
      'RateLimitError',
      'TimeoutError',
      'NetworkError',
      'UnexpectedResponseError',
      'AuthenticationError',
    ]);
    await client.close();
    await badClient.close();
  });
});
