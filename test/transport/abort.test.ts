import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { AbortError } from '../../src/index';
import { API, makeClient, platformError, server, tokenEndpoint, useMswServer } from '../support/platform';

useMswServer();

describe('abort', () => {
  it('aborts during a Retry-After wait', async () => {
    server.use(
      tokenEndpoint().handler,
      http.get(`${API}/api/v2/limited`, () => platformError(429, 'too.many.requests.retry.after', 'wait', { 'retry-after': '30' })),
    );
    const client = makeClient();
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('user gave up')), 200);
    const err = (await client.request({ path: '/api/v2/limited', signal: controller.signal }).catch((e: unknown) => e)) as AbortError;
    expect(err).toBeInstanceOf(AbortError);
    // Without the abort the wait is the 30 s Retry-After: the bound only tells the two apart, with room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(10_000);
    await client.close();
  });

  it('rejects at once when the signal is already aborted, sending nothing', async () => {
    let calls = 0;
    server.use(
      tokenEndpoint().handler,
      http.get(`${API}/api/v2/x`, () => {
        calls++;
        return new Response('{}');
      }),
    );
    const client = makeClient();
    const err = await client.request({ path: '/api/v2/x', signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect(calls).toBe(0);
    await client.close();
  });
});
