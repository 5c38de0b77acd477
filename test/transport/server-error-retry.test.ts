import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ServerError } from '../../src/index';
import { API, makeClient, platformError, server, tokenEndpoint, useMswServer } from '../support/platform';

useMswServer();

function failingTimes(n: number, method: 'get' | 'post', status = 503) {
  const state = { calls: 0 };
  const handler = http[method](`${API}/api/v2/thing`, () =>
    ++state.calls <= n ? platformError(status, 'service.unavailable', 'try later') : HttpResponse.json({ ok: true }),
  );
  return { state, handler };
}

describe('5xx retries', () => {
  it('retries a GET after 5xx and succeeds', async () => {
    const f = failingTimes(2, 'get', 502);
    server.use(tokenEndpoint().handler, f.handler);
    const client = makeClient();
    await expect(client.request({ path: '/api/v2/thing' })).resolves.toEqual({ ok: true });
    expect(f.state.calls).toBe(3);
    await client.close();
  });

  it('does not retry an unmarked POST after a 5xx (it may have been processed)', async () => {
    const f = failingTimes(1, 'post', 500);
    server.use(tokenEndpoint().handler, f.handler);
    const client = makeClient();
    const err = (await client.request({ method: 'POST', path: '/api/v2/thing', body: {} }).catch((e: unknown) => e)) as ServerError;
    expect(err).toBeInstanceOf(ServerError);
    expect(err.status).toBe(500);
    expect(err.attempts).toBe(1);
    expect(f.state.calls).toBe(1);
    await client.close();
  });

  it('retries a POST marked idempotent (a read-only query)', async () => {
    const f = failingTimes(1, 'post', 503);
    server.use(tokenEndpoint().handler, f.handler);
    const client = makeClient();
    await expect(client.request({ method: 'POST', path: '/api/v2/thing', body: {}, idempotent: true })).resolves.toEqual({ ok: true });
    expect(f.state.calls).toBe(2);
    await client.close();
  });

  it('gives up after retry.limit and reports attempts, code and correlation id', async () => {
    const f = failingTimes(100, 'get', 503);
    server.use(tokenEndpoint().handler, f.handler);
    const client = makeClient({ retry: { limit: 2 } });
    const err = (await client.request({ path: '/api/v2/thing' }).catch((e: unknown) => e)) as ServerError;
    expect(err).toBeInstanceOf(ServerError);
    expect(err.attempts).toBe(3);
    expect(err.code).toBe('service.unavailable');
    expect(err.correlationId).toBe('corr-123');
    expect(err.message).toContain('GET /api/v2/thing failed with 503: try later');
    expect(f.state.calls).toBe(3);
    await client.close();
  });

  it('does not retry a 400 and surfaces the platform message and details', async () => {
    server.use(
      tokenEndpoint().handler,
      http.get(`${API}/api/v2/thing`, () =>
        HttpResponse.json(
          { message: 'interval is invalid', code: 'bad.request', status: 400, details: [{ errorCode: 'x', fieldName: 'interval' }], contextId: 'c-9' },
          { status: 400 },
        ),
      ),
    );
    const client = makeClient();
    const err = (await client.request({ path: '/api/v2/thing' }).catch((e: unknown) => e)) as ServerError;
    expect(err.name).toBe('BadRequestError');
    expect(err.details).toEqual([{ errorCode: 'x', fieldName: 'interval' }]);
    expect(err.correlationId).toBe('c-9');
    expect(err.attempts).toBe(1);
    await client.close();
  });
});
