import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '@org/gc-data/testing';
import { API, makeClient, recordEvents, server, tokenEndpoint, useMswServer } from '../support/platform';

useMswServer();

/**
 * A fixed window of `allowed` requests that resets `resetSeconds` after its first request; answers 429 past it. On
 * the test's fake clock (`now`), which the client waits on too: the times asserted are exact, not raced.
 */
function windowedEndpoint(allowed: number, resetSeconds: number, style: 'inin' | 'x-ratelimit', now: () => number) {
  let windowStart = 0;
  let count = 0;
  const stats = { ok: 0, tooMany: 0, at: [] as number[] };
  const handler = http.get(`${API}/api/v2/items/:n`, () => {
    const t = now();
    stats.at.push(t);
    if (!windowStart || t - windowStart >= resetSeconds * 1000) {
      windowStart = t;
      count = 0;
    }
    count++;
    const reset = Math.max(0, Math.ceil((windowStart + resetSeconds * 1000 - t) / 1000));
    if (count > allowed) {
      stats.tooMany++;
      return HttpResponse.json({ code: 'too.many.requests.retry.after' }, { status: 429, headers: { 'retry-after': String(reset) } });
    }
    stats.ok++;
    const headers: Record<string, string> =
      style === 'inin'
        ? { 'inin-ratelimit-count': String(count), 'inin-ratelimit-allowed': String(allowed), 'inin-ratelimit-reset': String(reset) }
        : { 'x-ratelimit-remaining': String(allowed - count), 'x-ratelimit-limit': String(allowed), 'x-ratelimit-reset': String(reset) };
    return HttpResponse.json({ ok: true }, { headers });
  });
  return { handler, stats };
}

describe('pacing from rate-limit headers', () => {
  for (const style of ['inin', 'x-ratelimit'] as const) {
    it(`holds requests when ${style} headers say the window is spent, without earning a 429`, async () => {
      const clock = createFakeClock({ autoAdvance: true });
      const endpoint = windowedEndpoint(5, 1, style, () => clock.now());
      server.use(tokenEndpoint().handler, endpoint.handler);
      // The client believes it may send 1000/min: only the headers can keep it inside 5 per second.
      const client = makeClient({ clock, rateLimit: { maxConcurrent: 1, requestsPerMinute: 1000 } });
      const events = recordEvents(client);
      for (let n = 0; n < 12; n++) await client.request({ path: `/api/v2/items/${n}` });
      expect(endpoint.stats.tooMany).toBe(0);
      expect(endpoint.stats.ok).toBe(12);
      // Five per window, each window held until its announced reset on the client's clock: 0, 1 s, 2 s.
      const t0 = endpoint.stats.at[0]!;
      const windows = endpoint.stats.at.map((t) => Math.floor((t - t0) / 1000));
      expect(windows).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2]);
      expect(events.some((e) => e.name === 'rateLimit' && (e.payload as { kind: string }).kind === 'exhausted')).toBe(true);
      await client.close();
    });
  }
});
