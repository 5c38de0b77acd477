import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnsafeRequestError } from '@org/gc-data';
import { clientFor, startHost, type Host } from './hosts';

let api: Host;
let foreign: Host;
beforeAll(async () => {
  api = await startHost();
  foreign = await startHost();
});
afterAll(async () => {
  await api.close();
  await foreign.close();
});

const foreignHostPort = () => new URL(foreign.origin).host;

/** Paths that `new URL(path, base)` resolves to another host. */
const hostile = () => [
  `//${foreignHostPort()}/x`,
  `/\\${foreignHostPort()}/x`,
  `\\\\${foreignHostPort()}/x`,
  `/\t/${foreignHostPort()}/x`,
  `/\n/${foreignHostPort()}/x`,
  `${foreign.origin}/api/v2/users`,
  `${api.origin.replace('http://', 'http://user:pw@')}/api/v2/users`,
  'https://evil.example.com/api/v2/users',
];

describe('no request leaves for a host the client was not configured for', () => {
  for (const via of ['request', 'requestWithResponse', 'requestBytes'] as const) {
    it(`${via}: a path resolving to another origin is an UnsafeRequestError before a token is minted`, async () => {
      const client = clientFor(api);
      for (const path of hostile()) {
        const err = await client[via]({ path }).catch((e: unknown) => e);
        expect(err, JSON.stringify(path)).toBeInstanceOf(UnsafeRequestError);
        expect(['foreign-origin', 'control-character', 'not-a-path']).toContain((err as UnsafeRequestError).reason);
      }
      expect(api.seen).toHaveLength(0);
      expect(foreign.seen).toHaveLength(0);
      await client.close();
    });
  }

  it('CR/LF and other control characters in a path, header name or header value are refused before any I/O', async () => {
    const client = clientFor(api);
    const cases: Array<{ path: string; headers?: Record<string, string> }> = [
      { path: '/api/v2/users\r\nX-Injected: 1' },
      { path: '/api/v2/us\u0000ers' },
      { path: '/api/v2/users', headers: { 'x-ok': 'a\r\nx-injected: 1' } },
      { path: '/api/v2/users', headers: { 'bad name': 'v' } },
      { path: '/api/v2/users', headers: { 'x-nl\n': 'v' } },
    ];
    for (const c of cases) {
      const err = await client.request(c).catch((e: unknown) => e);
      expect(err, JSON.stringify(c)).toBeInstanceOf(UnsafeRequestError);
      expect((err as UnsafeRequestError).reason).toBe('control-character');
      expect((err as Error).message).not.toMatch(/[\r\n\u0000]x-injected/i);
    }
    expect(api.seen).toHaveLength(0);
    await client.close();
  });

  it('a relative path or an absolute URL on the API origin is sent, with the token, to the API only', async () => {
    const client = clientFor(api);
    await client.request({ path: '/api/v2/users/me' });
    await client.request({ path: `${api.origin}/api/v2/users/me?x=1` });
    const apiCalls = api.seen.filter((s) => s.url !== '/oauth/token');
    expect(apiCalls.map((s) => s.url)).toEqual(['/api/v2/users/me', '/api/v2/users/me?x=1']);
    expect(apiCalls.every((s) => s.headers.authorization?.startsWith('Bearer '))).toBe(true);
    expect(foreign.seen).toHaveLength(0);
    api.seen.length = 0;
    await client.close();
  });

  it('the error names the reason and the target origin, and quotes at most ~100 characters of the path', async () => {
    const client = clientFor(api);
    const err = (await client.request({ path: `//${foreignHostPort()}/${'a'.repeat(5_000)}` }).catch((e: unknown) => e)) as UnsafeRequestError;
    expect(err).toBeInstanceOf(UnsafeRequestError);
    expect(err.message).toContain(foreign.origin);
    expect(err.message.length).toBeLessThan(700);
    expect(err.toJSON()).toMatchObject({ name: 'UnsafeRequestError', reason: 'foreign-origin' });
    await client.close();
  });
});
