import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { GenesysClient, NetworkError } from '@org/gc-data';

/** A port on 127.0.0.1 that was free a moment ago: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('network errors say why and where', () => {
  it('carries the cause code (ECONNREFUSED) and the host instead of only "fetch failed"', async () => {
    const port = await closedPort();
    const origin = `http://127.0.0.1:${port}`;
    const client = new GenesysClient({ clientId: 'id', clientSecret: 'secret-x-1234', baseUrl: origin, authUrl: origin, retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 2 } });
    const err = (await client.request({ path: '/api/v2/users' }).catch((e: unknown) => e)) as NetworkError;
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.code).toBe('ECONNREFUSED');
    expect(err.host).toBe(`127.0.0.1:${port}`);
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.message).toContain(`127.0.0.1:${port}`);
    expect(err.toJSON()).toMatchObject({ code: 'ECONNREFUSED', host: `127.0.0.1:${port}` });
    await client.close();
  });
});
