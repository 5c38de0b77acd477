import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { AbortError, BadRequestError, TimeoutError } from '../../src/errors';
import type { ProgressEvent, RetryEvent } from '../../src/events';
import { InteractionSearch } from '../../src/search/interaction-search';
import { DETAILS_ROUTE, useSimulatedOrg } from '../support/sim';
import { createFakeClock } from '../../src/testing/index';

const { org: sim, server, client } = useSimulatedOrg({ seed: 503, anchor: 'now', rateLimit: false }, { client: { retry: { maxDelayMs: 10 } } });

const DAY = 86_400_000;
const indexNotReady = { serverErrorRate: 1, serverErrorStatuses: [503], only: ['/api/v2/analytics'] };

describe('InteractionSearch.ready: the readiness probe', () => {
  it('answers at once with a pageSize-1 query over the last hour when the index is ready', async () => {
    const bodies: unknown[] = [];
    server.events.on('request:start', async ({ request }) => {
      if (request.url.endsWith('/details/query')) bodies.push(await request.clone().json());
    });
    const before = Date.now();
    const r = await new InteractionSearch(client()).ready();
    const after = Date.now();
    server.events.removeAllListeners();
    expect(r).toEqual({ ready: true, latencyMs: expect.any(Number), probes: 1 });
    const body = bodies[0] as { interval: string; paging: unknown };
    expect(body.paging).toEqual({ pageSize: 1, pageNumber: 1 });
    const [s, e] = body.interval.split('/').map((x) => Date.parse(x)) as [number, number];
    expect(e - s).toBe(3_600_000);
    // Now, by the client's (system) clock: between the real clock read before and after (one second either side
    // for the interval's rounding), whatever the machine's load made of the time in between.
    expect(e).toBeGreaterThanOrEqual(before - 1000);
    expect(e).toBeLessThanOrEqual(after + 1000);
  });

  it('waits through 503s past the transport retries, probing again with backoff, until the index answers', async () => {
    sim.setFaults(indexNotReady);
    const c = client();
    const retries: RetryEvent[] = [];
    const progress: ProgressEvent[] = [];
    c.on('retry', (e) => {
      retries.push(e);
      if (retries.length === 7) sim.setFaults({ serverErrorRate: 0 });
    });
    c.on('progress', (e) => progress.push(e));
    const r = await new InteractionSearch(c).ready({ timeoutMs: 10_000 });
    expect(r.ready).toBe(true);
    expect(r.probes).toBe(2);
    expect(retries.every((e) => e.status === 503)).toBe(true);
    // probe 1: 5 attempts (4 transport retries), all 503; probe 2: 503, 503, 503, then 200
    expect(sim.stats.count(DETAILS_ROUTE, 503)).toBe(8);
    expect(sim.stats.count(DETAILS_ROUTE, 200)).toBe(1);
    const waits = progress.filter((e) => e.operation === 'search.ready');
    expect(waits).toEqual([expect.objectContaining({ probe: 1, status: 503, nextProbeInMs: expect.any(Number) })]);
    expect(waits[0]!.nextProbeInMs as number).toBeGreaterThanOrEqual(5); // equal jitter over the 10 ms cap
  });

  it('honours a Retry-After sent with the 503 between probes', async () => {
    sim.setFaults({ ...indexNotReady, serverErrorRetryAfterSeconds: 0 });
    const c = client();
    let n = 0;
    c.on('retry', () => {
      if (++n === 6) sim.setFaults({ serverErrorRate: 0 });
    });
    const r = await new InteractionSearch(c).ready({ timeoutMs: 5_000 });
    expect(r.probes).toBe(2);
  });

  it('gives up with a TimeoutError at its deadline while the index stays unavailable', async () => {
    sim.setFaults(indexNotReady);
    // Time is a fake clock (no race with a loaded machine): every backoff of the transport and every wait between
    // probes moves it, and the deadline is read on it.
    const clock = createFakeClock({ autoAdvance: true });
    const t0 = clock.now();
    const err = await new InteractionSearch(client({ clock, retry: { maxDelayMs: 1000 } })).ready({ timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).kind).toBe('deadline');
    expect((err as Error).message).toMatch(/not ready within 5000 ms.*last answer 503/);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(5_000);
    expect(sim.stats.count(DETAILS_ROUTE, 503)).toBeGreaterThan(5);
  });

  it("stops with an AbortError when the caller's signal fires", async () => {
    sim.setFaults(indexNotReady);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    await expect(new InteractionSearch(client()).ready({ timeoutMs: 10_000, signal: ac.signal })).rejects.toBeInstanceOf(AbortError);
  });

  it('throws any other error at once: it will not fix itself by waiting', async () => {
    server.use(
      http.post(`${sim.apiBaseUrl}/api/v2/analytics/conversations/details/query`, () =>
        HttpResponse.json({ message: 'bad interval', code: 'bad.request', status: 400, contextId: 'c-1', details: [], errors: [] }, { status: 400 }),
      ),
    );
    const clock = createFakeClock({ autoAdvance: true });
    await expect(new InteractionSearch(client({ clock })).ready({ timeoutMs: 10_000 })).rejects.toBeInstanceOf(BadRequestError);
    // No wait at all, by the client's clock (no race with real time): a 400 is thrown at once.
    expect(clock.sleeps).toEqual([]);
  });

  it('query() itself rides out transient 503s through the transport and still reads everything exactly once', async () => {
    const end = Math.floor(sim.data.end / DAY) * DAY;
    const interval = `${new Date(end - DAY).toISOString()}/${new Date(end).toISOString()}`;
    sim.setFaults({ serverErrorRate: 0.3, serverErrorStatuses: [503], only: ['/api/v2/analytics'] });
    const got: string[] = [];
    for await (const conv of new InteractionSearch(client()).query({ interval, pageSize: 25 })) got.push(conv.conversationId);
    expect(sim.stats.count(DETAILS_ROUTE, 503)).toBeGreaterThan(0);
    expect(got).toEqual(sim.truth.conversations({ interval }));
  });
});
