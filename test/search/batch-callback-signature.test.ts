import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { FilterBuilder } from '@org/gc-data/filters';
import { signBatch, verifyBatchSignature } from '../../src/search/batch-callback';
import { InteractionSearch } from '../../src/search/interaction-search';
import type { SearchNotification } from '../../src/search/schemas';
import { startLocalServer } from '../support/local-server';
import { useSimulatedOrg } from '../support/sim';

// The receiver is a real HTTP server on 127.0.0.1: msw lets those requests through, and only those.
const { org: sim, client } = useSimulatedOrg({ seed: 77, anchor: 'now', rateLimit: false }, { client: { retry: { maxDelayMs: 10 } }, allowHosts: ['127.0.0.1'] });

const SECRET = 'whsec_0123456789abcdef0123';
const DAY = 86_400_000;
const end = Math.floor(sim.data.end / DAY) * DAY;
const interval = `${new Date(end - DAY).toISOString()}/${new Date(end).toISOString()}`;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

async function receiver(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const local = await startLocalServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  return { url: `${local.origin}/hooks/gc-data?tenant=acme`, received, close: local.close };
}

describe('batch callback: signature', () => {
  it('POSTs one signed notification per batch and one at the end; every signature verifies against the raw body', async () => {
    const r = await receiver();
    try {
      const notified: SearchNotification[] = [];
      const filter = FilterBuilder.interaction('voice').where('wrapUpCode', 'notEquals', sim.data.wrapUpCodes[1]!.id);
      const yielded: string[] = [];
      for await (const c of new InteractionSearch(client()).query({
        filter,
        interval,
        pageSize: 50,
        notify: (n) => void notified.push(n),
        callback: { url: r.url, secret: SECRET },
      })) {
        yielded.push(c.conversationId);
      }
      const bodies = r.received.map((x) => JSON.parse(x.body) as SearchNotification);
      expect(bodies).toEqual(notified);
      expect(bodies.at(-1)).toMatchObject({ type: 'complete', reason: 'exhausted', matched: yielded.length });
      const batches = bodies.filter((b) => b.type === 'batch');
      const voice = sim.truth.conversations({ interval, filters: { segmentFilters: [{ type: 'and', predicates: [{ dimension: 'mediaType', value: 'voice' }] }] } });
      expect(batches.length).toBe(Math.ceil(voice.length / 50));
      expect(batches.at(-1)).toMatchObject({ scanned: voice.length, matched: yielded.length, totalHits: voice.length });
      // the canonical form of the caller's interval
      expect(batches[0]!.interval).toBe(interval.replace(/\.000Z/g, 'Z'));
      expect(batches.every((b) => b.window === b.interval)).toBe(true);
      expect(batches.flatMap((b) => b.conversations)).toEqual(yielded);
      expect(new Set(bodies.map((b) => b.searchId)).size).toBe(1);

      for (const x of r.received) {
        const ts = x.headers['x-gc-data-timestamp'] as string;
        const sig = x.headers['x-gc-data-signature'] as string;
        expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
        expect(Math.abs(Date.now() / 1000 - Number(ts))).toBeLessThan(60);
        expect(verifyBatchSignature(SECRET, ts, x.body, sig)).toBe(true);
        expect(verifyBatchSignature(SECRET, ts, Buffer.from(x.body), sig)).toBe(true);
        expect(x.headers['content-type']).toBe('application/json');
        expect(x.headers['x-gc-data-attempt']).toBe('1');
        // our bearer token (or any credential) never goes to the receiver
        expect(x.headers.authorization).toBeUndefined();
        expect(JSON.stringify(x.headers)).not.toMatch(/Bearer|sim_|sim-client-secret/);
        expect(x.body).not.toContain(SECRET);
      }
      const ids = r.received.map((x) => x.headers['x-gc-data-delivery']);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.at(-1)).toBe(`${bodies[0]!.searchId}:complete`);
    } finally {
      await r.close();
    }
  });

  it('rejects a wrong secret, a tampered body or timestamp, a malformed header, and stale or future timestamps', () => {
    const body = JSON.stringify({ type: 'batch', page: 1, conversations: ['a'] });
    const now = 1_700_000_000_000;
    const ts = String(now / 1000);
    const sig = signBatch(SECRET, ts, body);
    expect(verifyBatchSignature(SECRET, ts, body, sig, { now })).toBe(true);
    expect(verifyBatchSignature('another-secret-0123456789', ts, body, sig, { now })).toBe(false);
    expect(verifyBatchSignature(SECRET, ts, body.replace('"a"', '"b"'), sig, { now })).toBe(false);
    expect(verifyBatchSignature(SECRET, String(Number(ts) + 1), body, sig, { now })).toBe(false);
    expect(verifyBatchSignature(SECRET, ts, body, sig.replace('sha256=', ''), { now })).toBe(false);
    expect(verifyBatchSignature(SECRET, ts, body, `${sig.slice(0, -1)}`, { now })).toBe(false);
    expect(verifyBatchSignature(SECRET, ts, body, undefined, { now })).toBe(false);
    expect(verifyBatchSignature(SECRET, null, body, sig, { now })).toBe(false);
    expect(verifyBatchSignature(SECRET, 'not-a-number', body, sig, { now })).toBe(false);
    expect(verifyBatchSignature(SECRET, ts, body, sig, { now: now + 301_000 })).toBe(false);
    expect(verifyBatchSignature(SECRET, ts, body, sig, { now: now - 301_000 })).toBe(false);
    expect(verifyBatchSignature(SECRET, ts, body, sig, { now: now + 3_600_000, maxAgeSeconds: 7200 })).toBe(true);
  });

  it('accepts any of several secrets (rotation) and any of several signatures in the header', () => {
    const body = '{"x":1}';
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = signBatch(SECRET, ts, body);
    expect(verifyBatchSignature(['new-secret-0123456789abc', SECRET], ts, body, sig)).toBe(true);
    expect(verifyBatchSignature(['new-secret-0123456789abc'], ts, body, sig)).toBe(false);
    expect(verifyBatchSignature(SECRET, ts, body, `sha256=${'0'.repeat(64)}, ${sig}`)).toBe(true);
    expect(verifyBatchSignature([], ts, body, sig)).toBe(false);
  });

  it('is HMAC-SHA256 of "<timestamp>.<body>", so any receiver can verify it with its own crypto', async () => {
    const { createHmac } = await import('node:crypto');
    const body = '{"type":"complete"}';
    const ts = '1700000000';
    expect(signBatch(SECRET, ts, body)).toBe(`sha256=${createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')}`);
  });
});
