import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedOrg, RESET, SimulatorOptionsError, type SimulatedOrgHandle } from '../../src/testing/index';
import { DETAILS, api, dayInterval, directApi, manualClock, viaFetch } from './helpers';

const AVAIL = '/api/v2/analytics/conversations/details/jobs/availability';

async function statuses(sim: SimulatedOrgHandle, n: number): Promise<(number | 'reset')[]> {
  const token = sim.issueToken();
  const out: (number | 'reset')[] = [];
  for (let i = 0; i < n; i++) {
    const r = await sim.handle(new Request(`${sim.apiBaseUrl}${AVAIL}`, { headers: { authorization: `Bearer ${token}` } }));
    out.push(r === RESET ? 'reset' : r.status);
  }
  return out;
}

describe('fault injection', () => {
  it('answers 5xx ErrorBodies at serverErrorRate, cycling the configured statuses, with Retry-After on 503 if asked', async () => {
    const sim = createSimulatedOrg({ rateLimit: false, faults: { serverErrorRate: 1, serverErrorStatuses: [503], serverErrorRetryAfterSeconds: 4 } });
    const r = await directApi(sim).get(AVAIL);
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('4');
    const body = (await r.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 'service.unavailable', status: 503, details: [], errors: [] });
    expect(body.contextId).toBe(r.headers.get('inin-correlation-id'));
    sim.setFaults({ serverErrorStatuses: [500, 502, 503, 504] });
    const seen = new Set(await statuses(sim, 60));
    expect(seen).toEqual(new Set([500, 502, 503, 504]));
    expect(sim.stats.faults.serverError).toBe(61);
  });

  it('drops connections after the request was processed (the write happened, the answer is lost)', async () => {
    const sim = createSimulatedOrg({ rateLimit: false, faults: { connectionResetRate: 1 } });
    const cid = sim.data.conversationId(0);
    const a = directApi(sim);
    await expect(a.put(`/api/v2/conversations/${cid}/customattributes`, { id: 'x', customAttributes: { a: 1 } })).rejects.toThrow(TypeError);
    sim.setFaults({ connectionResetRate: 0 });
    const list = (await (await a.get(`/api/v2/conversations/${cid}/customattributes`)).json()) as { results: { version: number }[] };
    expect(list.results[0]?.version).toBe(1);
    expect(sim.stats.faults.connectionReset).toBe(1);
    expect(sim.stats.count('PUT /api/v2/conversations/{conversationId}/customattributes', 'reset')).toBe(1);
  });

  it('turns a reset into a network error under msw', async () => {
    const sim = createSimulatedOrg({ rateLimit: false, faults: { connectionResetRate: 1 } });
    const server = setupServer(...sim.handlers);
    server.listen({ onUnhandledRequest: 'error' });
    try {
      await expect(api(viaFetch, sim.apiBaseUrl, sim.issueToken()).get(AVAIL)).rejects.toThrow(TypeError);
    } finally {
      server.close();
    }
  });

  describe('slow responses and latency (real timers, msw)', () => {
    const sim = createSimulatedOrg({ rateLimit: false, latencyMs: 20, faults: { slowRate: 1, slowDelayMs: 300 } });
    const server = setupServer(...sim.handlers);
    beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
    afterAll(() => server.close());

    it('delays by latencyMs + slowDelayMs', async () => {
      const t0 = performance.now();
      const r = await api(viaFetch, sim.apiBaseUrl, sim.issueToken()).get(AVAIL);
      expect(r.status).toBe(200);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(300);
      expect(sim.stats.faults.slow).toBe(1);
    });

    it('stops waiting when the client aborts', async () => {
      // Ordering, not time: the abort comes once the org holds the request (a 60 s delay it cannot finish first),
      // and what tells "stopped waiting" from "answered late" is how the org counts the request, not a real-time bound.
      sim.setFaults({ slowRate: 1, slowDelayMs: 60_000 });
      const token = sim.issueToken();
      const answered = sim.stats.count(`GET ${AVAIL}`, 200);
      const controller = new AbortController();
      const sent = fetch(`${sim.apiBaseUrl}${AVAIL}`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
      const settled = sent.then(() => 'answered', () => 'rejected');
      await until('the org to hold the request', () => sim.stats.inFlight > 0);
      controller.abort();
      expect(await settled).toBe('rejected');
      await until('the org to let the request go', () => sim.stats.inFlight === 0);
      expect(sim.stats.count(`GET ${AVAIL}`, 'reset')).toBe(1);
      expect(sim.stats.count(`GET ${AVAIL}`, 200)).toBe(answered);
    });
  });

  /** Polls on real time; the 60 s limit only turns a hang into a failure that says what never happened. */
  async function until(what: string, cond: () => boolean): Promise<void> {
    for (let i = 0; !cond(); i++) {
      if (i > 6000) throw new Error(`waited 60 s for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('runs a 429 storm for N requests without touching the token bucket', async () => {
    const sim = createSimulatedOrg({ rateLimit: { requests: 10, windowMs: 60_000 }, faults: { storm: { forRequests: 3, retryAfterSeconds: 9 } } });
    const a = directApi(sim);
    for (let i = 0; i < 3; i++) {
      const r = await a.get(AVAIL);
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('9');
      expect(r.headers.get('x-ratelimit-remaining')).toBe('10');
      expect(await r.json()).toMatchObject({ code: 'too.many.requests.retry.after', message: expect.stringContaining('[9]') });
    }
    expect((await a.get(AVAIL)).status).toBe(200);
    expect(sim.stats.rateLimited).toMatchObject({ storm: 3, limiter: 0 });
    expect(sim.stats.bucketEmptyArrivals).toBe(0);
    expect(sim.stats.faults.storm).toBe(3);
  });

  it('ends a storm by time (forMs, untilMs) on the org clock', async () => {
    const clock = manualClock();
    const sim = createSimulatedOrg({ now: clock.now, rateLimit: false });
    const a = directApi(sim);
    sim.setFaults({ storm: { forMs: 5000, retryAfterSeconds: 2 } });
    expect((await a.get(AVAIL)).status).toBe(429);
    clock.advance(5000);
    expect((await a.get(AVAIL)).status).toBe(200);
    sim.setFaults({ storm: { untilMs: clock.now() + 1000 } });
    expect((await a.get(AVAIL)).status).toBe(429);
    clock.advance(1000);
    expect((await a.get(AVAIL)).status).toBe(200);
    sim.setFaults({ storm: { retryAfterSeconds: 1 } });
    expect((await a.get(AVAIL)).status).toBe(429);
    sim.setFaults({ storm: null });
    expect((await a.get(AVAIL)).status).toBe(200);
  });

  it('limits faults to paths with `only`', async () => {
    const sim = createSimulatedOrg({ rateLimit: false, faults: { serverErrorRate: 1, only: ['/api/v2/quality'] } });
    const a = directApi(sim);
    expect((await a.post(DETAILS, { interval: dayInterval(sim, 1) })).status).toBe(200);
    expect((await a.get('/api/v2/quality/conversations/x/evaluations/y')).status).toBeGreaterThanOrEqual(500);
  });

  it('is reproducible: same seed and request order, same faults; another seed, other faults', async () => {
    const faults = { serverErrorRate: 0.3, connectionResetRate: 0.1 };
    const one = await statuses(createSimulatedOrg({ seed: 4, rateLimit: false, faults }), 80);
    const two = await statuses(createSimulatedOrg({ seed: 4, rateLimit: false, faults }), 80);
    const other = await statuses(createSimulatedOrg({ seed: 5, rateLimit: false, faults }), 80);
    expect(two).toEqual(one);
    expect(other).not.toEqual(one);
    const share = one.filter((s) => s !== 200).length / one.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.6);
    const sim = createSimulatedOrg({ seed: 4, rateLimit: false, faults });
    await statuses(sim, 10);
    sim.reset();
    expect(await statuses(sim, 80)).toEqual(one);
  });

  it('validates fault changes', () => {
    const sim = createSimulatedOrg();
    expect(() => sim.setFaults({ serverErrorRate: 2 })).toThrow(SimulatorOptionsError);
    expect(() => createSimulatedOrg({ faults: { slowRate: -1 } })).toThrow(SimulatorOptionsError);
  });
});
