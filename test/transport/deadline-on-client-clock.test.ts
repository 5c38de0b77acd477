/**
 * The transport's overall deadline (`deadlineMs`) holds on the client's clock, not only on a real-time timer: with
 * a fake clock backoffs take no real time, so a request in a failure storm (no retry limit, src/transport/storm.ts)
 * retried through 300 s of fake time and ended with PlatformUnavailableError long before a 60-s real timer fired.
 */
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '@org/gc-data/testing';
import { TimeoutError } from '@org/gc-data';
import { API, makeClient, server, tokenEndpoint, useMswServer } from '../support/platform';

useMswServer();

describe("the transport's deadline on the client's clock", () => {
  it('a request retrying 503s in a storm ends with a deadline TimeoutError at its deadline by the fake clock', async () => {
    server.use(tokenEndpoint(3600).handler, http.get(`${API}/api/v2/ping`, () => HttpResponse.json({}, { status: 503 })));
    const clock = createFakeClock({ autoAdvance: true });
    // A small budget: two retries put it below half, a storm, where retry.limit no longer ends the request.
    const client = makeClient({ clock, rateLimit: { requestsPerMinute: 100_000 }, retry: { maxDelayMs: 1000, budget: { capacity: 10, retryCost: 5, timeoutCost: 10, successRefund: 1 } } });
    const started = clock.now();
    const err = await client.request({ path: '/api/v2/ping', deadlineMs: 60_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).kind).toBe('deadline');
    // The last backoff is cut to the deadline: exactly 60 s of the client's clock, not 300 s (retry.giveUpAfterMs).
    expect(clock.now() - started).toBe(60_000);
    await client.close();
  });
});
