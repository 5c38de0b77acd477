import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, makeClient, recordEvents, server, tokenEndpoint, useMswServer } from '../support/platform';

useMswServer();

/** A fixed window of `allowed` requests that resets `resetSeconds` after its first request; answers 429 past it. */
function windowedEndpoint(allowed: number, resetSeconds: number, style: 'inin' | 'x-ratelimit') {
  let windowStart = 0;
  let count = 0;
  const stats = { ok: 0, tooMany: 0 };
  const handler = http.get(`${API}/api/v2/items/:n`, () => {
    const now = Date.now();
    if (!windowStart || now - windowStart >= resetSeconds * 1000) {
      windowStart = now;
      count = 0;
    }
    count++;
    const reset = Math.max(0, Math.ceil((windowStart + resetSeconds * 1000 - now) / 1000));
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
      const endpoint = windowedEndpoint(5, 1, style);
      server.use(tokenEndpoint().handler, endpoint.handler);
      // The client believes it may send 1000/min: only the headers can keep it inside 5 per second.
      const client = makeClient({ rateLimit: { maxConcurrent: 1, requestsPerMinute: 1000 } });
      const events = recordEvents(client);
      const started = Date.now();
      for (let n = 0; n < 12; n++) await client.request({ path: `/api/v2/items/${n}` });
      expect(endpoint.stats.tooMany).toBe(0);
      expect(endpoint.stats.ok).toBe(12);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      expect(events.some((e) => e.name === 'rateLimit' && (e.payload as { kind: string }).kind === 'exhausted')).toBe(true);
      await client.close();
    });
  }
});
