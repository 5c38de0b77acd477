/**
 * The transport's backoff and Retry-After waits sleep on the client's clock (issue 17): with a fake clock a
 * retried request waits no real time, and the wait it took is the one the `retry` event announced.
 */
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '@org/gc-data/testing';
import type { RetryEvent } from '@org/gc-data';
import { API, makeClient, server, tokenEndpoint, useMswServer } from '../support/platform';

useMswServer();

describe("transport waits on the client's clock", () => {
  it('a 503 backoff and a 503 Retry-After are slept on the fake clock, as announced', async () => {
    let n = 0;
    server.use(
      tokenEndpoint(3600).handler,
      http.get(`${API}/api/v2/ping`, () => {
        n++;
        if (n === 1) return HttpResponse.json({}, { status: 503 });
        if (n === 2) return HttpResponse.json({}, { status: 503, headers: { 'retry-after': '30' } });
        return HttpResponse.json({ ok: true });
      }),
    );
    const clock = createFakeClock({ autoAdvance: true, random: () => 0.5 });
    const client = makeClient({ clock, rateLimit: { requestsPerMinute: 100_000 } });
    const retries: RetryEvent[] = [];
    client.on('retry', (e) => retries.push(e));
    const started = clock.now();
    await expect(client.request({ path: '/api/v2/ping' })).resolves.toEqual({ ok: true });
    // Retry-After: 30 s plus 5% (half of 10%, at random 0.5).
    // (The backoff step itself is the retry policy's, src/transport/retry.ts; here only where it is slept.)
    const announced = retries.map((r) => r.delayMs);
    expect(announced).toHaveLength(2);
    expect(announced[1]).toBe(31_500);
    expect(clock.sleeps.filter((ms) => ms > 0)).toEqual(announced.filter((ms) => ms > 0));
    expect(clock.now() - started).toBe(announced[0]! + 31_500);
    await client.close();
  });
});
