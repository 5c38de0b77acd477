import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GcError, GenesysClient } from '@org/gc-data';

const API = 'https://api.example.test';
const LOGIN = 'https://login.example.test';

/** A fetch that answers everything locally and records where each request would have gone. */
function recordingFetch() {
  const sent: Array<{ url: string; authorization: string | null }> = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    sent.push({ url: req.url, authorization: req.headers.get('authorization') });
    if (new URL(req.url).pathname.endsWith('/oauth/token')) {
      return Response.json({ access_token: 'prop-token-abcdef', expires_in: 86_400 });
    }
    return Response.json({ ok: true });
  };
  return { sent, fetch: fetchImpl as typeof fetch };
}

const fragment = fc.constantFrom(
  '/', '//', '\\', '/\\', '.', '..', '%2e', '%2E%2E', '%2F', '%5C', '%00', '@', ':', '?', '#', ' ', '\t', '\n', '\r',
  'evil.example', 'api.example.test', 'login.example.test', 'api', 'v2', 'users', '\u3002', '\uFF0F', '\uFF3C', '\u2215',
  'é', '😀', 'https:', 'http:', 'HTTPS://', 'https://evil.example', 'https://api.example.test', 'https://api.example.test.evil.example',
  'https://api.example.test@evil.example', 'file:', 'javascript:', '127.0.0.1', '[::1]', ':443', ':8443',
);
const path = fc.oneof(
  fc.array(fragment, { minLength: 1, maxLength: 8 }).map((parts) => parts.join('')),
  fc.array(fragment, { minLength: 0, maxLength: 8 }).map((parts) => `/${parts.join('')}`),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => `/${s}`),
);

describe('property: whatever the path, nothing leaves for any origin but the API (and the login host for the token)', () => {
  it('request() with generated paths', async () => {
    const rec = recordingFetch();
    const client = new GenesysClient({ clientId: 'id', clientSecret: 'secret-value-1234', baseUrl: API, authUrl: LOGIN, fetch: rec.fetch, retry: { limit: 0 }, rateLimit: { requestsPerMinute: 10_000_000, burst: 1_000_000, maxRequestsPerSecond: 1_000_000 } });
    await fc.assert(
      fc.asyncProperty(path, async (p) => {
        const before = rec.sent.length;
        const outcome = await client.request({ path: p }).then(
          () => 'sent',
          (e: unknown) => e,
        );
        if (outcome !== 'sent') expect(outcome).toBeInstanceOf(GcError);
        for (const s of rec.sent.slice(before)) {
          const origin = new URL(s.url).origin;
          expect([API, LOGIN]).toContain(origin);
          if (s.authorization?.startsWith('Bearer ')) expect(origin).toBe(API);
        }
      }),
      { seed: 20261206, numRuns: 1_500 },
    );
    expect(rec.sent.length).toBeGreaterThan(1); // controls: valid paths were sent
    await client.close();
  });
});
