import { describe, expect, it } from 'vitest';
import { createSimulatedOrg, type SimCustomAttributes, type SimCustomAttributesListing } from '../../src/testing/index';
import { directApi } from './helpers';

const sim = createSimulatedOrg({ seed: 2, rateLimit: false });
const a = directApi(sim);
const base = `/api/v2/conversations/${sim.data.conversationId(10)}/customattributes`;
const get = async (id: string) => (await (await a.get(`${base}/${id}`)).json()) as SimCustomAttributes;

describe('conversation custom attributes: replace-all writes with optimistic versions', () => {
  it('starts empty, creates at version 1, replaces all data and increments the version', async () => {
    expect(await (await a.get(base)).json()).toEqual({ results: [] });
    const created = await a.put(base, { id: 'audit', customAttributes: { category: 'billing', score: 3 } });
    expect(created.status).toBe(200);
    expect(await created.json()).toEqual({ id: 'audit' });
    const v1 = await get('audit');
    expect(v1).toMatchObject({ id: 'audit', version: 1, customAttributes: { category: 'billing', score: 3 }, conversationId: sim.data.conversationId(10) });
    expect((await a.put(base, { id: 'audit', version: 1, customAttributes: { note: 'replaced' } })).status).toBe(200);
    const v2 = await get('audit');
    expect(v2.version).toBe(2);
    expect(v2.customAttributes).toEqual({ note: 'replaced' });
    expect(v2.dateCreated).toBe(v1.dateCreated);
    const list = (await (await a.get(base)).json()) as SimCustomAttributesListing;
    expect(list.results).toEqual([v2]);
  });

  it('answers 409 for a stale version and 400 for a missing one, leaving the record as it was', async () => {
    await a.put(base, { id: 'race', customAttributes: { a: 1 } });
    await a.put(base, { id: 'race', version: 1, customAttributes: { a: 2 } });
    const stale = await a.put(base, { id: 'race', version: 1, customAttributes: { a: 3 } });
    expect(stale.status).toBe(409);
    const body = (await stale.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 'conflict', status: 409, details: [], errors: [] });
    expect(body.contextId).toBe(stale.headers.get('inin-correlation-id'));
    expect((await a.put(base, { id: 'race', customAttributes: { a: 4 } })).status).toBe(400);
    expect(await get('race')).toMatchObject({ version: 2, customAttributes: { a: 2 } });
    // The client's recovery: re-read, then write with the current version.
    const current = await get('race');
    expect((await a.put(base, { id: 'race', version: current.version, customAttributes: { a: 5 } })).status).toBe(200);
    expect((await get('race')).version).toBe(3);
  });

  it('merges on PATCH (same version rule), deletes, and validates input', async () => {
    await a.put(base, { id: 'p', customAttributes: { a: 1, b: 2 } });
    expect((await a.patch(base, { id: 'p', version: 1, customAttributes: { b: 3 } })).status).toBe(204);
    expect(await get('p')).toMatchObject({ version: 2, customAttributes: { a: 1, b: 3 } });
    expect((await a.patch(base, { id: 'p', version: 1, customAttributes: { b: 4 } })).status).toBe(409);
    expect((await a.patch(base, { id: 'nope', version: 1, customAttributes: {} })).status).toBe(404);
    expect((await a.del(`${base}/p`)).status).toBe(204);
    expect((await a.get(`${base}/p`)).status).toBe(404);
    expect((await a.put(base, { customAttributes: {} })).status).toBe(400);
    expect((await a.put(base, { id: 'x' })).status).toBe(400);
    expect((await a.put('/api/v2/conversations/nope/customattributes', { id: 'x', customAttributes: {} })).status).toBe(404);
  });

  it('is cleared by reset()', async () => {
    const org = createSimulatedOrg({ seed: 2, rateLimit: false });
    const api = directApi(org);
    await api.put(base, { id: 'r', customAttributes: { a: 1 } });
    org.reset();
    expect(await (await directApi(org).get(base)).json()).toEqual({ results: [] });
  });
});
