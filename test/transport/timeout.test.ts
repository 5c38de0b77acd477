import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { TimeoutError, type RetryEvent } from '../../src/index';
import { createFakeClock } from '@org/gc-data/testing';
import { API, makeClient, server, tokenEndpoint, useMswServer } from '../support/platform';

useMswServer();

describe('timeouts', () => {
  it('times out each attempt after timeoutMs and retries an idempotent request', async () => {
    let calls = 0;
    server.use(
      tokenEndpoint().handler,
      http.get(`${API}/api/v2/slow`, async () => {
        // The first attempt never answers: only its timeoutMs timer can move the request on. Later ones answer at
        // once; on a loaded machine one of them may still outlast timeoutMs (real time), so the count is a floor.
        if (++calls === 1) await delay('infinite');
        return HttpResponse.json({ ok: true });
      }),
    );
    const client = makeClient({ timeoutMs: 200 });
    const retries: RetryEvent[] = [];
    client.on('retry', (e) => retries.push(e));
    await expect(client.request({ path: '/api/v2/slow' })).resolves.toEqual({ ok: true });
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(retries[0]).toMatchObject({ attempt: 1, reason: 'timeout' });
    expect(retries).toHaveLength(calls - 1);
    await client.close();
  });

  it('throws TimeoutError (kind attempt) when every attempt times out', async () => {
    server.use(
      tokenEndpoint().handler,
      http.get(`${API}/api/v2/slow`, async () => {
        await delay('infinite');
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
        HttpResponse.json({ code: 'too.many.requests.retry.after' }, { status: 429, headers: { 'retry-after': '60' } }),
      ),
    );
    // The waits on a fake clock (the deadline is kept on the client's clock too): the test measures the time the
    // client waited, exactly, instead of bounding real time. The deadline's real timer (30 s) stays out of the way.
    const clock = createFakeClock({ autoAdvance: true });
    const client = makeClient({ clock, deadlineMs: 30_000 });
    const retries: RetryEvent[] = [];
    client.on('retry', (e) => retries.push(e));
    const started = clock.now();
    const err = (await client.request({ path: '/api/v2/limited' }).catch((e: unknown) => e)) as TimeoutError;
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.kind).toBe('deadline');
    // Asked to wait 60 s, it waited until the deadline (30 s) and gave up there, not after the Retry-After.
    expect(retries).toHaveLength(1);
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(60_000);
    expect(clock.now() - started).toBe(30_000);
    await client.close();
  });
});
