/**
 * The simulated org learns time: `advance()` moves its clock and its data; evaluations are created, finished,
 * released, rescored, retracted and deleted after their conversation, deterministically from the seed, and truth
 * follows. An org that never advances serves exactly what it served before.
 */
import { describe, expect, it } from 'vitest';
import { createSimulatedOrg } from '@org/gc-data/testing';

const ANCHOR = Date.parse('2026-11-20T00:00:00Z');
const INTERVAL = '2026-10-21T00:00:00Z/2026-11-20T00:00:00Z';
const opts = { seed: 7, anchor: ANCHOR, days: 30, conversationsPerDay: 40, now: () => ANCHOR };

function snapshot(sim: ReturnType<typeof createSimulatedOrg>) {
  const out: unknown[] = [];
  for (let i = 0; i < sim.data.size; i++) out.push(sim.data.conversation(i).evaluations ?? null);
  return out;
}

describe('simulated org time (advance)', () => {
  it('an org advanced by 0 serves the same conversations and evaluations as a fresh one', () => {
    const a = createSimulatedOrg(opts);
    const b = createSimulatedOrg(opts);
    b.advance(0);
    expect(snapshot(b)).toEqual(snapshot(a));
    expect(b.truth.evaluations({ interval: INTERVAL })).toEqual(a.truth.evaluations({ interval: INTERVAL }));
  });

  it('three days bring late, changed and deleted evaluations; the clock moves by the same amount', () => {
    const sim = createSimulatedOrg(opts);
    const before = new Map(sim.truth.evaluations({ interval: INTERVAL }).map((e) => [e.evaluationId, e]));
    expect(sim.advance('P3D')).toBe(3 * 86_400_000);
    expect(sim.now()).toBe(ANCHOR + 3 * 86_400_000);
    const after = new Map(sim.truth.evaluations({ interval: INTERVAL }).map((e) => [e.evaluationId, e]));
    const created = [...after.keys()].filter((id) => !before.has(id));
    const deleted = [...before.keys()].filter((id) => !after.has(id));
    const changed = [...after.values()].filter((e) => before.has(e.evaluationId) && before.get(e.evaluationId)?.changedDate !== e.changedDate);
    expect(created.length).toBeGreaterThan(0);
    expect(deleted.length).toBeGreaterThan(0);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.some((e) => e.rescored)).toBe(true);
    // Every event happened after the anchor and not after now.
    for (const e of [...changed, ...created.map((id) => after.get(id)!)]) {
      expect(Date.parse(e.changedDate)).toBeGreaterThan(ANCHOR);
      expect(Date.parse(e.changedDate)).toBeLessThanOrEqual(sim.now());
    }
    // A deleted evaluation: flagged in the details query (eventTime = deletion), gone from truth.evaluation().
    const gone = deleted[0]!;
    const conv = sim.truth.conversation(before.get(gone)!.conversationId)!;
    const flagged = conv.evaluations?.find((e) => e.evaluationId === gone);
    expect(flagged?.deleted).toBe(true);
    expect(Date.parse(flagged!.eventTime!)).toBeGreaterThan(ANCHOR);
    expect(sim.truth.evaluation(gone)).toBeUndefined();
  });

  it('is deterministic: P1D then P2D equals P3D at once, and equals another org of the same seed', () => {
    const a = createSimulatedOrg(opts);
    const b = createSimulatedOrg(opts);
    a.advance('P1D');
    a.advance(2 * 86_400_000);
    b.advance('P3D');
    expect(snapshot(a)).toEqual(snapshot(b));
    const c = createSimulatedOrg({ ...opts, seed: 8 });
    c.advance('P3D');
    expect(snapshot(c)).not.toEqual(snapshot(b));
  });

  it('the GET of a deleted evaluation is a 404; a rescored one shows rescore: true with its new changedDate', async () => {
    const sim = createSimulatedOrg(opts);
    const before = new Set(sim.truth.evaluations({ interval: INTERVAL }).map((e) => e.evaluationId));
    const beforeAll = sim.truth.evaluations({ interval: INTERVAL });
    sim.advance('P3D');
    const after = sim.truth.evaluations({ interval: INTERVAL });
    const afterIds = new Set(after.map((e) => e.evaluationId));
    const gone = beforeAll.find((e) => !afterIds.has(e.evaluationId))!;
    const token = sim.issueToken();
    const get = (cid: string, eid: string) =>
      sim.handle(new Request(`${sim.apiBaseUrl}/api/v2/quality/conversations/${cid}/evaluations/${eid}`, { headers: { authorization: `Bearer ${token}` } }));
    const r404 = (await get(gone.conversationId, gone.evaluationId)) as Response;
    expect(r404.status).toBe(404);
    const rescored = after.find((e) => e.rescored && before.has(e.evaluationId))!;
    const r = (await get(rescored.conversationId, rescored.evaluationId)) as Response;
    const body = (await r.json()) as { rescore: boolean; changedDate: string };
    expect(body.rescore).toBe(true);
    expect(body.changedDate).toBe(rescored.changedDate);
  });

  it('a token live before advance() keeps the lifetime it had left (a client keeps working across jumps)', async () => {
    const sim = createSimulatedOrg({ ...opts, tokenTtlSeconds: 3600 });
    const token = sim.issueToken();
    const get = async () =>
      ((await sim.handle(new Request(`${sim.apiBaseUrl}/api/v2/quality/forms/evaluations/${sim.data.forms[0]!.versions[0]!.id}`, { headers: { authorization: `Bearer ${token}` } }))) as Response).status;
    expect(await get()).toBe(200);
    sim.advance('P1D');
    sim.advance('P2D');
    expect(await get()).toBe(200);
    sim.expireTokens();
    expect(await get()).toBe(401);
  });

  it('reset() rewinds time; advance() refuses a negative or malformed duration', () => {
    const sim = createSimulatedOrg(opts);
    const fresh = snapshot(sim);
    sim.advance('PT36H');
    expect(sim.elapsed()).toBe(36 * 3_600_000);
    sim.reset();
    expect(sim.elapsed()).toBe(0);
    expect(sim.now()).toBe(ANCHOR);
    expect(snapshot(sim)).toEqual(fresh);
    expect(() => sim.advance(-1)).toThrow(/0 ms or more/);
    expect(() => sim.advance('3 days')).toThrow(/ISO-8601 duration/);
    expect(() => sim.advance('P1M')).toThrow(/ISO-8601 duration/);
  });
});
