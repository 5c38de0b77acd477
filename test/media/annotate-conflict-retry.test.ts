import { http } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import type { GenesysClient } from '../../src/client';
import { BadRequestError, ConflictError } from '../../src/errors';
import type { WarningEvent } from '../../src/events';
import { MediaMetadata } from '../../src/media/media-metadata';
import { useSimulatedOrg } from '../support/sim';

const { org: sim, server, client: newClient } = useSimulatedOrg({ anchor: 'now', conversations: 200, rateLimit: false });
let client: GenesysClient;
beforeEach(() => {
  client = newClient();
});

const PUT_ROUTE = 'PUT /api/v2/conversations/{conversationId}/customattributes';
const RECORD = 'gc-data-annotations';
const conv = (i: number) => sim.data.conversationId(i);
const attrsUrl = (cid: string) => `${sim.apiBaseUrl}/api/v2/conversations/${cid}/customattributes`;

/** Another writer, straight to the org (not through msw or our client). */
async function otherWriter(cid: string, change: (attrs: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const headers = { authorization: `Bearer ${sim.issueToken()}`, 'content-type': 'application/json' };
  const listing = (await (await sim.handle(new Request(attrsUrl(cid), { headers })) as Response).json()) as {
    results: Array<{ id: string; version: number; customAttributes: Record<string, unknown> }>;
  };
  const rec = listing.results.find((r) => r.id === RECORD);
  const body = { id: RECORD, ...(rec ? { version: rec.version } : {}), customAttributes: change(rec?.customAttributes ?? {}) };
  const res = (await sim.handle(new Request(attrsUrl(cid), { method: 'PUT', headers, body: JSON.stringify(body) }))) as Response;
  if (res.status !== 200) throw new Error(`other writer got ${res.status}`);
}

/** Before each of our first `times` PUTs reaches the org, another writer commits; our PUT then carries a stale version. */
function raceOurPuts(cid: string, times: number, change: (attrs: Record<string, unknown>, n: number) => Record<string, unknown>) {
  let n = 0;
  server.use(
    http.put(attrsUrl(cid), async () => {
      if (n < times) await otherWriter(cid, (a) => change(a, n++));
      // Returning nothing hands the request on to the simulated org's handler.
    }),
  );
}

async function record(cid: string) {
  return client.request<{ version: number; customAttributes: Record<string, unknown> }>({ path: `/api/v2/conversations/${cid}/customattributes/${RECORD}` });
}

describe('annotate: 409 re-read, re-merge, retry', () => {
  it('retries after a stale version and keeps the concurrent writer keys', async () => {
    const cid = conv(0);
    const media = new MediaMetadata(client, { conflictDelayMs: 1 });
    await media.annotate(cid, { 'ours.a': 'v1' }, { matrix: { rows: [], byKind: {} } });
    sim.stats.reset();
    raceOurPuts(cid, 1, (a) => ({ ...a, 'theirs.x': { value: 'from-other', category: 'other' } }));

    const r = await media.annotate(cid, { 'ours.b': 'v2' }, { matrix: { rows: [], byKind: {} } });
    expect(r.attempts).toBe(2);
    expect(r.version).toBe(2);
    expect(r.overwroteConcurrent).toEqual([]);
    expect(sim.stats.count(PUT_ROUTE, 409)).toBe(1);
    expect(sim.stats.count(PUT_ROUTE, 200)).toBe(2); // the other writer's and our retry

    const rec = await record(cid);
    expect(rec.version).toBe(3);
    expect(Object.keys(rec.customAttributes).sort()).toEqual(['ours.a', 'ours.b', 'theirs.x']);
    expect(media.auditLog().at(-1)).toMatchObject({ status: 'written', attempts: 2 });
  });

  it('reports (never silently) a key the other writer changed that we also set, and our value wins', async () => {
    const cid = conv(1);
    const warnings: WarningEvent[] = [];
    const onWarning = (w: WarningEvent) => warnings.push(w);
    client.on('warning', onWarning);
    try {
      const media = new MediaMetadata(client, { conflictDelayMs: 1 });
      await media.annotate(cid, { shared: 'original' }, { matrix: { rows: [], byKind: {} } });
      raceOurPuts(cid, 1, (a) => ({ ...a, shared: { value: 'theirs', category: 'other' }, 'theirs.y': { value: '1', category: 'other' } }));
      const r = await media.annotate(cid, { shared: 'ours' }, { matrix: { rows: [], byKind: {} } });
      expect(r.overwroteConcurrent).toEqual(['shared']);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ code: 'concurrent-overwrite', details: { keys: ['shared'] } });
      const rec = await record(cid);
      expect(rec.customAttributes.shared).toEqual({ value: 'ours', category: 'system', source: 'automated_parser' });
      expect(rec.customAttributes['theirs.y']).toEqual({ value: '1', category: 'other' });
    } finally {
      client.off('warning', onWarning);
    }
  });

  it('gives up after maxConflictRetries with the ConflictError, having sent 1 + retries PUTs', async () => {
    const cid = conv(2);
    const media = new MediaMetadata(client, { conflictDelayMs: 1, maxConflictRetries: 2 });
    await media.annotate(cid, { a: '1' }, { matrix: { rows: [], byKind: {} } });
    sim.stats.reset();
    raceOurPuts(cid, 100, (a, n) => ({ ...a, [`theirs.${n}`]: { value: String(n), category: 'other' } }));
    const err = await media.annotate(cid, { b: '2' }, { matrix: { rows: [], byKind: {} } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).status).toBe(409);
    expect(sim.stats.count(PUT_ROUTE, 409)).toBe(3);
    const entry = media.auditLog().at(-1)!;
    expect(entry).toMatchObject({ status: 'failed', attempts: 3, error: { name: 'ConflictError', status: 409, code: 'conflict' } });
    expect(entry.correlationIds.length).toBeGreaterThanOrEqual(6);
    // Nothing of ours was written, and the other writer's keys are intact.
    const rec = await record(cid);
    expect(rec.customAttributes.b).toBeUndefined();
    expect(Object.keys(rec.customAttributes)).toEqual(expect.arrayContaining(['a', 'theirs.0', 'theirs.1', 'theirs.2']));
  });

  it('treats a lost creation race (the record appeared between our read and our create) like a conflict', async () => {
    const cid = conv(3);
    const media = new MediaMetadata(client, { conflictDelayMs: 1 });
    raceOurPuts(cid, 1, () => ({ 'theirs.first': { value: 'created', category: 'other' } }));
    const r = await media.annotate(cid, { 'ours.first': 'x' }, { matrix: { rows: [], byKind: {} } });
    expect(r).toMatchObject({ attempts: 2, version: 1 });
    const rec = await record(cid);
    expect(Object.keys(rec.customAttributes).sort()).toEqual(['ours.first', 'theirs.first']);
  });

  it('does not retry a 400 that is not a creation race', async () => {
    const cid = conv(4);
    const media = new MediaMetadata(client, { conflictDelayMs: 1 });
    server.use(
      http.put(attrsUrl(cid), () =>
        Response.json({ message: 'schema mismatch', code: 'bad.request', status: 400, contextId: 'c-400' }, { status: 400, headers: { 'inin-correlation-id': 'c-400' } }),
      ),
    );
    const err = await media.annotate(cid, { a: '1' }, { matrix: { rows: [], byKind: {} } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect(media.auditLog().at(-1)).toMatchObject({ status: 'failed', attempts: 1, error: { name: 'BadRequestError', status: 400 } });
    expect(media.auditLog().at(-1)!.correlationIds).toContain('c-400');
  });
});
