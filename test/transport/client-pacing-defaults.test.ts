import { describe, expect, it } from 'vitest';
import { GenesysClient } from '@org/gc-data';

function recordingClient(rateLimit?: Record<string, unknown>) {
  const sentAt: number[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const r = new Request(input, init);
    if (r.url.endsWith('/oauth/token')) return Response.json({ access_token: 'pace-token-1234', expires_in: 3600 });
    // No rate-limit headers: the server announces nothing.
    return Response.json({ ok: true });
  }) as typeof fetch;
  const client = new GenesysClient({ clientId: 'a', clientSecret: 'pace-secret-1234', baseUrl: 'https://api.example.test', authUrl: 'https://login.example.test', fetch: fetchImpl, ...(rateLimit ? { rateLimit } : {}) });
  // When each attempt leaves the rate gate (the request event, emitted as the attempt starts): the ceiling is a
  // promise about the gate; the wire adds the machine's own few ms of jitter (docs/rate-limits-and-retries.md).
  client.on('request', (e) => e.path !== '/oauth/token' && sentAt.push(Date.now()));
  return { client, sentAt };
}

/**
 * The ceiling holds at the rate gate; these timestamps are taken a few microtasks later, so a per-second count here
 * can read one more than the gate allowed. What cannot happen without the ceiling is the (n+1)th request leaving
 * within the same second as the first: without it 30 requests leave in a few ms (the default burst is 300). Load
 * only spreads them further.
 */
const gapToNth = (t: number[], n: number) => t[n]! - t[0]!;

describe('the client wires the pacing defaults (seed 001, issue 19)', () => {
  it('with no rate-limit headers at all, at most 20 requests leave in any one second by default', async () => {
    const { client, sentAt } = recordingClient();
    await Promise.all(Array.from({ length: 30 }, () => client.request({ path: '/api/v2/ping' })));
    expect(sentAt).toHaveLength(30);
    expect(gapToNth(sentAt, 20)).toBeGreaterThanOrEqual(800);
    await client.close();
  });

  it('a user-set ceiling holds, and defaults give way to the server only when requestsPerMinute/burst are unset', async () => {
    const set = recordingClient({ maxRequestsPerSecond: 5 });
    await Promise.all(Array.from({ length: 8 }, () => set.client.request({ path: '/api/v2/ping' })));
    expect(gapToNth(set.sentAt, 5)).toBeGreaterThanOrEqual(800);
    await set.client.close();
    expect(recordingClient().client.options.serverGoverns).toBe(true);
    expect(recordingClient({ requestsPerMinute: 120 }).client.options.serverGoverns).toBe(false);
  });
});
