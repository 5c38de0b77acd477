import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, AuthenticationError, type GenesysClient } from '@org/gc-data';
import { CLIENT_SECRET, clientFor, json, startHost, type Host } from './hosts';

let api: Host;
beforeAll(async () => {
  api = await startHost();
});
afterAll(async () => {
  await api.close();
});

function everythingShown(err: unknown, events: unknown[]): string {
  const e = err as Error;
  return [e.message, String(e), e.stack, JSON.stringify(e), JSON.stringify((e as ApiError).body), JSON.stringify((e as ApiError).headers), JSON.stringify(events)].join('\n');
}

function record(client: GenesysClient): unknown[] {
  const events: unknown[] = [];
  for (const name of ['request', 'response', 'retry', 'rateLimit', 'token', 'warning'] as const) client.on(name, (p: unknown) => events.push({ name, p }));
  return events;
}

describe('a server that echoes credentials back gets them redacted', () => {
  for (const status of [400, 500]) {
    it(`an error body (${status}) echoing the Authorization header never shows the token`, async () => {
      let tokenSent = '';
      api.handle((req, res) => {
        tokenSent = String(req.headers.authorization).replace('Bearer ', '');
        json(res, status, { message: `bad header ${req.headers.authorization}`, code: 'x', details: [{ fieldName: String(req.headers.authorization) }], echo: { authorization: req.headers.authorization } }, { 'x-echo': String(req.headers.authorization) });
      });
      const client = clientFor(api, { retry: { limit: 1 } });
      const events = record(client);
      const err = await client.request({ path: '/api/v2/users' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect(tokenSent.length).toBeGreaterThan(10);
      const shown = everythingShown(err, events);
      expect(shown).not.toContain(tokenSent);
      expect(shown).toContain('[REDACTED]');
      await client.close();
    });
  }

  it('the token endpoint echoing the Basic credential or the secret never shows either', async () => {
    const basic = Buffer.from(`sec-client-id:${CLIENT_SECRET}`).toString('base64');
    const echo = await startHost();
    // The test host answers /oauth/token itself; under /login the token call reaches this echoing handler instead.
    echo.handle((req, res) => json(res, 401, { message: `refused ${req.headers.authorization} secret=${CLIENT_SECRET}` }));
    const client = clientFor(echo, { retry: { limit: 0 }, authUrl: `${echo.origin}/login` });
    const events = record(client);
    const err = await client.request({ path: '/api/v2/users' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(echo.seen[0]?.url).toBe('/login/oauth/token');
    const shown = everythingShown(err, events);
    expect(shown).not.toContain(CLIENT_SECRET);
    expect(shown).not.toContain(basic);
    expect(shown).toContain('[REDACTED]');
    await client.close();
    await echo.close();
  });
});
