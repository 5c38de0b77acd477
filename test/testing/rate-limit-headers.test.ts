import { describe, expect, it } from 'vitest';
import { createSimulatedOrg } from '../../src/testing/index';
import { DETAILS, api, dayInterval, login, manualClock, tokenRequest, viaHandle } from './helpers';

const QUERY = (sim: ReturnType<typeof createSimulatedOrg>) => ({ interval: dayInterval(sim, 1), paging: { pageSize: 1, pageNumber: 1 } });

describe('rate-limit headers and 429s', () => {
  it('puts the inin and X-RateLimit headers and a correlation id on every /api/v2 response', async () => {
    const clock = manualClock();
    const sim = createSimulatedOrg({ now: clock.now, rateLimit: { requests: 60, windowMs: 60_000 } });
    const a = api(viaHandle(sim), sim.apiBaseUrl, sim.issueToken());
    const ok = await a.post(DETAILS, QUERY(sim));
    const notFound = await a.get('/api/v2/quality/conversations/x/evaluations/y');
    const bad = await a.post(DETAILS, { interval: 'yesterday' });
    expect([ok.status, notFound.status, bad.status]).toEqual([200, 404, 400]);
    for (const [n, r] of [ok, notFound, bad].entries()) {
      expect(r.headers.get('inin-ratelimit-allowed')).toBe('60');
      expect(r.headers.get('inin-ratelimit-count')).toBe(String(n + 1));
      expect(r.headers.get('x-ratelimit-limit')).toBe('60');
      expect(r.headers.get('x-ratelimit-remaining')).toBe(String(59 - n));
      // 1 token/s refill: n+1 tokens used -> n+1 seconds until full.
      expect(r.headers.get('inin-ratelimit-reset')).toBe(String(n + 1));
      expect(r.headers.get('x-ratelimit-reset')).toBe(String(n + 1));
      expect(r.headers.get('inin-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    const body = (await bad.json()) as { contextId: string; code: string; status: number };
    expect(body.contextId).toBe(bad.headers.get('inin-correlation-id'));
    expect(body).toMatchObject({ code: 'bad.request', status: 400 });
  });

  it('answers 429 with Retry-After and the normalised body when the bucket is empty, and refills continuously', async () => {
    const clock = manualClock();
    const sim = createSimulatedOrg({ now: clock.now, rateLimit: { requests: 6, windowMs: 60_000 } });
    const a = api(viaHandle(sim), sim.apiBaseUrl, sim.issueToken());
    for (let i = 0; i < 6; i++) expect((await a.post(DETAILS, QUERY(sim))).status).toBe(200);
    const limited = await a.post(DETAILS, QUERY(sim));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('10');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('inin-ratelimit-count')).toBe('6');
    expect(limited.headers.get('inin-ratelimit-reset')).toBe('60');
    expect(await limited.json()).toEqual({
      message: 'Rate limit exceeded the maximum. Retry the request in [10] seconds',
      code: 'too.many.requests.retry.after',
      status: 429,
      contextId: limited.headers.get('inin-correlation-id'),
      details: [],
      errors: [],
    });
    expect(sim.stats.bucketEmptyArrivals).toBe(1);
    expect(sim.stats.rateLimited).toMatchObject({ limiter: 1, storm: 0, total: 1 });

    clock.advance(9_000);
    const early = await a.post(DETAILS, QUERY(sim));
    expect(early.status).toBe(429);
    expect(early.headers.get('retry-after')).toBe('1');
    clock.advance(1_000);
    expect((await a.post(DETAILS, QUERY(sim))).status).toBe(200);
    expect(sim.stats.bucketEmptyArrivals).toBe(2);
  });

  it('limits per token: a second token has its own full bucket', async () => {
    const clock = manualClock();
    const sim = createSimulatedOrg({ now: clock.now, rateLimit: { requests: 2, windowMs: 60_000 } });
    const a = api(viaHandle(sim), sim.apiBaseUrl, sim.issueToken());
    const b = api(viaHandle(sim), sim.apiBaseUrl, sim.issueToken());
    await a.post(DETAILS, QUERY(sim));
    await a.post(DETAILS, QUERY(sim));
    expect((await a.post(DETAILS, QUERY(sim))).status).toBe(429);
    const fresh = await b.post(DETAILS, QUERY(sim));
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('x-ratelimit-remaining')).toBe('1');
  });

  it('honours burst as the bucket capacity', async () => {
    const clock = manualClock();
    const sim = createSimulatedOrg({ now: clock.now, rateLimit: { requests: 600, windowMs: 60_000, burst: 3 } });
    const a = api(viaHandle(sim), sim.apiBaseUrl, sim.issueToken());
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await a.post(DETAILS, QUERY(sim))).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    clock.advance(100);
    expect((await a.post(DETAILS, QUERY(sim))).status).toBe(200);
  });

  it('gives a 401 a correlation id but no rate-limit headers (no token, no bucket)', async () => {
    const sim = createSimulatedOrg();
    const r = await api(viaHandle(sim), sim.apiBaseUrl, 'nope').post(DETAILS, QUERY(sim));
    expect(r.status).toBe(401);
    expect(r.headers.get('inin-correlation-id')).toBeTruthy();
    expect(r.headers.get('inin-ratelimit-count')).toBeNull();
  });

  it('rate-limits the token endpoint per client id', async () => {
    const clock = manualClock();
    const sim = createSimulatedOrg({ now: clock.now, tokenRateLimit: { requests: 2, windowMs: 60_000 } });
    const f = viaHandle(sim);
    await login(f, sim.authBaseUrl);
    await login(f, sim.authBaseUrl);
    const r = await f(tokenRequest(sim.authBaseUrl));
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('30');
    expect(await r.json()).toMatchObject({ code: 'too.many.requests.retry.after', status: 429 });
    expect(sim.stats.rateLimited.tokenEndpoint).toBe(1);
    expect(sim.stats.tokensIssued).toBe(2);
    // The api bucket is separate: the tokens already issued still work.
    expect(sim.stats.bucketEmptyArrivals).toBe(0);
  });

  it('can be switched off', async () => {
    const sim = createSimulatedOrg({ rateLimit: false });
    const a = api(viaHandle(sim), sim.apiBaseUrl, sim.issueToken());
    const r = await a.post(DETAILS, QUERY(sim));
    expect(r.status).toBe(200);
    expect(r.headers.get('inin-ratelimit-allowed')).toBeNull();
  });
});
