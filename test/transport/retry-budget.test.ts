import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { NetworkError, ValidationError } from '../../src/index';
import { API, makeClient, platformError, server, tokenEndpoint, useMswServer } from '../support/platform';

useMswServer();

describe('retry budget (issue 19: a spent budget slows the client down, it ends nothing)', () => {
  it('a 5xx storm that spends the budget: one request in flight until answers come back, every request succeeds', async () => {
    let calls = 0;
    let inFlight = 0;
    let peakAfterSpent = 0;
    server.use(
      tokenEndpoint().handler,
      http.get(`${API}/api/v2/thing`, async () => {
        calls++;
        inFlight++;
        // 20 tokens, 5 per retry: spent after 4 retries; from the 10th call on at most one may be on the wire.
        if (calls > 10) peakAfterSpent = Math.max(peakAfterSpent, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return calls <= 30 ? platformError(500, 'internal.server.error', 'boom') : HttpResponse.json({ ok: true });
      }),
    );
    const client = makeClient({ retry: { limit: 3, budget: { capacity: 20, retryCost: 5 } } });
    const results = await Promise.all(Array.from({ length: 5 }, () => client.request({ path: '/api/v2/thing' })));
    expect(results).toEqual(Array.from({ length: 5 }, () => ({ ok: true })));
    // Past retry.limit (3) for every request: in a storm the failures are the platform's, not one request's.
    expect(calls).toBe(35);
    expect(peakAfterSpent).toBe(1);
    await client.close();
  });

  it('a lone request that keeps failing is not a storm: it gives up after retry.limit', async () => {
    server.use(
      tokenEndpoint().handler,
      http.get(`${API}/api/v2/thing`, () => HttpResponse.error()),
    );
    const client = makeClient({ retry: { limit: 3 } });
    const err = await client.request({ path: '/api/v2/thing' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).attempts).toBe(4);
    await client.close();
  });

  it('retry.giveUpAfterMs is checked before any request', () => {
    for (const bad of [0, -1, 1.5, '300000', null]) {
      let err: unknown;
      try {
        makeClient({ retry: { giveUpAfterMs: bad as number } });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues.map((i) => i.path)).toEqual(['retry.giveUpAfterMs']);
    }
  });
});
