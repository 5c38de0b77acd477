import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSimulatedOrg, SIM_AUTH_BASE_URL, type SimulatedOrgHandle } from '../../src/testing/index';
import { DETAILS, api, dayInterval, login, tokenRequest, viaFetch } from './helpers';

// Through msw and the global fetch, as the SDK's transport will call it; vitest fake timers drive the org's clock.
const sim: SimulatedOrgHandle = createSimulatedOrg({ tokenTtlSeconds: 60 });
const server = setupServer(...sim.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  vi.useRealTimers();
  sim.reset();
});
afterAll(() => server.close());

const query = () => ({ interval: dayInterval(sim, 1), paging: { pageSize: 1, pageNumber: 1 } });

describe('tokens: issue, check, expiry', () => {
  it('issues a bearer token for Basic client credentials', async () => {
    const r = await fetch(tokenRequest(SIM_AUTH_BASE_URL));
    expect(r.status).toBe(200);
    const body = (await r.json()) as Record<string, unknown>;
    expect(body).toEqual({ access_token: expect.stringMatching(/^sim_/), token_type: 'bearer', expires_in: 60 });
    expect(sim.stats.tokensIssued).toBe(1);
  });

  it('refuses bad credentials (401) and bad grants (400) with OAuth error bodies', async () => {
    const badSecret = await fetch(tokenRequest(SIM_AUTH_BASE_URL, { secret: 'wrong' }));
    expect(badSecret.status).toBe(401);
    expect(await badSecret.json()).toMatchObject({ error: 'invalid_client' });
    const badGrant = await fetch(tokenRequest(SIM_AUTH_BASE_URL, { grant: 'password' }));
    expect(badGrant.status).toBe(400);
    expect(await badGrant.json()).toMatchObject({ error: 'unsupported_grant_type' });
    const noBasic = await fetch(new Request(`${SIM_AUTH_BASE_URL}/oauth/token`, { method: 'POST', body: 'grant_type=client_credentials' }));
    expect(noBasic.status).toBe(401);
    expect(sim.stats.tokensIssued).toBe(0);
  });

  it('tells a missing token (authentication.required) from an invalid one (bad.credentials)', async () => {
    const none = await fetch(new Request(`${sim.apiBaseUrl}${DETAILS}`, { method: 'POST', body: JSON.stringify(query()) }));
    expect(none.status).toBe(401);
    const noneBody = (await none.json()) as Record<string, unknown>;
    expect(noneBody).toMatchObject({ code: 'authentication.required', status: 401, details: [], errors: [] });
    expect(noneBody.contextId).toBe(none.headers.get('inin-correlation-id'));
    const bogus = await api(viaFetch, sim.apiBaseUrl, 'not-a-token').post(DETAILS, query());
    expect(bogus.status).toBe(401);
    expect(await bogus.json()).toMatchObject({ code: 'bad.credentials' });
  });

  it('expires tokens after tokenTtlSeconds of the org clock', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const token = await login(viaFetch, SIM_AUTH_BASE_URL);
    const a = api(viaFetch, sim.apiBaseUrl, token);
    expect((await a.post(DETAILS, query())).status).toBe(200);
    vi.advanceTimersByTime(59_999);
    expect((await a.post(DETAILS, query())).status).toBe(200);
    vi.advanceTimersByTime(1);
    const expired = await a.post(DETAILS, query());
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ code: 'bad.credentials' });
    const again = api(viaFetch, sim.apiBaseUrl, await login(viaFetch, SIM_AUTH_BASE_URL));
    expect((await again.post(DETAILS, query())).status).toBe(200);
  });

  it('expireTokens() revokes every issued token at once (token expiry mid-run)', async () => {
    let token = await login(viaFetch, SIM_AUTH_BASE_URL);
    const a = api(viaFetch, sim.apiBaseUrl, () => token);
    expect((await a.post(DETAILS, query())).status).toBe(200);
    expect(sim.expireTokens()).toBe(1);
    expect((await a.post(DETAILS, query())).status).toBe(401);
    token = await login(viaFetch, SIM_AUTH_BASE_URL);
    expect((await a.post(DETAILS, query())).status).toBe(200);
    expect(sim.stats.count('POST /api/v2/analytics/conversations/details/query', 401)).toBe(1);
  });

  it('reset() forgets all tokens', async () => {
    const a = api(viaFetch, sim.apiBaseUrl, await login(viaFetch, SIM_AUTH_BASE_URL));
    sim.reset();
    expect((await a.post(DETAILS, query())).status).toBe(401);
  });
});
