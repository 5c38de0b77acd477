import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { RateLimitError, type RetryEvent } from '../../src/index';
import { createFakeClock } from '@org/gc-data/testing';
import { API, makeClient, platformError, server, tokenEndpoint, useMswServer } from '../support/platform';

useMswServer();

function rateLimitedOnce(retryAfter: () => string, now = () => Date.now()) {
  const arrivals: number[] = [];
  const handler = http.get(`${API}/api/v2/ping`, () => {
    arrivals.push(now());
    if (arrivals.length === 1) {
      return platformError(429, 'too.many.requests.retry.after', 'Rate limit exceeded the maximum. Retry the request in [1] seconds', {
        'retry-after': retryAfter(),
      });
    }
    return HttpResponse.json({ ok: true });
  });
  return { arrivals, handler };
}

describe('Retry-After', () => {
  it('waits the seconds the platform asks for, then succeeds', async () => {
    const { arrivals, handler } = rateLimitedOnce(() => '1');
    server.use(tokenEndpoint().handler, handler);
    const client = makeClient();
    const retries: RetryEvent[] = [];
    client.on('retry', (e) => retries.push(e));
    await expect(client.request({ path: '/api/v2/ping' })).resolves.toEqual({ ok: true });
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(990);
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(1000);
    expect(retries[0]!.delayMs).toBeLessThanOrEqual(1100);
    expect(retries[0]!.status).toBe(429);
    await client.close();
  });

  it('accepts an HTTP-date', async () => {
    // On a fake clock (both the date sent and the wait): an upper bound on real time would race the machine's load.
    const clock = createFakeClock({ autoAdvance: true });
    const { arrivals, handler } = rateLimitedOnce(() => new Date(clock.now() + 2000).toUTCString(), () => clock.now());
    server.use(tokenEndpoint().handler, handler);
    const client = makeClient({ clock });
    await client.request({ path: '/api/v2/ping' });
    // HTTP-dates have one-second resolution: the wait is between 1 and 2 s, plus at most 10% jitter.
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(1000);
    expect(arrivals[1]! - arrivals[0]!).toBeLessThanOrEqual(2200);
    await client.close();
  });

  it('retries a 429 even for a POST (the platform did not process it)', async () => {
    let calls = 0;
    server.use(
      tokenEndpoint().handler,
      http.post(`${API}/api/v2/things`, () =>
        ++calls === 1 ? platformError(429, 'too.many.requests.retry.after', 'slow down', { 'retry-after-ms': '20' }) : HttpResponse.json({ id: 'x' }),
      ),
    );
    const client = makeClient();
    await expect(client.request({ method: 'POST', path: '/api/v2/things', body: {} })).resolves.toEqual({ id: 'x' });
    expect(calls).toBe(2);
    await client.close();
  });

  it('fails with RateLimitError when Retry-After exceeds maxRetryAfterMs', async () => {
    server.use(
      tokenEndpoint().handler,
      http.get(`${API}/api/v2/ping`, () => platformError(429, 'too.many.requests.retry.after', 'slow down', { 'retry-after': '3600' })),
    );
    const client = makeClient({ retry: { maxRetryAfterMs: 60_000 } });
    const err = (await client.request({ path: '/api/v2/ping' }).catch((e: unknown) => e)) as RateLimitError;
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfterMs).toBe(3_600_000);
    expect(err.message).toMatch(/maxRetryAfterMs/);
    await client.close();
  });
});
