import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AbortError } from '../../src/errors';
import type { ProgressEvent, WarningEvent } from '../../src/events';
import { BatchCallbackError, deliverBatchCallback, resolveBatchCallbackOptions } from '../../src/search/batch-callback';
import { InteractionSearch } from '../../src/search/interaction-search';
import type { SearchNotification } from '../../src/search/schemas';
import { startLocalServer } from '../support/local-server';
import { useSimulatedOrg } from '../support/sim';

// The receiver is a real HTTP server on 127.0.0.1: msw lets those requests through, and only those.
const { org: sim, client } = useSimulatedOrg({ seed: 9, anchor: 'now', rateLimit: false }, { client: { retry: { maxDelayMs: 10 } }, allowHosts: ['127.0.0.1'] });

const SECRET = 'retry-test-secret-0123456789';
const DAY = 86_400_000;
const end = Math.floor(sim.data.end / DAY) * DAY;
const interval = `${new Date(end - DAY).toISOString()}/${new Date(end).toISOString()}`;
const note: SearchNotification = { type: 'complete', searchId: 's-1', interval, pages: 1, matched: 1, scanned: 1, reason: 'exhausted', filterHash: 'f'.repeat(64), latencyMs: 5 };

type Reply = (n: number, req: IncomingMessage, res: ServerResponse) => void;

async function receiver(reply: Reply) {
  const seen: IncomingHttpHeaders[] = [];
  const open = new Set<ServerResponse>();
  const local = await startLocalServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push(req.headers);
      open.add(res);
      res.on('close', () => open.delete(res));
      reply(seen.length, req, res);
    });
  });
  return {
    url: `${local.origin}/hook`,
    seen,
    close: () => {
      for (const res of open) res.destroy();
      return local.close();
    },
  };
}

const fast = { secret: SECRET, baseDelayMs: 1, maxDelayMs: 20 };

describe('batch callback: timeout, retries, failure policy', () => {
  it('retries 503 and 429 with the same delivery id, re-signing each attempt, until a 2xx', async () => {
    const r = await receiver((n, _req, res) => res.writeHead(n === 1 ? 503 : n === 2 ? 429 : 200, n === 2 ? { 'retry-after': '0' } : {}).end());
    try {
      const retries: unknown[] = [];
      const out = await deliverBatchCallback(note, resolveBatchCallbackOptions({ url: r.url, ...fast }), { onRetry: (x) => retries.push(x) });
      expect(out).toMatchObject({ delivered: true, status: 200, attempts: 3, deliveryId: 's-1:complete' });
      expect(r.seen.map((h) => h['x-gc-data-attempt'])).toEqual(['1', '2', '3']);
      expect(new Set(r.seen.map((h) => h['x-gc-data-delivery']))).toEqual(new Set(['s-1:complete']));
      expect(retries).toEqual([
        expect.objectContaining({ attempt: 1, reason: 'status', status: 503 }),
        expect.objectContaining({ attempt: 2, reason: 'status', status: 429, delayMs: 0 }),
      ]);
    } finally {
      await r.close();
    }
  });

  it('gives up after retries + 1 attempts with a BatchCallbackError naming the last status (and no query string)', async () => {
    const r = await receiver((_n, _req, res) => res.writeHead(500).end());
    try {
      const err = await deliverBatchCallback(note, resolveBatchCallbackOptions({ url: `${r.url}?token=receiver-own-secret`, ...fast, retries: 2 })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BatchCallbackError);
      expect(err).toMatchObject({ attempts: 3, status: 500, reason: 'status' });
      expect((err as Error).message).not.toContain('receiver-own-secret');
      expect(JSON.stringify(err)).not.toContain('receiver-own-secret');
      expect(r.seen).toHaveLength(3);
    } finally {
      await r.close();
    }
  });

  it('does not retry a 4xx refusal or a redirect', async () => {
    const refuse = await receiver((_n, _req, res) => res.writeHead(401).end());
    const redirect = await receiver((_n, _req, res) => res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end());
    try {
      await expect(deliverBatchCallback(note, resolveBatchCallbackOptions({ url: refuse.url, ...fast }))).rejects.toMatchObject({ status: 401, attempts: 1, reason: 'status' });
      await expect(deliverBatchCallback(note, resolveBatchCallbackOptions({ url: redirect.url, ...fast }))).rejects.toMatchObject({ status: 302, attempts: 1, reason: 'redirect' });
      expect(refuse.seen).toHaveLength(1);
      expect(redirect.seen).toHaveLength(1);
    } finally {
      await refuse.close();
      await redirect.close();
    }
  });

  it('times out each attempt after timeoutMs (5 s by default) and retries', async () => {
    expect(resolveBatchCallbackOptions({ url: 'https://etl.example.com/h', secret: SECRET }).timeoutMs).toBe(5_000);
    const r = await receiver((n, _req, res) => {
      if (n > 1) res.writeHead(200).end();
      // the first attempt is left hanging
    });
    try {
      const t0 = performance.now();
      const retries: Array<{ reason: string }> = [];
      const out = await deliverBatchCallback(note, resolveBatchCallbackOptions({ url: r.url, ...fast, timeoutMs: 500 }), { onRetry: (x) => retries.push(x) });
      expect(out).toMatchObject({ delivered: true, status: 200 });
      // The first attempt ended by its (real-time) timeout, not by an answer. The answered attempt is normally the
      // second; on a loaded machine a loopback answer can itself take longer than the timeout and be retried again
      // (this test failed 1 run in 5 under load with "attempts: 2" asserted), so every retry is checked instead.
      expect(out.attempts).toBeGreaterThanOrEqual(2);
      expect(retries).toHaveLength(out.attempts - 1);
      expect(retries.every((x) => x.reason === 'timeout')).toBe(true);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(490);
    } finally {
      await r.close();
    }
  });

  it('reports a timeout when the receiver never answers', async () => {
    const r = await receiver(() => undefined);
    try {
      const err = await deliverBatchCallback(note, resolveBatchCallbackOptions({ url: r.url, ...fast, timeoutMs: 100, retries: 1 })).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'BatchCallbackError', reason: 'timeout', attempts: 2 });
    } finally {
      await r.close();
    }
  });

  it('reports a network error when nothing listens', async () => {
    const r = await receiver(() => undefined);
    const url = r.url;
    await r.close();
    await expect(deliverBatchCallback(note, resolveBatchCallbackOptions({ url, ...fast, retries: 1 }))).rejects.toMatchObject({ reason: 'network', attempts: 2 });
  });

  it("stops at once when the caller's signal fires during a backoff", async () => {
    const r = await receiver((_n, _req, res) => res.writeHead(503).end());
    try {
      const ac = new AbortController();
      const p = deliverBatchCallback(note, resolveBatchCallbackOptions({ url: r.url, secret: SECRET, baseDelayMs: 10_000, maxDelayMs: 10_000 }), {
        signal: ac.signal,
        onRetry: () => ac.abort(),
      });
      await expect(p).rejects.toBeInstanceOf(AbortError);
    } finally {
      await r.close();
    }
  });

  it("in a search: a delivery that fails for good stops the search by default (onFailure 'throw')", async () => {
    const r = await receiver((_n, _req, res) => res.writeHead(410).end());
    try {
      const got: string[] = [];
      const run = async () => {
        for await (const c of new InteractionSearch(client()).query({ interval, pageSize: 100, callback: { url: r.url, ...fast } })) got.push(c.conversationId);
      };
      await expect(run()).rejects.toBeInstanceOf(BatchCallbackError);
      expect(got).toHaveLength(100); // the first batch was handed out, then its announcement failed
      expect(sim.stats.count('POST /api/v2/analytics/conversations/details/query')).toBe(1);
    } finally {
      await r.close();
    }
  });

  it("in a search: onFailure 'warn' emits warnings (retries, then the failure) and finishes the search", async () => {
    const r = await receiver((n, _req, res) => res.writeHead(n % 2 === 1 ? 502 : 500).end());
    try {
      const c = client();
      const warnings: WarningEvent[] = [];
      const progress: ProgressEvent[] = [];
      c.on('warning', (w) => warnings.push(w));
      c.on('progress', (e) => progress.push(e));
      const all = await new InteractionSearch(c).queryAll({ interval, limit: 30, pageSize: 30, callback: { url: r.url, ...fast, retries: 1, onFailure: 'warn' } });
      expect(all).toHaveLength(30);
      // one batch + complete, each: one retry warning and one failure warning
      expect(warnings.map((w) => w.code)).toEqual(['search-callback-retry', 'search-callback-failed', 'search-callback-retry', 'search-callback-failed']);
      expect(warnings[1]?.details).toMatchObject({ reason: 'status', attempts: 2, url: r.url });
      expect(progress.filter((e) => e.operation === 'search.callback')).toHaveLength(0);
    } finally {
      await r.close();
    }
  });
});
