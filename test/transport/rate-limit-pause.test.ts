import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '@org/gc-data/testing';
import { API, makeClient, platformError, recordEvents, server, tokenEndpoint, useMswServer } from '../support/platform';

useMswServer();

describe('one 429 pauses the whole limiter', () => {
  it('holds every queued request until Retry-After has passed on the client clock', async () => {
    // The pause sleeps on the client's clock (a fake one here): exact times, no real second waited.
    const clock = createFakeClock({ autoAdvance: true });
    const arrivals: number[] = [];
    let first429At = 0;
    server.use(
      tokenEndpoint().handler,
      http.get(`${API}/api/v2/items/:n`, async () => {
        arrivals.push(clock.now());
        if (!first429At) {
          first429At = clock.now();
          return platformError(429, 'too.many.requests.retry.after', 'slow down', { 'retry-after': '1' });
        }
        return HttpResponse.json({ ok: true });
      }),
    );
    const client = makeClient({ clock, rateLimit: { maxConcurrent: 1, requestsPerMinute: 60_000 } });
    const events = recordEvents(client);
    await Promise.all(Array.from({ length: 6 }, (_, n) => client.request({ path: `/api/v2/items/${n}` })));
    const after = arrivals.slice(1);
    expect(after).toHaveLength(6);
    for (const t of after) expect(t - first429At).toBeGreaterThanOrEqual(1000);
    expect(events.filter((e) => e.name === 'rateLimit')).toHaveLength(1);
    expect(client.stats().rateLimited).toBe(1);
    await client.close();
  });
});
