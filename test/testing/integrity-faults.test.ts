/**
 * The simulated org's fault options for testing pipelines against a misbehaving platform (docs/testing.md#faults):
 * page faults (emptyPageAt, shortPageAt), wrong bodies, looping cursors, and the transport-level ones (dripBodyMs,
 * echoAuthorization, redirectTo, hugeBodyBytes). Each is checked here at the HTTP level, without the SDK.
 */
import { describe, expect, it } from 'vitest';
import { createSimulatedOrg, SimulatorOptionsError, startSimulatedServer } from '../../src/testing/index';
import { DETAILS, JOBS, SEARCH, api, basic, dayInterval, directApi, viaFetch } from './helpers';

const AVAIL = `${JOBS}/availability`;
const ANCHOR = '2026-06-01T00:00:00Z';

describe('page faults', () => {
  it('emptyPageAt answers {} for that page of the details query, `times` times, then the real page', async () => {
    const sim = createSimulatedOrg({ seed: 7, anchor: ANCHOR, rateLimit: false, faults: { emptyPageAt: { page: 2, times: 2 } } });
    const a = directApi(sim);
    const body = (pageNumber: number) => ({ interval: dayInterval(sim, 1), paging: { pageSize: 50, pageNumber } });
    const page1 = (await (await a.post(DETAILS, body(1))).json()) as { conversations: unknown[]; totalHits: number };
    expect(page1.conversations).toHaveLength(50);
    expect(await (await a.post(DETAILS, body(2))).json()).toEqual({});
    expect(await (await a.post(DETAILS, body(2))).json()).toEqual({});
    const page2 = (await (await a.post(DETAILS, body(2))).json()) as { conversations: unknown[]; totalHits: number };
    expect(page2.conversations).toHaveLength(50);
    expect(page2.totalHits).toBe(page1.totalHits);
    expect(sim.stats.faults.emptyPage).toBe(2);
  });

  it('shortPageAt keeps the first `keep` items (default half) and the totals; it applies to evaluation search too', async () => {
    const sim = createSimulatedOrg({ seed: 7, anchor: ANCHOR, rateLimit: false, faults: { shortPageAt: { page: 1 } } });
    const a = directApi(sim);
    const page = (await (await a.post(DETAILS, { interval: dayInterval(sim, 1), paging: { pageSize: 40, pageNumber: 1 } })).json()) as { conversations: unknown[]; totalHits: number };
    expect(page.conversations).toHaveLength(20);
    expect(page.totalHits).toBeGreaterThan(40);
    sim.setFaults({ shortPageAt: { page: 1, keep: 3 } });
    const search = {
      pageSize: 10,
      pageNumber: 1,
      query: [{ type: 'DATE_RANGE', field: 'conversationDate', startValue: '2026-05-01T00:00:00.000Z', endValue: '2026-05-20T00:00:00.000Z' }],
    };
    const res = (await (await a.post(SEARCH, search)).json()) as { results: unknown[] };
    expect(res.results).toHaveLength(3);
    expect(sim.stats.faults.shortPage).toBe(2);
  });

  it('cursorLoop hands out empty pages with new (or the same) cursors; cleared, those cursors resume where they were', async () => {
    const sim = createSimulatedOrg({ seed: 7, anchor: ANCHOR, rateLimit: false, jobs: { queuedMs: 0, pendingMs: 0 } });
    const a = directApi(sim);
    const { jobId } = (await (await a.post(JOBS, { interval: dayInterval(sim, 1) })).json()) as { jobId: string };
    type ResultsPage = { conversations: Array<{ conversationId: string }>; cursor?: string };
    const read = async (cursor?: string) => (await (await a.get(`${JOBS}/${jobId}/results?pageSize=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json()) as ResultsPage;
    const p1 = await read();
    sim.setFaults({ cursorLoop: { fromPage: 2 } });
    const l1 = await read(p1.cursor);
    const l2 = await read(l1.cursor);
    expect(l1.conversations).toEqual([]);
    expect(l2.conversations).toEqual([]);
    expect(new Set([p1.cursor, l1.cursor, l2.cursor]).size).toBe(3);
    sim.setFaults({ cursorLoop: { fromPage: 2, cursor: 'same' } });
    expect((await read(l2.cursor)).cursor).toBe(l2.cursor);
    sim.setFaults({ cursorLoop: null });
    const p2 = await read(l2.cursor);
    expect(p2.conversations.map((c) => c.conversationId)).toEqual(sim.truth.jobConversations(jobId).slice(25, 50));
    expect(sim.stats.faults.cursorLoop).toBe(3);
  });

  it('wrongBody: another evaluation of the org, or a stub', async () => {
    const sim = createSimulatedOrg({ seed: 7, anchor: ANCHOR, rateLimit: false, faults: { wrongBodyRate: 1 } });
    const e = sim.truth.evaluations({ interval: dayInterval(sim, 2) })[0]!;
    const path = `/api/v2/quality/conversations/${e.conversationId}/evaluations/${e.evaluationId}`;
    const other = (await (await directApi(sim).get(path)).json()) as { id: string; conversation: { id: string } };
    expect(other.id).not.toBe(e.evaluationId);
    expect(sim.truth.evaluation(other.id)).toBeDefined();
    sim.setFaults({ wrongBody: 'stub' });
    expect(await (await directApi(sim).get(path)).json()).toEqual({ id: 'x' });
  });

  it('refuses fault options of the wrong shape', () => {
    expect(() => createSimulatedOrg({ faults: { emptyPageAt: { page: 0 } } })).toThrow(SimulatorOptionsError);
    expect(() => createSimulatedOrg({ faults: { redirectTo: { location: 'https://x.test', status: 200 as 307 } } })).toThrow(SimulatorOptionsError);
    expect(() => createSimulatedOrg({ faults: { cursorLoop: { cursor: 'old' as 'new' } } })).toThrow(SimulatorOptionsError);
  });
});

describe('transport faults', () => {
  it('redirectTo answers every request with a redirect before the bearer check: a URL, or { location, status, keepPath }', async () => {
    const sim = createSimulatedOrg({ rateLimit: false, faults: { redirectTo: 'https://evil.example/steal' } });
    const r = (await sim.handle(new Request(`${sim.apiBaseUrl}${AVAIL}`))) as Response;
    expect(r.status).toBe(307);
    expect(r.headers.get('location')).toBe('https://evil.example/steal');
    sim.setFaults({ redirectTo: { location: 'https://evil.example/', status: 308, keepPath: true } });
    const r2 = (await sim.handle(new Request(`${sim.apiBaseUrl}${DETAILS}?a=1`, { method: 'POST', body: '{}' }))) as Response;
    expect(r2.status).toBe(308);
    expect(r2.headers.get('location')).toBe(`https://evil.example${DETAILS}?a=1`);
    expect(sim.stats.faults.redirect).toBe(2);
  });

  it('echoAuthorization: error bodies quote the Authorization header (API and token endpoint)', async () => {
    const sim = createSimulatedOrg({ rateLimit: false, tokenRateLimit: false, faults: { echoAuthorization: true } });
    const bad = (await sim.handle(new Request(`${sim.apiBaseUrl}${AVAIL}`, { headers: { authorization: 'Bearer not-a-real-token' } }))) as Response;
    expect(bad.status).toBe(401);
    const body = (await bad.json()) as { message: string; messageParams: Record<string, string>; details: Array<{ entityName?: string }>; contextId: string };
    expect(body.message).toContain('Bearer not-a-real-token');
    expect(body.messageParams.authorization).toBe('Bearer not-a-real-token');
    expect(body.details.at(-1)?.entityName).toBe('Bearer not-a-real-token');
    expect(body.contextId).toBe(bad.headers.get('inin-correlation-id'));
    const token = sim.issueToken();
    const missing = await api((r) => sim.handle(r) as Promise<Response>, sim.apiBaseUrl, token).get(`${JOBS}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain(token);
    const login = (await sim.handle(
      new Request(`${sim.authBaseUrl}/oauth/token`, { method: 'POST', headers: { authorization: basic('sim-client-id', 'wrong'), 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' }),
    )) as Response;
    expect(login.status).toBeGreaterThanOrEqual(400);
    expect(await login.text()).toContain(basic('sim-client-id', 'wrong'));
    const ok = (await sim.handle(new Request(`${sim.apiBaseUrl}${AVAIL}`, { headers: { authorization: `Bearer ${token}` } }))) as Response;
    expect(await ok.text()).not.toContain(token);
    expect(sim.stats.faults.echoAuthorization).toBe(3);
  });

  it('hugeBodyBytes: a 2xx body of exactly that size, streamed without content-length, still the real JSON plus padding', async () => {
    const sim = await startSimulatedServer({ rateLimit: false, faults: { hugeBodyBytes: 3_000_000 } });
    try {
      const token = sim.org.issueToken();
      const res = await fetch(`${sim.url}${AVAIL}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBeNull();
      const text = await res.text();
      expect(Buffer.byteLength(text)).toBe(3_000_000);
      const body = JSON.parse(text) as { padding: string; dataAvailabilityDate: string };
      expect(typeof body.dataAvailabilityDate).toBe('string');
      expect(body.padding.trim()).toBe('');
      const notFound = await fetch(`${sim.url}${JOBS}/nope`, { headers: { authorization: `Bearer ${token}` } });
      expect((await notFound.text()).length).toBeLessThan(1000); // errors are not padded
      expect(sim.stats.faults.hugeBody).toBe(1);
    } finally {
      await sim.close();
    }
  });

  it('dripBodyMs: the headers arrive at once, the body only as it drips; complete, it is the real body', async () => {
    const sim = await startSimulatedServer({ rateLimit: false, dataAvailabilityDate: ANCHOR, faults: { dripBodyMs: 60_000, dripChunks: 2 } });
    try {
      const token = sim.org.issueToken();
      const controller = new AbortController();
      const res = await fetch(`${sim.url}${AVAIL}`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
      expect(res.status).toBe(200); // the headers came; the first half of the body is 30 s away
      const body = res.text().catch(() => 'aborted');
      const first = await Promise.race([body, new Promise((r) => setTimeout(() => r('still dripping'), 200))]);
      expect(first).toBe('still dripping');
      controller.abort();
      expect(await body).toBe('aborted');

      sim.org.setFaults({ dripBodyMs: 40, dripChunks: 4 });
      const dripped = await (await fetch(`${sim.url}${AVAIL}`, { headers: { authorization: `Bearer ${token}` } })).json();
      sim.org.setFaults({ dripBodyMs: 0 });
      const normal = await (await fetch(`${sim.url}${AVAIL}`, { headers: { authorization: `Bearer ${token}` } })).json();
      expect(dripped).toEqual(normal);
      expect(sim.stats.faults.drip).toBe(2);
    } finally {
      await sim.close();
    }
  });

  it('the same faults work through msw (viaFetch)', async () => {
    const { setupServer } = await import('msw/node');
    const sim = createSimulatedOrg({ rateLimit: false, faults: { hugeBodyBytes: 200_000 } });
    const server = setupServer(...sim.handlers);
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const r = await api(viaFetch, sim.apiBaseUrl, sim.issueToken()).get(AVAIL);
      expect((await r.arrayBuffer()).byteLength).toBe(200_000);
      sim.setFaults({ hugeBodyBytes: 0, dripBodyMs: 40, dripChunks: 4 });
      const dripped = await api(viaFetch, sim.apiBaseUrl, sim.issueToken()).get(AVAIL);
      expect(await dripped.json()).toHaveProperty('dataAvailabilityDate');
      expect(sim.stats.faults.drip).toBe(1);
    } finally {
      server.close();
    }
  });
});
