import { describe, expect, it } from 'vitest';
import { GenesysClient } from '@org/gc-data';
import { createFakeClock } from '@org/gc-data/testing';

function recordingClient(rateLimit?: Record<string, unknown>) {
  const sentAt: number[] = [];
  // The ceiling's waits sleep on the client's clock: a fake one gives exact times, whatever the machine's load.
  const clock = createFakeClock({ autoAdvance: true });
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const r = new Request(input, init);
    if (r.url.endsWith('/oauth/token')) return Response.json({ access_token: 'pace-token-1234', expires_in: 3600 });
    // No rate-limit headers: the server announces nothing.
    return Response.json({ ok: true });
  }) as typeof fetch;
  const client = new GenesysClient({ clientId: 'a', clientSecret: 'pace-secret-1234', baseUrl: 'https://api.example.test', authUrl: 'https://login.example.test', fetch: fetchImpl, clock, ...(rateLimit ? { rateLimit } : {}) });
  // When each attempt leaves the rate gate (the request event, emitted as the attempt starts), on the client's clock.
  client.on('request', (e) => e.path !== '/oauth/token' && sentAt.push(clock.now()));
  return { client, sentAt };
}

/**
 * What cannot happen with the ceiling is the (n+1)th request leaving within the same second as the first: without it
 * 30 requests leave at once (the default burst is 300).
 */
const gapToNth = (t: number[], n: number) => t[n]! - t[0]!;

describe('the client wires the pacing defaults (seed 001, issue 19)', () => {
  it('with no rate-limit headers at all, at most 20 requests leave in any one second by default', async () => {
    const { client, sentAt } = recordingClient();
    await Promise.all(Array.from({ length: 30 }, () => client.request({ path: '/api/v2/ping' })));
    expect(sentAt).toHaveLength(30);
    expect(gapToNth(sentAt, 19)).toBe(0);
    expect(gapToNth(sentAt, 20)).toBe(1000);
    await client.close();
  });

  it('a user-set ceiling holds, and defaults give way to the server only when requestsPerMinute/burst are unset', async () => {
    const set = recordingClient({ maxRequestsPerSecond: 5 });
    await Promise.all(Array.from({ length: 8 }, () => set.client.request({ path: '/api/v2/ping' })));
    expect(gapToNth(set.sentAt, 4)).toBe(0);
    expect(gapToNth(set.sentAt, 5)).toBe(1000);
    await set.client.close();
    expect(recordingClient().client.options.serverGoverns).toBe(true);
    expect(recordingClient({ requestsPerMinute: 120 }).client.options.serverGoverns).toBe(false);
  });
});
