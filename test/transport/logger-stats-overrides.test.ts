import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ServerError, ValidationError } from '@org/gc-data';
import { API, CLIENT_SECRET, makeClient, platformError, server, tokenEndpoint, useMswServer } from '../support/platform';

useMswServer();

function flaky(failures: number, status = 503) {
  let calls = 0;
  server.use(
    tokenEndpoint().handler,
    http.get(`${API}/api/v2/ping`, () => (++calls <= failures ? platformError(status, 'service.unavailable', 'Unavailable') : HttpResponse.json({ ok: true }))),
  );
  return () => calls;
}

describe('client.stats() is counted inside the client, whatever listeners do', () => {
  it('after removeAllListeners() the counts still include every request', async () => {
    flaky(1);
    const client = makeClient();
    client.on('request', () => undefined);
    client.removeAllListeners();
    await client.request({ path: '/api/v2/ping' });
    const stats = client.stats();
    // token call + 2 attempts (one 503, one 200)
    expect(stats.requests).toBe(3);
    expect(stats.retries).toBe(1);
    expect(stats.byStatus[503]).toBe(1);
    expect(stats.tokensIssued).toBe(1);
    await client.close();
  });
});

describe('logger option', () => {
  function memoryLogger() {
    const lines: Array<{ level: string; message: string; fields: Record<string, unknown> | undefined }> = [];
    const at = (level: string) => (message: string, fields?: Record<string, unknown>) => lines.push({ level, message, fields });
    return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
  }

  it('logs retries at info, requests and tokens at debug, warnings at warn, and never a secret or token', async () => {
    flaky(1);
    const { lines, logger } = memoryLogger();
    const client = makeClient({ logger });
    await client.request({ path: '/api/v2/ping' });
    client.emit('warning', { code: 'test', message: 'something to look at' });
    const retry = lines.find((l) => l.level === 'info' && /retrying GET \/api\/v2\/ping after status 503/.test(l.message));
    expect(retry?.fields).toMatchObject({ event: 'retry', status: 503 });
    expect(lines.some((l) => l.level === 'debug' && /token issued/.test(l.message))).toBe(true);
    expect(lines.some((l) => l.level === 'warn' && l.message === 'gc-data: something to look at')).toBe(true);
    const dump = JSON.stringify(lines);
    expect(dump).not.toContain(CLIENT_SECRET);
    expect(dump).not.toContain('token-1');
    await client.close();
  });

  it('is silent by default, a throwing logger never breaks a request, and a non-logger is a ValidationError', async () => {
    flaky(0);
    const throwing = { debug: () => { throw new Error('boom'); }, info: () => { throw new Error('boom'); }, warn: () => undefined, error: () => undefined };
    const client = makeClient({ logger: throwing });
    await expect(client.request({ path: '/api/v2/ping' })).resolves.toEqual({ ok: true });
    await client.close();
    expect(() => makeClient({ logger: { info: () => undefined } as never })).toThrow(ValidationError);
  });
});

describe('per-request retry override', () => {
  it('retry: { limit: 0 } fails at the first 503 while the client would retry', async () => {
    const calls = flaky(1);
    const client = makeClient();
    await expect(client.request({ path: '/api/v2/ping', retry: { limit: 0 } })).rejects.toBeInstanceOf(ServerError);
    expect(calls()).toBe(1);
    await expect(client.request({ path: '/api/v2/ping' })).resolves.toEqual({ ok: true });
    await client.close();
  });

  it('a bad override is a ValidationError naming retry.limit', async () => {
    flaky(0);
    const client = makeClient();
    const err = (await client.request({ path: '/api/v2/ping', retry: { limit: -1 } }).catch((e: unknown) => e)) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues[0]?.path).toBe('retry.limit');
    await client.close();
  });
});
