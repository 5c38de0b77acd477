import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { NetworkError, ServerError } from '../../src/index';
import { API, makeClient, platformError, server, tokenEndpoint, useMswServer } from '../support/platform';

useMswServer();

describe('retry budget', () => {
  it('stops retrying once a 5xx storm has spent the budget', async () => {
    let calls = 0;
    server.use(
      tokenEndpoint().handler,
      http.get(`${API}/api/v2/thing`, () => {
        calls++;
        return platformError(500, 'internal.server.error', 'boom');
      }),
    );
    // 20 tokens, 5 per retry: 4 retries in all, whatever the number of requests.
    const client = makeClient({ retry: { limit: 3, budget: { capacity: 20, retryCost: 5 } } });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => client.request({ path: '/api/v2/thing' })));
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof ServerError)).toBe(true);
    expect(calls).toBe(5 + 4);
    const last = results.map((r) => (r as PromiseRejectedResult).reason as Error).find((e) => /budget/.test(e.message));
    expect(last?.message).toMatch(/retry budget exhausted/);
    await client.close();
  });

  it('a network error that finds the budget spent says so too (not only "after 1 attempt(s)")', async () => {
    server.use(
      tokenEndpoint().handler,
      http.get(`${API}/api/v2/thing`, () => HttpResponse.error()),
    );
    const client = makeClient({ retry: { limit: 3, budget: { capacity: 0, retryCost: 5 } } });
    const err = await client.request({ path: '/api/v2/thing' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toMatch(/after 1 attempt\(s\).*\(retry budget exhausted/);
    await client.close();
  });
});
