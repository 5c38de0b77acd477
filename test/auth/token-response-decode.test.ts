import { describe, expect, it } from 'vitest';
import { GenesysClient, UnexpectedResponseError } from '@org/gc-data';

/** A client whose token endpoint answers 200 with `body`. */
function clientWithTokenBody(body: string) {
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    if (req.url.endsWith('/oauth/token')) return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
    return Response.json({ ok: true });
  }) as typeof fetch;
  return new GenesysClient({
    clientId: 'id',
    clientSecret: 'secret-abcdef',
    baseUrl: 'https://api.example.test',
    authUrl: 'https://login.example.test',
    fetch: fetchImpl,
    retry: { limit: 0 },
  });
}

describe('a 200 from the token endpoint that is not a token', () => {
  it.each([
    ['not JSON', '<html>maintenance</html>', ''],
    ['no access_token', JSON.stringify({ expires_in: 3600 }), 'access_token'],
    ['expires_in a string', JSON.stringify({ access_token: 'tok-123456', expires_in: 'soon' }), 'expires_in'],
  ])('%s: UnexpectedResponseError through the one decode path, naming the field, never the secret', async (_, body, field) => {
    const client = clientWithTokenBody(body);
    const err = await client.request({ path: '/api/v2/users/me' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    const e = err as UnexpectedResponseError;
    expect(e.method).toBe('POST');
    expect(e.status).toBe(200);
    expect(e.issues.map((i) => i.path)).toContain(field);
    expect(JSON.stringify({ message: e.message, issues: e.issues })).not.toContain('secret-abcdef');
  });
});
