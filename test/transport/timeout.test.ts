import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { TimeoutError } from '../../src/index';
import { API, makeClient, server, tokenEndpoint, useMswServer } from '../support/platform';

useMswServer();

describe('timeouts', () => {
  it('times out each attempt after timeoutMs and retries an idempotent request', async () => {
    let calls = 0;
    server.use(
      tokenEndpoint().handler,
      http.get(`${API}/api/v2/slow`, async () => {
        if (++calls === 1) await delay(2000);
        return HttpResponse.json({ ok: true });
      }),
    );
    const client = makeClient({ timeoutMs: 100 });
    await expect(client.request({ path: '/api/v2/slow' })).resolves.toEqual({ ok: true });
    expect(calls).toBe(2);
    await client.close();
  });

  it('throws TimeoutError (kind attempt) when every attempt times out', async () => {
    server.use(
      tokenEndpoint().handler,
      http.get(`${API}/api/v2/slow`, async () => {
        await delay(2000);
        return HttpResponse.json({});
      }),
    );
    const client = makeClient({ timeoutMs: 50, retry: { limit: 1 } });
    const err = (await client.request({ path: '/api/v2/slow' }).catch((e: unknown) => e)) as TimeoutError;
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.kind).toBe('attempt');
    await client.close();
  });

  it('throws TimeoutError (kind deadline) when the overall deadline passes during waits', async () => {
    server.use(
      tokenEndpoint().handler,
      http.get(`${API}/api/v2/limited`, () =>
        HttpResponse.json({ code: 'too.many.requests.retry.after' }, { status: 429, headers: { 'retry-after': '2' } }),
      ),
    );
    const client = makeClient({ deadlineMs: 300 });
    const started = Date.now();
    const err = (await client.request({ path: '/api/v2/limited' }).catch((e: unknown) => e)) as TimeoutError;
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.kind).toBe('deadline');
    expect(Date.now() - started).toBeLessThan(1500);
    await client.close();
  });
});
