import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ResponseTooLargeError, TimeoutError } from '@org/gc-data';
import { clientFor, startHost, type Host } from '../security/hosts';

let api: Host;
beforeAll(async () => {
  api = await startHost();
});
afterEach(() => {
  api.seen.length = 0;
});
afterAll(async () => {
  await api.close();
});

const apiCalls = () => api.seen.filter((s) => s.url !== '/oauth/token');

describe('the body of a response is bounded in time and size', () => {
  it('headers then a body that drips forever: the per-attempt timeout covers the body, and the attempt is retried like a timeout', async () => {
    // The body never completes, so however loaded the machine is the outcome is the same: each attempt times out.
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"entities":[');
      const t = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(t));
    });
    const client = clientFor(api, { timeoutMs: 300, deadlineMs: 120_000, retry: { limit: 2 } });
    const err = (await client.request({ path: '/api/v2/users' }).catch((e: unknown) => e)) as TimeoutError;
    expect(err).toBeInstanceOf(TimeoutError);
    // Before: ky's timeout ended at the headers and the body read ran until the overall deadline.
    expect(err.kind).toBe('attempt');
    expect(apiCalls()).toHaveLength(3);
    await client.close();
  });

  it('a body past maxResponseBytes is a ResponseTooLargeError and is not retried (declared length)', async () => {
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(8 * 1024 * 1024) });
      res.write('[');
    });
    const client = clientFor(api, { maxResponseBytes: 1024 * 1024 });
    const err = (await client.request({ path: '/api/v2/users' }).catch((e: unknown) => e)) as ResponseTooLargeError;
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(err.limitBytes).toBe(1024 * 1024);
    expect(apiCalls()).toHaveLength(1);
    await client.close();
  });

  it('a chunked body that grows past maxResponseBytes is cut off while streaming (not read whole first)', async () => {
    let sent = 0;
    api.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        // Stops by itself at 64 MB, far more than the limit: the client must give up long before.
        while (sent < 64 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
        if (sent < 64 * 1024 * 1024) res.once('drain', pump);
        else res.end();
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    const client = clientFor(api, { maxResponseBytes: 2 * 1024 * 1024 });
    const err = await client.requestBytes({ path: '/api/v2/users' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(apiCalls()).toHaveLength(1);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    await client.close();
  });

  it('maxResponseBytes is validated like every option', async () => {
    expect(() => clientFor(api, { maxResponseBytes: -1 })).toThrow(/maxResponseBytes/);
  });
});
