import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedirectError } from '@org/gc-data';
import { clientFor, json, startHost, type Host } from './hosts';

let api: Host;
let foreign: Host;
beforeAll(async () => {
  api = await startHost();
  foreign = await startHost();
});
afterEach(() => {
  api.seen.length = 0;
  foreign.seen.length = 0;
});
afterAll(async () => {
  await api.close();
  await foreign.close();
});

const apiCalls = () => api.seen.filter((s) => s.url !== '/oauth/token');

describe('redirects', () => {
  it('a 307 to another origin is never followed: no body, no token reaches it, and the error names the Location', async () => {
    foreign.handle((_req, res) => json(res, 200, {}));
    api.handle((_req, res) => {
      res.writeHead(307, { location: `${foreign.origin}/collect?sig=secret-query` });
      res.end();
    });
    const client = clientFor(api);
    const err = (await client
      .request({ method: 'POST', path: '/api/v2/analytics/conversations/details/query', body: { interval: 'x' }, idempotent: true })
      .catch((e: unknown) => e)) as RedirectError;
    expect(err).toBeInstanceOf(RedirectError);
    expect(err.status).toBe(307);
    expect(err.location).toBe(`${foreign.origin}/collect`);
    expect(err.message).toContain(foreign.origin);
    expect(err.message).not.toContain('secret-query');
    expect(foreign.seen).toHaveLength(0);
    // Not retried: the same request would meet the same redirect.
    expect(apiCalls()).toHaveLength(1);
    await client.close();
  });

  it('a cross-origin redirect of a GET is refused too (the page would be read from a host we did not choose)', async () => {
    api.handle((_req, res) => {
      res.writeHead(302, { location: `${foreign.origin}/api/v2/users` });
      res.end();
    });
    const client = clientFor(api);
    await expect(client.request({ path: '/api/v2/users' })).rejects.toBeInstanceOf(RedirectError);
    expect(foreign.seen).toHaveLength(0);
    await client.close();
  });

  it('a same-origin redirect of a GET is followed, with the token, on the same origin', async () => {
    api.handle((req, res) => {
      if (req.url === '/api/v2/old') {
        res.writeHead(301, { location: '/api/v2/new' });
        res.end();
      } else json(res, 200, { at: req.url, auth: req.headers.authorization?.startsWith('Bearer ') });
    });
    const client = clientFor(api);
    await expect(client.request({ path: '/api/v2/old' })).resolves.toEqual({ at: '/api/v2/new', auth: true });
    await client.close();
  });

  it('a same-origin 302/303 of a POST is refused (it would drop the body); a 307 keeps method and body and is followed', async () => {
    api.handle((req, res) => {
      if (req.url === '/api/v2/a') {
        res.writeHead(302, { location: '/api/v2/b' });
        res.end();
      } else if (req.url === '/api/v2/c') {
        res.writeHead(307, { location: '/api/v2/d' });
        res.end();
      } else json(res, 200, { method: req.method, body: req.body });
    });
    const client = clientFor(api);
    await expect(client.request({ method: 'POST', path: '/api/v2/a', body: { n: 1 } })).rejects.toBeInstanceOf(RedirectError);
    await expect(client.request({ method: 'POST', path: '/api/v2/c', body: { n: 2 } })).resolves.toEqual({ method: 'POST', body: '{"n":2}' });
    await client.close();
  });

  it('a redirect loop and a redirect without Location are RedirectErrors, not hangs', async () => {
    api.handle((req, res) => {
      if (req.url === '/api/v2/nowhere') res.writeHead(302);
      else res.writeHead(302, { location: req.url });
      res.end();
    });
    const client = clientFor(api);
    const loop = (await client.request({ path: '/api/v2/loop' }).catch((e: unknown) => e)) as RedirectError;
    expect(loop).toBeInstanceOf(RedirectError);
    expect(loop.message).toMatch(/loop/);
    const none = (await client.request({ path: '/api/v2/nowhere' }).catch((e: unknown) => e)) as RedirectError;
    expect(none).toBeInstanceOf(RedirectError);
    expect(none.location).toBeUndefined();
    await client.close();
  });
});
