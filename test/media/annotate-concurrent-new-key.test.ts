/**
 * annotate when the key we set did not exist at our first read and exists at the re-read after a 409: another
 * writer added it, or our own PUT committed and only its answer was lost (the transport's retry of the PUT then
 * carried a stale version). Both used to throw `ValidationError: Invalid canonicalJson input: a undefined has no
 * JSON form` from the conflict bookkeeping, and our value was never written.
 */
import { http } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import type { GenesysClient } from '@org/gc-data';
import type { WarningEvent } from '../../src/events';
import { MediaMetadata } from '../../src/media/media-metadata';
import { useSimulatedOrg } from '../support/sim';

const { org: sim, server, client: newClient } = useSimulatedOrg({ anchor: 'now', conversations: 50, rateLimit: false });
let client: GenesysClient;
beforeEach(() => {
  client = newClient();
});

const PUT_ROUTE = 'PUT /api/v2/conversations/{conversationId}/customattributes';
const RECORD = 'gc-data-annotations';
const NO_MEDIA = { matrix: { rows: [], byKind: {} } };
const conv = (i: number) => sim.data.conversationId(i);
const attrsUrl = (cid: string) => `${sim.apiBaseUrl}/api/v2/conversations/${cid}/customattributes`;

async function otherWriter(cid: string, change: (attrs: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const headers = { authorization: `Bearer ${sim.issueToken()}`, 'content-type': 'application/json' };
  const listing = (await ((await sim.handle(new Request(attrsUrl(cid), { headers }))) as Response).json()) as {
    results: Array<{ id: string; version: number; customAttributes: Record<string, unknown> }>;
  };
  const rec = listing.results.find((r) => r.id === RECORD);
  const body = { id: RECORD, ...(rec ? { version: rec.version } : {}), customAttributes: change(rec?.customAttributes ?? {}) };
  const res = (await sim.handle(new Request(attrsUrl(cid), { method: 'PUT', headers, body: JSON.stringify(body) }))) as Response;
  if (res.status !== 200) throw new Error(`other writer got ${res.status}`);
}

/** The first PUT to `cid`'s attributes goes to `first` (returning undefined passes it on to the org); later PUTs pass. */
function onFirstPut(cid: string, first: (request: Request) => Promise<Response | undefined>): void {
  let puts = 0;
  server.use(http.put(attrsUrl(cid), ({ request }) => (puts++ === 0 ? first(request) : undefined)));
}

/** Another writer changes `cid`'s record just before our first PUT reaches the org, so that PUT meets 409. */
function otherWriterBeforeFirstPut(cid: string, change: (attrs: Record<string, unknown>) => Record<string, unknown>): void {
  onFirstPut(cid, async () => {
    await otherWriter(cid, change);
    return undefined;
  });
}

/** The org applies our first PUT, then its answer never reaches us (a gateway 503 in its place). */
function loseFirstPutAnswer(cid: string): void {
  onFirstPut(cid, async (request) => {
    const res = (await sim.handle(request)) as Response;
    expect(res.status).toBe(200);
    return new Response(JSON.stringify({ message: 'gateway' }), { status: 503, headers: { 'content-type': 'application/json' } });
  });
}

async function stored(cid: string) {
  return client.request<{ version: number; customAttributes: Record<string, unknown> }>({ path: `/api/v2/conversations/${cid}/customattributes/${RECORD}` });
}

describe('annotate: a key that appeared between our read and our write', () => {
  it('another writer adds a key we also set: merged, our value wins, the key is reported', async () => {
    const cid = conv(0);
    const warnings: WarningEvent[] = [];
    client.on('warning', (w) => warnings.push(w));
    const media = new MediaMetadata(client, { conflictDelayMs: 1 });
    await media.annotate(cid, { existing: 'kept' }, NO_MEDIA);
    otherWriterBeforeFirstPut(cid, (a) => ({ ...a, 'qa.new': { value: 'theirs', category: 'other' }, 'theirs.z': { value: '1', category: 'other' } }));

    const r = await media.annotate(cid, { 'qa.new': 'ours' }, NO_MEDIA);
    expect(r).toMatchObject({ attempts: 2, written: ['qa.new'], overwroteConcurrent: ['qa.new'] });
    expect(warnings.filter((w) => w.code === 'concurrent-overwrite')).toHaveLength(1);
    expect(warnings.find((w) => w.code === 'concurrent-overwrite')).toMatchObject({ details: { keys: ['qa.new'] } });
    const rec = await stored(cid);
    expect(rec.customAttributes).toEqual({
      existing: { value: 'kept', category: 'system', source: 'automated_parser' },
      'qa.new': { value: 'ours', category: 'system', source: 'automated_parser' },
      'theirs.z': { value: '1', category: 'other' },
    });
  });

  it('another writer deletes a key we also set (it existed at our first read): merged and reported', async () => {
    const cid = conv(1);
    const media = new MediaMetadata(client, { conflictDelayMs: 1 });
    await media.annotate(cid, { k: 'v0' }, NO_MEDIA);
    otherWriterBeforeFirstPut(cid, (a) => Object.fromEntries(Object.entries(a).filter(([key]) => key !== 'k')));
    const r = await media.annotate(cid, { k: 'v1' }, NO_MEDIA);
    expect(r).toMatchObject({ attempts: 2, overwroteConcurrent: ['k'] });
    expect((await stored(cid)).customAttributes).toEqual({ k: { value: 'v1', category: 'system', source: 'automated_parser' } });
  });

  it('our PUT commits but its answer is lost; the retried PUT meets 409: re-read, nothing reported, written once', async () => {
    const cid = conv(2);
    const media = new MediaMetadata(client, { conflictDelayMs: 1 });
    await media.annotate(cid, { before: 'x' }, NO_MEDIA);
    sim.stats.reset();
    loseFirstPutAnswer(cid);
    const r = await media.annotate(cid, { 'qa.new': 'ours' }, NO_MEDIA);
    // The transport retried the PUT (stale version: 409), then annotate re-read and re-merged.
    expect(sim.stats.count(PUT_ROUTE, 409)).toBe(1);
    expect(r.overwroteConcurrent).toEqual([]);
    expect(r.attempts).toBe(2);
    const rec = await stored(cid);
    expect(rec.customAttributes).toEqual({ before: { value: 'x', category: 'system', source: 'automated_parser' }, 'qa.new': { value: 'ours', category: 'system', source: 'automated_parser' } });
    expect(media.auditLog().at(-1)).toMatchObject({ status: 'written' });
  });

  it('a lost answer on the creating PUT (no record before): the retried create meets 400, the re-read shows ours', async () => {
    const cid = conv(3);
    const media = new MediaMetadata(client, { conflictDelayMs: 1 });
    loseFirstPutAnswer(cid);
    const r = await media.annotate(cid, { first: 'ours' }, NO_MEDIA);
    expect(r.overwroteConcurrent).toEqual([]);
    expect((await stored(cid)).customAttributes).toEqual({ first: { value: 'ours', category: 'system', source: 'automated_parser' } });
  });

  it('a key we remove that another writer adds meanwhile: removed and reported', async () => {
    const cid = conv(4);
    const media = new MediaMetadata(client, { conflictDelayMs: 1 });
    await media.annotate(cid, { a: '1' }, NO_MEDIA);
    otherWriterBeforeFirstPut(cid, (x) => ({ ...x, gone: { value: 'theirs', category: 'other' } }));
    const r = await media.annotate(cid, { b: '2' }, { ...NO_MEDIA, remove: ['gone'] });
    expect(r).toMatchObject({ attempts: 2, removed: ['gone'], overwroteConcurrent: ['gone'] });
    expect(Object.keys((await stored(cid)).customAttributes).sort()).toEqual(['a', 'b']);
  });
});
